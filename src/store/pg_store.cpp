#include "store/pg_store.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "store/pg_change_channel.h"
#include "store/pg_internal.h"
#include "store/pg_migrations.h"

namespace cairn {
namespace {

// Advisory lock keys (pg_advisory_xact_lock): the write lock every Transact
// takes, and the one migrations take. Any two constants nobody else uses.
constexpr const char* kBeginLocked = "BEGIN; SELECT pg_advisory_xact_lock(7401102934)";
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7401102935)";
// The channel is kPgChangeChannel (a literal here: NOTIFY takes no parameter).
constexpr const char* kNotifyChanges = "NOTIFY cairn_changes";
constexpr const char* kNotifyAndCommit = "NOTIFY cairn_changes; COMMIT";

// Rows per page when streaming ratings (store.h: a state-wide ledger does not
// fit in memory twice).
constexpr int kRatingsPage = 10000;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string Quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string PgArray(const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += values[i] ? Quoted(*values[i]) : "NULL";
  }
  return out + "}";
}

std::string PgArray(const std::vector<std::int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

Instant PgInstant(const PgRows& rows, int row, int column) {
  auto parsed = ParseInstant(rows.text(row, column));
  return parsed.ok() ? *parsed : 0;
}

std::optional<Instant> PgOptionalInstant(const PgRows& rows, int row, int column) {
  if (rows.null(row, column)) return std::nullopt;
  return PgInstant(rows, row, column);
}

int PgStore::LatestSchemaVersion() { return static_cast<int>(kPgMigrations.size()); }

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& uri) {
  if (!StartsWith(uri, "postgres://") && !StartsWith(uri, "postgresql://")) {
    return Status::Invalid("not a PostgreSQL URI (postgres:// or postgresql://): '" + uri + "'");
  }
  PGconn* conn = PQconnectdb(uri.c_str());
  if (!conn) return Status::Internal("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Status::Unavailable("cannot connect to PostgreSQL: " + message);
  }
  std::unique_ptr<PgStore> store(new PgStore(conn));
  // Quiet NOTICEs (CREATE ... IF NOT EXISTS) instead of printing to stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  CAIRN_RETURN_IF_ERROR(store->Exec("SET client_encoding = 'UTF8'", "setting the encoding"));
  CAIRN_RETURN_IF_ERROR(store->Migrate());
  return store;
}

StoreFactory PgStore::Factory(std::string uri) {
  return [uri = std::move(uri)]() -> Result<std::unique_ptr<Store>> {
    auto store = Open(uri);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  };
}

PgStore::~PgStore() { PQfinish(conn_); }

Status PgStore::ConnectionError(const std::string& what) const {
  std::string message = PQerrorMessage(conn_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  if (PQstatus(conn_) == CONNECTION_BAD) {
    return Status::Unavailable(what + ": the connection to PostgreSQL was lost: " + message);
  }
  return Status::Internal(what + ": " + message);
}

Status PgStore::Error(const PGresult* result, const std::string& what) const {
  if (!result) return ConnectionError(what);
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
  std::string message = what + ": " + (primary ? primary : PQresultErrorMessage(result));
  if (detail) message += std::string(" (") + detail + ")";
  const std::string_view code = state ? state : "";
  if (code == "23505") return Status::Exists(message);  // unique_violation
  if (code == "23503") {                                // foreign_key_violation
    return Status::NotFound(what + ": refers to a record that does not exist");
  }
  // check, not null, bad values (invalid text for a number, too long...).
  if (code == "23514" || code == "23502" || StartsWith(code, "22")) {
    return Status::Invalid(message);
  }
  if (code == "P0001") return Status::Precondition(message);  // the append-only triggers
  // serialization failure, deadlock, lock timeout, connection, shutdown.
  if (code == "40001" || code == "40P01" || code == "55P03" || StartsWith(code, "08") ||
      StartsWith(code, "57P") || PQstatus(conn_) == CONNECTION_BAD) {
    return Status::Unavailable(message);
  }
  return Status::Internal(message);
}

Status PgStore::Exec(const char* sql, const std::string& what) {
  std::string text;
  if (!deferred_.empty()) {
    for (const char* command : deferred_) (text += command) += "; ";
    text += sql;
    deferred_.clear();
    ++flushes_;
  }
  std::unique_ptr<PGresult, PgResultDeleter> result(
      PQexec(conn_, text.empty() ? sql : text.c_str()));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
  return Error(result.get(), what);
}

PGresult* PgStore::ExecPrepared(const std::string& name, const PgParams& params) {
  const std::vector<const char*> values = params.pointers();
  if (deferred_.empty()) {
    return PQexecPrepared(conn_, name.c_str(), params.size(), values.data(), nullptr, nullptr, 0);
  }
  const std::vector<const char*> commands = std::move(deferred_);
  deferred_.clear();
  ++flushes_;
  if (PQenterPipelineMode(conn_) != 1) return nullptr;
  bool sent = true;
  for (const char* command : commands) {
    sent = sent && PQsendQueryParams(conn_, command, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  }
  sent = sent && PQsendQueryPrepared(conn_, name.c_str(), params.size(), values.data(), nullptr,
                                     nullptr, 0) == 1;
  sent = sent && PQpipelineSync(conn_) == 1;
  // Results come per command, each list ended by a null, then the sync.
  PGresult* outcome = nullptr;
  PGresult* error = nullptr;
  std::size_t command = 0;
  while (sent) {
    PGresult* result = PQgetResult(conn_);
    if (!result) {
      if (++command > commands.size() + 1 || PQstatus(conn_) == CONNECTION_BAD) break;
      continue;
    }
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(result);
      break;
    }
    if (status == PGRES_FATAL_ERROR && !error) {
      error = result;
    } else if (command == commands.size() && !outcome) {
      outcome = result;
    } else {
      PQclear(result);  // an aborted command after the error
    }
  }
  (void)PQexitPipelineMode(conn_);
  if (error) {
    PQclear(outcome);
    return error;
  }
  return outcome;
}

Result<PgRows> PgStore::Run(const char* sql, const PgParams& params, const std::string& what) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "cairn_" + std::to_string(prepared_.size());
    if (!deferred_.empty()) CAIRN_RETURN_IF_ERROR(Exec("SELECT 1", what));
    std::unique_ptr<PGresult, PgResultDeleter> prepared(
        PQprepare(conn_, name.c_str(), sql, 0, nullptr));
    if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      return Error(prepared.get(), what);
    }
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  PGresult* result = ExecPrepared(it->second, params);
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    // Other servers' caches learn of the write at COMMIT (pg_change_channel.h).
    if (PgStatementNotifies(sql)) {
      if (InTransaction()) {
        notify_at_commit_ = true;
      } else {
        (void)Exec(kNotifyChanges, "NOTIFY");  // they also poll: a lost notice only delays
      }
    }
    return PgRows(result);
  }
  Status error = Error(result, what);
  PQclear(result);
  return error;
}

