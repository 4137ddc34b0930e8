// What people are told (issue #13), derived from the facts that happened:
//
//   badge_earned        an award confirmed      the student and their guardians
//   feedback            a rating with a note,   the student and their guardians
//                       or portfolio feedback
//   revision_requested  a teacher asks for a    the student
//                       revision of their work
//
// Each notification is derived from one fact for one person and carries a
// dedupe key naming the fact ("award:12"), so deriving it again tells nobody
// twice. Its body keeps the facts' names and words as they were (a JSON
// object); the words around them are chosen when it is shown or sent, in
// the reader's language (RenderNotification).
//
// Thread safety: pure functions; no I/O, no shared state.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.h"
#include "evidence/facts.h"
#include "evidence/portfolio.h"
#include "roster/roster.h"
#include "store/notification_store.h"

namespace cairn {

// Who is told about a student: the student, then their guardians.
struct Audience {
  const Roster* roster = nullptr;
  // Guardians of each student, built once per derivation.
  std::unordered_map<Id, std::vector<Id>> guardians;
};
Audience AudienceOf(const Roster& roster);

// Notifications for newly stored facts. Facts about someone not in the
// roster, ratings without a note, corrections, and award steps other than a
// confirmation tell nobody. `title_of` names a portfolio submission by id.
std::vector<StoredNotification> DeriveFromAwards(std::span<const AwardFact> awards,
                                                 const Catalog& catalog, const Audience& audience,
                                                 Instant now);
std::vector<StoredNotification> DeriveFromRatings(std::span<const RatingFact> ratings,
                                                  const Catalog& catalog, const Audience& audience,
                                                  Instant now);
struct SubmissionInfo {
  std::string title;
  std::string badge;
};
std::vector<StoredNotification> DeriveFromPortfolio(
    std::span<const std::pair<PortfolioEvent, Id>> events, const Catalog& catalog,
    const Audience& audience, const std::unordered_map<Id, SubmissionInfo>& submissions,
    Instant now);

struct RenderedNotification {
  std::string title;  // one line: an email's subject, the feed's heading
  std::string text;   // a sentence or two
  std::string link;   // the web app's path to open: "/me/portfolio/12"
};

// In `language` ("en" or "es"; anything else reads as English), for
// `reader` (the student reads "you", a guardian reads the child's name).
RenderedNotification RenderNotification(const StoredNotification& n, const Person& reader,
                                        std::string_view language);

}  // namespace cairn
