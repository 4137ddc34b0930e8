// The SQLite store's credential tables (schema migrations 5 and 9).
#include "store/sqlite_internal.h"

namespace cairn {
namespace {

std::optional<KeyAlgorithm> ParseKeyAlgorithm(std::string_view name) {
  if (name == "Ed25519") return KeyAlgorithm::kEd25519;
  if (name == "P-256") return KeyAlgorithm::kP256;
  return std::nullopt;
}

Instant InstantOf(sqlite3_stmt* stmt, int column) {
  auto parsed = ParseInstant(Text(stmt, column));
  return parsed.ok() ? *parsed : 0;
}

constexpr const char* kCredentialColumns =
    "SELECT id, uuid, award_id, student_id, district_id, badge_code, status_list, status_index, "
    "issued_at, body FROM credentials";

IssuedCredential ReadCredential(sqlite3_stmt* st) {
  IssuedCredential c;
  c.id = sqlite3_column_int64(st, 0);
  c.uuid = Text(st, 1);
  c.award_id = sqlite3_column_int64(st, 2);
  c.student_id = sqlite3_column_int64(st, 3);
  c.district_id = sqlite3_column_int64(st, 4);
  c.badge_code = Text(st, 5);
  c.status_list = sqlite3_column_int(st, 6);
  c.status_index = sqlite3_column_int64(st, 7);
  c.issued_at = InstantOf(st, 8);
  c.body = Text(st, 9);
  return c;
}

}  // namespace

std::string_view KeyAlgorithmName(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kEd25519 ? "Ed25519" : "P-256";
}

Status SqliteStore::PutIssuerProfile(const IssuerProfile& p) {
  Statement s = Prepare(
      "INSERT INTO issuer_profiles(district_id, name, url, email, image, description) "
      "VALUES (?,?,?,?,?,?) ON CONFLICT(district_id) DO UPDATE SET name = excluded.name, "
      "url = excluded.url, email = excluded.email, image = excluded.image, "
      "description = excluded.description");
  s.Bind(1, p.district_id)
      .Bind(2, p.name)
      .Bind(3, p.url)
      .Bind(4, p.email)
      .Bind(5, p.image)
      .Bind(6, p.description);
  if (!s.valid()) return Error("preparing issuer profile");
  if (s.Step() != SQLITE_DONE) return Error("issuer profile");
  return Status::Ok();
}

Result<std::optional<IssuerProfile>> SqliteStore::FindIssuerProfile(Id district) {
  Statement s = Prepare(
      "SELECT district_id, name, url, email, image, description FROM issuer_profiles "
      "WHERE district_id = ?");
  s.Bind(1, district);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<IssuerProfile>{};
  if (rc != SQLITE_ROW) return Error("reading issuer profile");
  IssuerProfile p;
  p.district_id = sqlite3_column_int64(s.get(), 0);
  p.name = Text(s.get(), 1);
  p.url = Text(s.get(), 2);
  p.email = Text(s.get(), 3);
  p.image = Text(s.get(), 4);
  p.description = Text(s.get(), 5);
  return std::optional<IssuerProfile>(std::move(p));
}

Result<Id> SqliteStore::InsertSigningKey(const StoredKey& k) {
  Statement s = Prepare(
      "INSERT INTO signing_keys(district_id, algorithm, key_id, public_key, sealed_private, "
      "created_at) VALUES (?,?,?,?,?,?)");
  s.Bind(1, k.district_id)
      .Bind(2, KeyAlgorithmName(k.algorithm))
      .Bind(3, k.key_id)
      .Bind(4, k.public_key)
      .Bind(5, k.sealed_private)
      .Bind(6, FormatInstant(k.created_at));
  return InsertAndGetId(s, "signing key");
}

Status SqliteStore::RetireSigningKey(Id key, Instant at) {
  Statement s =
      Prepare("UPDATE signing_keys SET retired_at = ? WHERE id = ? AND retired_at IS NULL");
  s.Bind(1, FormatInstant(at)).Bind(2, key);
  if (!s.valid() || s.Step() != SQLITE_DONE) return Error("retiring signing key");
  if (sqlite3_changes(db_) == 0)
    return Status::NotFound("no active signing key " + std::to_string(key));
  return Status::Ok();
}

Result<std::vector<StoredKey>> SqliteStore::SigningKeys(Id district) {
  Statement s = Prepare(
      "SELECT id, district_id, algorithm, key_id, public_key, sealed_private, created_at, "
      "retired_at FROM signing_keys WHERE district_id = ? ORDER BY id");
  s.Bind(1, district);
  std::vector<StoredKey> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    sqlite3_stmt* st = s.get();
    StoredKey k;
    k.id = sqlite3_column_int64(st, 0);
    k.district_id = sqlite3_column_int64(st, 1);
    k.algorithm = ParseKeyAlgorithm(Text(st, 2)).value_or(KeyAlgorithm::kEd25519);
    k.key_id = Text(st, 3);
    k.public_key = Text(st, 4);
    k.sealed_private = Text(st, 5);
    k.created_at = InstantOf(st, 6);
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) k.retired_at = InstantOf(st, 7);
    out.push_back(std::move(k));
  }
  if (rc != SQLITE_DONE) return Error("reading signing keys");
  return out;
}