Result<std::int64_t> PgStore::InsertId(const char* sql, const PgParams& params,
                                       const std::string& what) {
  CAIRN_ASSIGN_OR_RETURN(PgRows rows, Run(sql, params, what));
  if (rows.empty()) return Status::Internal(what + ": no id returned");
  return rows.integer(0, 0);
}

Result<std::int64_t> PgStore::Locked(const std::function<Result<std::int64_t>()>& write) {
  if (InTransaction()) return write();
  std::int64_t id = 0;
  CAIRN_RETURN_IF_ERROR(Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(id, write());
    return Status::Ok();
  }));
  return id;
}

Status PgStore::Migrate() {
  // Most opens find the schema current: one read, no lock.
  {
    CAIRN_ASSIGN_OR_RETURN(PgRows exists, Run("SELECT to_regclass('schema_migrations') IS NOT NULL",
                                              {}, "reading schema version"));
    if (exists.boolean(0, 0)) {
      CAIRN_ASSIGN_OR_RETURN(PgRows current,
                             Run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {},
                                 "reading schema version"));
      schema_version_ = current.small(0, 0);
    }
  }
  if (schema_version_ > LatestSchemaVersion()) {
    return Status::Precondition("the database is at schema version " +
                                std::to_string(schema_version_) +
                                ", newer than this Cairn knows; upgrade Cairn");
  }
  while (schema_version_ < LatestSchemaVersion()) {
    // Under the migration lock, the version is read again: another server
    // may have migrated meanwhile. Each migration commits on its own.
    Status status = Transact([&]() -> Status {
      CAIRN_RETURN_IF_ERROR(Exec(kMigrationLock, "locking for migration"));
      CAIRN_RETURN_IF_ERROR(
          Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
               "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
               "creating schema_migrations"));
      CAIRN_ASSIGN_OR_RETURN(PgRows current,
                             Run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {},
                                 "reading schema version"));
      schema_version_ = current.small(0, 0);
      if (schema_version_ >= LatestSchemaVersion()) return Status::Ok();
      const int version = schema_version_ + 1;
      CAIRN_RETURN_IF_ERROR(Exec(kPgMigrations[static_cast<std::size_t>(version - 1)],
                                 "migration " + std::to_string(version)));
      CAIRN_RETURN_IF_ERROR(Run("INSERT INTO schema_migrations(version) VALUES ($1)",
                                PgParams().Add(std::int64_t{version}), "recording migration")
                                .status());
      schema_version_ = version;
      return Status::Ok();
    });
    if (!status.ok()) {
      // The statements prepared in a rolled-back transaction are gone too.
      prepared_.clear();
      (void)Exec("DEALLOCATE ALL", "forgetting statements");
      return status;
    }
  }
  return Status::Ok();
}

Status PgStore::Transact(const std::function<Status()>& body) {
  // A body that returned Ok although a statement of it failed: PostgreSQL
  // would turn the COMMIT into a rollback without an error.
  auto swallowed = [&]() {
    return PQtransactionStatus(conn_) == PQTRANS_INERROR
               ? Status::Internal(
                     "a statement failed inside the transaction and its error was not returned; "
                     "nothing of it was written")
               : Status::Ok();
  };
  if (transaction_depth_ > 0) {
    // Nested: a savepoint, so a failing inner body undoes only its own
    // writes and the outer transaction goes on. Deferred (deferred_): one
    // nothing ran under is dropped, not sent.
    deferred_.push_back("SAVEPOINT nested");
    const std::size_t at = deferred_.size();
    const std::uint64_t flushes = flushes_;
    auto unsent = [&] { return flushes_ == flushes && deferred_.size() == at; };
    auto roll_back = [&]() -> Status {
      if (unsent()) {
        deferred_.pop_back();
        return Status::Ok();
      }
      return Exec("ROLLBACK TO SAVEPOINT nested; RELEASE SAVEPOINT nested", "ROLLBACK TO");
    };
    ++transaction_depth_;
    Status status;
    try {
      status = body();
    } catch (...) {
      --transaction_depth_;
      (void)roll_back();
      throw;
    }
    --transaction_depth_;
    if (status.ok()) status = swallowed();
    if (!status.ok()) {
      CAIRN_RETURN_IF_ERROR(roll_back());
      return status;
    }
    if (unsent()) {
      deferred_.pop_back();
    } else {
      deferred_.push_back("RELEASE SAVEPOINT nested");
    }
    return status;
  }
  // The write lock first, so writers queue (and commit in the order they
  // took their ids) instead of interleaving.
  notify_at_commit_ = false;
  if (Status begun = Exec(kBeginLocked, "BEGIN"); !begun.ok()) {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)Exec("ROLLBACK", "ROLLBACK");
    return begun;
  }
  ++transaction_depth_;
  Status status;
  try {
    status = body();
  } catch (...) {
    --transaction_depth_;
    deferred_.clear();
    (void)Exec("ROLLBACK", "ROLLBACK");
    throw;
  }
  --transaction_depth_;
  // COMMIT and ROLLBACK end every savepoint: the deferred ones need not go.
  deferred_.clear();
  if (status.ok()) status = swallowed();
  if (!status.ok()) {
    (void)Exec("ROLLBACK", "ROLLBACK");
    return status;
  }
  // NOTIFY inside the transaction: delivered at COMMIT, never for a rollback.
  std::unique_ptr<PGresult, PgResultDeleter> commit(
      PQexec(conn_, notify_at_commit_ ? kNotifyAndCommit : "COMMIT"));
  if (!commit || PQresultStatus(commit.get()) != PGRES_COMMAND_OK) {
    Status error = Error(commit.get(), "COMMIT");
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)Exec("ROLLBACK", "ROLLBACK");
    return error;
  }
  if (std::strcmp(PQcmdStatus(commit.get()), "ROLLBACK") == 0) {
    return Status::Internal("COMMIT: the transaction had failed and was rolled back");
  }
  return Status::Ok();
}

