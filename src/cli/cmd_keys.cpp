// `cairn keys list|revoke` (a district's signing keys, and marking a
// compromised one revoked) and `cairn reissue` (credentials moved to a new
// public URL): credentials/key_revocation.h, credentials/reissue.h.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "credentials/credential_issuer.h"
#include "credentials/public_url_policy.h"
#include "credentials/reissue.h"
#include "store/open_store.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

struct KeyFlags {
  std::string files;  // the portfolio folder, whose ".master-key" a PostgreSQL --db uses
  std::string district;
  std::string key;
  std::string reason;
  std::string at;  // when the key was compromised; empty: now
  std::string public_url;
  bool dev = false;
};

Result<KeyVault> OpenVault(const std::string& db, const std::string& files) {
  if (IsPostgresLocation(db)) {
    if (files.empty()) return Status::InvalidField("files", "give --files with a PostgreSQL --db");
    return KeyVault::Open(files + ".master-key");
  }
  return KeyVault::Open(DefaultMasterKeyPath(db));
}

// The issuer under the URL the database remembers.
struct Opened {
  std::unique_ptr<CairnService> service;
  KeyVault vault;
  Roster roster;
  std::string public_url;
};

Result<Opened> OpenAll(const std::string& db, const std::string& files) {
  CAIRN_ASSIGN_OR_RETURN(auto service, OpenService(db));
  CAIRN_ASSIGN_OR_RETURN(KeyVault vault, OpenVault(db, files));
  CAIRN_ASSIGN_OR_RETURN(Roster roster, service->store().LoadRoster());
  roster.Index();
  CAIRN_ASSIGN_OR_RETURN(auto url, service->store().GetSetting("public_url"));
  return Opened{std::move(service), vault, std::move(roster), url ? *url : "http://localhost"};
}

Result<Id> DistrictId(const Roster& roster, const std::string& sourced_id) {
  for (const District& d : roster.districts) {
    if (d.sourced_id == sourced_id) return d.id;
  }
  return Status::AtField(StatusCode::kNotFound, "district", "no district '" + sourced_id + "'");
}

void RunList(CliContext& ctx, const KeyFlags& flags) {
  auto opened = OpenAll(ctx.db, flags.files);
  if (!opened.ok()) return ctx.Fail(opened.status());
  auto district = DistrictId(opened->roster, flags.district);
  if (!district.ok()) return ctx.Fail(district.status());
  CredentialIssuer issuer(opened->service->store(), opened->vault,
                          IssuerOptions{opened->public_url, SystemClock()});
  auto states = issuer.KeyStates(*district);
  if (!states.ok()) return ctx.Fail(states.status());
  json out = json::array();
  for (const CredentialIssuer::KeyState& s : *states) {
    json k{{"key_id", s.key.key_id},
           {"algorithm", KeyAlgorithmName(s.key.algorithm)},
           {"created_at", FormatInstant(s.key.created_at)},
           {"assertion_method", s.assertion}};
    if (s.key.retired_at) k["retired_at"] = FormatInstant(*s.key.retired_at);
    if (s.revocation) {
      k["revoked_at"] = FormatInstant(s.revocation->revoked_at);
      k["revoked_reason"] = s.revocation->reason;
    }
    out.push_back(std::move(k));
  }
  if (ctx.json_output) {
    ctx.out << out.dump(2) << "\n";
    return;
  }
  for (const json& k : out) {
    ctx.out << k["key_id"].get<std::string>() << "  " << k["algorithm"].get<std::string>()
            << "  created " << k["created_at"].get<std::string>()
            << (k.contains("retired_at") ? "  retired " + k["retired_at"].get<std::string>() : "")
            << (k.contains("revoked_at") ? "  REVOKED from " + k["revoked_at"].get<std::string>()
                                         : "")
            << (k["assertion_method"].get<bool>() ? "  (may back credentials)" : "") << "\n";
  }
}

