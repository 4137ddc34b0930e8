#include "cli/commands.h"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "catalog/catalog_json.h"
#include "cli/cmd_backup.h"
#include "cli/http_fetch.h"
#include "cli/verify_hooks.h"
#include "demo/demo_district.h"
#include "reports/tracking_sheet.h"
#include "server/api.h"
#include "server/http_server.h"
#include "service/explanation_json.h"
#include "store/sqlite_store.h"

#include <pthread.h>
#include <unistd.h>
#include <csignal>
#include <filesystem>
#include <thread>
#include <vector>

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "dev"
#endif

namespace cairn {
namespace {

using nlohmann::json;

// Logins the demo creates, one per role, all with kDemoPassword.
constexpr const char* kDemoPassword = "cairn-demo-2026";
constexpr const char* kDemoLogins[] = {"admin",       "leader-district", "leader-school-1",
                                       "teacher-001", "student-00001",   "guardian-00001"};

struct Context {
  std::string db = "cairn-data/cairn.db";
  bool json_output = false;
  std::ostream* out;
  std::ostream* err;
};

Status EnsureParentDirectory(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return Status::Internal(parent.string() + ": cannot create directory: " + ec.message());
  return Status::Ok();
}

Result<std::unique_ptr<CairnService>> OpenService(const Context& ctx) {
  CAIRN_RETURN_IF_ERROR(EnsureParentDirectory(ctx.db));
  CAIRN_ASSIGN_OR_RETURN(auto store, SqliteStore::Open(ctx.db));
  return CairnService::Open(std::move(store), SystemClock());
}

int Fail(const Context& ctx, const Status& status) {
  if (ctx.json_output) {
    *ctx.out << json{{"error",
                      {{"code", StatusCodeName(status.code())}, {"message", status.message()}}}}
                    .dump(2)
             << "\n";
  }
  *ctx.err << "cairn: " << StatusCodeName(status.code()) << ": " << status.message() << "\n";
  return 1;
}

int PrintExplanation(const Context& ctx, const BadgeExplanation& e) {
  std::ostream& out = *ctx.out;
  out << e.badge_code << " " << e.badge_title << "\n";
  out << "  Rule: " << e.rule_summary << "\n";
  out << "  Status: " << (e.met ? "rule met" : "not yet") << " (" << e.cpes_counting << " of "
      << e.cpes_needed << " CPEs needed)\n";
  for (const CpeExplanation& c : e.cpes) {
    out << "  [" << (c.counts ? "x" : " ") << "] " << c.cpe_id << " " << c.label
        << (c.required ? " (required)" : "") << ": " << c.reason << "\n";
  }
  if (!e.remaining.empty()) {
    out << "  Remaining:\n";
    for (const std::string& item : e.remaining) out << "    - " << item << "\n";
  }
  return 0;
}

// Where `cairn serve` looks for the built web app when --web-root is not
// given, in order: a source checkout (build/cairn or build-ci/cairn next to
// web/), a build tree one level deeper (build/x/cairn), an install
// (bin/cairn next to share/cairn/web), then the working directory's web/dist.
std::vector<std::filesystem::path> WebRootCandidates() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    fs::path dir = exe.parent_path();
    candidates.push_back((dir / "../web/dist").lexically_normal());
    candidates.push_back((dir / "../../web/dist").lexically_normal());
    candidates.push_back((dir / "../share/cairn/web").lexically_normal());
  }
  candidates.push_back(fs::absolute("web/dist", ec).lexically_normal());
  return candidates;
}

// The first candidate holding index.html, or "" when none does.
std::string FindWebRoot(const std::vector<std::filesystem::path>& candidates) {
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "index.html", ec)) return dir.string();
  }
  return {};
}

void AddDb(CLI::App* app, Context& ctx) {
  app->add_option("--db", ctx.db, "SQLite database file")->capture_default_str();
}

