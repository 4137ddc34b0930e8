#include "notify/notifier.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "notify/notification.h"
#include "service/crypto.h"

namespace cairn {
namespace {

constexpr const char* kRating = "rating";
constexpr const char* kAward = "award";
constexpr const char* kPortfolio = "portfolio";
constexpr const char* kDigestAt = "digest_at";

const std::vector<std::string> kEmailFinal{"sent", "skipped", "held", "gave_up"};
const std::vector<std::string> kDigestFinal{"digested", "gave_up"};

struct Footer {
  const char* open;
  const char* immediate;
  const char* digest;
};

const Footer& FooterIn(const std::string& language) {
  static const Footer en{"Open Cairn", "You get an email for each update.",
                         "You get these updates in one email a week."};
  static const Footer es{"Abrir Cairn", "Recibe un correo por cada novedad.",
                         "Recibe estas novedades en un correo por semana."};
  return language == "es" ? es : en;
}

}  // namespace

Notifier::Notifier(Store& store, Mailer* mailer, NotifierOptions options, Clock clock)
    : store_(store), mailer_(mailer), options_(std::move(options)), clock_(std::move(clock)) {}

Result<int> Notifier::Collect(const Roster& roster, const Catalog& catalog) {
  // Portfolio events come a page at a time: go on until a page is short.
  int total = 0;
  for (;;) {
    bool more = false;
    CAIRN_ASSIGN_OR_RETURN(int added, CollectPage(roster, catalog, more));
    total += added;
    if (!more) return total;
  }
}

Result<int> Notifier::CollectPage(const Roster& roster, const Catalog& catalog, bool& more) {
  CAIRN_ASSIGN_OR_RETURN(auto marks, store_.NotifierMarks());
  if (!marks.count(kRating)) {
    // First run: start at the newest facts.
    CAIRN_ASSIGN_OR_RETURN(ChangeMarks now, store_.Marks());
    Id portfolio = 0;
    for (;;) {
      CAIRN_ASSIGN_OR_RETURN(auto page, store_.PortfolioEventsAfter(portfolio, 5000));
      if (page.empty()) break;
      portfolio = page.back().first.id;
    }
    CAIRN_RETURN_IF_ERROR(store_.PutNotifierMarks(
        {{kRating, now.rating}, {kAward, now.award}, {kPortfolio, portfolio}}));
    return 0;
  }
  std::map<std::string, Id> next = {
      {kRating, marks[kRating]}, {kAward, marks[kAward]}, {kPortfolio, marks[kPortfolio]}};
  CAIRN_ASSIGN_OR_RETURN(std::vector<RatingFact> ratings, store_.RatingsAfter(marks[kRating]));
  CAIRN_ASSIGN_OR_RETURN(std::vector<AwardFact> awards, store_.AwardsAfter(marks[kAward]));
  const int page = options_.batch * 5;
  CAIRN_ASSIGN_OR_RETURN(auto events, store_.PortfolioEventsAfter(marks[kPortfolio], page));
  more = static_cast<int>(events.size()) == page;
  for (const RatingFact& r : ratings) next[kRating] = std::max(next[kRating], r.id);
  for (const AwardFact& a : awards) next[kAward] = std::max(next[kAward], a.id);
  for (const auto& e : events) next[kPortfolio] = std::max(next[kPortfolio], e.first.id);
  if (next == marks) return 0;

  std::unordered_map<Id, SubmissionInfo> submissions;
  for (const auto& [event, student] : events) {
    if (submissions.count(event.submission_id)) continue;
    CAIRN_ASSIGN_OR_RETURN(auto record, store_.LoadSubmission(event.submission_id));
    if (record) {
      submissions[event.submission_id] = {record->submission.title, record->submission.badge_code};
    }
  }
  const Audience audience = AudienceOf(roster);
  const Instant now = clock_();
  std::vector<StoredNotification> out = DeriveFromAwards(awards, catalog, audience, now);
  for (auto& n : DeriveFromRatings(ratings, catalog, audience, now)) out.push_back(std::move(n));
  for (auto& n : DeriveFromPortfolio(events, catalog, audience, submissions, now)) {
    out.push_back(std::move(n));
  }
  int added = 0;
  CAIRN_RETURN_IF_ERROR(store_.Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(added, store_.AddNotifications(out));
    return store_.PutNotifierMarks(next);
  }));
  return added;
}

Result<Preferences> Notifier::PrefsOf(const Person& person) {
  if (auto it = prefs_.find(person.id); it != prefs_.end()) return it->second;
  CAIRN_ASSIGN_OR_RETURN(Preferences prefs, LoadPreferences(store_, person));
  prefs_[person.id] = prefs;
  return prefs;
}

Result<std::string> Notifier::UnsubscribeToken(const Person& person, Preferences& prefs) {
  if (prefs.unsubscribe_secret.empty()) {
    // Re-read: the person may have changed their choices since this round began.
    CAIRN_ASSIGN_OR_RETURN(prefs, LoadPreferences(store_, person));
    if (prefs.unsubscribe_secret.empty()) {
      prefs.unsubscribe_secret = RandomToken(24);
      CAIRN_RETURN_IF_ERROR(SavePreferences(store_, person, prefs, 0, clock_()));
    }
    prefs_[person.id] = prefs;
  }
  return std::to_string(person.id) + "." + prefs.unsubscribe_secret;
}