Result<std::int64_t> PgStore::AddCatalogVersion(const CatalogVersion& version) {
  return Locked([&]() {
    return InsertId(
        "INSERT INTO catalog_versions(loaded_at, source, body) VALUES ($1,$2,$3) RETURNING id",
        PgParams().Add(FormatInstant(version.loaded_at)).Add(version.source).Add(version.body),
        "saving catalog");
  });
}

Result<std::optional<CatalogVersion>> PgStore::LatestCatalog() {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run("SELECT id, loaded_at, source, body FROM catalog_versions ORDER BY id DESC LIMIT 1", {},
          "reading catalog"));
  if (rows.empty()) return std::optional<CatalogVersion>{};
  CatalogVersion version;
  version.id = rows.integer(0, 0);
  version.loaded_at = PgInstant(rows, 0, 1);
  version.source = rows.text(0, 2);
  version.body = rows.text(0, 3);
  return std::optional<CatalogVersion>(std::move(version));
}

Status PgStore::PutSetting(std::string_view key, std::string_view value) {
  return Run("INSERT INTO settings(key, value) VALUES ($1, $2) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
             PgParams().Add(key).Add(value), "saving setting")
      .status();
}

Result<std::optional<std::string>> PgStore::GetSetting(std::string_view key) {
  CAIRN_ASSIGN_OR_RETURN(PgRows rows, Run("SELECT value FROM settings WHERE key = $1",
                                          PgParams().Add(key), "reading setting"));
  if (rows.empty()) return std::optional<std::string>{};
  return std::optional<std::string>(rows.text(0, 0));
}

Result<Id> PgStore::InsertDistrict(const District& district) {
  return InsertId("INSERT INTO districts(sourced_id, name) VALUES ($1, $2) RETURNING id",
                  PgParams().Add(district.sourced_id).Add(district.name),
                  "district '" + district.sourced_id + "'");
}

Result<Id> PgStore::InsertSchool(const School& school) {
  return InsertId(
      "INSERT INTO schools(sourced_id, district_id, name) VALUES ($1, $2, $3) RETURNING id",
      PgParams().Add(school.sourced_id).Add(school.district_id).Add(school.name),
      "school '" + school.sourced_id + "'");
}

Result<Id> PgStore::InsertCourse(const Course& course) {
  return InsertId(
      "INSERT INTO courses(sourced_id, district_id, title) VALUES ($1, $2, $3) RETURNING id",
      PgParams().Add(course.sourced_id).Add(course.district_id).Add(course.title),
      "course '" + course.sourced_id + "'");
}

Result<Id> PgStore::InsertSection(const Section& section) {
  Id id = 0;
  Status status = Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(
        id, InsertId("INSERT INTO sections(sourced_id, school_id, course_id, title, term) "
                     "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                     PgParams()
                         .Add(section.sourced_id)
                         .Add(section.school_id)
                         .Add(section.course_id)
                         .Add(section.title)
                         .Add(section.term),
                     "section '" + section.sourced_id + "'"));
    if (section.badges.empty()) return Status::Ok();
    std::vector<std::optional<std::string>> codes(section.badges.begin(), section.badges.end());
    return Run("INSERT INTO section_badges(section_id, badge_code) "
               "SELECT $1, code FROM unnest($2::text[]) WITH ORDINALITY AS b(code, n) ORDER BY n",
               PgParams().Add(id).Add(PgArray(codes)),
               "badges of section '" + section.sourced_id + "'")
        .status();
  });
  if (!status.ok()) return status;
  return id;
}

Result<Id> PgStore::InsertPerson(const Person& person) {
  const Demographics& d = person.demographics;
  return InsertId(
      "INSERT INTO people(sourced_id, role, given_name, family_name, email, district_id, "
      "school_id, grade, gender, race_ethnicity, english_learner, disability, "
      "economically_disadvantaged) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) "
      "RETURNING id",
      PgParams()
          .Add(person.sourced_id)
          .Add(PersonRoleName(person.role))
          .Add(person.given_name)
          .Add(person.family_name)
          .Add(person.email)
          .Add(person.district_id)
          .AddOptional(person.school_id)
          .Add(d.grade)
          .Add(d.gender)
          .Add(d.race_ethnicity)
          .AddOptional(d.english_learner)
          .AddOptional(d.disability)
          .AddOptional(d.economically_disadvantaged),
      "person '" + person.sourced_id + "'");
}

Status PgStore::InsertEnrollment(const Enrollment& enrollment) {
  return Run("INSERT INTO enrollments(section_id, person_id, is_teacher) VALUES ($1, $2, $3)",
             PgParams()
                 .Add(enrollment.section_id)
                 .Add(enrollment.person_id)
                 .AddBool(enrollment.teacher),
             "enrollment")
      .status();
}

Status PgStore::InsertGuardianLink(const GuardianLink& link) {
  return Run("INSERT INTO guardian_links(guardian_id, student_id, relationship) VALUES ($1, $2, "
             "$3)",
             PgParams().Add(link.guardian_id).Add(link.student_id).Add(link.relationship),
             "guardian link")
      .status();
}

namespace {

constexpr const char* kPersonColumns =
    "SELECT id, sourced_id, role, given_name, family_name, email, district_id, school_id, "
    "grade, gender, race_ethnicity, english_learner, disability, economically_disadvantaged, "
    "active FROM people";

Person ReadPerson(const PgRows& r, int row) {
  Person p;
  p.id = r.integer(row, 0);
  p.sourced_id = r.text(row, 1);
  p.role = ParsePersonRole(r.text(row, 2)).value_or(PersonRole::kStudent);
  p.given_name = r.text(row, 3);
  p.family_name = r.text(row, 4);
  p.email = r.text(row, 5);
  p.district_id = r.integer(row, 6);
  p.school_id = r.optional_integer(row, 7);
  p.demographics.grade = r.text(row, 8);
  p.demographics.gender = r.text(row, 9);
  p.demographics.race_ethnicity = r.text(row, 10);
  p.demographics.english_learner = r.optional_bool(row, 11);
  p.demographics.disability = r.optional_bool(row, 12);
  p.demographics.economically_disadvantaged = r.optional_bool(row, 13);
  p.active = r.boolean(row, 14);
  return p;
}

}  // namespace

