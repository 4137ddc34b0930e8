// Standards frameworks and the crosswalk in SQLite (the tables come from
// migration 10). The SQL is plain: no SQLite-only functions, so the
// PostgreSQL engine can run the same statements.
#include <sqlite3.h>

#include "store/sqlite_internal.h"

namespace cairn {
namespace {

// A version is current when no version of the same document is later
// (lastChangeDateTime, then import order).
constexpr const char* kIsCurrent =
    "NOT EXISTS (SELECT 1 FROM case_frameworks g WHERE g.document_identifier = "
    "f.document_identifier AND (g.version_at > f.version_at OR (g.version_at = f.version_at AND "
    "g.id > f.id)))";

Instant InstantColumn(sqlite3_stmt* stmt, int column) {
  auto at = ParseInstant(Text(stmt, column));
  return at.ok() ? *at : 0;
}

std::optional<Id> OptionalId(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt, column);
}

// Columns 0-10 of a framework row (kFrameworkColumns).
CaseFrameworkRecord ReadFramework(sqlite3_stmt* stmt) {
  CaseFrameworkRecord f;
  f.id = sqlite3_column_int64(stmt, 0);
  f.document_identifier = Text(stmt, 1);
  f.uri = Text(stmt, 2);
  f.title = Text(stmt, 3);
  f.creator = Text(stmt, 4);
  f.publisher = Text(stmt, 5);
  f.version = Text(stmt, 6);
  f.version_at = InstantColumn(stmt, 7);
  f.content_sha256 = Text(stmt, 8);
  f.imported_at = InstantColumn(stmt, 9);
  f.imported_by = OptionalId(stmt, 10);
  return f;
}

#define CAIRN_FRAMEWORK_COLUMNS                                                                    \
  "f.id, f.document_identifier, f.uri, f.title, f.creator, f.publisher, f.version, f.version_at, " \
  "f.content_sha256, f.imported_at, f.imported_by"

#define CAIRN_ITEM_COLUMNS                                                                      \
  "i.framework_id, i.identifier, i.uri, i.human_coding_scheme, i.full_statement, i.item_type, " \
  "i.list_enumeration, i.parent_identifier, i.position"

CaseItemRecord ReadItem(sqlite3_stmt* stmt) {
  CaseItemRecord i;
  i.framework_id = sqlite3_column_int64(stmt, 0);
  i.identifier = Text(stmt, 1);
  i.uri = Text(stmt, 2);
  i.human_coding_scheme = Text(stmt, 3);
  i.full_statement = Text(stmt, 4);
  i.item_type = Text(stmt, 5);
  i.list_enumeration = Text(stmt, 6);
  i.parent_identifier = Text(stmt, 7);
  i.position = sqlite3_column_int(stmt, 8);
  return i;
}

#define CAIRN_CROSSWALK_COLUMNS "c.id, c.cpe, c.item_identifier, c.action, c.actor, c.at, c.source"

CrosswalkFact ReadFact(sqlite3_stmt* stmt) {
  CrosswalkFact f;
  f.id = sqlite3_column_int64(stmt, 0);
  f.cpe = Text(stmt, 1);
  f.item_identifier = Text(stmt, 2);
  f.linked = Text(stmt, 3) == "link";
  f.actor = OptionalId(stmt, 4);
  f.at = InstantColumn(stmt, 5);
  f.source = Text(stmt, 6);
  return f;
}

}  // namespace

