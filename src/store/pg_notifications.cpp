// Notifications in PostgreSQL (their tables come from the issue #13
// migration; store/notification_store.h has the contract), with the SQLite
// engine's statements (sqlite_notifications.cpp). Lists are bound as JSON
// arrays there and here, so both keep one fixed statement text.
#include <nlohmann/json.hpp>

#include "store/pg_internal.h"

namespace cairn {
namespace {

#define CAIRN_PG_NOTIFICATION_SELECT                                                         \
  "SELECT n.id, n.district_id, n.recipient_id, n.student_id, n.kind, n.dedupe_key, n.body, " \
  "n.created_at FROM notifications n "

std::vector<StoredNotification> ReadNotifications(const PgRows& rows) {
  std::vector<StoredNotification> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    StoredNotification n;
    n.id = rows.integer(i, 0);
    n.district_id = rows.integer(i, 1);
    n.recipient_id = rows.integer(i, 2);
    n.student_id = rows.optional_integer(i, 3);
    n.kind = rows.text(i, 4);
    n.dedupe_key = rows.text(i, 5);
    n.body = rows.text(i, 6);
    n.created_at = PgInstant(rows, i, 7);
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace

Result<int> PgStore::AddNotifications(const std::vector<StoredNotification>& notifications) {
  int added = 0;
  Status status = Transact([&]() -> Status {
    for (const StoredNotification& n : notifications) {
      if (n.kind.empty() || n.dedupe_key.empty())
        return Status::Invalid("notification: a kind and a dedupe key are required");
      PgParams params;
      params.Add(n.district_id).Add(n.recipient_id).AddOptional(n.student_id);
      params.Add(n.kind).Add(n.dedupe_key).Add(n.body).Add(FormatInstant(n.created_at));
      CAIRN_ASSIGN_OR_RETURN(
          PgRows rows,
          Run("INSERT INTO notifications(district_id, recipient_id, student_id, kind, dedupe_key, "
              "body, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) "
              "ON CONFLICT (recipient_id, dedupe_key) DO NOTHING RETURNING id",
              params, "notification " + n.dedupe_key));
      added += rows.size();
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return added;
}

Result<std::vector<StoredNotification>> PgStore::NotificationsFor(Id recipient, int limit) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run(CAIRN_PG_NOTIFICATION_SELECT "WHERE n.recipient_id = $1 ORDER BY n.id DESC LIMIT $2",
          PgParams().Add(recipient).Add(static_cast<std::int64_t>(limit)),
          "reading notifications"));
  return ReadNotifications(rows);
}

Result<std::vector<StoredNotification>> PgStore::NotificationsAwaiting(
    Id after, const std::vector<std::string>& final_steps,
    std::optional<std::string_view> required_step, int limit) {
  PgParams params;
  params.Add(after).Add(nlohmann::json(final_steps).dump()).Add(static_cast<std::int64_t>(limit));
  if (required_step) params.Add(*required_step);
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run(required_step ? CAIRN_PG_NOTIFICATION_SELECT
              "WHERE n.id > $1 AND NOT EXISTS (SELECT 1 FROM notification_steps s WHERE "
              "s.notification_id = n.id AND s.step IN (SELECT jsonb_array_elements_text($2::"
              "jsonb))) AND EXISTS (SELECT 1 FROM notification_steps s WHERE "
              "s.notification_id = n.id AND s.step = $4) ORDER BY n.id LIMIT $3"
                        : CAIRN_PG_NOTIFICATION_SELECT
              "WHERE n.id > $1 AND NOT EXISTS (SELECT 1 FROM notification_steps s WHERE "
              "s.notification_id = n.id AND s.step IN (SELECT jsonb_array_elements_text($2::"
              "jsonb))) ORDER BY n.id LIMIT $3",
          params, "reading notifications"));
  return ReadNotifications(rows);
}

Result<std::vector<DeliveryStep>> PgStore::DeliverySteps(const std::vector<Id>& notifications) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run("SELECT notification_id, step, attempt, at, detail FROM notification_steps WHERE "
          "notification_id IN (SELECT (jsonb_array_elements_text($1::jsonb))::bigint) "
          "ORDER BY notification_id, id",
          PgParams().Add(nlohmann::json(notifications).dump()), "reading delivery steps"));
  std::vector<DeliveryStep> out;
  for (int i = 0; i < rows.size(); ++i) {
    DeliveryStep d;
    d.notification_id = rows.integer(i, 0);
    d.step = rows.text(i, 1);
    d.attempt = rows.small(i, 2);
    d.at = PgInstant(rows, i, 3);
    d.detail = rows.text(i, 4);
    out.push_back(std::move(d));
  }
  return out;
}

Status PgStore::AppendDeliverySteps(const std::vector<DeliveryStep>& steps) {
  return Transact([&]() -> Status {
    for (const DeliveryStep& d : steps) {
      PgParams params;
      params.Add(d.notification_id).Add(d.step).Add(static_cast<std::int64_t>(d.attempt));
      params.Add(FormatInstant(d.at)).Add(d.detail);
      CAIRN_RETURN_IF_ERROR(
          InsertId(
              "INSERT INTO notification_steps(notification_id, step, attempt, at, detail) "
              "VALUES ($1,$2,$3,$4,$5) RETURNING id",
              params,
              "delivery step " + d.step + " of notification " + std::to_string(d.notification_id))
              .status());
    }
    return Status::Ok();
  });
}

}  // namespace cairn

namespace cairn {

Result<std::map<std::string, Id>> PgStore::NotifierMarks() {
  CAIRN_ASSIGN_OR_RETURN(PgRows rows, Run("SELECT source, mark FROM notification_marks", PgParams(),
                                          "reading notifier marks"));
  std::map<std::string, Id> out;
  for (int i = 0; i < rows.size(); ++i) out[rows.text(i, 0)] = rows.integer(i, 1);
  return out;
}

Status PgStore::PutNotifierMarks(const std::map<std::string, Id>& marks) {
  return Transact([&]() -> Status {
    for (const auto& [source, mark] : marks) {
      CAIRN_RETURN_IF_ERROR(
          Run("INSERT INTO notification_marks(source, mark) VALUES ($1,$2) ON CONFLICT (source) "
              "DO UPDATE SET mark = greatest(notification_marks.mark, excluded.mark)",
              PgParams().Add(source).Add(mark), "notifier mark " + source)
              .status());
    }
    return Status::Ok();
  });
}

}  // namespace cairn
