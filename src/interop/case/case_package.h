// Reads a CASE 1.0 or 1.1 package (1EdTech Competencies and Academic
// Standards Exchange: a CFPackage as OpenSALT and the CASE Network publish
// it, bare or wrapped in {"CFPackage": ...}) into plain values, and refuses
// what Cairn cannot trust with every problem at its JSON path
// ("CFItems[12].fullStatement: missing"), never only the first.
//
// Strict where Cairn relies on the data:
// - Required: CFDocument (identifier, uri, title, creator,
//   lastChangeDateTime); per CFItem identifier, uri, fullStatement,
//   lastChangeDateTime; per CFAssociation identifier, uri, associationType,
//   originNodeURI and destinationNodeURI (each with identifier and uri),
//   lastChangeDateTime; per CFDefinitions entry and CFRubric identifier,
//   uri, lastChangeDateTime (and title for definitions).
// - Types: strings are strings, lastChangeDateTime is an xsd:dateTime
//   ("2017-09-22T23:13:54+00:00", "...Z", with or without fractions), uri
//   an absolute URI, sequenceNumber a whole number, associationType one of
//   CASE's (isChildOf, isPeerOf, isPartOf, exactMatchOf, precedes,
//   isRelatedTo, replacedBy, exemplar, hasSkillLevel, isTranslationOf) or
//   "ext:" followed by a name.
// - Identifiers are unique across the whole package; item URIs too.
// - An isChildOf association joins two nodes of this package (origin an
//   item, destination an item or the document) and the tree has no cycle;
//   any other association has at least one end in this package (the other
//   may be an item of another framework).
// - caseVersion, when given, is 1.0 or 1.1 (or 1.x).
// Tolerant of everything else: unknown fields are ignored, optional fields
// may be absent, null or empty, CFAssociations and CFItems may be absent.
//
// Limits (CaseLimits): the text's size, the number of items and
// associations, and one string's length are checked before or while
// reading; over them the answer is kResourceExhausted naming the limit.
//
// Pure: no I/O, no clock. Thread-compatible plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "common/time.h"

namespace cairn::standards {

// A reference to another CASE object (CASE's LinkURI / LinkGenURI).
struct CaseLink {
  std::string title;
  std::string identifier;
  std::string uri;
};

struct CaseDocument {
  std::string identifier;
  std::string uri;
  std::string title;
  std::string creator;
  std::string publisher;
  std::string description;
  std::string version;  // the publisher's own version label, if any
  std::string adoption_status;
  std::string language;
  std::string case_version;    // "1.0" when the document does not say
  std::string last_change;     // lastChangeDateTime as written
  Instant last_change_at = 0;  // the same, in UTC
};

struct CaseItem {
  std::string identifier;
  std::string uri;
  std::string full_statement;
  std::string human_coding_scheme;
  std::string abbreviated_statement;
  std::string list_enumeration;
  std::string item_type;  // CFItemType, e.g. "Standard", "Cluster"
  std::string language;
  std::vector<std::string> education_level;
  std::string last_change;
  Instant last_change_at = 0;
};

struct CaseAssociation {
  std::string identifier;
  std::string uri;
  std::string type;  // "isChildOf", "exactMatchOf", "ext:..."
  CaseLink origin;
  CaseLink destination;
  std::optional<std::int64_t> sequence_number;
  std::string last_change;
};

// One entry of CFDefinitions (item types, concepts, subjects, licenses,
// association groupings): what Cairn keeps of them.
struct CaseDefinition {
  std::string identifier;
  std::string uri;
  std::string title;
  std::string description;
  std::string last_change;
};

struct CaseRubric {
  std::string identifier;
  std::string uri;
  std::string title;
  std::string description;
  int criteria = 0;  // CFRubricCriteria
  std::string last_change;
};

struct CasePackage {
  CaseDocument document;
  std::vector<CaseItem> items;  // in package order
  std::vector<CaseAssociation> associations;
  std::vector<CaseDefinition> item_types, concepts, subjects, licenses, association_groupings;
  std::vector<CaseRubric> rubrics;
  // The package object as read (unwrapped from "CFPackage"), compact, keys
  // sorted: equal for two files that differ only in layout or key order.
  std::string canonical_json;
};

struct CaseLimits {
  std::size_t max_bytes = 64u << 20;  // the whole file
  std::size_t max_items = 200'000;
  std::size_t max_associations = 1'000'000;
  std::size_t max_text = 64u << 10;  // one string field, in bytes
  std::size_t max_problems = 500;    // listed; more are counted in one last entry
  int max_depth = 32;                // JSON nesting
};

// Parses and checks `text`, a CASE package. `source` names it in messages
// ("ccss-math.json"). Errors: kResourceExhausted over a limit;
// kInvalidArgument for text that is not JSON, or with every content
// problem as a field error (Status::fields(), paths like
// "CFAssociations[3].destinationNodeURI.identifier").
Result<CasePackage> ParseCasePackage(std::string_view text, std::string_view source,
                                     const CaseLimits& limits = {});

// "2017-09-22T23:13:54+00:00" (xsd:dateTime: fractions, "Z", an offset, or
// no zone read as UTC) as a UTC instant.
Result<Instant> ParseCaseDateTime(std::string_view text);

// Whether `text` is an absolute URI: a scheme ("https", "urn"), a colon and
// at least one more character, with no spaces or control characters.
bool IsAbsoluteUri(std::string_view text);

// Whether `type` is an association type CASE defines or an "ext:" one.
bool IsCaseAssociationType(std::string_view type);

}  // namespace cairn::standards
