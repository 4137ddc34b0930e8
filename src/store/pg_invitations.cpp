// Sign-in invitations in PostgreSQL (the table comes from the migration that
// added it to the SQLite engine, with the same number).
#include "store/pg_internal.h"

namespace cairn {
namespace {

constexpr const char* kInvitationColumns =
    "SELECT id, person_id, token_hash, created_by, created_at, expires_at, used_at, revoked_at "
    "FROM invitations";

Invitation ReadInvitation(const PgRows& r, int row) {
  Invitation i;
  i.id = r.integer(row, 0);
  i.person_id = r.integer(row, 1);
  i.token_hash = r.text(row, 2);
  i.created_by = r.optional_integer(row, 3);
  i.created_at = PgOptionalInstant(r, row, 4).value_or(0);
  i.expires_at = PgOptionalInstant(r, row, 5).value_or(0);
  i.used_at = PgOptionalInstant(r, row, 6);
  i.revoked_at = PgOptionalInstant(r, row, 7);
  return i;
}

}  // namespace

Result<Id> PgStore::InsertInvitation(const Invitation& invitation) {
  return InsertId(
      "INSERT INTO invitations(person_id, token_hash, created_by, created_at, expires_at) "
      "VALUES ($1,$2,$3,$4,$5) RETURNING id",
      PgParams()
          .Add(invitation.person_id)
          .Add(invitation.token_hash)
          .AddOptional(invitation.created_by)
          .Add(FormatInstant(invitation.created_at))
          .Add(FormatInstant(invitation.expires_at)),
      "invitation");
}

Result<std::optional<Invitation>> PgStore::FindInvitation(std::string_view token_hash) {
  static const std::string sql = std::string(kInvitationColumns) + " WHERE token_hash = $1";
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run(sql.c_str(), PgParams().Add(token_hash), "reading invitation"));
  if (r.empty()) return std::optional<Invitation>{};
  return std::optional<Invitation>(ReadInvitation(r, 0));
}

Result<std::vector<Invitation>> PgStore::Invitations() {
  static const std::string sql = std::string(kInvitationColumns) + " ORDER BY id";
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql.c_str(), {}, "reading invitations"));
  std::vector<Invitation> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadInvitation(r, i));
  return out;
}

Status PgStore::CloseInvitation(Id invitation, Instant at, bool used) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r, Run(used ? "UPDATE invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL "
                           "AND revoked_at IS NULL"
                         : "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND used_at IS "
                           "NULL AND revoked_at IS NULL",
                    PgParams().Add(FormatInstant(at)).Add(invitation), "closing invitation"));
  if (r.affected() == 0) {
    return Status::NotFound("no open invitation " + std::to_string(invitation));
  }
  return Status::Ok();
}

}  // namespace cairn