EmailMessage Notifier::Compose(const Person& reader, const Preferences& prefs,
                               const std::string& language, const std::string& subject,
                               const std::string& text, const std::string& token,
                               const std::string& message_id) const {
  const Footer& f = FooterIn(language);
  const std::string unsubscribe = options_.public_url + "/unsubscribe?token=" + token;
  EmailMessage m;
  m.from = options_.mail_from;
  m.to = reader.email;
  m.subject = subject;
  m.text = text + "\n\n-- \n" + (prefs.email == EmailMode::kDigest ? f.digest : f.immediate) +
           "\n" +
           (language == "es" ? "Para no recibir m\u00e1s correos: " : "To stop these emails: ") +
           unsubscribe + "\n";
  m.message_id = message_id;
  m.unsubscribe_url = options_.public_url + "/api/v1/unsubscribe?token=" + token;
  m.language = language;
  return m;
}

Result<int> Notifier::SendDue(const Roster& roster) {
  if (!mailer_) return 0;
  prefs_.clear();
  CAIRN_ASSIGN_OR_RETURN(auto list, store_.NotificationsAwaiting(email_floor_, kEmailFinal,
                                                                 std::nullopt, options_.batch));
  if (list.empty()) return 0;
  std::vector<Id> ids;
  for (const auto& n : list) ids.push_back(n.id);
  CAIRN_ASSIGN_OR_RETURN(auto all_steps, store_.DeliverySteps(ids));
  std::unordered_map<Id, std::vector<DeliveryStep>> steps;
  for (auto& s : all_steps) steps[s.notification_id].push_back(std::move(s));
  const std::string district_language = DistrictLanguage(store_);

  int sent = 0;
  Id first_open = 0;  // the lowest id still not final after this round
  auto append = [&](Id id, const char* step, int attempt, std::string detail) {
    return store_.AppendDeliverySteps({{id, step, attempt, clock_(), std::move(detail)}});
  };
  const Audience audience = AudienceOf(roster);
  // Still theirs to hear about: the student, or a guardian still linked.
  auto may_hear = [&](const StoredNotification& n) {
    if (!n.student_id || *n.student_id == n.recipient_id) return true;
    auto it = audience.guardians.find(*n.student_id);
    return it != audience.guardians.end() &&
           std::find(it->second.begin(), it->second.end(), n.recipient_id) != it->second.end();
  };
  for (const StoredNotification& n : list) {
    const Person* reader = roster.FindPerson(n.recipient_id);
    const Instant now = clock_();
    DeliveryPlan plan = PlanDelivery(steps[n.id], kEmailChannel, now, options_.policy);
    if (plan.action == DeliveryAction::kDone) continue;
    if (!reader || reader->email.empty() || !reader->active) {
      CAIRN_RETURN_IF_ERROR(append(n.id, "skipped", 0, "no email address"));
      continue;
    }
    if (!may_hear(n)) {
      CAIRN_RETURN_IF_ERROR(append(n.id, "skipped", 0, "no longer linked to the student"));
      continue;
    }
    CAIRN_ASSIGN_OR_RETURN(Preferences prefs, PrefsOf(*reader));
    if (prefs.email == EmailMode::kOff) {
      CAIRN_RETURN_IF_ERROR(append(n.id, "skipped", 0, "email turned off"));
      continue;
    }
    if (prefs.email == EmailMode::kDigest) {
      CAIRN_RETURN_IF_ERROR(append(n.id, "held", 0, ""));
      continue;
    }
    if (plan.action == DeliveryAction::kGiveUp) {
      CAIRN_RETURN_IF_ERROR(append(n.id, "gave_up", 0, "every attempt failed"));
      continue;
    }
    if (plan.action == DeliveryAction::kWait) {
      if (!first_open) first_open = n.id;
      continue;
    }
    Status claimed = append(n.id, kEmailChannel.claim, plan.attempt, "");
    if (claimed.code() == StatusCode::kAlreadyExists) {  // another sender has it
      if (!first_open) first_open = n.id;
      continue;
    }
    CAIRN_RETURN_IF_ERROR(claimed);
    const std::string language = EffectiveLanguage(prefs, district_language);
    RenderedNotification r = RenderNotification(n, *reader, language);
    CAIRN_ASSIGN_OR_RETURN(std::string token, UnsubscribeToken(*reader, prefs));
    const Footer& f = FooterIn(language);
    EmailMessage message = Compose(*reader, prefs, language, r.title,
                                   r.text + "\n\n" + f.open + ": " + options_.public_url + r.link,
                                   token, "<n" + std::to_string(n.id) + "@cairn>");
    Status status = mailer_->Send(message);
    if (status.ok()) {
      CAIRN_RETURN_IF_ERROR(append(n.id, kEmailChannel.done, 0, ""));
      ++sent;
    } else {
      CAIRN_RETURN_IF_ERROR(append(n.id, kEmailChannel.failed, plan.attempt, status.message()));
      if (!first_open) first_open = n.id;
    }
  }
  email_floor_ = first_open ? first_open - 1 : list.back().id;
  return sent;
}

