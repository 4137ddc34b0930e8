#include "credentials/reissue.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "credentials/public_url_history.h"

namespace cairn {
namespace {

using nlohmann::json;

// The issuer id the stored credential names ("" when unreadable).
std::string IssuerIdOf(const IssuedCredential& c) {
  json body = json::parse(c.body, nullptr, false);
  if (!body.is_object() || !body.contains("issuer")) return "";
  const json& issuer = body["issuer"];
  if (issuer.is_string()) return issuer.get<std::string>();
  return issuer.is_object() ? issuer.value("id", "") : "";
}

const AwardFact* FindFact(const std::vector<AwardFact>& facts, FactId id) {
  for (const AwardFact& f : facts) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace

int ReissueReport::Reissued() const {
  int total = 0;
  for (const ReissueDistrict& d : districts) total += d.reissued;
  return total;
}

Result<ReissueReport> ReissueUnderBaseUrl(Store& store, const Catalog& catalog,
                                          const Roster& roster, const KeyVault& vault,
                                          IssuerOptions options) {
  if (!options.issuance_blocked.empty()) return Status::Precondition(options.issuance_blocked);
  while (!options.public_url.empty() && options.public_url.back() == '/') {
    options.public_url.pop_back();
  }
  if (options.public_url.empty()) return Status::InvalidField("public-url", "give the new URL");
  ReissueReport report;
  report.public_url = options.public_url;
  const std::string prefix = options.public_url + "/";
  const Instant now = options.clock();
  Status done = store.Transact([&]() -> Status {
    CredentialIssuer issuer(store, vault, options);
    std::set<Id> students;
    for (const District& d : roster.districts) {
      ReissueDistrict counts{d.id, d.sourced_id};
      CAIRN_ASSIGN_OR_RETURN(auto issued, store.Credentials(std::nullopt, d.id));
      for (const IssuedCredential& c : issued) {
        CAIRN_ASSIGN_OR_RETURN(CredentialIssuer::Revocation r, issuer.RevocationOf(c));
        if (r.revoked) {
          ++counts.revoked;
          continue;
        }
        const std::string issuer_id = IssuerIdOf(c);
        if (issuer_id.rfind(prefix, 0) == 0) {
          ++counts.already;
          continue;
        }
        // Its keys and status list stay recognisable under the old base.
        if (std::size_t cut = issuer_id.rfind("/issuers/"); cut != std::string::npos) {
          CAIRN_RETURN_IF_ERROR(RememberFormerPublicUrl(store, issuer_id.substr(0, cut)));
        }
        CAIRN_ASSIGN_OR_RETURN(auto facts, store.Awards(c.student_id));
        const AwardFact* confirm = FindFact(facts, c.award_id);
        if (!confirm) {
          return Status::Internal("credential " + c.uuid + ": its award fact " +
                                  std::to_string(c.award_id) + " is missing");
        }
        AwardFact revoke;
        revoke.student_id = c.student_id;
        revoke.badge_code = c.badge_code;
        revoke.action = AwardAction::kRevoked;
        revoke.recorded_at = now;
        revoke.reason = "re-issued under " + options.public_url;
        AwardFact again = *confirm;  // same date and explanation: the same award
        again.id = 0;
        CAIRN_RETURN_IF_ERROR(store.AppendAward(revoke).status());
        CAIRN_RETURN_IF_ERROR(store.AppendAward(again).status());
        students.insert(c.student_id);
        ++counts.reissued;
      }
      report.districts.push_back(counts);
    }
    const std::vector<Id> batch(students.begin(), students.end());
    CAIRN_ASSIGN_OR_RETURN(auto made, issuer.IssuePendingMany(catalog, roster, batch, 1));
    if (static_cast<int>(made.size()) < report.Reissued()) {
      // A badge gone from the catalog cannot be described again: keep the old one.
      return Status::Precondition("only " + std::to_string(made.size()) + " of " +
                                  std::to_string(report.Reissued()) +
                                  " credentials could be signed again (is every badge still in "
                                  "the catalog?); nothing was changed");
    }
    CAIRN_ASSIGN_OR_RETURN(auto current, store.GetSetting("public_url"));
    if (current && *current != options.public_url) {
      CAIRN_RETURN_IF_ERROR(RememberFormerPublicUrl(store, *current));
    }
    return store.PutSetting("public_url", options.public_url);
  });
  if (!done.ok()) return done;
  return report;
}

}  // namespace cairn
