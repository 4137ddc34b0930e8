#include "agency/peer_review.h"

#include <algorithm>
#include <map>

namespace cairn {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxText = 2000;

// A required or optional bounded string field, problems into `errors`.
std::string TextField(const json& body, const char* key, bool required,
                      std::vector<FieldError>& errors) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) errors.push_back({key, "required"});
    return {};
  }
  if (!it->is_string()) {
    errors.push_back({key, "expected text"});
    return {};
  }
  std::string text = it->get<std::string>();
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    if (required) errors.push_back({key, "required"});
    return {};
  }
  if (text.size() > kMaxText) {
    errors.push_back({key, "at most " + std::to_string(kMaxText) + " characters"});
    return {};
  }
  return text;
}

void OnlyFields(const json& body, std::initializer_list<const char*> known,
                std::vector<FieldError>& errors) {
  for (const auto& [key, value] : body.items()) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
      errors.push_back({key, "not a field of this request"});
    }
  }
}

}  // namespace

std::string_view PeerReviewStateName(PeerReviewState state) {
  switch (state) {
    case PeerReviewState::kAssigned:
      return "assigned";
    case PeerReviewState::kAnswered:
      return "answered";
    case PeerReviewState::kWithdrawn:
      return "withdrawn";
  }
  return "assigned";
}

json PeerReviewToStored(const PeerReview& r) {
  return {{"submission", r.submission},
          {"author", r.author},
          {"reviewer", r.reviewer},
          {"assigned_by", r.assigned_by},
          {"state", PeerReviewStateName(r.state)},
          {"prompt", r.prompt},
          {"strength", r.strength},
          {"suggestion", r.suggestion},
          {"assigned_at", r.assigned_at},
          {"answered_at", r.answered_at}};
}

Result<PeerReview> PeerReviewFromStored(std::string_view id, const json& body) {
  if (!body.is_object()) return Status::Invalid("peer review " + std::string(id) + ": not stored");
  PeerReview r;
  r.id = std::string(id);
  try {
    r.submission = body.at("submission").get<Id>();
    r.author = body.at("author").get<Id>();
    r.reviewer = body.at("reviewer").get<Id>();
    r.assigned_by = body.value("assigned_by", Id{0});
    const std::string state = body.value("state", "assigned");
    r.state = state == "answered"    ? PeerReviewState::kAnswered
              : state == "withdrawn" ? PeerReviewState::kWithdrawn
                                     : PeerReviewState::kAssigned;
    r.prompt = body.value("prompt", "");
    r.strength = body.value("strength", "");
    r.suggestion = body.value("suggestion", "");
    r.assigned_at = body.value("assigned_at", Instant{0});
    r.answered_at = body.value("answered_at", Instant{0});
  } catch (const json::exception&) {
    return Status::Invalid("peer review " + std::string(id) + ": not stored");
  }
  return r;
}

std::vector<PeerReview> FoldPeerReviews(const std::vector<JournalEntry>& entries) {
  std::map<std::string, const JournalEntry*> newest;
  for (const JournalEntry& e : entries) {
    const JournalEntry*& slot = newest[e.key];
    if (!slot || e.id > slot->id) slot = &e;
  }
  std::vector<PeerReview> out;
  for (const auto& [key, e] : newest) {
    auto r = PeerReviewFromStored(key, json::parse(e->body, nullptr, false));
    if (r.ok()) out.push_back(std::move(*r));
  }
  std::stable_sort(out.begin(), out.end(), [](const PeerReview& a, const PeerReview& b) {
    return a.assigned_at != b.assigned_at ? a.assigned_at < b.assigned_at : a.id < b.id;
  });
  return out;
}

Result<std::optional<FoundPeerReview>> FindPeerReview(JournalStore& store,
                                                      const std::vector<Id>& districts,
                                                      std::string_view id) {
  // Ids are "pr-" and a random token: anything else names nothing.
  if (id.size() < 4 || id.size() > 64 || id.substr(0, 3) != "pr-") {
    return std::optional<FoundPeerReview>();
  }
  for (Id district : districts) {
    CAIRN_ASSIGN_OR_RETURN(auto entries, store.Journal(district, kPeerReviewStream, id));
    if (entries.empty()) continue;
    CAIRN_ASSIGN_OR_RETURN(
        PeerReview review,
        PeerReviewFromStored(id, json::parse(entries.back().body, nullptr, false)));
    return std::optional<FoundPeerReview>(FoundPeerReview{district, std::move(review)});
  }
  return std::optional<FoundPeerReview>();
}

Result<std::string> CheckPeerReviewAssignment(const json& body, std::string& prompt) {
  if (!body.is_object()) return Status::InvalidField("", "expected a JSON object");
  std::vector<FieldError> errors;
  OnlyFields(body, {"reviewer", "prompt"}, errors);
  std::string reviewer = TextField(body, "reviewer", true, errors);
  prompt = TextField(body, "prompt", false, errors);
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  return reviewer;
}

Status CheckPeerReviewAnswer(const json& body, PeerReview& review) {
  if (!body.is_object()) return Status::InvalidField("", "expected a JSON object");
  std::vector<FieldError> errors;
  OnlyFields(body, {"strength", "suggestion"}, errors);
  std::string strength = TextField(body, "strength", true, errors);
  std::string suggestion = TextField(body, "suggestion", true, errors);
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  review.strength = std::move(strength);
  review.suggestion = std::move(suggestion);
  return Status::Ok();
}

}  // namespace cairn
