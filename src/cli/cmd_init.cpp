// `cairn init`: create or upgrade a database; with --admin, also the first
// administrator of an empty district, who receives an invitation link to
// choose their own password (no password travels on a command line). A
// database with no catalog starts from one (the built-in XQ Math framework
// unless --catalog says otherwise), so the web app has badges to work on.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iterator>
#include <memory>

#include "cli/cli_context.h"
#include "demo/demo_district.h"
#include "service/invitations.h"
#include "store/open_store.h"

namespace cairn::cli {
namespace {

struct InitOptions {
  std::string admin;  // the administrator's sourced id and suggested username
  std::string district = "district";
  std::string district_name = "District";
  std::string email;
  std::string public_url = "http://localhost:8080";
  std::string catalog = "builtin";  // "builtin", "none" or a catalog JSON file
};

// Loads the starting catalog when the database has none; a catalog already
// in force is never replaced by init.
Status LoadStartingCatalog(const std::string& db, const std::string& choice, std::ostream& out) {
  if (choice == "none") return Status::Ok();
  CAIRN_ASSIGN_OR_RETURN(auto service, OpenService(db));
  if (service->has_catalog()) return Status::Ok();
  std::string text;
  std::string source = choice;
  if (choice == "builtin") {
    text = BuiltinXqCatalogJson();
    source = "built-in xq-math";
  } else {
    std::ifstream in(choice, std::ios::binary);
    if (!in)
      return Status::AtField(StatusCode::kNotFound, "--catalog", choice + ": cannot read file");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  CAIRN_ASSIGN_OR_RETURN(auto version, service->LoadCatalog(text, source));
  const Catalog& c = service->catalog();
  out << "Catalog: " << c.title << " (" << c.badges.size() << " badges, " << c.CpeCount()
      << " CPEs) loaded as version " << version << "; edit it in the web app's catalog editor.\n";
  return Status::Ok();
}

Status AddFirstAdmin(Store& store, const InitOptions& o, std::ostream& out) {
  CAIRN_ASSIGN_OR_RETURN(auto existing, store.FindPerson(o.admin));
  if (existing) {
    return Status::AtField(StatusCode::kAlreadyExists, "--admin",
                           "'" + o.admin + "' is already on the roster");
  }
  CAIRN_ASSIGN_OR_RETURN(Roster roster, store.LoadRoster());
  std::optional<Id> district;
  for (const District& d : roster.districts) {
    if (d.sourced_id == o.district) district = d.id;
  }
  NewInvitation link;
  CAIRN_RETURN_IF_ERROR(store.Transact([&]() -> Status {
    // The district's sourced id should be the one the student information
    // system exports, so its OneRoster import fills in this district.
    if (!district) {
      CAIRN_ASSIGN_OR_RETURN(district, store.InsertDistrict({0, o.district, o.district_name}));
    }
    Person admin;
    admin.sourced_id = o.admin;
    admin.role = PersonRole::kAdmin;
    admin.given_name = "District";
    admin.family_name = "Administrator";
    admin.email = o.email;
    admin.district_id = *district;
    CAIRN_ASSIGN_OR_RETURN(admin.id, store.InsertPerson(admin));
    Roster one;
    one.people.push_back(admin);
    one.Index();
    InvitationRequest request;
    request.people = {&one.people[0]};
    request.now = SystemClock()();
    request.lifetime = 2 * 86400;
    CAIRN_ASSIGN_OR_RETURN(auto batch,
                           CreateInvitations(store, request, SignInPolicy::AdminsOnly()));
    if (batch.created.size() != 1) return Status::Internal("no invitation was made");
    link = batch.created[0];
    return Status::Ok();
  }));
  out << "Administrator " << o.admin << " added to district " << o.district
      << ". Open this link within 2 days to choose a username and password:\n  "
      << InvitationUrl(o.public_url, link.token) << "\n";
  return Status::Ok();
}

}  // namespace

void AddInitCommand(CLI::App& command, CliContext& ctx) {
  auto o = std::make_shared<InitOptions>();
  AddDbOption(command, ctx);
  command.add_option("--admin", o->admin,
                     "Also add the first administrator (a sourced id, e.g. admin) and print "
                     "their invitation link");
  command.add_option("--district", o->district,
                     "The administrator's district: its sourced id in your SIS export");
  command.add_option("--district-name", o->district_name, "The district's name");
  command.add_option("--email", o->email, "The administrator's email address");
  command.add_option("--public-url", o->public_url, "The address people open Cairn at");
  command.add_option("--catalog", o->catalog,
                     "The badge catalog to start from when the database has none: builtin "
                     "(the XQ Math framework), none, or a catalog JSON file");
  command.callback([&ctx, o] {
    int version = 0;
    {
      auto store = OpenStore(ctx.db, &version);
      if (!store.ok()) return ctx.Fail(store.status());
      ctx.out << "Database " << RedactedLocation(ctx.db) << " is at schema version " << version
              << "\n";
      if (!o->admin.empty()) {
        if (Status s = AddFirstAdmin(**store, *o, ctx.out); !s.ok()) return ctx.Fail(s);
      }
    }
    if (Status s = LoadStartingCatalog(ctx.db, o->catalog, ctx.out); !s.ok()) return ctx.Fail(s);
  });
}

}  // namespace cairn::cli