Result<Roster> PgStore::LoadRoster() { return LoadRosterWithoutEnrollments({}); }

// With no `each`, the enrollments are kept in the roster (LoadRoster).
Result<Roster> PgStore::LoadRosterWithoutEnrollments(
    const std::function<void(const Enrollment&)>& each) {
  Roster roster;
  {
    CAIRN_ASSIGN_OR_RETURN(PgRows r, Run("SELECT id, sourced_id, name FROM districts ORDER BY id",
                                         {}, "reading districts"));
    for (int i = 0; i < r.size(); ++i) {
      roster.districts.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2)});
    }
  }
  {
    CAIRN_ASSIGN_OR_RETURN(
        PgRows r, Run("SELECT id, sourced_id, district_id, name FROM schools ORDER BY id", {},
                      "reading schools"));
    for (int i = 0; i < r.size(); ++i) {
      roster.schools.push_back({r.integer(i, 0), r.text(i, 1), r.integer(i, 2), r.text(i, 3)});
    }
  }
  {
    CAIRN_ASSIGN_OR_RETURN(
        PgRows r, Run("SELECT id, sourced_id, district_id, title FROM courses ORDER BY id", {},
                      "reading courses"));
    for (int i = 0; i < r.size(); ++i) {
      roster.courses.push_back({r.integer(i, 0), r.text(i, 1), r.integer(i, 2), r.text(i, 3)});
    }
  }
  {
    CAIRN_ASSIGN_OR_RETURN(PgRows r, Run("SELECT id, sourced_id, school_id, course_id, title, "
                                         "term, term_sourced_id FROM sections ORDER BY id",
                                         {}, "reading sections"));
    for (int i = 0; i < r.size(); ++i) {
      Section section;
      section.id = r.integer(i, 0);
      section.sourced_id = r.text(i, 1);
      section.school_id = r.integer(i, 2);
      section.course_id = r.integer(i, 3);
      section.title = r.text(i, 4);
      section.term = r.text(i, 5);
      section.term_sourced_id = r.text(i, 6);
      roster.sections.push_back(std::move(section));
    }
    CAIRN_ASSIGN_OR_RETURN(
        PgRows b, Run("SELECT section_id, badge_code FROM section_badges ORDER BY section_id, id",
                      {}, "reading section badges"));
    std::unordered_map<Id, Section*> by_id;
    for (Section& section : roster.sections) by_id[section.id] = &section;
    for (int i = 0; i < b.size(); ++i) {
      auto it = by_id.find(b.integer(i, 0));
      if (it != by_id.end()) it->second->badges.push_back(b.text(i, 1));
    }
  }
  {
    static const std::string sql = std::string(kPersonColumns) + " ORDER BY id";
    CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql.c_str(), {}, "reading people"));
    for (int i = 0; i < r.size(); ++i) roster.people.push_back(ReadPerson(r, i));
  }
  {
    CAIRN_ASSIGN_OR_RETURN(PgRows r, Run("SELECT section_id, person_id, is_teacher, active, "
                                         "COALESCE(sourced_id, '') FROM enrollments "
                                         "ORDER BY section_id, id",
                                         {}, "reading enrollments"));
    for (int i = 0; i < r.size(); ++i) {
      Enrollment e{r.integer(i, 0), r.integer(i, 1), r.boolean(i, 2), r.boolean(i, 3),
                   r.text(i, 4)};
      if (each) {
        each(e);
      } else {
        roster.enrollments.push_back(std::move(e));
      }
    }
  }
  {
    CAIRN_ASSIGN_OR_RETURN(PgRows r,
                           Run("SELECT id, sourced_id, title, type, start_date, end_date, "
                               "parent_sourced_id, school_year FROM academic_sessions ORDER BY id",
                               {}, "reading academic sessions"));
    for (int i = 0; i < r.size(); ++i) {
      roster.academic_sessions.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3),
                                          r.text(i, 4), r.text(i, 5), r.text(i, 6), r.text(i, 7)});
    }
  }
  {
    CAIRN_ASSIGN_OR_RETURN(
        PgRows r,
        Run("SELECT guardian_id, student_id, relationship FROM guardian_links ORDER BY id", {},
            "reading guardian links"));
    for (int i = 0; i < r.size(); ++i) {
      roster.guardian_links.push_back({r.integer(i, 0), r.integer(i, 1), r.text(i, 2)});
    }
  }
  roster.Index();
  return roster;
}

Result<std::optional<Person>> PgStore::FindPerson(std::string_view sourced_id) {
  static const std::string sql = std::string(kPersonColumns) + " WHERE sourced_id = $1";
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql.c_str(), PgParams().Add(sourced_id), "reading person"));
  if (r.empty()) return std::optional<Person>{};
  return std::optional<Person>(ReadPerson(r, 0));
}

Status PgStore::SetPersonRole(Id person, PersonRole role) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("UPDATE people SET role = $1 WHERE id = $2",
                             PgParams().Add(PersonRoleName(role)).Add(person), "saving role"));
  if (r.affected() == 0) return Status::NotFound("no person " + std::to_string(person));
  return Status::Ok();
}

Status PgStore::SetSectionBadges(Id section, const std::vector<std::string>& badges) {
  return Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(PgRows exists, Run("SELECT 1 FROM sections WHERE id = $1",
                                              PgParams().Add(section), "reading section"));
    if (exists.empty()) return Status::NotFound("no section " + std::to_string(section));
    CAIRN_RETURN_IF_ERROR(Run("DELETE FROM section_badges WHERE section_id = $1",
                              PgParams().Add(section), "saving section badges")
                              .status());
    std::vector<std::optional<std::string>> codes(badges.begin(), badges.end());
    return Run("INSERT INTO section_badges(section_id, badge_code) "
               "SELECT $1, code FROM unnest($2::text[]) WITH ORDINALITY AS b(code, n) ORDER BY n "
               "ON CONFLICT DO NOTHING",
               PgParams().Add(section).Add(PgArray(codes)), "saving section badges")
        .status();
  });
}

