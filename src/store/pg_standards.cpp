// Standards frameworks and the crosswalk in PostgreSQL (the tables come from
// migration 10), with the SQLite engine's statements (sqlite_standards.cpp).
#include "store/pg_internal.h"

namespace cairn {
namespace {

// A version is current when no version of the same document is later
// (lastChangeDateTime, then import order).
#define CAIRN_PG_IS_CURRENT                                                                     \
  "NOT EXISTS (SELECT 1 FROM case_frameworks g WHERE g.document_identifier = "                  \
  "f.document_identifier AND (g.version_at > f.version_at OR (g.version_at = f.version_at AND " \
  "g.id > f.id)))"

#define CAIRN_PG_FRAMEWORK_COLUMNS                                                                 \
  "f.id, f.document_identifier, f.uri, f.title, f.creator, f.publisher, f.version, f.version_at, " \
  "f.content_sha256, f.imported_at, f.imported_by"

#define CAIRN_PG_ITEM_COLUMNS                                                                   \
  "i.framework_id, i.identifier, i.uri, i.human_coding_scheme, i.full_statement, i.item_type, " \
  "i.list_enumeration, i.parent_identifier, i.position"

#define CAIRN_PG_CROSSWALK_COLUMNS \
  "c.id, c.cpe, c.item_identifier, c.action, c.actor, c.at, c.source"

// Columns 0-12 of a framework row: CAIRN_PG_FRAMEWORK_COLUMNS, the item
// count and whether it is current.
CaseFrameworkRecord ReadFramework(const PgRows& r, int row) {
  CaseFrameworkRecord f;
  f.id = r.integer(row, 0);
  f.document_identifier = r.text(row, 1);
  f.uri = r.text(row, 2);
  f.title = r.text(row, 3);
  f.creator = r.text(row, 4);
  f.publisher = r.text(row, 5);
  f.version = r.text(row, 6);
  f.version_at = PgInstant(r, row, 7);
  f.content_sha256 = r.text(row, 8);
  f.imported_at = PgInstant(r, row, 9);
  f.imported_by = r.optional_integer(row, 10);
  f.item_count = r.small(row, 11);
  f.current = r.boolean(row, 12);
  return f;
}

CaseItemRecord ReadItem(const PgRows& r, int row) {
  CaseItemRecord i;
  i.framework_id = r.integer(row, 0);
  i.identifier = r.text(row, 1);
  i.uri = r.text(row, 2);
  i.human_coding_scheme = r.text(row, 3);
  i.full_statement = r.text(row, 4);
  i.item_type = r.text(row, 5);
  i.list_enumeration = r.text(row, 6);
  i.parent_identifier = r.text(row, 7);
  i.position = r.small(row, 8);
  return i;
}

CrosswalkFact ReadFact(const PgRows& r, int row) {
  CrosswalkFact f;
  f.id = r.integer(row, 0);
  f.cpe = r.text(row, 1);
  f.item_identifier = r.text(row, 2);
  f.linked = r.text(row, 3) == "link";
  f.actor = r.optional_integer(row, 4);
  f.at = PgInstant(r, row, 5);
  f.source = r.text(row, 6);
  return f;
}

using Texts = std::vector<std::optional<std::string>>;

}  // namespace

Result<Id> PgStore::InsertCaseFramework(const CaseFrameworkRecord& framework,
                                        const std::vector<CaseItemRecord>& items,
                                        const std::vector<CaseAssociationRecord>& associations) {
  Id id = 0;
  Status status = Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(
        id, InsertId("INSERT INTO case_frameworks(document_identifier, uri, title, creator, "
                     "publisher, version, version_at, content_sha256, imported_at, imported_by, "
                     "package) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id",
                     PgParams()
                         .Add(framework.document_identifier)
                         .Add(framework.uri)
                         .Add(framework.title)
                         .Add(framework.creator)
                         .Add(framework.publisher)
                         .Add(framework.version)
                         .Add(FormatInstant(framework.version_at))
                         .Add(framework.content_sha256)
                         .Add(FormatInstant(framework.imported_at))
                         .AddOptional(framework.imported_by)
                         .Add(framework.package),
                     "framework '" + framework.title + "'"));
    // A package's items and associations in one statement each (arrays).
    if (!items.empty()) {
      std::vector<Texts> columns(8);
      for (const CaseItemRecord& item : items) {
        columns[0].push_back(item.identifier);
        columns[1].push_back(item.uri);
        columns[2].push_back(item.human_coding_scheme);
        columns[3].push_back(item.full_statement);
        columns[4].push_back(item.item_type);
        columns[5].push_back(item.list_enumeration);
        columns[6].push_back(item.parent_identifier);
        columns[7].push_back(std::to_string(item.position));
      }
      PgParams params;
      params.Add(id);
      for (const Texts& column : columns) params.Add(PgArray(column));
      CAIRN_RETURN_IF_ERROR(
          Run("INSERT INTO case_items(framework_id, identifier, uri, human_coding_scheme, "
              "full_statement, item_type, list_enumeration, parent_identifier, position) "
              "SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], "
              "$6::text[], $7::text[], $8::text[], $9::integer[])",
              params, "items of framework '" + framework.title + "'")
              .status());
    }
    if (!associations.empty()) {
      std::vector<Texts> columns(8);
      for (const CaseAssociationRecord& a : associations) {
        columns[0].push_back(a.identifier);
        columns[1].push_back(a.type);
        columns[2].push_back(a.origin_identifier);
        columns[3].push_back(a.origin_uri);
        columns[4].push_back(a.destination_identifier);
        columns[5].push_back(a.destination_uri);
        columns[6].push_back(a.sequence_number
                                 ? std::optional<std::string>(std::to_string(*a.sequence_number))
                                 : std::nullopt);
        columns[7].push_back(std::to_string(a.position));
      }
      PgParams params;
      params.Add(id);
      for (const Texts& column : columns) params.Add(PgArray(column));
      CAIRN_RETURN_IF_ERROR(
          Run("INSERT INTO case_associations(framework_id, identifier, association_type, "
              "origin_identifier, origin_uri, destination_identifier, destination_uri, "
              "sequence_number, position) SELECT $1, * FROM unnest($2::text[], $3::text[], "
              "$4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::integer[])",
              params, "associations of framework '" + framework.title + "'")
              .status());
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return id;
}

Result<std::vector<CaseFrameworkRecord>> PgStore::CaseFrameworks() {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r,
      Run("SELECT " CAIRN_PG_FRAMEWORK_COLUMNS
          ", (SELECT COUNT(*) FROM case_items i WHERE i.framework_id = f.id), " CAIRN_PG_IS_CURRENT
          " FROM case_frameworks f "
          "ORDER BY f.document_identifier, f.version_at DESC, f.id DESC",
          {}, "reading frameworks"));
  std::vector<CaseFrameworkRecord> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadFramework(r, i));
  return out;
}