Result<Id> SqliteStore::InsertCaseFramework(
    const CaseFrameworkRecord& framework, const std::vector<CaseItemRecord>& items,
    const std::vector<CaseAssociationRecord>& associations) {
  Id id = 0;
  Status status = Transact([&]() -> Status {
    Statement f = Prepare(
        "INSERT INTO case_frameworks(document_identifier, uri, title, creator, publisher, version, "
        "version_at, content_sha256, imported_at, imported_by, package) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    f.Bind(1, framework.document_identifier)
        .Bind(2, framework.uri)
        .Bind(3, framework.title)
        .Bind(4, framework.creator)
        .Bind(5, framework.publisher)
        .Bind(6, framework.version)
        .Bind(7, FormatInstant(framework.version_at))
        .Bind(8, framework.content_sha256)
        .Bind(9, FormatInstant(framework.imported_at))
        .BindOptional(10, framework.imported_by)
        .Bind(11, framework.package);
    CAIRN_ASSIGN_OR_RETURN(id, InsertAndGetId(f, "framework '" + framework.title + "'"));
    for (const CaseItemRecord& item : items) {
      Statement s = Prepare(
          "INSERT INTO case_items(framework_id, identifier, uri, human_coding_scheme, "
          "full_statement, item_type, list_enumeration, parent_identifier, position) "
          "VALUES (?,?,?,?,?,?,?,?,?)");
      s.Bind(1, id)
          .Bind(2, item.identifier)
          .Bind(3, item.uri)
          .Bind(4, item.human_coding_scheme)
          .Bind(5, item.full_statement)
          .Bind(6, item.item_type)
          .Bind(7, item.list_enumeration)
          .Bind(8, item.parent_identifier)
          .Bind(9, std::int64_t{item.position});
      if (!s.valid() || s.Step() != SQLITE_DONE) return Error("item '" + item.identifier + "'");
    }
    for (const CaseAssociationRecord& a : associations) {
      Statement s = Prepare(
          "INSERT INTO case_associations(framework_id, identifier, association_type, "
          "origin_identifier, origin_uri, destination_identifier, destination_uri, "
          "sequence_number, position) VALUES (?,?,?,?,?,?,?,?,?)");
      s.Bind(1, id)
          .Bind(2, a.identifier)
          .Bind(3, a.type)
          .Bind(4, a.origin_identifier)
          .Bind(5, a.origin_uri)
          .Bind(6, a.destination_identifier)
          .Bind(7, a.destination_uri)
          .BindOptional(8, a.sequence_number)
          .Bind(9, std::int64_t{a.position});
      if (!s.valid() || s.Step() != SQLITE_DONE) {
        return Error("association '" + a.identifier + "'");
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return id;
}

Result<std::vector<CaseFrameworkRecord>> SqliteStore::CaseFrameworks() {
  static const std::string sql = std::string("SELECT " CAIRN_FRAMEWORK_COLUMNS
                                             ", (SELECT COUNT(*) FROM case_items i WHERE "
                                             "i.framework_id = f.id), CASE WHEN ") +
                                 kIsCurrent +
                                 " THEN 1 ELSE 0 END FROM case_frameworks f "
                                 "ORDER BY f.document_identifier, f.version_at DESC, f.id DESC";
  Statement s = Prepare(sql.c_str());
  if (!s.valid()) return Error("reading frameworks");
  std::vector<CaseFrameworkRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    CaseFrameworkRecord f = ReadFramework(s.get());
    f.item_count = sqlite3_column_int(s.get(), 11);
    f.current = sqlite3_column_int(s.get(), 12) != 0;
    out.push_back(std::move(f));
  }
  if (rc != SQLITE_DONE) return Error("reading frameworks");
  return out;
}

Result<std::optional<CaseFrameworkRecord>> SqliteStore::FindCaseFramework(Id id) {
  static const std::string sql =
      std::string("SELECT " CAIRN_FRAMEWORK_COLUMNS
                  ", (SELECT COUNT(*) FROM case_items i WHERE "
                  "i.framework_id = f.id), CASE WHEN ") +
      kIsCurrent + " THEN 1 ELSE 0 END, f.package FROM case_frameworks f WHERE f.id = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, id);
  const int rc = s.valid() ? s.Step() : SQLITE_ERROR;
  if (rc == SQLITE_DONE) return std::optional<CaseFrameworkRecord>{};
  if (rc != SQLITE_ROW) return Error("reading framework");
  CaseFrameworkRecord f = ReadFramework(s.get());
  f.item_count = sqlite3_column_int(s.get(), 11);
  f.current = sqlite3_column_int(s.get(), 12) != 0;
  f.package = Text(s.get(), 13);
  return std::optional<CaseFrameworkRecord>(std::move(f));
}

Result<std::vector<CaseItemRecord>> SqliteStore::CaseItems(Id framework) {
  Statement s = Prepare("SELECT " CAIRN_ITEM_COLUMNS
                        " FROM case_items i WHERE i.framework_id = ? ORDER BY i.position");
  s.Bind(1, framework);
  if (!s.valid()) return Error("reading items");
  std::vector<CaseItemRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadItem(s.get()));
  if (rc != SQLITE_DONE) return Error("reading items");
  return out;
}

Result<std::vector<CaseAssociationRecord>> SqliteStore::CaseAssociations(Id framework) {
  Statement s = Prepare(
      "SELECT framework_id, identifier, association_type, origin_identifier, origin_uri, "
      "destination_identifier, destination_uri, sequence_number, position FROM case_associations "
      "WHERE framework_id = ? ORDER BY position");
  s.Bind(1, framework);
  if (!s.valid()) return Error("reading associations");
  std::vector<CaseAssociationRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    CaseAssociationRecord a;
    a.framework_id = sqlite3_column_int64(s.get(), 0);
    a.identifier = Text(s.get(), 1);
    a.type = Text(s.get(), 2);
    a.origin_identifier = Text(s.get(), 3);
    a.origin_uri = Text(s.get(), 4);
    a.destination_identifier = Text(s.get(), 5);
    a.destination_uri = Text(s.get(), 6);
    a.sequence_number = OptionalId(s.get(), 7);
    a.position = sqlite3_column_int(s.get(), 8);
    out.push_back(std::move(a));
  }
  if (rc != SQLITE_DONE) return Error("reading associations");
  return out;
}

Result<std::optional<CurrentCaseItem>> SqliteStore::FindCurrentCaseItem(
    std::string_view identifier) {
  static const std::string sql =
      std::string("SELECT " CAIRN_ITEM_COLUMNS
                  ", f.document_identifier, f.title, f.uri FROM case_items i JOIN case_frameworks "
                  "f ON f.id = i.framework_id WHERE i.identifier = ? AND ") +
      kIsCurrent + " ORDER BY f.id DESC LIMIT 1";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, identifier);
  const int rc = s.valid() ? s.Step() : SQLITE_ERROR;
  if (rc == SQLITE_DONE) return std::optional<CurrentCaseItem>{};
  if (rc != SQLITE_ROW) return Error("reading item");
  CurrentCaseItem out;
  out.item = ReadItem(s.get());
  out.framework_identifier = Text(s.get(), 9);
  out.framework_title = Text(s.get(), 10);
  out.framework_uri = Text(s.get(), 11);
  return std::optional<CurrentCaseItem>(std::move(out));
}

Status SqliteStore::AppendCrosswalkFacts(const std::vector<CrosswalkFact>& facts) {
  return Transact([&]() -> Status {
    for (const CrosswalkFact& fact : facts) {
      Statement s = Prepare(
          "INSERT INTO crosswalk_facts(cpe, item_identifier, action, actor, at, source) "
          "VALUES (?,?,?,?,?,?)");
      s.Bind(1, fact.cpe)
          .Bind(2, fact.item_identifier)
          .Bind(3, std::string_view(fact.linked ? "link" : "unlink"))
          .BindOptional(4, fact.actor)
          .Bind(5, FormatInstant(fact.at))
          .Bind(6, fact.source);
      if (!s.valid() || s.Step() != SQLITE_DONE) {
        return Error("crosswalk " + fact.cpe + " -> " + fact.item_identifier);
      }
    }
    return Status::Ok();
  });
}

Result<std::vector<CrosswalkFact>> SqliteStore::CurrentCrosswalk(std::optional<std::string> cpe) {
  Statement s =
      Prepare("SELECT " CAIRN_CROSSWALK_COLUMNS
              " FROM crosswalk_facts c WHERE (?1 IS NULL OR c.cpe = ?1) AND c.action = 'link' AND "
              "c.id = (SELECT MAX(d.id) FROM crosswalk_facts d WHERE d.cpe = c.cpe AND "
              "d.item_identifier = c.item_identifier) ORDER BY c.cpe, c.id");
  if (cpe) s.Bind(1, *cpe);
  if (!s.valid()) return Error("reading the crosswalk");
  std::vector<CrosswalkFact> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadFact(s.get()));
  if (rc != SQLITE_DONE) return Error("reading the crosswalk");
  return out;
}

Result<std::vector<CrosswalkFact>> SqliteStore::CrosswalkHistory(std::optional<std::string> cpe) {
  Statement s = Prepare("SELECT " CAIRN_CROSSWALK_COLUMNS
                        " FROM crosswalk_facts c WHERE (?1 IS NULL OR c.cpe = ?1) ORDER BY c.id");
  if (cpe) s.Bind(1, *cpe);
  if (!s.valid()) return Error("reading the crosswalk history");
  std::vector<CrosswalkFact> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadFact(s.get()));
  if (rc != SQLITE_DONE) return Error("reading the crosswalk history");
  return out;
}

}  // namespace cairn