Result<int> Notifier::SendDigests(const Roster& roster, bool force) {
  if (!mailer_) return 0;
  CAIRN_ASSIGN_OR_RETURN(auto marks, store_.NotifierMarks());
  const Instant now = clock_();
  if (!force) {
    auto last = marks.find(kDigestAt);
    if (last == marks.end()) {
      CAIRN_RETURN_IF_ERROR(store_.PutNotifierMarks({{kDigestAt, now}}));
      return 0;
    }
    if (now - last->second < options_.digest_every) return 0;
  }
  prefs_.clear();
  const std::string district_language = DistrictLanguage(store_);
  std::map<Id, std::vector<StoredNotification>> by_person;
  Id after = 0;
  for (;;) {
    CAIRN_ASSIGN_OR_RETURN(
        auto page, store_.NotificationsAwaiting(after, kDigestFinal, std::string_view("held"),
                                                options_.batch));
    if (page.empty()) break;
    after = page.back().id;
    for (auto& n : page) by_person[n.recipient_id].push_back(std::move(n));
  }
  int sent = 0;
  for (auto& [person, list] : by_person) {
    const Person* reader = roster.FindPerson(person);
    std::vector<Id> ids;
    for (const auto& n : list) ids.push_back(n.id);
    CAIRN_ASSIGN_OR_RETURN(auto all_steps, store_.DeliverySteps(ids));
    // The batch moves together: its plan is the first one's.
    std::vector<DeliveryStep> first;
    for (auto& s : all_steps) {
      if (s.notification_id == ids.front()) first.push_back(s);
    }
    DeliveryPlan plan = PlanDelivery(first, kDigestChannel, now, options_.policy);
    std::vector<DeliveryStep> steps;
    auto all = [&](const char* step, int attempt, const std::string& detail) {
      steps.clear();
      for (Id id : ids) steps.push_back({id, step, attempt, clock_(), detail});
      return store_.AppendDeliverySteps(steps);
    };
    if (plan.action == DeliveryAction::kWait || plan.action == DeliveryAction::kDone) continue;
    if (plan.action == DeliveryAction::kGiveUp || !reader || reader->email.empty()) {
      CAIRN_RETURN_IF_ERROR(all("gave_up", 0, reader ? "no email address" : "no such person"));
      continue;
    }
    CAIRN_ASSIGN_OR_RETURN(Preferences prefs, PrefsOf(*reader));
    Status claimed = all(kDigestChannel.claim, plan.attempt, "");
    if (claimed.code() == StatusCode::kAlreadyExists) continue;
    CAIRN_RETURN_IF_ERROR(claimed);
    const std::string language = EffectiveLanguage(prefs, district_language);
    const bool es = language == "es";
    std::string text = es ? "Estas son las novedades desde el \u00faltimo resumen:\n"
                          : "Here is what happened since the last summary:\n";
    for (const StoredNotification& n : list) {
      RenderedNotification r = RenderNotification(n, *reader, language);
      text += "\n* " + r.title + "\n  " + r.text + "\n";
    }
    text += std::string("\n") + FooterIn(language).open + ": " + options_.public_url +
            (reader->role == PersonRole::kStudent ? "/me" : "/children");
    const std::string count = std::to_string(list.size());
    CAIRN_ASSIGN_OR_RETURN(std::string token, UnsubscribeToken(*reader, prefs));
    EmailMessage message =
        Compose(*reader, prefs, language,
                es ? "Su resumen semanal de Cairn: " + count + " novedades"
                   : "Your weekly Cairn summary: " + count + " updates",
                text, token,
                "<d" + std::to_string(ids.front()) + "." + std::to_string(ids.size()) + "@cairn>");
    Status status = mailer_->Send(message);
    if (status.ok()) {
      CAIRN_RETURN_IF_ERROR(all(kDigestChannel.done, 0, ""));
      ++sent;
    } else {
      CAIRN_RETURN_IF_ERROR(all(kDigestChannel.failed, plan.attempt, status.message()));
    }
  }
  CAIRN_RETURN_IF_ERROR(store_.PutNotifierMarks({{kDigestAt, now}}));
  return sent;
}

Result<Id> CheckUnsubscribeToken(std::string_view token, const Roster& roster,
                                 JournalStore& store) {
  const Status no = Status::NotFound("token: this unsubscribe link is not valid");
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= token.size()) return no;
  Id id = 0;
  for (char c : token.substr(0, dot)) {
    if (c < '0' || c > '9' || id > (INT64_MAX - 9) / 10) return no;
    id = id * 10 + (c - '0');
  }
  const Person* person = roster.FindPerson(id);
  if (!person) return no;
  CAIRN_ASSIGN_OR_RETURN(Preferences prefs, LoadPreferences(store, *person));
  if (prefs.unsubscribe_secret.empty() ||
      !SecretsEqual(prefs.unsubscribe_secret, token.substr(dot + 1))) {
    return no;
  }
  return id;
}

}  // namespace cairn
