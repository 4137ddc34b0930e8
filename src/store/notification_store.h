// Notifications (issue #13): what a person is told (a badge earned, new
// feedback, a revision requested) and each step of getting it to them by
// email. The narrow storage interface Store also implements (store.h); the
// meaning of kinds, bodies and steps lives in src/notify.
//
// Contract for every implementation:
// - Notifications and steps are append-only (the marks are cursors). A notification is written
// once; its
//   delivery is a sequence of steps, each a new row.
// - AddNotifications skips a notification whose (recipient, dedupe key) is
//   already stored, so deriving the same fact twice (two servers, a retry)
//   tells nobody twice. It returns how many were new.
// - AppendDeliverySteps writes all steps or none. A step whose (notification,
//   step, attempt) is already stored fails the call with kAlreadyExists:
//   that is how two senders agree which of them sends an attempt.
// - Not thread-safe: one per thread, like Store.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "evidence/portfolio.h"
#include "roster/roster.h"
#include "store/transactional.h"

namespace cairn {

struct StoredNotification {
  Id id = 0;  // assigned by the store
  Id district_id = 0;
  Id recipient_id = 0;           // the person told
  std::optional<Id> student_id;  // whose record it is about (FERPA)
  std::string kind;              // "badge_earned", "feedback", ...
  std::string dedupe_key;        // the fact it comes from: "award:12"
  std::string body;              // a JSON object (notify/notification.h)
  Instant created_at = 0;
};

struct DeliveryStep {
  Id notification_id = 0;
  // "claim", "sent", "failed", "skipped", "held", "digest_claim",
  // "digested", "gave_up" (notify/delivery.h says what each means).
  std::string step;
  int attempt = 0;  // which try a claim or failure belongs to; 0 otherwise
  Instant at = 0;
  std::string detail;  // why it failed or was skipped
};

class NotificationStore : public virtual Transactional {
 public:
  virtual Result<int> AddNotifications(const std::vector<StoredNotification>& notifications) = 0;

  // A person's notifications, newest first, at most `limit`.
  virtual Result<std::vector<StoredNotification>> NotificationsFor(Id recipient, int limit) = 0;

  // Notifications with id > `after` that have none of `final_steps`, and
  // (when `required_step` is given) do have it; oldest first, at most
  // `limit`. The sender's and the digest's work lists.
  virtual Result<std::vector<StoredNotification>> NotificationsAwaiting(
      Id after, const std::vector<std::string>& final_steps,
      std::optional<std::string_view> required_step, int limit) = 0;

  // The steps of these notifications, by notification then id.
  virtual Result<std::vector<DeliveryStep>> DeliverySteps(const std::vector<Id>& notifications) = 0;

  virtual Status AppendDeliverySteps(const std::vector<DeliveryStep>& steps) = 0;

  // The derivation's cursors: the newest fact id of each source ("rating",
  // "award", "portfolio") already turned into notifications. Absent: never
  // derived. PutNotifierMarks keeps the larger of the stored and given mark.
  virtual Result<std::map<std::string, Id>> NotifierMarks() = 0;
  virtual Status PutNotifierMarks(const std::map<std::string, Id>& marks) = 0;

  // Portfolio events with id > `after`, oldest first, at most `limit`, each
  // with the student whose submission it is: what notifications are derived
  // from (with RatingsAfter and AwardsAfter of the ledger).
  virtual Result<std::vector<std::pair<PortfolioEvent, Id>>> PortfolioEventsAfter(Id after,
                                                                                  int limit) = 0;
};

}  // namespace cairn
