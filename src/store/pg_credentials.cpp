// The PostgreSQL store's credential tables (schema migrations 5 and 9).
#include "store/pg_internal.h"

namespace cairn {
namespace {

std::optional<KeyAlgorithm> ParseKeyAlgorithm(std::string_view name) {
  if (name == "Ed25519") return KeyAlgorithm::kEd25519;
  if (name == "P-256") return KeyAlgorithm::kP256;
  return std::nullopt;
}

constexpr const char* kCredentialColumns =
    "SELECT id, uuid, award_id, student_id, district_id, badge_code, status_list, status_index, "
    "issued_at, body FROM credentials";

IssuedCredential ReadCredential(const PgRows& r, int row) {
  IssuedCredential c;
  c.id = r.integer(row, 0);
  c.uuid = r.text(row, 1);
  c.award_id = r.integer(row, 2);
  c.student_id = r.integer(row, 3);
  c.district_id = r.integer(row, 4);
  c.badge_code = r.text(row, 5);
  c.status_list = r.small(row, 6);
  c.status_index = r.integer(row, 7);
  c.issued_at = PgInstant(r, row, 8);
  c.body = r.text(row, 9);
  return c;
}

}  // namespace

Status PgStore::PutIssuerProfile(const IssuerProfile& p) {
  return Run("INSERT INTO issuer_profiles(district_id, name, url, email, image, description) "
             "VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT(district_id) DO UPDATE SET "
             "name = excluded.name, url = excluded.url, email = excluded.email, "
             "image = excluded.image, description = excluded.description",
             PgParams()
                 .Add(p.district_id)
                 .Add(p.name)
                 .Add(p.url)
                 .Add(p.email)
                 .Add(p.image)
                 .Add(p.description),
             "issuer profile")
      .status();
}

Result<std::optional<IssuerProfile>> PgStore::FindIssuerProfile(Id district) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("SELECT district_id, name, url, email, image, description FROM "
                             "issuer_profiles WHERE district_id = $1",
                             PgParams().Add(district), "reading issuer profile"));
  if (r.empty()) return std::optional<IssuerProfile>{};
  IssuerProfile p;
  p.district_id = r.integer(0, 0);
  p.name = r.text(0, 1);
  p.url = r.text(0, 2);
  p.email = r.text(0, 3);
  p.image = r.text(0, 4);
  p.description = r.text(0, 5);
  return std::optional<IssuerProfile>(std::move(p));
}

Result<Id> PgStore::InsertSigningKey(const StoredKey& k) {
  return InsertId(
      "INSERT INTO signing_keys(district_id, algorithm, key_id, public_key, sealed_private, "
      "created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
      PgParams()
          .Add(k.district_id)
          .Add(KeyAlgorithmName(k.algorithm))
          .Add(k.key_id)
          .Add(k.public_key)
          .Add(k.sealed_private)
          .Add(FormatInstant(k.created_at)),
      "signing key");
}

Status PgStore::RetireSigningKey(Id key, Instant at) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r, Run("UPDATE signing_keys SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL",
                    PgParams().Add(FormatInstant(at)).Add(key), "retiring signing key"));
  if (r.affected() == 0) return Status::NotFound("no active signing key " + std::to_string(key));
  return Status::Ok();
}

Result<std::vector<StoredKey>> PgStore::SigningKeys(Id district) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r, Run("SELECT id, district_id, algorithm, key_id, public_key, sealed_private, "
                    "created_at, retired_at FROM signing_keys WHERE district_id = $1 ORDER BY id",
                    PgParams().Add(district), "reading signing keys"));
  std::vector<StoredKey> out;
  for (int i = 0; i < r.size(); ++i) {
    StoredKey k;
    k.id = r.integer(i, 0);
    k.district_id = r.integer(i, 1);
    k.algorithm = ParseKeyAlgorithm(r.text(i, 2)).value_or(KeyAlgorithm::kEd25519);
    k.key_id = r.text(i, 3);
    k.public_key = r.text(i, 4);
    k.sealed_private = r.text(i, 5);
    k.created_at = PgInstant(r, i, 6);
    k.retired_at = PgOptionalInstant(r, i, 7);
    out.push_back(std::move(k));
  }
  return out;
}