Result<FactId> PgStore::AppendRating(const RatingFact& fact) {
  return Locked([&]() {
    return InsertId(
        "INSERT INTO ratings(student_id, cpe_id, indicator_id, level_id, demonstrated_on, "
        "recorded_at, recorded_by, kind, note, artifact_ref, corrects, assessment_item_id) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id",
        PgParams()
            .Add(fact.student_id)
            .Add(fact.cpe_id)
            .Add(fact.indicator_id)
            .Add(fact.level_id)
            .Add(FormatDate(fact.demonstrated_on))
            .Add(FormatInstant(fact.recorded_at))
            .Add(fact.recorded_by)
            .Add(EvidenceKindName(fact.kind))
            .Add(fact.note)
            .Add(fact.artifact_ref)
            .AddOptional(fact.corrects)
            .AddOptional(fact.assessment_item),
        "rating");
  });
}

Result<FactId> PgStore::AppendVoid(const VoidFact& fact) {
  return Locked([&]() {
    return InsertId(
        "INSERT INTO voids(target, student_id, reason, recorded_at, recorded_by) "
        "VALUES ($1,$2,$3,$4,$5) RETURNING id",
        PgParams()
            .Add(fact.target)
            .Add(fact.student_id)
            .Add(fact.reason)
            .Add(FormatInstant(fact.recorded_at))
            .Add(fact.recorded_by),
        "void of rating " + std::to_string(fact.target));
  });
}

Result<FactId> PgStore::AppendHabit(const HabitFact& fact) {
  return Locked([&]() {
    return InsertId(
        "INSERT INTO habits(student_id, habit_id, level_id, observed_on, recorded_at, "
        "recorded_by, note) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
        PgParams()
            .Add(fact.student_id)
            .Add(fact.habit_id)
            .Add(fact.level_id)
            .Add(FormatDate(fact.observed_on))
            .Add(FormatInstant(fact.recorded_at))
            .Add(fact.recorded_by)
            .Add(fact.note),
        "habit observation");
  });
}

Result<FactId> PgStore::AppendAward(const AwardFact& fact) {
  return Locked([&]() {
    return InsertId(
        "INSERT INTO awards(student_id, badge_code, action, recorded_at, recorded_by, reason, "
        "explanation) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
        PgParams()
            .Add(fact.student_id)
            .Add(fact.badge_code)
            .Add(AwardActionName(fact.action))
            .Add(FormatInstant(fact.recorded_at))
            .AddOptional(fact.recorded_by)
            .Add(fact.reason)
            .Add(fact.explanation_json),
        "award");
  });
}

namespace {

constexpr const char* kRatingColumns =
    "id, student_id, cpe_id, indicator_id, level_id, demonstrated_on, recorded_at, recorded_by, "
    "kind, note, artifact_ref, corrects, assessment_item_id";

RatingFact ReadRating(const PgRows& r, int row) {
  RatingFact fact;
  fact.id = r.integer(row, 0);
  fact.student_id = r.integer(row, 1);
  fact.cpe_id = r.text(row, 2);
  fact.indicator_id = r.text(row, 3);
  fact.level_id = r.text(row, 4);
  auto day = ParseDate(r.text(row, 5));
  fact.demonstrated_on = day.ok() ? *day : 0;
  fact.recorded_at = PgInstant(r, row, 6);
  fact.recorded_by = r.integer(row, 7);
  fact.kind = ParseEvidenceKind(r.text(row, 8)).value_or(EvidenceKind::kSummative);
  fact.note = r.text(row, 9);
  fact.artifact_ref = r.text(row, 10);
  fact.corrects = r.optional_integer(row, 11);
  fact.assessment_item = r.optional_integer(row, 12);
  return fact;
}

constexpr const char* kVoidColumns = "id, target, student_id, reason, recorded_at, recorded_by";

VoidFact ReadVoid(const PgRows& r, int row) {
  VoidFact fact;
  fact.id = r.integer(row, 0);
  fact.target = r.integer(row, 1);
  fact.student_id = r.integer(row, 2);
  fact.reason = r.text(row, 3);
  fact.recorded_at = PgInstant(r, row, 4);
  fact.recorded_by = r.integer(row, 5);
  return fact;
}

constexpr const char* kHabitColumns =
    "id, student_id, habit_id, level_id, observed_on, recorded_at, recorded_by, note";

HabitFact ReadHabit(const PgRows& r, int row) {
  HabitFact fact;
  fact.id = r.integer(row, 0);
  fact.student_id = r.integer(row, 1);
  fact.habit_id = r.text(row, 2);
  fact.level_id = r.text(row, 3);
  auto day = ParseDate(r.text(row, 4));
  fact.observed_on = day.ok() ? *day : 0;
  fact.recorded_at = PgInstant(r, row, 5);
  fact.recorded_by = r.integer(row, 6);
  fact.note = r.text(row, 7);
  return fact;
}

constexpr const char* kAwardColumns =
    "id, student_id, badge_code, action, recorded_at, recorded_by, reason, explanation";

AwardFact ReadAward(const PgRows& r, int row) {
  AwardFact fact;
  fact.id = r.integer(row, 0);
  fact.student_id = r.integer(row, 1);
  fact.badge_code = r.text(row, 2);
  fact.action = ParseAwardAction(r.text(row, 3)).value_or(AwardAction::kProposed);
  fact.recorded_at = PgInstant(r, row, 4);
  fact.recorded_by = r.optional_integer(row, 5);
  fact.reason = r.text(row, 6);
  fact.explanation_json = r.text(row, 7);
  return fact;
}

// A fact table's reads: after an id, of one student ($2) or of everyone.
// Built once per table and kept (Run caches statements by text address).
struct FactQueries {
  FactQueries(const char* columns, const char* table)
      : for_student(std::string("SELECT ") + columns + " FROM " + table +
                    " WHERE id > $1 AND student_id = $2 ORDER BY id"),
        for_all(std::string("SELECT ") + columns + " FROM " + table +
                " WHERE id > $1 ORDER BY id") {}
  std::string for_student;
  std::string for_all;
};

template <typename T>
Result<std::vector<T>> Collect(Result<PgRows> rows, T (*read)(const PgRows&, int)) {
  if (!rows.ok()) return rows.status();
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) out.push_back(read(*rows, i));
  return out;
}

}  // namespace

