// `cairn sign-in show|open|close` and `cairn invite`: which roles may sign in,
// and invitation links for imported people (the command-line side of the
// admin "Sign-in" page). Links are printed or written as CSV once: only their
// hashes are kept.
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "reports/csv.h"
#include "service/invitations.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

Result<std::vector<PersonRole>> ParseRoles(const std::vector<std::string>& names) {
  std::vector<PersonRole> roles;
  for (const std::string& name : names) {
    auto role = ParsePersonRole(name);
    if (!role) return Status::InvalidField("ROLE", "'" + name + "' is not a role");
    roles.push_back(*role);
  }
  return roles;
}

void RunShow(CliContext& ctx) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto policy = LoadSignInPolicy((*service)->store());
  if (!policy.ok()) return ctx.Fail(policy.status());
  json doc = json::parse(policy->ToJson());
  if (ctx.json_output) {
    ctx.out << doc.dump(2) << "\n";
    return;
  }
  std::string roles;
  for (const json& r : doc["roles"]) roles += (roles.empty() ? "" : ", ") + r.get<std::string>();
  ctx.out << "Sign-in is open to: " << roles << "\n";
}

void RunSetOpen(CliContext& ctx, const std::vector<std::string>& names, bool open) {
  auto roles = ParseRoles(names);
  if (!roles.ok()) return ctx.Fail(roles.status());
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  Store& store = (*service)->store();
  auto policy = LoadSignInPolicy(store);
  if (!policy.ok()) return ctx.Fail(policy.status());
  for (PersonRole role : *roles) policy->Set(role, open);
  if (Status s = store.PutSetting(kSignInSetting, policy->ToJson()); !s.ok()) return ctx.Fail(s);
  RunShow(ctx);
}

struct InviteOptions {
  std::string role, school;
  std::vector<std::string> people;
  bool replace = false;
  int days = static_cast<int>(kInvitationLifetime / 86400);
  std::string public_url, out_path;
};

void RunInvite(CliContext& ctx, const InviteOptions& o) {
  if (o.role.empty() == o.people.empty()) {
    return ctx.Fail(Status::InvalidField("--role", "name either --role or --person"));
  }
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  Store& store = (*service)->store();
  auto roster = store.LoadRoster();
  if (!roster.ok()) return ctx.Fail(roster.status());
  auto policy = LoadSignInPolicy(store);
  if (!policy.ok()) return ctx.Fail(policy.status());
  std::string url = o.public_url;
  if (url.empty()) {
    auto stored = store.GetSetting("public_url");
    if (!stored.ok()) return ctx.Fail(stored.status());
    url = stored->value_or("http://localhost:8080");
  }

  InvitationRequest request;
  request.now = SystemClock()();
  request.lifetime = Instant{o.days} * 86400;
  request.replace_open = o.replace;
  if (!o.role.empty()) {
    auto role = ParsePersonRole(o.role);
    if (!role || *role == PersonRole::kAdmin) {
      return ctx.Fail(Status::InvalidField("--role", "'" + o.role + "' cannot be invited"));
    }
    std::optional<Id> school;
    for (const School& s : roster->schools) {
      if (s.sourced_id == o.school) school = s.id;
    }
    if (!o.school.empty() && !school) {
      return ctx.Fail(Status::AtField(StatusCode::kNotFound, "--school", "no school " + o.school));
    }
    request.people = PeopleToInvite(*roster, *role, school);
  } else {
    for (const std::string& id : o.people) {
      const Person* p = roster->FindPersonBySourcedId(id);
      if (!p)
        return ctx.Fail(Status::AtField(StatusCode::kNotFound, "--person", "no person " + id));
      request.people.push_back(p);
    }
  }
  auto batch = CreateInvitations(store, request, *policy);
  if (!batch.ok()) return ctx.Fail(batch.status());

  std::vector<std::vector<std::string>> rows;
  json links = json::array();
  for (const NewInvitation& n : batch->created) {
    const std::string link = InvitationUrl(url, n.token);
    rows.push_back({n.person->sourced_id, n.person->DisplayName(),
                    std::string(PersonRoleName(n.person->role)), n.person->email, link,
                    FormatInstant(n.expires_at)});
    links.push_back({{"person", n.person->sourced_id}, {"url", link}});
  }
  if (!o.out_path.empty()) {
    std::ofstream file(o.out_path, std::ios::binary);
    WriteCsvRow(file, {"person", "name", "role", "email", "link", "expires_at"});
    for (const auto& row : rows) WriteCsvRow(file, row);
    if (!file.flush()) return ctx.Fail(Status::Internal("could not write " + o.out_path));
  }
  if (ctx.json_output) {
    ctx.out << json{{"created", o.out_path.empty() ? links : json(links.size())},
                    {"already_signed_up", batch->already_signed_up},
                    {"already_invited", batch->already_invited},
                    {"inactive", batch->inactive}}
                   .dump(2)
            << "\n";
    return;
  }
  ctx.out << batch->created.size() << " invitation(s) created";
  if (!o.out_path.empty()) ctx.out << ", links written to " << o.out_path;
  ctx.out << "; skipped " << batch->already_signed_up << " with a sign-in, "
          << batch->already_invited << " already invited, " << batch->inactive
          << " no longer on the roster.\n";
  if (o.out_path.empty()) {
    for (const auto& row : rows) ctx.out << row[0] << "  " << row[4] << "\n";
  }
}

}  // namespace

void AddSignInCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);
  CLI::App* show = command.add_subcommand("show", "Which roles may sign in");
  AddDbOption(*show, ctx);
  AddJsonFlag(*show, ctx);
  show->callback([&ctx] { RunShow(ctx); });
  for (bool open : {true, false}) {
    auto roles = std::make_shared<std::vector<std::string>>();
    CLI::App* set = command.add_subcommand(
        open ? "open" : "close",
        open ? "Let these roles sign in" : "Stop these roles signing in (their sessions end)");
    AddDbOption(*set, ctx);
    AddJsonFlag(*set, ctx);
    set->add_option("ROLE", *roles, "student, teacher, guardian, school_leader, district_leader")
        ->required();
    set->callback([&ctx, roles, open] { RunSetOpen(ctx, *roles, open); });
  }
}

void AddInviteCommand(CLI::App& command, CliContext& ctx) {
  auto o = std::make_shared<InviteOptions>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--role", o->role, "Invite everyone with this role who has no sign-in");
  command.add_option("--school", o->school, "Only in this school (its sourced id)");
  command.add_option("--person", o->people, "Invite these people (sourced ids) instead");
  command.add_flag("--replace", o->replace, "Revoke their open links and make new ones");
  command.add_option("--days", o->days, "How long the links work")->check(CLI::Range(1, 90));
  command.add_option("--public-url", o->public_url,
                     "The address people open (default: the one `cairn serve` settled on)");
  command.add_option("--out", o->out_path, "Write the links as CSV here (for a mail merge)");
  command.callback([&ctx, o] { RunInvite(ctx, *o); });
}

}  // namespace cairn::cli
