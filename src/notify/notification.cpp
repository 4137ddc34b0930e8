#include "notify/notification.h"

#include <nlohmann/json.hpp>

namespace cairn {

using nlohmann::json;

namespace {

std::string BadgeTitle(const Catalog& catalog, const std::string& code) {
  const Badge* badge = catalog.FindBadge(code);
  return badge ? badge->title : code;
}

std::string Name(const Roster& roster, Id person) {
  const Person* p = roster.FindPerson(person);
  return p ? p->DisplayName() : std::string();
}

// One notification per reader of `student`'s news: the student when
// `to_student`, and their guardians when `to_guardians`.
void Tell(const Audience& audience, Id student, bool to_student, bool to_guardians,
          std::string_view kind, const std::string& dedupe_key, const json& body, Instant now,
          std::vector<StoredNotification>& out) {
  const Person* s = audience.roster->FindPerson(student);
  if (!s || s->role != PersonRole::kStudent) return;
  json with_child = body;
  with_child["child"] = s->given_name.empty() ? s->DisplayName() : s->given_name;
  auto add = [&](Id recipient) {
    StoredNotification n;
    n.district_id = s->district_id;
    n.recipient_id = recipient;
    n.student_id = student;
    n.kind = std::string(kind);
    n.dedupe_key = dedupe_key;
    n.body = with_child.dump();
    n.created_at = now;
    out.push_back(std::move(n));
  };
  if (to_student) add(student);
  if (!to_guardians) return;
  if (auto it = audience.guardians.find(student); it != audience.guardians.end()) {
    for (Id guardian : it->second) add(guardian);
  }
}

std::string Quote(const std::string& text) { return "\u201c" + text + "\u201d"; }

}  // namespace

Audience AudienceOf(const Roster& roster) {
  Audience a;
  a.roster = &roster;
  for (const GuardianLink& link : roster.guardian_links) {
    a.guardians[link.student_id].push_back(link.guardian_id);
  }
  return a;
}

std::vector<StoredNotification> DeriveFromAwards(std::span<const AwardFact> awards,
                                                 const Catalog& catalog, const Audience& audience,
                                                 Instant now) {
  std::vector<StoredNotification> out;
  for (const AwardFact& a : awards) {
    if (a.action != AwardAction::kConfirmed) continue;
    json body{{"badge", a.badge_code}, {"badge_title", BadgeTitle(catalog, a.badge_code)}};
    Tell(audience, a.student_id, true, true, "badge_earned", "award:" + std::to_string(a.id), body,
         now, out);
  }
  return out;
}

std::vector<StoredNotification> DeriveFromRatings(std::span<const RatingFact> ratings,
                                                  const Catalog& catalog, const Audience& audience,
                                                  Instant now) {
  std::vector<StoredNotification> out;
  for (const RatingFact& r : ratings) {
    if (r.note.empty() || r.corrects) continue;
    auto ref = catalog.FindCpe(r.cpe_id);
    if (!ref) continue;
    const Badge& badge = catalog.badges[ref->badge];
    json body{{"badge", badge.code}, {"badge_title", badge.title},
              {"cpe", r.cpe_id},     {"cpe_label", badge.cpes[ref->cpe].label},
              {"message", r.note},   {"by", Name(*audience.roster, r.recorded_by)}};
    Tell(audience, r.student_id, true, true, "feedback", "rating:" + std::to_string(r.id), body,
         now, out);
  }
  return out;
}

std::vector<StoredNotification> DeriveFromPortfolio(
    std::span<const std::pair<PortfolioEvent, Id>> events, const Catalog& catalog,
    const Audience& audience, const std::unordered_map<Id, SubmissionInfo>& submissions,
    Instant now) {
  std::vector<StoredNotification> out;
  for (const auto& [event, student] : events) {
    const bool revision = event.kind == PortfolioEventKind::kRequestRevision;
    if (!revision && event.kind != PortfolioEventKind::kFeedback) continue;
    if (event.actor == student || event.message.empty()) continue;  // a student's own note
    SubmissionInfo info;
    if (auto it = submissions.find(event.submission_id); it != submissions.end()) info = it->second;
    json body{{"submission", event.submission_id},
              {"title", info.title},
              {"badge", info.badge},
              {"badge_title", BadgeTitle(catalog, info.badge)},
              {"message", event.message},
              {"by", Name(*audience.roster, event.actor)}};
    Tell(audience, student, true, !revision, revision ? "revision_requested" : "feedback",
         "portfolio:" + std::to_string(event.id), body, now, out);
  }
  return out;
}

RenderedNotification RenderNotification(const StoredNotification& n, const Person& reader,
                                        std::string_view language) {
  const bool es = language == "es";
  const bool student = reader.role == PersonRole::kStudent;
  json body = json::parse(n.body, nullptr, false);
  if (!body.is_object()) body = json::object();
  auto field = [&](const char* name) {
    return body.contains(name) && body[name].is_string() ? body[name].get<std::string>()
                                                         : std::string();
  };
  const std::string child = field("child");
  const std::string badge = field("badge_title");
  const std::string by = field("by").empty() ? (es ? "Su docente" : "Your teacher") : field("by");
  const std::string message = field("message");
  RenderedNotification out;
  if (n.kind == "badge_earned") {
    out.link = student ? "/me/credentials" : "/children";
    if (student) {
      out.title = es ? "Obtuviste la insignia " + badge : "You earned " + badge;
      out.text = es ? "Tu docente confirm\u00f3 " + badge +
                          ". Tu credencial est\u00e1 lista para descargar y compartir."
                    : "Your teacher confirmed " + badge +
                          ". Your credential is ready to download and share.";
    } else {
      out.title = es ? child + " obtuvo la insignia " + badge : child + " earned " + badge;
      out.text = es ? child + " obtuvo la insignia " + badge + ". \u00a1Felicidades!"
                    : child + " has earned the badge " + badge + ". Congratulations!";
    }
  } else if (n.kind == "revision_requested") {
    const std::string title = field("title").empty() ? badge : field("title");
    out.link = "/me/portfolio/" + std::to_string(body.value("submission", Id{0}));
    out.title =
        es ? by + " te pide revisar " + Quote(title) : by + " asked you to revise " + Quote(title);
    out.text = es ? by + " escribi\u00f3: " + Quote(message) + ". Abre tu trabajo para revisarlo."
                  : by + " wrote: " + Quote(message) + ". Open your work to revise it.";
  } else {  // feedback
    const Id submission = body.value("submission", Id{0});
    out.link = !student     ? "/children"
               : submission ? "/me/portfolio/" + std::to_string(submission)
                            : "/me/badges/" + field("badge");
    const std::string about = field("cpe_label").empty() ? badge : field("cpe_label");
    if (student) {
      out.title = es ? "Nuevos comentarios sobre " + badge : "New feedback on " + badge;
      out.text = es ? by + " escribi\u00f3 sobre " + Quote(about) + ": " + Quote(message)
                    : by + " wrote about " + Quote(about) + ": " + Quote(message);
    } else {
      out.title = es ? "Nuevos comentarios para " + child : "New feedback for " + child;
      out.text = es ? by + " le escribi\u00f3 a " + child + " sobre " + Quote(about) + ": " +
                          Quote(message)
                    : by + " wrote to " + child + " about " + Quote(about) + ": " + Quote(message);
    }
  }
  return out;
}

}  // namespace cairn