Result<std::optional<CaseFrameworkRecord>> PgStore::FindCaseFramework(Id id) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r,
      Run("SELECT " CAIRN_PG_FRAMEWORK_COLUMNS
          ", (SELECT COUNT(*) FROM case_items i WHERE i.framework_id = f.id), " CAIRN_PG_IS_CURRENT
          ", f.package FROM case_frameworks f WHERE f.id = $1",
          PgParams().Add(id), "reading framework"));
  if (r.empty()) return std::optional<CaseFrameworkRecord>{};
  CaseFrameworkRecord f = ReadFramework(r, 0);
  f.package = r.text(0, 13);
  return std::optional<CaseFrameworkRecord>(std::move(f));
}

Result<std::vector<CaseItemRecord>> PgStore::CaseItems(Id framework) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("SELECT " CAIRN_PG_ITEM_COLUMNS
                             " FROM case_items i WHERE i.framework_id = $1 ORDER BY i.position",
                             PgParams().Add(framework), "reading items"));
  std::vector<CaseItemRecord> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadItem(r, i));
  return out;
}

Result<std::vector<CaseAssociationRecord>> PgStore::CaseAssociations(Id framework) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r,
      Run("SELECT framework_id, identifier, association_type, origin_identifier, origin_uri, "
          "destination_identifier, destination_uri, sequence_number, position "
          "FROM case_associations WHERE framework_id = $1 ORDER BY position",
          PgParams().Add(framework), "reading associations"));
  std::vector<CaseAssociationRecord> out;
  for (int i = 0; i < r.size(); ++i) {
    CaseAssociationRecord a;
    a.framework_id = r.integer(i, 0);
    a.identifier = r.text(i, 1);
    a.type = r.text(i, 2);
    a.origin_identifier = r.text(i, 3);
    a.origin_uri = r.text(i, 4);
    a.destination_identifier = r.text(i, 5);
    a.destination_uri = r.text(i, 6);
    a.sequence_number = r.optional_integer(i, 7);
    a.position = r.small(i, 8);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<CurrentCaseItem>> PgStore::FindCurrentCaseItem(std::string_view identifier) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("SELECT " CAIRN_PG_ITEM_COLUMNS
                             ", f.document_identifier, f.title, f.uri FROM case_items i JOIN "
                             "case_frameworks f ON f.id = i.framework_id WHERE i.identifier = $1 "
                             "AND " CAIRN_PG_IS_CURRENT " ORDER BY f.id DESC LIMIT 1",
                             PgParams().Add(identifier), "reading item"));
  if (r.empty()) return std::optional<CurrentCaseItem>{};
  CurrentCaseItem out;
  out.item = ReadItem(r, 0);
  out.framework_identifier = r.text(0, 9);
  out.framework_title = r.text(0, 10);
  out.framework_uri = r.text(0, 11);
  return std::optional<CurrentCaseItem>(std::move(out));
}