Result<std::optional<RatingFact>> PgStore::FindRating(FactId id) {
  static const std::string sql =
      std::string("SELECT ") + kRatingColumns + " FROM ratings WHERE id = $1";
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql.c_str(), PgParams().Add(id), "reading rating"));
  if (r.empty()) return std::optional<RatingFact>{};
  return std::optional<RatingFact>(ReadRating(r, 0));
}

// In pages by id: memory stays bounded, and `fn` may use the store between
// pages. Writers commit in id order (the write lock), so the pages together
// are the ledger as committed when the last one was read.
Status PgStore::ForEachRating(std::optional<Id> student,
                              const std::function<void(const RatingFact&)>& fn) {
  static const std::string all = std::string("SELECT ") + kRatingColumns +
                                 " FROM ratings WHERE id > $1 ORDER BY id LIMIT " +
                                 std::to_string(kRatingsPage);
  static const std::string one = std::string("SELECT ") + kRatingColumns +
                                 " FROM ratings WHERE id > $1 AND student_id = $2 ORDER BY id "
                                 "LIMIT " +
                                 std::to_string(kRatingsPage);
  FactId after = 0;
  while (true) {
    PgParams params;
    params.Add(after);
    if (student) params.Add(*student);
    CAIRN_ASSIGN_OR_RETURN(PgRows r,
                           Run(student ? one.c_str() : all.c_str(), params, "reading ratings"));
    for (int i = 0; i < r.size(); ++i) {
      RatingFact fact = ReadRating(r, i);
      after = fact.id;
      fn(fact);
    }
    if (r.size() < kRatingsPage) return Status::Ok();
  }
}

Result<std::vector<VoidFact>> PgStore::Voids(std::optional<Id> student) {
  static const FactQueries queries(kVoidColumns, "voids");
  PgParams params;
  params.Add(std::int64_t{0});
  if (student) params.Add(*student);
  return Collect(
      Run(student ? queries.for_student.c_str() : queries.for_all.c_str(), params, "reading voids"),
      ReadVoid);
}

Result<std::vector<HabitFact>> PgStore::Habits(std::optional<Id> student) {
  static const FactQueries queries(kHabitColumns, "habits");
  PgParams params;
  params.Add(std::int64_t{0});
  if (student) params.Add(*student);
  return Collect(Run(student ? queries.for_student.c_str() : queries.for_all.c_str(), params,
                     "reading habits"),
                 ReadHabit);
}

Result<std::vector<AwardFact>> PgStore::Awards(std::optional<Id> student) {
  static const FactQueries queries(kAwardColumns, "awards");
  PgParams params;
  params.Add(std::int64_t{0});
  if (student) params.Add(*student);
  return Collect(Run(student ? queries.for_student.c_str() : queries.for_all.c_str(), params,
                     "reading awards"),
                 ReadAward);
}

Result<std::vector<RatingFact>> PgStore::RatingsAfter(FactId after) {
  static const FactQueries queries(kRatingColumns, "ratings");
  return Collect(Run(queries.for_all.c_str(), PgParams().Add(after), "reading ratings"),
                 ReadRating);
}

Result<std::vector<VoidFact>> PgStore::VoidsAfter(FactId after) {
  static const FactQueries queries(kVoidColumns, "voids");
  return Collect(Run(queries.for_all.c_str(), PgParams().Add(after), "reading voids"), ReadVoid);
}

Result<std::vector<AwardFact>> PgStore::AwardsAfter(FactId after) {
  static const FactQueries queries(kAwardColumns, "awards");
  return Collect(Run(queries.for_all.c_str(), PgParams().Add(after), "reading awards"), ReadAward);
}

Result<std::vector<HabitFact>> PgStore::HabitsAfter(FactId after) {
  static const FactQueries queries(kHabitColumns, "habits");
  return Collect(Run(queries.for_all.c_str(), PgParams().Add(after), "reading habits"), ReadHabit);
}

Result<std::int64_t> PgStore::LatestCatalogId() {
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run("SELECT COALESCE(MAX(id), 0) FROM catalog_versions", {},
                                       "reading catalog version"));
  return r.integer(0, 0);
}

Result<ChangeMarks> PgStore::Marks() {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r,
      Run("SELECT (SELECT COALESCE(MAX(id), 0) FROM ratings), "
          "(SELECT COALESCE(MAX(id), 0) FROM voids), "
          "(SELECT COALESCE(MAX(id), 0) FROM awards), (SELECT COALESCE(MAX(id), 0) FROM habits), "
          "(SELECT COALESCE(MAX(id), 0) FROM catalog_versions), "
          "(SELECT n FROM change_counters WHERE name = 'roster'), "
          "(SELECT n FROM change_counters WHERE name = 'settings'), "
          "(SELECT n FROM change_counters WHERE name = 'access')",
          {}, "reading change marks"));
  ChangeMarks marks;
  marks.rating = r.integer(0, 0);
  marks.void_fact = r.integer(0, 1);
  marks.award = r.integer(0, 2);
  marks.habit = r.integer(0, 3);
  marks.catalog = r.integer(0, 4);
  marks.roster = r.integer(0, 5);
  marks.settings = r.integer(0, 6);
  marks.access = r.integer(0, 7);
  return marks;
}

namespace {

Account ReadAccount(const PgRows& r, int row) {
  Account a;
  a.id = r.integer(row, 0);
  a.person_id = r.integer(row, 1);
  a.username = r.text(row, 2);
  a.password_hash = r.text(row, 3);
  a.disabled = r.boolean(row, 4);
  a.created_at = PgInstant(r, row, 5);
  return a;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

ApiToken ReadToken(const PgRows& r, int row) {
  ApiToken t;
  t.id = r.integer(row, 0);
  t.account_id = r.integer(row, 1);
  t.name = r.text(row, 2);
  t.token_hash = r.text(row, 3);
  t.scopes = SplitScopes(r.text(row, 4));
  t.created_at = PgInstant(r, row, 5);
  t.revoked_at = PgOptionalInstant(r, row, 6);
  return t;
}

constexpr const char* kAccountColumns =
    "SELECT id, person_id, username, password_hash, disabled, created_at FROM accounts";
constexpr const char* kTokenColumns =
    "SELECT id, account_id, name, token_hash, scopes, created_at, revoked_at FROM api_tokens";

}  // namespace

Result<Id> PgStore::InsertAccount(const Account& account) {
  return InsertId(
      "INSERT INTO accounts(person_id, username, password_hash, disabled, created_at) "
      "VALUES ($1,$2,$3,$4,$5) RETURNING id",
      PgParams()
          .Add(account.person_id)
          .Add(account.username)
          .Add(account.password_hash)
          .AddBool(account.disabled)
          .Add(FormatInstant(account.created_at)),
      "account '" + account.username + "'");
}

Result<std::optional<Account>> PgStore::FindAccountByUsername(std::string_view username) {
  static const std::string sql = std::string(kAccountColumns) + " WHERE username = $1";
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql.c_str(), PgParams().Add(username), "reading account"));
  if (r.empty()) return std::optional<Account>{};
  return std::optional<Account>(ReadAccount(r, 0));
}

