#include "interop/case/case_export.h"

#include <map>
#include <optional>

#include "service/crypto.h"

namespace cairn::standards {
namespace {

using nlohmann::json;

constexpr const char* kItemTypes[] = {"Badge", "CPE", "Indicator"};

class PackageBuilder {
 public:
  PackageBuilder(const Catalog& catalog, const CaseExportOptions& options)
      : catalog_(catalog), when_(FormatInstant(options.last_change)) {
    scope_ = "cairn:" + (catalog.framework_id.empty() ? catalog.title : catalog.framework_id);
    document_ = Link(catalog.title.empty() ? "Cairn badge catalog" : catalog.title, "document");
    creator_ = !options.creator.empty()     ? options.creator
               : !catalog.publisher.empty() ? catalog.publisher
                                            : "Cairn";
  }

  json Build() {
    json types = json::array();
    for (const char* type : kItemTypes) {
      const json link = Link(type, std::string("item-type:") + type);
      types.push_back({{"identifier", link["identifier"]},
                       {"uri", link["uri"]},
                       {"title", type},
                       {"description", std::string("Cairn ") + type},
                       {"typeCode", type},
                       {"hierarchyCode", std::to_string(types.size() + 1)},
                       {"lastChangeDateTime", when_}});
      type_links_[type] = link;
    }
    for (std::size_t b = 0; b < catalog_.badges.size(); ++b) {
      const Badge& badge = catalog_.badges[b];
      const json badge_link = Item("badge:" + badge.code, "Badge", badge.code, badge.title,
                                   badge.description, std::to_string(b + 1));
      ChildOf(badge_link, document_, static_cast<int>(b) + 1);
      for (std::size_t c = 0; c < badge.cpes.size(); ++c) {
        const Cpe& cpe = badge.cpes[c];
        const std::string statement = !cpe.statement.empty() ? cpe.statement
                                      : !cpe.label.empty()   ? cpe.label
                                                             : cpe.id;
        const json cpe_link =
            Item("cpe:" + cpe.id, "CPE", cpe.id, statement, cpe.label, std::to_string(c + 1));
        ChildOf(cpe_link, badge_link, static_cast<int>(c) + 1);
        for (std::size_t i = 0; i < cpe.indicators.size(); ++i) {
          const Indicator& indicator = cpe.indicators[i];
          const std::string text = !indicator.description.empty() ? indicator.description
                                   : !indicator.label.empty()     ? indicator.label
                                                                  : indicator.id;
          const json indicator_link = Item("indicator:" + indicator.id, "Indicator", indicator.id,
                                           text, indicator.label, std::to_string(i + 1));
          ChildOf(indicator_link, cpe_link, static_cast<int>(i) + 1);
        }
      }
    }
    for (const Badge& badge : catalog_.badges) {
      for (const std::string& before : badge.prerequisites) {
        auto it = badge_links_.find(before);
        if (it == badge_links_.end()) continue;  // the catalog reader refuses these
        Associate("precedes", it->second, badge_links_.at(badge.code), std::nullopt);
      }
    }
    json document{{"identifier", document_["identifier"]},
                  {"uri", document_["uri"]},
                  {"title", document_["title"]},
                  {"creator", creator_},
                  {"lastChangeDateTime", when_},
                  {"caseVersion", "1.1"},
                  {"language", "en"},
                  {"description",
                   "Badges of a mastery-based badging system, each with its Content and Practice "
                   "Expectations (CPEs) and their indicators, exported by Cairn."},
                  {"CFPackageURI", document_}};
    if (!catalog_.publisher.empty()) document["publisher"] = catalog_.publisher;
    if (!catalog_.version.empty()) document["version"] = catalog_.version;
    return {{"CFPackage",
             {{"CFDocument", std::move(document)},
              {"CFItems", std::move(items_)},
              {"CFAssociations", std::move(associations_)},
              {"CFDefinitions",
               {{"CFItemTypes", std::move(types)},
                {"CFConcepts", json::array()},
                {"CFSubjects", json::array()},
                {"CFLicenses", json::array()},
                {"CFAssociationGroupings", json::array()}}}}}};
  }

 private:
  json Link(const std::string& title, const std::string& name) const {
    const std::string id = NameUuid(scope_ + ":" + name);
    return {{"title", title}, {"identifier", id}, {"uri", "urn:uuid:" + id}};
  }

  json Item(const std::string& name, const char* type, const std::string& code,
            const std::string& statement, const std::string& abbreviated,
            const std::string& enumeration) {
    const json link = Link(code, name);
    json item{{"identifier", link["identifier"]},
              {"uri", link["uri"]},
              {"humanCodingScheme", code},
              {"fullStatement", statement},
              {"CFItemType", type},
              {"CFItemTypeURI", type_links_.at(type)},
              {"listEnumeration", enumeration},
              {"language", "en"},
              {"CFDocumentURI", document_},
              {"lastChangeDateTime", when_}};
    if (!abbreviated.empty() && abbreviated != statement)
      item["abbreviatedStatement"] = abbreviated;
    items_.push_back(std::move(item));
    if (std::string(type) == "Badge") badge_links_[code] = link;
    return link;
  }

  void ChildOf(const json& child, const json& parent, int sequence) {
    Associate("isChildOf", child, parent, sequence);
  }

  void Associate(const char* type, const json& origin, const json& destination,
                 std::optional<int> sequence) {
    const json link = Link(type, std::string("association:") + type + ":" +
                                     origin["identifier"].get<std::string>() + ":" +
                                     destination["identifier"].get<std::string>());
    json a{{"identifier", link["identifier"]},  {"uri", link["uri"]},
           {"associationType", type},           {"originNodeURI", origin},
           {"destinationNodeURI", destination}, {"CFDocumentURI", document_},
           {"lastChangeDateTime", when_}};
    if (sequence) a["sequenceNumber"] = *sequence;
    associations_.push_back(std::move(a));
  }

  const Catalog& catalog_;
  std::string when_;
  std::string scope_;
  std::string creator_;
  json document_;
  std::map<std::string, json> type_links_;
  std::map<std::string, json> badge_links_;
  json items_ = json::array();
  json associations_ = json::array();
};

}  // namespace

std::string NameUuid(const std::string& name) {
  std::string hex = Sha256Hex(name).substr(0, 32);
  hex[12] = '8';  // version 8: custom
  const char variant[] = "89ab";
  hex[16] = variant[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // variant 10xx
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

Result<json> CatalogAsCase(const Catalog& catalog, const CaseExportOptions& options) {
  if (catalog.badges.empty()) return Status::Precondition("the catalog has no badges to export");
  return PackageBuilder(catalog, options).Build();
}

}  // namespace cairn::standards