void AddJson(CLI::App* app, Context& ctx) {
  app->add_flag("--json", ctx.json_output, "Print JSON instead of text");
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Context ctx;
  ctx.out = &out;
  ctx.err = &err;
  CLI::App app{"Cairn: mastery-based badges for schools."};
  app.name("cairn");
  app.require_subcommand(1);
  app.set_version_flag("--version", CAIRN_VERSION);
  int result = 0;

  // init
  CLI::App* init = app.add_subcommand("init", "Create or upgrade a Cairn database");
  AddDb(init, ctx);
  init->callback([&] {
    if (Status s = EnsureParentDirectory(ctx.db); !s.ok()) {
      result = Fail(ctx, s);
      return;
    }
    auto store = SqliteStore::Open(ctx.db);
    if (!store.ok()) {
      result = Fail(ctx, store.status());
      return;
    }
    out << "Database " << ctx.db << " is at schema version " << (*store)->SchemaVersion() << "\n";
  });

  // catalog load / show
  CLI::App* catalog = app.add_subcommand("catalog", "Load or show the badge catalog");
  catalog->require_subcommand(1);
  std::string catalog_file;
  bool builtin = false;
  CLI::App* load = catalog->add_subcommand("load", "Validate and load a catalog JSON file");
  AddDb(load, ctx);
  AddJson(load, ctx);
  load->add_option("file", catalog_file, "Catalog JSON (docs/catalog-format.md)");
  load->add_flag("--builtin", builtin, "Load the built-in XQ Math catalog instead of a file");
  load->callback([&] {
    std::string text;
    std::string source = catalog_file;
    if (builtin) {
      text = BuiltinXqCatalogJson();
      source = "built-in xq-math";
    } else {
      if (catalog_file.empty()) {
        result = Fail(ctx, Status::Invalid("give a catalog FILE or --builtin"));
        return;
      }
      std::ifstream in(catalog_file, std::ios::binary);
      if (!in) {
        result = Fail(ctx, Status::NotFound(catalog_file + ": cannot read file"));
        return;
      }
      text.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    auto version = (*service)->LoadCatalog(text, source);
    if (!version.ok()) {
      result = Fail(ctx, version.status());
      return;
    }
    const Catalog& c = (*service)->catalog();
    if (ctx.json_output) {
      out << json{{"catalog_version", *version},
                  {"badges", c.badges.size()},
                  {"cpes", c.CpeCount()}}
                 .dump(2)
          << "\n";
    } else {
      out << "Loaded " << c.title << " (" << c.badges.size() << " badges, " << c.CpeCount()
          << " CPEs) as catalog version " << *version << "\n";
    }
  });
  CLI::App* show = catalog->add_subcommand("show", "Show the catalog in force");
  AddDb(show, ctx);
  AddJson(show, ctx);
  show->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    if (!(*service)->has_catalog()) {
      result = Fail(ctx, Status::Precondition("no catalog loaded; run `cairn catalog load FILE`"));
      return;
    }
    const Catalog& c = (*service)->catalog();
    if (ctx.json_output) {
      out << CatalogToJson(c).dump(2) << "\n";
      return;
    }
    out << c.title << " (" << c.framework_id << ", version " << c.version << ")\n";
    out << "Default calculation: " << DescribeCalculation(c.default_calculation) << "\n";
    for (const Badge& b : c.badges) {
      std::size_t indicators = 0;
      for (const Cpe& cpe : b.cpes) indicators += cpe.indicators.size();
      out << "  " << b.code << "  " << b.title << "  (" << b.cpes.size() << " CPEs, " << indicators
          << " indicators";
      if (!b.prerequisites.empty()) {
        out << "; after";
        for (const std::string& p : b.prerequisites) out << " " << p;
      }
      out << ")\n";
    }
    for (const Pathway& p : c.pathways) {
      out << "Pathway " << p.id << ": " << p.title << (p.example ? " (example)" : "") << ":";
      for (const std::string& code : p.badges) out << " " << code;
      out << "\n";
    }
  });

  // settings
  CLI::App* settings = app.add_subcommand("settings", "Change district settings");
  AddDb(settings, ctx);
  std::string auto_award;
  std::string method;
  int method_n = 3;
  double method_weight = 0.65;
  bool include_formative = false;
  settings->add_option("--auto-award", auto_award, "Confirm awards without a teacher: on|off")
      ->check(CLI::IsMember({"on", "off"}));
  settings->add_option("--method", method, "Default calculation method (docs/mastery-methods.md)");
  settings->add_option("--n", method_n, "The method's n (recent scores, times at mastery)");
  settings->add_option("--weight", method_weight, "The decaying average weight, (0, 1]");
  settings->add_flag("--include-formative", include_formative,
                     "Count formative checks in the calculation");
  settings->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    if (!auto_award.empty()) {
      Status s = (*service)->SetAutoAward(auto_award == "on");
      if (!s.ok()) {
        result = Fail(ctx, s);
        return;
      }
    }
    if (!method.empty()) {
      auto parsed = ParseMethod(method);
      if (!parsed) {
        result = Fail(ctx, Status::Invalid("--method: unknown method '" + method + "'"));
        return;
      }
      if (method_n < 1 || method_weight <= 0 || method_weight > 1) {
        result = Fail(ctx, Status::Invalid("--n must be >= 1 and --weight in (0, 1]"));
        return;
      }
      Status s = (*service)->SetDefaultCalculation(
          CalculationSpec{*parsed, method_n, method_weight, include_formative});
      if (!s.ok()) {
        result = Fail(ctx, s);
        return;
      }
    }
    out << "Auto-award: " << ((*service)->auto_award() ? "on" : "off") << "\n";
    if ((*service)->has_catalog()) {
      out << "Default calculation: "
          << DescribeCalculation((*service)->catalog().default_calculation) << "\n";
    }
  });

  // demo
  CLI::App* demo = app.add_subcommand("demo", "Create a synthetic demo district");
  AddDb(demo, ctx);
  AddJson(demo, ctx);
  DemoOptions demo_options;
  demo->add_option("--students", demo_options.students, "Number of students")
      ->capture_default_str();
  demo->add_option("--seed", demo_options.seed, "Random seed")->capture_default_str();
  demo->add_option("--schools", demo_options.schools, "Number of schools (1-4)")
      ->capture_default_str();
  demo->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    auto summary = GenerateDemoDistrict(**service, demo_options);
    if (!summary.ok()) {
      result = Fail(ctx, summary.status());
      return;
    }
    const DemoSummary& s = *summary;
    for (const char* login : kDemoLogins) {
      Status created =
          CreateAccount((*service)->store(), login, login, kDemoPassword, SystemClock()());
      if (!created.ok()) {
        result = Fail(ctx, created);
        return;
      }
    }
    if (ctx.json_output) {
      out << json{{"schools", s.schools},
                  {"sections", s.sections},
                  {"teachers", s.teachers},
                  {"students", s.students},
                  {"guardians", s.guardians},
                  {"ratings", s.ratings},
                  {"voids", s.voids},
                  {"corrections", s.corrections},
                  {"habits", s.habits},
                  {"awards_confirmed", s.awards_confirmed},
                  {"awards_proposed", s.awards_proposed}}
                 .dump(2)
          << "\n";
    } else {
      out << "Demo district in " << ctx.db << ": " << s.schools << " schools, " << s.sections
          << " sections, " << s.teachers << " teachers, " << s.students << " students, "
          << s.ratings << " ratings (" << s.corrections << " corrections, " << s.voids
          << " voids), " << s.habits << " habit observations, " << s.awards_confirmed
          << " badges awarded, " << s.awards_proposed << " awaiting confirmation.\n"
          << "Demo logins (password " << kDemoPassword << "):";
      for (const char* login : kDemoLogins) out << " " << login;
      out << "\nTry: cairn progress --db " << ctx.db << " --student student-00001\n";
    }
  });

  // record
  CLI::App* record = app.add_subcommand("record", "Record a rating (append a fact)");
  AddDb(record, ctx);
  AddJson(record, ctx);
  RatingInput input;
  FactId corrects = 0;
  record->add_option("--student", input.student, "Student id")->required();
  record->add_option("--cpe", input.cpe_id, "CPE id, e.g. M101.2")->required();
  record->add_option("--level", input.level_id, "Scale level id, e.g. proficient")->required();
  record->add_option("--date", input.demonstrated_on, "Date the work was done, YYYY-MM-DD")
      ->required();
  record->add_option("--by", input.recorded_by, "Teacher id")->required();
  record
      ->add_option("--kind", input.kind,
                   "formative|summative|performance_task|portfolio_item|external_assessment|"
                   "outside_school")
      ->capture_default_str();
  record->add_option("--indicator", input.indicator_id, "Indicator id");
  record->add_option("--note", input.note, "Feedback to the student");
  record->add_option("--artifact", input.artifact_ref, "Artifact reference (URL, portfolio item)");
  record->add_option("--corrects", corrects, "Id of the rating this one corrects");
  record->callback([&] {
    if (corrects > 0) input.corrects = corrects;
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    auto outcome = (*service)->RecordRating(input);
    if (!outcome.ok()) {
      result = Fail(ctx, outcome.status());
      return;
    }
    if (ctx.json_output) {
      out << ToJson(*outcome, (*service)->catalog()).dump(2) << "\n";
      return;
    }
    out << "Recorded rating " << outcome->fact_id << ".\n";
    if (outcome->award_action) {
      out << "Badge " << outcome->badge.badge_code << ": award "
          << AwardActionName(*outcome->award_action) << ".\n";
    }
    PrintExplanation(ctx, outcome->badge);
  });

  // habit
  CLI::App* habit =
      app.add_subcommand("habit", "Record a habit-of-work observation (kept apart from mastery)");
  AddDb(habit, ctx);
  AddJson(habit, ctx);
  HabitInput habit_input;
  habit->add_option("--student", habit_input.student, "Student id")->required();
  habit->add_option("--habit", habit_input.habit_id, "Habit id, e.g. persistence")->required();
  habit->add_option("--level", habit_input.level_id, "Habit scale level id")->required();
  habit->add_option("--date", habit_input.observed_on, "Date observed, YYYY-MM-DD")->required();
  habit->add_option("--by", habit_input.recorded_by, "Teacher id")->required();
  habit->add_option("--note", habit_input.note, "Note to the student");
  habit->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    auto id = (*service)->RecordHabit(habit_input);
    if (!id.ok()) {
      result = Fail(ctx, id.status());
      return;
    }
    if (ctx.json_output) {
      out << json{{"fact_id", *id}}.dump(2) << "\n";
    } else {
      out << "Recorded habit observation " << *id << ".\n";
    }
  });

  // void
  CLI::App* void_cmd = app.add_subcommand("void", "Void a rating with a reason (append a fact)");
  AddDb(void_cmd, ctx);
  FactId void_target = 0;
  std::string void_reason, void_by;
  void_cmd->add_option("--fact", void_target, "Rating id")->required();
  void_cmd->add_option("--reason", void_reason, "Why it is withdrawn")->required();
  void_cmd->add_option("--by", void_by, "Teacher id")->required();
  void_cmd->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    Status s = (*service)->Void(void_target, void_reason, void_by);
    if (!s.ok()) {
      result = Fail(ctx, s);
      return;
    }
    out << "Voided rating " << void_target << ".\n";
  });

  // progress
  CLI::App* progress = app.add_subcommand("progress", "A student's badges and pathway");
  AddDb(progress, ctx);
  AddJson(progress, ctx);
  std::string student_id;
  progress->add_option("--student", student_id, "Student id")->required();
  progress->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    auto p = (*service)->Progress(student_id);
    if (!p.ok()) {
      result = Fail(ctx, p.status());
      return;
    }
    const Catalog& c = (*service)->catalog();
    if (ctx.json_output) {
      out << ToJson(*p, c).dump(2) << "\n";
      return;
    }
    out << p->student.DisplayName() << " (" << p->student.sourced_id << ")\n";
    for (const BadgeProgress& item : p->badges) {
      const Badge& badge = c.badges[item.standing.badge];
      out << "  " << badge.code << "  " << std::left << std::setw(12)
          << PathwayStateName(item.standing.state) << " " << item.standing.cpes_counting << "/"
          << item.standing.cpes_needed << " CPEs";
      if (item.award.state == AwardState::kConfirmed) {
        out << ", awarded " << FormatDate(DayOf(item.award.confirmed_at));
      } else if (item.award.state == AwardState::kProposed) {
        out << ", award proposed";
      }
      if (!item.standing.missing_prerequisites.empty()) {
        out << ", needs";
        for (const std::string& code : item.standing.missing_prerequisites) out << " " << code;
      }
      out << "  " << badge.title << "\n";
    }
    if (!p->habits.empty()) {
      out << "Habits of work (reported apart from mastery):\n";
      for (const HabitSummary& h : p->habits) {
        out << "  " << h.label << ": " << h.level_label << " (" << FormatDate(h.observed_on) << ", "
            << h.observations << " observation" << (h.observations == 1 ? "" : "s") << ")\n";
      }
    }
  });

  // explain
  CLI::App* explain = app.add_subcommand("explain", "Why a badge is or is not met");
  AddDb(explain, ctx);
  AddJson(explain, ctx);
  std::string badge_code;
  explain->add_option("--student", student_id, "Student id")->required();
  explain->add_option("--badge", badge_code, "Badge code")->required();
  explain->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    auto e = (*service)->Explain(student_id, badge_code);
    if (!e.ok()) {
      result = Fail(ctx, e.status());
      return;
    }
    if (ctx.json_output) {
      out << ToJson(*e).dump(2) << "\n";
      return;
    }
    PrintExplanation(ctx, *e);
  });

  // award
  CLI::App* award = app.add_subcommand("award", "Propose, confirm or revoke a badge award");
  AddDb(award, ctx);
  AddJson(award, ctx);
  std::string award_action, award_by, award_reason;
  award->add_option("action", award_action, "propose|confirm|revoke")
      ->required()
      ->check(CLI::IsMember({"propose", "confirm", "revoke"}));
  award->add_option("--student", student_id, "Student id")->required();
  award->add_option("--badge", badge_code, "Badge code")->required();
  award->add_option("--by", award_by, "Teacher id")->required();
  award->add_option("--reason", award_reason, "Reason (required to revoke)");
  award->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    const AwardAction action = award_action == "propose"   ? AwardAction::kProposed
                               : award_action == "confirm" ? AwardAction::kConfirmed
                                                           : AwardAction::kRevoked;
    auto updated = (*service)->Award(student_id, badge_code, action, award_by, award_reason);
    if (!updated.ok()) {
      result = Fail(ctx, updated.status());
      return;
    }
    if (ctx.json_output) {
      out << json{{"student", student_id},
                  {"badge", badge_code},
                  {"state", AwardStateName(updated->state)}}
                 .dump(2)
          << "\n";
      return;
    }
    out << "Badge " << badge_code << " for " << student_id << " is now "
        << AwardStateName(updated->state) << ".\n";
  });

  // serve
  CLI::App* serve = app.add_subcommand("serve", "Run the web app and REST API");
  AddDb(serve, ctx);
  ApiOptions api_options;
  ServerOptions server_options;
  serve->add_option("--port", server_options.port, "TCP port (0 picks a free one)")
      ->capture_default_str();
  serve->add_option("--address", server_options.address, "Address to listen on")
      ->capture_default_str();
  serve->add_option("--threads", server_options.threads,
                    "I/O threads (0: one per core, at least 2)");
  CLI::Option* web_root_option = serve->add_option(
      "--web-root", api_options.web_root,
      "Directory of the built web app (default: found beside the executable: ../web/dist, "
      "../../web/dist, ../share/cairn/web, then ./web/dist)");
  serve->add_flag("--secure-cookies", api_options.secure_cookies,
                  "Mark cookies Secure (when served behind TLS)");
  serve->add_flag("!--no-log", server_options.log_requests, "Do not log each request");
  std::string public_url;
  serve->add_option("--public-url", public_url,
                    "Address verifiers use to reach this server; remembered in the database "
                    "(default: the first address it was served at)");
  serve->callback([&] {
    if (geteuid() == 0) {
      err << "cairn: warning: serving as root; run the server as a dedicated unprivileged user "
             "(for example one created with `useradd --system cairn`) that owns only its "
             "database folder"
          << std::endl;
    }
    if (web_root_option->count() == 0) {
      auto candidates = WebRootCandidates();
      api_options.web_root = FindWebRoot(candidates);
      if (api_options.web_root.empty()) {
        err << "cairn: no built web app found (looked in";
        for (const auto& dir : candidates) err << " " << dir.string();
        err << "); serving the API only. Build it with scripts/build-web.sh or pass --web-root."
            << std::endl;
      }
    }
    // Open once here so a bad database fails before listening.
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    service->reset();
    api_options.db_path = ctx.db;
    // SIGINT/SIGTERM are taken by a waiting thread, not a handler, so the
    // shutdown runs as ordinary code.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::unique_ptr<Api> api;
    HttpServer server(
        server_options,
        [&api](HttpRequest request, Responder respond) {
          api->Handle(std::move(request), std::move(respond));
        },
        [&api](const HttpRequest& head) { return api->StreamBody(head); });
    if (Status s = server.Start(); !s.ok()) {
      result = Fail(ctx, s);
      return;
    }
    // Credentials carry this server's address for ever, so it is chosen once
    // and kept, unless an operator moves it on purpose.
    {
      auto opened = OpenService(ctx);
      if (!opened.ok()) {
        result = Fail(ctx, opened.status());
        return;
      }
      Store& store = (*opened)->store();
      auto stored = store.GetSetting("public_url");
      if (public_url.empty()) {
        public_url = stored.ok() && *stored
                         ? **stored
                         : "http://" + server_options.address + ":" + std::to_string(server.port());
      }
      if (!stored.ok() || !*stored || **stored != public_url) {
        if (Status s = store.PutSetting("public_url", public_url); !s.ok()) {
          result = Fail(ctx, s);
          return;
        }
      }
    }
    api_options.public_url = public_url;
    api = std::make_unique<Api>(api_options);
    if (auto issued = api->IssueAllPendingCredentials(); !issued.ok()) {
      result = Fail(ctx, issued.status());
      return;
    } else if (*issued > 0) {
      out << "Issued " << *issued << " credentials for awards confirmed outside the server."
          << std::endl;
    }
    out << "Cairn is serving " << ctx.db << " at http://" << server_options.address << ":"
        << server.port() << "/"
        << (!api_options.web_root.empty() &&
                    std::filesystem::is_regular_file(api_options.web_root + "/index.html")
                ? ""
                : " (web app not built yet: scripts/build-web.sh)")
        << std::endl;
    if (!api_options.web_root.empty()) {
      out << "Web app: " << api_options.web_root << std::endl;
    }
    std::thread waiter([&] {
      int signal = 0;
      sigwait(&signals, &signal);
      server.Stop();
    });
    server.Run();
    // Run returns only after Stop: the waiter has finished.
    waiter.join();
    out << "Cairn stopped." << std::endl;
  });

  // verify
  CLI::App* verify = app.add_subcommand(
      "verify", "Verify a badge credential (baked PNG or SVG, JSON, JWT) from a file or URL");
  std::string verify_input;
  std::string verify_db;
  verify->add_option("input", verify_input, "File, URL, or - for standard input")->required();
  verify->add_option("--db", verify_db,
                     "Check against this Cairn database instead of fetching the issuer's keys "
                     "and status list over the network");
  AddJson(verify, ctx);
  verify->callback([&] {
    std::string bytes;
    if (verify_input.rfind("http://", 0) == 0 || verify_input.rfind("https://", 0) == 0) {
      auto fetched = HttpGet(verify_input);
      if (!fetched.ok()) {
        result = Fail(ctx, fetched.status());
        return;
      }
      bytes = std::move(*fetched);
    } else {
      std::ifstream file;
      std::istream* in = &std::cin;
      if (verify_input != "-") {
        file.open(verify_input, std::ios::binary);
        if (!file) {
          result = Fail(ctx, Status::NotFound(verify_input + ": cannot read file"));
          return;
        }
        in = &file;
      }
      std::ostringstream buffer;
      buffer << in->rdbuf();
      bytes = buffer.str();
    }
    std::unique_ptr<CairnService> service;
    VerifierHooks hooks;
    if (verify_db.empty()) {
      hooks = NetworkHooks();
    } else {
      Context db_ctx = ctx;
      db_ctx.db = verify_db;
      auto opened = OpenService(db_ctx);
      if (!opened.ok()) {
        result = Fail(ctx, opened.status());
        return;
      }
      service = std::move(opened).value();
      auto made = DatabaseHooks(*service, verify_db);
      if (!made.ok()) {
        result = Fail(ctx, made.status());
        return;
      }
      hooks = std::move(made).value();
    }
    VerificationReport report = VerifyCredentialBytes(bytes, hooks);
    if (ctx.json_output) {
      out << report.ToJson().dump(2) << "\n";
    } else {
      const json& s = report.summary;
      out << (report.valid() ? "VALID" : "NOT VALID") << " (" << report.status << ", "
          << report.format << ")\n";
      if (s.is_object() && !s.value("earner", "").empty()) {
        out << "  " << s.value("earner", "") << " earned " << s["badge"].value("name", "")
            << "\n  from " << s["issuer"].value("name", "") << " (" << s["issuer"].value("id", "")
            << ")\n  awarded " << s.value("awarded", s.value("valid_from", "")) << "\n";
      }
      for (const VerificationCheck& c : report.checks) {
        out << "  [" << (c.ok ? "ok" : "!!") << "] " << c.check << ": " << c.message << "\n";
      }
    }
    result = report.valid() ? 0 : 1;
  });

  // tracking-sheet
  CLI::App* tracking =
      app.add_subcommand("tracking-sheet", "Badge completion tracking sheet (CSV)");
  AddDb(tracking, ctx);
  AddJson(tracking, ctx);
  std::string tracking_out;
  tracking->add_option("--out", tracking_out, "Write to this file instead of standard output");
  tracking->callback([&] {
    auto service = OpenService(ctx);
    if (!service.ok()) {
      result = Fail(ctx, service.status());
      return;
    }
    auto rows = (*service)->TrackingSheet();
    if (!rows.ok()) {
      result = Fail(ctx, rows.status());
      return;
    }
    std::ofstream file;
    std::ostream* sink = &out;
    if (!tracking_out.empty()) {
      file.open(tracking_out, std::ios::binary);
      if (!file) {
        result = Fail(ctx, Status::Invalid(tracking_out + ": cannot write file"));
        return;
      }
      sink = &file;
    }
    if (ctx.json_output) {
      json array = json::array();
      for (const TrackingRow& row : *rows) array.push_back(ToJson(row));
      *sink << array.dump(2) << "\n";
    } else {
      WriteTrackingSheetCsv(*sink, *rows);
    }
    if (!tracking_out.empty()) {
      out << "Wrote " << rows->size() << " rows to " << tracking_out << "\n";
    }
  });

  AddBackupCommands(app, result, out, err);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0.
    std::ostringstream text_out, text_err;
    int code = app.exit(e, text_out, text_err);
    out << text_out.str();
    err << text_err.str();
    return code;
  }
  return result;
}

}  // namespace cairn