Result<std::optional<Account>> PgStore::FindAccount(Id id) {
  static const std::string sql = std::string(kAccountColumns) + " WHERE id = $1";
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql.c_str(), PgParams().Add(id), "reading account"));
  if (r.empty()) return std::optional<Account>{};
  return std::optional<Account>(ReadAccount(r, 0));
}

Result<std::vector<Account>> PgStore::Accounts() {
  static const std::string sql = std::string(kAccountColumns) + " ORDER BY id";
  return Collect(Run(sql.c_str(), {}, "reading accounts"), ReadAccount);
}

Status PgStore::SetPasswordHash(Id account, std::string_view hash) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run("UPDATE accounts SET password_hash = $1 WHERE id = $2",
                                       PgParams().Add(hash).Add(account), "saving password"));
  if (r.affected() == 0) return Status::NotFound("no account " + std::to_string(account));
  return Status::Ok();
}

Status PgStore::SetAccountDisabled(Id account, bool disabled) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("UPDATE accounts SET disabled = $1 WHERE id = $2",
                             PgParams().AddBool(disabled).Add(account), "saving account"));
  if (r.affected() == 0) return Status::NotFound("no account " + std::to_string(account));
  return Status::Ok();
}

Status PgStore::InsertSession(const Session& session) {
  return Run("INSERT INTO sessions(token_hash, account_id, csrf_token, created_at, expires_at) "
             "VALUES ($1,$2,$3,$4,$5)",
             PgParams()
                 .Add(session.token_hash)
                 .Add(session.account_id)
                 .Add(session.csrf_token)
                 .Add(FormatInstant(session.created_at))
                 .Add(FormatInstant(session.expires_at)),
             "saving session")
      .status();
}

Result<std::optional<Session>> PgStore::FindSession(std::string_view token_hash) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("SELECT token_hash, account_id, csrf_token, created_at, expires_at "
                             "FROM sessions WHERE token_hash = $1",
                             PgParams().Add(token_hash), "reading session"));
  if (r.empty()) return std::optional<Session>{};
  Session session;
  session.token_hash = r.text(0, 0);
  session.account_id = r.integer(0, 1);
  session.csrf_token = r.text(0, 2);
  session.created_at = PgInstant(r, 0, 3);
  session.expires_at = PgInstant(r, 0, 4);
  return std::optional<Session>(std::move(session));
}

Status PgStore::DeleteSession(std::string_view token_hash) {
  return Run("DELETE FROM sessions WHERE token_hash = $1", PgParams().Add(token_hash),
             "deleting session")
      .status();
}

Status PgStore::DeleteSessionsOf(Id account) {
  return Run("DELETE FROM sessions WHERE account_id = $1", PgParams().Add(account),
             "deleting sessions")
      .status();
}

Result<Id> PgStore::InsertApiToken(const ApiToken& token) {
  return InsertId(
      "INSERT INTO api_tokens(account_id, name, token_hash, scopes, created_at) "
      "VALUES ($1,$2,$3,$4,$5) RETURNING id",
      PgParams()
          .Add(token.account_id)
          .Add(token.name)
          .Add(token.token_hash)
          .Add(JoinScopes(token.scopes))
          .Add(FormatInstant(token.created_at)),
      "API token");
}

Result<std::optional<ApiToken>> PgStore::FindApiToken(std::string_view token_hash) {
  static const std::string sql = std::string(kTokenColumns) + " WHERE token_hash = $1";
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run(sql.c_str(), PgParams().Add(token_hash), "reading API token"));
  if (r.empty()) return std::optional<ApiToken>{};
  return std::optional<ApiToken>(ReadToken(r, 0));
}

Result<std::vector<ApiToken>> PgStore::ApiTokensOf(Id account) {
  static const std::string sql = std::string(kTokenColumns) + " WHERE account_id = $1 ORDER BY id";
  return Collect(Run(sql.c_str(), PgParams().Add(account), "reading API tokens"), ReadToken);
}

Status PgStore::RevokeApiToken(Id token, Instant at) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r, Run("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                    PgParams().Add(FormatInstant(at)).Add(token), "revoking API token"));
  if (r.affected() == 0) return Status::NotFound("no active API token " + std::to_string(token));
  return Status::Ok();
}