Result<Id> SqliteStore::InsertCredential(const IssuedCredential& c) {
  Statement s = Prepare(
      "INSERT INTO credentials(uuid, award_id, student_id, district_id, badge_code, "
      "status_list, status_index, issued_at, body) VALUES (?,?,?,?,?,?,?,?,?)");
  s.Bind(1, c.uuid)
      .Bind(2, c.award_id)
      .Bind(3, c.student_id)
      .Bind(4, c.district_id)
      .Bind(5, c.badge_code)
      .Bind(6, std::int64_t{c.status_list})
      .Bind(7, c.status_index)
      .Bind(8, FormatInstant(c.issued_at))
      .Bind(9, c.body);
  return InsertAndGetId(s, "credential");
}

Result<std::optional<IssuedCredential>> SqliteStore::FindCredential(std::string_view uuid) {
  static const std::string sql = std::string(kCredentialColumns) + " WHERE uuid = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, uuid);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<IssuedCredential>{};
  if (rc != SQLITE_ROW) return Error("reading credential");
  return std::optional<IssuedCredential>(ReadCredential(s.get()));
}

Result<std::vector<IssuedCredential>> SqliteStore::Credentials(std::optional<Id> student,
                                                               std::optional<Id> district) {
  static const std::string sql = std::string(kCredentialColumns) +
                                 " WHERE (?1 IS NULL OR student_id = ?1) AND "
                                 "(?2 IS NULL OR district_id = ?2) ORDER BY id";
  Statement s = Prepare(sql.c_str());
  s.BindOptional(1, student).BindOptional(2, district);
  std::vector<IssuedCredential> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadCredential(s.get()));
  if (rc != SQLITE_DONE) return Error("reading credentials");
  return out;
}

Result<std::vector<FactId>> SqliteStore::CredentialAwardIds(Id student) {
  Statement s = Prepare("SELECT award_id FROM credentials WHERE student_id = ? ORDER BY award_id");
  s.Bind(1, student);
  std::vector<FactId> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(sqlite3_column_int64(s.get(), 0));
  if (rc != SQLITE_DONE) return Error("reading credentials");
  return out;
}

// status_lists keeps each list's count (a trigger on credentials, migration
// 9): counting the list's entries would read up to 131,072 index rows.
Result<StatusListFill> SqliteStore::NewestStatusList(Id district) {
  Statement s = Prepare(
      "SELECT list, taken FROM status_lists WHERE district_id = ? ORDER BY list DESC LIMIT 1");
  s.Bind(1, district);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return StatusListFill{};
  if (rc != SQLITE_ROW) return Error("reading status lists");
  return StatusListFill{sqlite3_column_int(s.get(), 0), sqlite3_column_int64(s.get(), 1)};
}

Result<bool> SqliteStore::StatusSlotTaken(Id district, int list, std::int64_t index) {
  Statement s = Prepare(
      "SELECT 1 FROM credentials WHERE district_id = ? AND status_list = ? AND status_index = ?");
  s.Bind(1, district).Bind(2, std::int64_t{list}).Bind(3, index);
  int rc = s.Step();
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) return Error("reading status entry");
  return false;
}

// From the revoke facts (a partial index holds only those) to their
// credentials, so the cost follows revocations, not credentials. A
// credential counts as revoked by the first revoke of its badge after its
// award (a later confirm gets a new credential).
Result<std::vector<RevokedCredential>> SqliteStore::RevokedCredentials(Id district,
                                                                       std::optional<int> list) {
  Statement s = Prepare(
      "SELECT c.id, c.uuid, c.status_list, c.status_index, a.reason, a.recorded_at "
      "FROM awards AS a INDEXED BY awards_revoked CROSS JOIN credentials AS c "
      "ON c.student_id = a.student_id AND c.badge_code = a.badge_code AND a.id > c.award_id "
      "WHERE a.action = 'revoked' AND c.district_id = ?1 AND (?2 IS NULL OR c.status_list = ?2) "
      "ORDER BY c.id, a.id");
  s.Bind(1, district).BindOptional(2, list);
  std::vector<RevokedCredential> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    sqlite3_stmt* st = s.get();
    const Id id = sqlite3_column_int64(st, 0);
    if (!out.empty() && out.back().credential_id == id) continue;  // a later revoke
    RevokedCredential r;
    r.credential_id = id;
    r.uuid = Text(st, 1);
    r.status_list = sqlite3_column_int(st, 2);
    r.status_index = sqlite3_column_int64(st, 3);
    r.reason = Text(st, 4);
    r.revoked_at = InstantOf(st, 5);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Error("reading revoked credentials");
  return out;
}

Status SqliteStore::AppendCredentialShare(Id credential, bool is_public, Id actor, Instant at) {
  Statement s =
      Prepare("INSERT INTO credential_shares(credential_id, public, actor, at) VALUES (?,?,?,?)");
  s.Bind(1, credential)
      .Bind(2, std::int64_t{is_public ? 1 : 0})
      .Bind(3, actor)
      .Bind(4, FormatInstant(at));
  return InsertAndGetId(s, "credential share").status();
}

Result<bool> SqliteStore::CredentialIsPublic(Id credential) {
  Statement s = Prepare(
      "SELECT public FROM credential_shares WHERE credential_id = ? ORDER BY id DESC LIMIT 1");
  s.Bind(1, credential);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return false;
  if (rc != SQLITE_ROW) return Error("reading credential share");
  return sqlite3_column_int(s.get(), 0) != 0;
}

}  // namespace cairn
