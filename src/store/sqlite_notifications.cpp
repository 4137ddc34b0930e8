// Notifications in SQLite (their tables come from the issue #13 migration;
// store/notification_store.h has the contract). The same statements as
// pg_notifications.cpp; lists are bound as JSON arrays so each statement's
// text stays fixed (Prepare caches by it).
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "store/sqlite_internal.h"

namespace cairn {
namespace {

#define CAIRN_NOTIFICATION_SELECT                                                            \
  "SELECT n.id, n.district_id, n.recipient_id, n.student_id, n.kind, n.dedupe_key, n.body, " \
  "n.created_at FROM notifications n "

StoredNotification ReadNotification(sqlite3_stmt* stmt) {
  StoredNotification n;
  n.id = sqlite3_column_int64(stmt, 0);
  n.district_id = sqlite3_column_int64(stmt, 1);
  n.recipient_id = sqlite3_column_int64(stmt, 2);
  if (sqlite3_column_type(stmt, 3) != SQLITE_NULL) n.student_id = sqlite3_column_int64(stmt, 3);
  n.kind = Text(stmt, 4);
  n.dedupe_key = Text(stmt, 5);
  n.body = Text(stmt, 6);
  auto at = ParseInstant(Text(stmt, 7));
  n.created_at = at.ok() ? *at : 0;
  return n;
}

std::string JsonList(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }

}  // namespace

Result<int> SqliteStore::AddNotifications(const std::vector<StoredNotification>& notifications) {
  int added = 0;
  Status status = Transact([&]() -> Status {
    for (const StoredNotification& n : notifications) {
      if (n.kind.empty() || n.dedupe_key.empty())
        return Status::Invalid("notification: a kind and a dedupe key are required");
      Statement s = Prepare(
          "INSERT INTO notifications(district_id, recipient_id, student_id, kind, dedupe_key, "
          "body, created_at) VALUES (?,?,?,?,?,?,?) "
          "ON CONFLICT(recipient_id, dedupe_key) DO NOTHING");
      s.Bind(1, n.district_id).Bind(2, n.recipient_id).BindOptional(3, n.student_id);
      s.Bind(4, n.kind).Bind(5, n.dedupe_key).Bind(6, n.body).Bind(7, FormatInstant(n.created_at));
      if (!s.valid() || s.Step() != SQLITE_DONE) return Error("notification " + n.dedupe_key);
      added += sqlite3_changes(db_);
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return added;
}

Result<std::vector<StoredNotification>> SqliteStore::NotificationsFor(Id recipient, int limit) {
  Statement s =
      Prepare(CAIRN_NOTIFICATION_SELECT "WHERE n.recipient_id = ? ORDER BY n.id DESC LIMIT ?");
  s.Bind(1, recipient).Bind(2, limit);
  if (!s.valid()) return Error("reading notifications");
  std::vector<StoredNotification> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadNotification(s.get()));
  if (rc != SQLITE_DONE) return Error("reading notifications");
  return out;
}

Result<std::vector<StoredNotification>> SqliteStore::NotificationsAwaiting(
    Id after, const std::vector<std::string>& final_steps,
    std::optional<std::string_view> required_step, int limit) {
  Statement s =
      Prepare(required_step ? CAIRN_NOTIFICATION_SELECT
                  "WHERE n.id > ?1 AND NOT EXISTS (SELECT 1 FROM notification_steps s WHERE "
                  "s.notification_id = n.id AND s.step IN (SELECT value FROM json_each(?2))) AND "
                  "EXISTS (SELECT 1 FROM notification_steps s WHERE s.notification_id = n.id AND "
                  "s.step = ?4) ORDER BY n.id LIMIT ?3"
                            : CAIRN_NOTIFICATION_SELECT
                  "WHERE n.id > ?1 AND NOT EXISTS (SELECT 1 FROM notification_steps s WHERE "
                  "s.notification_id = n.id AND s.step IN (SELECT value FROM json_each(?2))) "
                  "ORDER BY n.id LIMIT ?3");
  s.Bind(1, after).Bind(2, JsonList(final_steps)).Bind(3, limit);
  if (required_step) s.Bind(4, *required_step);
  if (!s.valid()) return Error("reading notifications");
  std::vector<StoredNotification> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadNotification(s.get()));
  if (rc != SQLITE_DONE) return Error("reading notifications");
  return out;
}

Result<std::vector<DeliveryStep>> SqliteStore::DeliverySteps(const std::vector<Id>& notifications) {
  Statement s = Prepare(
      "SELECT notification_id, step, attempt, at, detail FROM notification_steps "
      "WHERE notification_id IN (SELECT value FROM json_each(?)) ORDER BY notification_id, id");
  s.Bind(1, nlohmann::json(notifications).dump());
  if (!s.valid()) return Error("reading delivery steps");
  std::vector<DeliveryStep> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    DeliveryStep d;
    d.notification_id = sqlite3_column_int64(s.get(), 0);
    d.step = Text(s.get(), 1);
    d.attempt = sqlite3_column_int(s.get(), 2);
    auto at = ParseInstant(Text(s.get(), 3));
    d.at = at.ok() ? *at : 0;
    d.detail = Text(s.get(), 4);
    out.push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return Error("reading delivery steps");
  return out;
}

Status SqliteStore::AppendDeliverySteps(const std::vector<DeliveryStep>& steps) {
  return Transact([&]() -> Status {
    for (const DeliveryStep& d : steps) {
      Statement s = Prepare(
          "INSERT INTO notification_steps(notification_id, step, attempt, at, detail) "
          "VALUES (?,?,?,?,?)");
      s.Bind(1, d.notification_id).Bind(2, d.step).Bind(3, d.attempt);
      s.Bind(4, FormatInstant(d.at)).Bind(5, d.detail);
      CAIRN_RETURN_IF_ERROR(InsertAndGetId(s, "delivery step " + d.step + " of notification " +
                                                  std::to_string(d.notification_id))
                                .status());
    }
    return Status::Ok();
  });
}

}  // namespace cairn

namespace cairn {

Result<std::map<std::string, Id>> SqliteStore::NotifierMarks() {
  Statement s = Prepare("SELECT source, mark FROM notification_marks");
  if (!s.valid()) return Error("reading notifier marks");
  std::map<std::string, Id> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out[Text(s.get(), 0)] = sqlite3_column_int64(s.get(), 1);
  if (rc != SQLITE_DONE) return Error("reading notifier marks");
  return out;
}

Status SqliteStore::PutNotifierMarks(const std::map<std::string, Id>& marks) {
  return Transact([&]() -> Status {
    for (const auto& [source, mark] : marks) {
      Statement s = Prepare(
          "INSERT INTO notification_marks(source, mark) VALUES (?,?) ON CONFLICT(source) "
          "DO UPDATE SET mark = max(mark, excluded.mark)");
      s.Bind(1, source).Bind(2, mark);
      if (!s.valid() || s.Step() != SQLITE_DONE) return Error("notifier mark " + source);
    }
    return Status::Ok();
  });
}

}  // namespace cairn