Status PgStore::AppendCrosswalkFacts(const std::vector<CrosswalkFact>& facts) {
  return Transact([&]() -> Status {
    for (const CrosswalkFact& fact : facts) {
      CAIRN_RETURN_IF_ERROR(
          Run("INSERT INTO crosswalk_facts(cpe, item_identifier, action, actor, at, source) "
              "VALUES ($1,$2,$3,$4,$5,$6)",
              PgParams()
                  .Add(fact.cpe)
                  .Add(fact.item_identifier)
                  .Add(fact.linked ? "link" : "unlink")
                  .AddOptional(fact.actor)
                  .Add(FormatInstant(fact.at))
                  .Add(fact.source),
              "crosswalk " + fact.cpe + " -> " + fact.item_identifier)
              .status());
    }
    return Status::Ok();
  });
}

Result<std::vector<CrosswalkFact>> PgStore::CurrentCrosswalk(std::optional<std::string> cpe) {
  PgParams params;
  if (cpe) {
    params.Add(*cpe);
  } else {
    params.AddNull();
  }
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r,
      Run("SELECT " CAIRN_PG_CROSSWALK_COLUMNS
          " FROM crosswalk_facts c WHERE ($1::text IS NULL OR c.cpe = $1) AND c.action = 'link' "
          "AND c.id = (SELECT MAX(d.id) FROM crosswalk_facts d WHERE d.cpe = c.cpe AND "
          "d.item_identifier = c.item_identifier) ORDER BY c.cpe, c.id",
          params, "reading the crosswalk"));
  std::vector<CrosswalkFact> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadFact(r, i));
  return out;
}

Result<std::vector<CrosswalkFact>> PgStore::CrosswalkHistory(std::optional<std::string> cpe) {
  PgParams params;
  if (cpe) {
    params.Add(*cpe);
  } else {
    params.AddNull();
  }
  CAIRN_ASSIGN_OR_RETURN(
      PgRows r, Run("SELECT " CAIRN_PG_CROSSWALK_COLUMNS
                    " FROM crosswalk_facts c WHERE ($1::text IS NULL OR c.cpe = $1) ORDER BY c.id",
                    params, "reading the crosswalk history"));
  std::vector<CrosswalkFact> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(ReadFact(r, i));
  return out;
}

}  // namespace cairn