void RunRevoke(CliContext& ctx, const KeyFlags& flags) {
  auto opened = OpenAll(ctx.db, flags.files);
  if (!opened.ok()) return ctx.Fail(opened.status());
  auto district = DistrictId(opened->roster, flags.district);
  if (!district.ok()) return ctx.Fail(district.status());
  const Instant now = SystemClock()();
  KeyRevocation revocation;
  revocation.key_id = flags.key;
  revocation.reason = flags.reason;
  revocation.revoked_at = now;
  if (!flags.at.empty()) {
    auto at = ParseInstant(flags.at);
    if (!at.ok()) return ctx.Fail(Status::InvalidField("at", at.status().message()));
    revocation.revoked_at = *at;
  }
  Store& store = opened->service->store();
  CredentialIssuer issuer(store, opened->vault, IssuerOptions{opened->public_url, SystemClock()});
  Result<KeyRevocation> done = Status::Internal("not run");
  Status s = store.Transact([&]() -> Status {
    done = issuer.RevokeKey(*district, revocation);
    if (!done.ok()) return done.status();
    AuditEntry audit;
    audit.at = now;
    audit.action = "write";
    audit.resource = "cairn keys revoke";
    audit.detail = "key " + flags.district + "/" + flags.key + " revoked from " +
                   FormatInstant(revocation.revoked_at) + ": " + flags.reason;
    return store.AppendAudit(audit);
  });
  if (!s.ok()) return ctx.Fail(s);
  if (ctx.json_output) {
    ctx.out << json{{"district", flags.district},
                    {"key_id", done->key_id},
                    {"revoked_at", FormatInstant(done->revoked_at)},
                    {"reason", done->reason}}
                   .dump(2)
            << "\n";
    return;
  }
  ctx.out << "Key " << done->key_id << " of " << flags.district << " is revoked from "
          << FormatInstant(done->revoked_at)
          << ": credentials it signed from then on no longer verify.\n";
}

void RunReissue(CliContext& ctx, const KeyFlags& flags) {
  auto opened = OpenAll(ctx.db, flags.files);
  if (!opened.ok()) return ctx.Fail(opened.status());
  if (!opened->service->has_catalog()) {
    return ctx.Fail(Status::Precondition("load a catalog first: there is nothing to re-issue"));
  }
  IssuerOptions options{flags.public_url, SystemClock()};
  options.issuance_blocked = IssuanceBlockedReason(flags.public_url, flags.dev);
  Store& store = opened->service->store();
  auto report = ReissueUnderBaseUrl(store, opened->service->catalog(), opened->roster,
                                    opened->vault, options);
  if (!report.ok()) return ctx.Fail(report.status());
  AuditEntry audit;
  audit.at = SystemClock()();
  audit.action = "write";
  audit.resource = "cairn reissue";
  audit.detail = std::to_string(report->Reissued()) + " credentials re-issued under " +
                 report->public_url + " (was " + opened->public_url + ")";
  if (Status s = store.AppendAudit(audit); !s.ok()) return ctx.Fail(s);
  if (ctx.json_output) {
    json districts = json::array();
    for (const ReissueDistrict& d : report->districts) {
      districts.push_back({{"district", d.district},
                           {"reissued", d.reissued},
                           {"already", d.already},
                           {"revoked", d.revoked}});
    }
    ctx.out << json{{"public_url", report->public_url},
                    {"reissued", report->Reissued()},
                    {"districts", districts}}
                   .dump(2)
            << "\n";
    return;
  }
  ctx.out << "Re-issued " << report->Reissued() << " credentials under " << report->public_url
          << " (the old ones are revoked through their status lists).\n";
  for (const ReissueDistrict& d : report->districts) {
    ctx.out << "  " << d.district << ": " << d.reissued << " re-issued, " << d.already
            << " already there, " << d.revoked << " revoked before (left alone)\n";
  }
}

}  // namespace

void AddKeysCommand(CLI::App& command, CliContext& ctx) {
  auto flags = std::make_shared<KeyFlags>();
  command.require_subcommand(1);
  CLI::App* list = command.add_subcommand("list", "A district's signing keys and their state");
  CLI::App* revoke =
      command.add_subcommand("revoke", "Mark a compromised key revoked from a given time");
  for (CLI::App* sub : {list, revoke}) {
    AddDbOption(*sub, ctx);
    AddJsonFlag(*sub, ctx);
    sub->add_option("--files", flags->files, "Portfolio folder (with a PostgreSQL --db)");
    sub->add_option("--district", flags->district, "District sourced id")->required();
  }
  revoke->add_option("--key", flags->key, "Key id, e.g. key-1")->required();
  revoke->add_option("--reason", flags->reason, "Why (kept and audited)")->required();
  revoke->add_option("--at", flags->at,
                     "When it was compromised (RFC 3339, default now): credentials signed from "
                     "then on fail verification");
  list->callback([&ctx, flags] { RunList(ctx, *flags); });
  revoke->callback([&ctx, flags] { RunRevoke(ctx, *flags); });
}

void AddReissueCommand(CLI::App& command, CliContext& ctx) {
  auto flags = std::make_shared<KeyFlags>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--files", flags->files, "Portfolio folder (with a PostgreSQL --db)");
  command.add_option("--public-url", flags->public_url, "The new base URL (https://...)")
      ->required();
  command.add_flag("--dev", flags->dev, "Allow an http: or loopback URL (local development)");
  command.callback([&ctx, flags] { RunReissue(ctx, *flags); });
}

}  // namespace cairn::cli
