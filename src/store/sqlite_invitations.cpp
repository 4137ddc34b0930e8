// Sign-in invitations in SQLite (the table comes from migration 11).
#include <sqlite3.h>

#include "store/sqlite_internal.h"

namespace cairn {
namespace {

constexpr const char* kInvitationColumns =
    "SELECT id, person_id, token_hash, created_by, created_at, expires_at, used_at, revoked_at "
    "FROM invitations";

std::optional<Instant> OptionalInstant(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  auto at = ParseInstant(Text(stmt, column));
  return at.ok() ? *at : 0;
}

Invitation ReadInvitation(sqlite3_stmt* stmt) {
  Invitation i;
  i.id = sqlite3_column_int64(stmt, 0);
  i.person_id = sqlite3_column_int64(stmt, 1);
  i.token_hash = Text(stmt, 2);
  if (sqlite3_column_type(stmt, 3) != SQLITE_NULL) i.created_by = sqlite3_column_int64(stmt, 3);
  i.created_at = OptionalInstant(stmt, 4).value_or(0);
  i.expires_at = OptionalInstant(stmt, 5).value_or(0);
  i.used_at = OptionalInstant(stmt, 6);
  i.revoked_at = OptionalInstant(stmt, 7);
  return i;
}

}  // namespace

Result<Id> SqliteStore::InsertInvitation(const Invitation& invitation) {
  Statement s = Prepare(
      "INSERT INTO invitations(person_id, token_hash, created_by, created_at, expires_at) "
      "VALUES (?,?,?,?,?)");
  s.Bind(1, invitation.person_id)
      .Bind(2, invitation.token_hash)
      .BindOptional(3, invitation.created_by)
      .Bind(4, FormatInstant(invitation.created_at))
      .Bind(5, FormatInstant(invitation.expires_at));
  return InsertAndGetId(s, "invitation");
}

Result<std::optional<Invitation>> SqliteStore::FindInvitation(std::string_view token_hash) {
  static const std::string sql = std::string(kInvitationColumns) + " WHERE token_hash = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, token_hash);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Invitation>{};
  if (rc != SQLITE_ROW) return Error("reading invitation");
  return std::optional<Invitation>(ReadInvitation(s.get()));
}

Result<std::vector<Invitation>> SqliteStore::Invitations() {
  static const std::string sql = std::string(kInvitationColumns) + " ORDER BY id";
  Statement s = Prepare(sql.c_str());
  std::vector<Invitation> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadInvitation(s.get()));
  if (rc != SQLITE_DONE) return Error("reading invitations");
  return out;
}

Status SqliteStore::CloseInvitation(Id invitation, Instant at, bool used) {
  Statement s =
      Prepare(used ? "UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL "
                     "AND revoked_at IS NULL"
                   : "UPDATE invitations SET revoked_at = ? WHERE id = ? AND used_at IS "
                     "NULL AND revoked_at IS NULL");
  s.Bind(1, FormatInstant(at)).Bind(2, invitation);
  if (s.Step() != SQLITE_DONE) return Error("closing invitation");
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("no open invitation " + std::to_string(invitation));
  }
  return Status::Ok();
}

}  // namespace cairn
