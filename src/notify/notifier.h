// The notification pipeline over a store (issue #13): derive notifications
// from new facts, email the ones due, and send the weekly digest. The server
// runs it on a thread of its own (server/notify_loop.h); every step is also
// callable alone, which is how the tests drive it.
//
// Nothing is lost: facts are the source, and the derivation's cursors move
// in the same transaction as the notifications they produced. Nothing is
// sent twice: see notify/delivery.h.
//
// Not thread-safe: one per thread, with that thread's Store.
#pragma once

#include <map>
#include <string>

#include "catalog/catalog.h"
#include "common/status.h"
#include "common/time.h"
#include "notify/delivery.h"
#include "notify/mailer.h"
#include "notify/preferences.h"
#include "roster/roster.h"
#include "store/store.h"

namespace cairn {

struct NotifierOptions {
  std::string public_url = "http://localhost";  // links in emails: public_url + path
  std::string mail_from = "cairn@localhost";
  DeliveryPolicy policy;
  int batch = 200;
  Instant digest_every = 7 * 24 * 3600;  // seconds between automatic digests
};

class Notifier {
 public:
  // `mailer` null: notifications are kept for the in-app feed only.
  Notifier(Store& store, Mailer* mailer, NotifierOptions options, Clock clock);

  // Derives notifications from facts stored since the last call; returns
  // how many are new. The first call ever only places the cursors at the
  // newest facts: nobody is told about history.
  Result<int> Collect(const Roster& roster, const Catalog& catalog);

  // Emails the notifications that are due to people who want them at once;
  // holds the others for the digest or skips them. Returns emails sent.
  Result<int> SendDue(const Roster& roster);

  // One email per person with held notifications, listing them. Returns
  // emails sent. `force`: now, else only a week after the last digest.
  Result<int> SendDigests(const Roster& roster, bool force);

  // "<person id>.<secret>": what an unsubscribe link carries. Creates the
  // person's secret on first use.
  Result<std::string> UnsubscribeToken(const Person& person, Preferences& prefs);

 private:
  // One page of portfolio events (and every new rating and award); `more`
  // when the page was full.
  Result<int> CollectPage(const Roster& roster, const Catalog& catalog, bool& more);
  Result<Preferences> PrefsOf(const Person& person);
  EmailMessage Compose(const Person& reader, const Preferences& prefs, const std::string& language,
                       const std::string& subject, const std::string& text,
                       const std::string& token, const std::string& message_id) const;

  Store& store_;
  Mailer* mailer_;
  NotifierOptions options_;
  Clock clock_;
  Id email_floor_ = 0;               // notifications up to here are final for email
  std::map<Id, Preferences> prefs_;  // this round's, by person
};

// Verifies an unsubscribe token against the person's stored secret. The
// person, or kNotFound for a token that does not match (never saying which
// part was wrong).
Result<Id> CheckUnsubscribeToken(std::string_view token, const Roster& roster, JournalStore& store);

}  // namespace cairn