Result<Id> PgStore::InsertCredential(const IssuedCredential& c) {
  return InsertId(
      "INSERT INTO credentials(uuid, award_id, student_id, district_id, badge_code, "
      "status_list, status_index, issued_at, body) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) "
      "RETURNING id",
      PgParams()
          .Add(c.uuid)
          .Add(c.award_id)
          .Add(c.student_id)
          .Add(c.district_id)
          .Add(c.badge_code)
          .Add(std::int64_t{c.status_list})
          .Add(c.status_index)
          .Add(FormatInstant(c.issued_at))
          .Add(c.body),
      "credential");
}

Result<std::optional<IssuedCredential>> PgStore::FindCredential(std::string_view uuid) {
  static const std::string sql = std::string(kCredentialColumns) + " WHERE uuid = $1";
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql.c_str(), PgParams().Add(uuid), "reading credential"));
  if (r.empty()) return std::optional<IssuedCredential>{};
  return std::optional<IssuedCredential>(ReadCredential(r, 0));
}

Result<std::vector<IssuedCredential>> PgStore::Credentials(std::optional<Id> student,
                                                           std::optional<Id> district) {
  static const std::string sql = std::string(kCredentialColumns) +
                                 " WHERE ($1::bigint IS NULL OR student_id = $1) AND "
                                 "($2::bigint IS NULL OR district_id = $2) ORDER BY id";
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run(sql.c_str(), PgParams().AddOptional(student).AddOptional(district),
                             "reading credentials"));
  std::vector<IssuedCredential> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadCredential(r, i));
  return out;
}

Result<std::vector<FactId>> PgStore::CredentialAwardIds(Id student) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r, Run("SELECT award_id FROM credentials WHERE student_id = $1 ORDER BY award_id",
                    PgParams().Add(student), "reading credentials"));
  std::vector<FactId> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(r.integer(i, 0));
  return out;
}

// status_lists keeps each list's count (a trigger on credentials, migration
// 9): counting the list's entries would read up to 131,072 index rows.
Result<StatusListFill> PgStore::NewestStatusList(Id district) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("SELECT list, taken FROM status_lists WHERE district_id = $1 "
                             "ORDER BY list DESC LIMIT 1",
                             PgParams().Add(district), "reading status lists"));
  if (r.empty()) return StatusListFill{};
  return StatusListFill{r.small(0, 0), r.integer(0, 1)};
}

Result<bool> PgStore::StatusSlotTaken(Id district, int list, std::int64_t index) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r,
      Run("SELECT 1 FROM credentials WHERE district_id = $1 AND status_list = $2 AND "
          "status_index = $3",
          PgParams().Add(district).Add(std::int64_t{list}).Add(index), "reading status entry"));
  return !r.empty();
}

// From the revoke facts (a partial index holds only those) to their
// credentials. A credential counts as revoked by the first revoke of its
// badge after its award (a later confirm gets a new credential): DISTINCT ON
// keeps that first one.
Result<std::vector<RevokedCredential>> PgStore::RevokedCredentials(Id district,
                                                                   std::optional<int> list) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r,
      Run("SELECT DISTINCT ON (c.id) c.id, c.uuid, c.status_list, c.status_index, a.reason, "
          "a.recorded_at FROM awards AS a JOIN credentials AS c "
          "ON c.student_id = a.student_id AND c.badge_code = a.badge_code AND a.id > c.award_id "
          "WHERE a.action = 'revoked' AND c.district_id = $1 "
          "AND ($2::integer IS NULL OR c.status_list = $2) ORDER BY c.id, a.id",
          PgParams().Add(district).AddOptional(list), "reading revoked credentials"));
  std::vector<RevokedCredential> out;
  for (int i = 0; i < r.size(); ++i) {
    RevokedCredential c;
    c.credential_id = r.integer(i, 0);
    c.uuid = r.text(i, 1);
    c.status_list = r.small(i, 2);
    c.status_index = r.integer(i, 3);
    c.reason = r.text(i, 4);
    c.revoked_at = PgInstant(r, i, 5);
    out.push_back(std::move(c));
  }
  return out;
}

Status PgStore::AppendCredentialShare(Id credential, bool is_public, Id actor, Instant at) {
  return Run("INSERT INTO credential_shares(credential_id, public, actor, at) "
             "VALUES ($1,$2,$3,$4)",
             PgParams().Add(credential).AddBool(is_public).Add(actor).Add(FormatInstant(at)),
             "credential share")
      .status();
}

Result<bool> PgStore::CredentialIsPublic(Id credential) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("SELECT public FROM credential_shares WHERE credential_id = $1 "
                             "ORDER BY id DESC LIMIT 1",
                             PgParams().Add(credential), "reading credential share"));
  return !r.empty() && r.boolean(0, 0);
}

}  // namespace cairn