Result<LoginAttempt> PgStore::BeginLoginAttempt(std::string_view username, std::string_view address,
                                                Instant now, const LoginLimits& limits) {
  LoginAttempt attempt;
  const std::string since = FormatInstant(now - limits.window);
  // Counts and the reservation in one transaction holding the write lock: a
  // parallel attempt (any server) waits, then sees this one.
  Status status = Transact([&]() -> Status {
    auto retry_after = [&](const PgRows& r) {
      auto oldest = ParseInstant(r.text(0, 1));
      return std::max<Instant>(1, (oldest.ok() ? *oldest : now) + limits.window - now);
    };
    CAIRN_ASSIGN_OR_RETURN(PgRows by_address,
                           Run("SELECT COUNT(*), COALESCE(MIN(at), '') FROM login_failures "
                               "WHERE address = $1 AND at >= $2",
                               PgParams().Add(address).Add(since), "reading login failures"));
    if (by_address.integer(0, 0) >= limits.per_address) {
      attempt.retry_after = retry_after(by_address);
      return Status::Ok();
    }
    CAIRN_ASSIGN_OR_RETURN(
        PgRows known,
        Run("SELECT 1 FROM login_addresses WHERE username = $1 AND address = $2 AND at >= $3",
            PgParams().Add(username).Add(address).Add(FormatInstant(now - limits.remember_address)),
            "reading sign-in addresses"));
    // From a good address only its own failures count: others' guesses do
    // not lock the owner out.
    CAIRN_ASSIGN_OR_RETURN(
        PgRows by_account,
        Run("SELECT COUNT(*), COALESCE(MIN(at), '') FROM login_failures WHERE username = $1 "
            "AND at >= $2 AND ($3::text IS NULL OR address = $3)",
            known.empty() ? PgParams().Add(username).Add(since).AddNull()
                          : PgParams().Add(username).Add(since).Add(address),
            "reading login failures"));
    if (by_account.integer(0, 0) >= limits.per_account) {
      attempt.retry_after = retry_after(by_account);
      return Status::Ok();
    }
    CAIRN_ASSIGN_OR_RETURN(attempt.id,
                           InsertId("INSERT INTO login_failures(username, at, address) "
                                    "VALUES ($1, $2, $3) RETURNING id",
                                    PgParams().Add(username).Add(FormatInstant(now)).Add(address),
                                    "recording login attempt"));
    attempt.allowed = true;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return attempt;
}

Status PgStore::FinishLoginAttempt(const LoginAttempt& attempt, bool succeeded,
                                   std::string_view username, std::string_view address,
                                   Instant now) {
  if (!succeeded || !attempt.allowed) return Status::Ok();  // the reservation stays a failure
  return Transact([&]() -> Status {
    // The owner's own typos from this address are forgiven; failures from
    // elsewhere stay counted.
    CAIRN_RETURN_IF_ERROR(Run("DELETE FROM login_failures WHERE id = $1 OR "
                              "(username = $2 AND address = $3)",
                              PgParams().Add(attempt.id).Add(username).Add(address),
                              "clearing login failures")
                              .status());
    return Run("INSERT INTO login_addresses(username, address, at) VALUES ($1, $2, $3) "
               "ON CONFLICT(username, address) DO UPDATE SET at = excluded.at",
               PgParams().Add(username).Add(address).Add(FormatInstant(now)),
               "remembering sign-in address")
        .status();
  });
}

Status PgStore::AppendAudit(std::span<const AuditEntry> entries) {
  if (entries.empty()) return Status::Ok();
  // One statement for the batch: the entries as arrays, each given its id
  // from the sequence in order, and the students they name as (entry
  // ordinal, student) pairs.
  std::vector<std::optional<std::string>> at, actor, action, resource, student, request, status,
      detail;
  std::vector<std::int64_t> named_entry, named_student;
  auto optional_id = [](const std::optional<Id>& id) {
    return id ? std::optional<std::string>(std::to_string(*id)) : std::nullopt;
  };
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const AuditEntry& e = entries[i];
    at.emplace_back(FormatInstant(e.at));
    actor.push_back(optional_id(e.actor_person_id));
    action.emplace_back(e.action);
    resource.emplace_back(e.resource);
    student.push_back(optional_id(e.student_id));
    request.emplace_back(e.request_id);
    status.emplace_back(std::to_string(e.status));
    detail.emplace_back(e.detail);
    for (Id named : e.students) {
      named_entry.push_back(static_cast<std::int64_t>(i + 1));
      named_student.push_back(named);
    }
  }
  return Run("WITH input AS (SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id, t.* "
             "FROM (SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], "
             "$5::bigint[], $6::text[], $7::int[], $8::text[]) WITH ORDINALITY "
             "AS u(at, actor, action, resource, student, request_id, status, detail, n) "
             "ORDER BY n) t), "
             "logged AS (INSERT INTO audit_log(id, at, actor_person_id, action, resource, "
             "student_id, request_id, status, detail) SELECT id, at, actor, action, resource, "
             "student, request_id, status, detail FROM input ORDER BY n) "
             "INSERT INTO audit_students(audit_id, student_id) SELECT input.id, s.student "
             "FROM unnest($9::bigint[], $10::bigint[]) WITH ORDINALITY AS s(entry, student, m) "
             "JOIN input ON input.n = s.entry ORDER BY s.m",
             PgParams()
                 .Add(PgArray(at))
                 .Add(PgArray(actor))
                 .Add(PgArray(action))
                 .Add(PgArray(resource))
                 .Add(PgArray(student))
                 .Add(PgArray(request))
                 .Add(PgArray(status))
                 .Add(PgArray(detail))
                 .Add(PgArray(named_entry))
                 .Add(PgArray(named_student)),
             "writing audit log")
      .status();
}

Result<std::vector<AuditEntry>> PgStore::Audit(std::optional<Id> student, int limit) {
  constexpr const char* kColumns =
      "SELECT id, at, actor_person_id, action, resource, student_id, request_id, status, detail "
      "FROM audit_log ";
  static const std::string kForStudent =
      std::string(kColumns) +
      "WHERE id IN (SELECT id FROM audit_log WHERE student_id = $1 UNION "
      "SELECT audit_id FROM audit_students WHERE student_id = $1) ORDER BY id DESC LIMIT $2";
  static const std::string kAll = std::string(kColumns) + "ORDER BY id DESC LIMIT $1";
  PgParams params;
  if (student) params.Add(*student);
  params.Add(std::int64_t{limit});
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r, Run(student ? kForStudent.c_str() : kAll.c_str(), params, "reading audit log"));
  std::vector<AuditEntry> out;
  std::unordered_map<Id, std::size_t> index;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < r.size(); ++i) {
    AuditEntry e;
    e.id = r.integer(i, 0);
    e.at = PgInstant(r, i, 1);
    e.actor_person_id = r.optional_integer(i, 2);
    e.action = r.text(i, 3);
    e.resource = r.text(i, 4);
    e.student_id = r.optional_integer(i, 5);
    e.request_id = r.text(i, 6);
    e.status = r.small(i, 7);
    e.detail = r.text(i, 8);
    index[e.id] = out.size();
    ids.push_back(e.id);
    out.push_back(std::move(e));
  }
  if (out.empty()) return out;
  CAIRN_ASSIGN_OR_RETURN(PgRows s, Run("SELECT audit_id, student_id FROM audit_students "
                                       "WHERE audit_id = ANY($1::bigint[]) ORDER BY id",
                                       PgParams().Add(PgArray(ids)), "reading audit log"));
  for (int i = 0; i < s.size(); ++i) {
    out[index[s.integer(i, 0)]].students.push_back(s.integer(i, 1));
  }
  return out;
}

}  // namespace cairn
