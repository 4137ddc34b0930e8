// `cairn demo`: a synthetic district and one login per role.
#include <CLI/CLI.hpp>

#include <memory>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "demo/demo_district.h"
#include "service/accounts.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

// Logins the demo creates, one per role, all with kDemoPassword.
constexpr const char* kDemoPassword = "cairn-demo-2026";
constexpr const char* kDemoLogins[] = {"admin",       "leader-district", "leader-school-1",
                                       "teacher-001", "student-00001",   "guardian-00001"};

void RunDemo(CliContext& ctx, const DemoOptions& options) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto summary = GenerateDemoDistrict(**service, options);
  if (!summary.ok()) return ctx.Fail(summary.status());
  const DemoSummary& s = *summary;
  for (const char* login : kDemoLogins) {
    Status created =
        CreateAccount((*service)->store(), login, login, kDemoPassword, SystemClock()());
    if (!created.ok()) return ctx.Fail(created);
  }
  std::ostream& out = ctx.out;
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
    return;
  }
  out << "Demo district in " << ctx.db << ": " << s.schools << " schools, " << s.sections
      << " sections, " << s.teachers << " teachers, " << s.students << " students, " << s.ratings
      << " ratings (" << s.corrections << " corrections, " << s.voids << " voids), " << s.habits
      << " habit observations, " << s.awards_confirmed << " badges awarded, " << s.awards_proposed
      << " awaiting confirmation.\n"
      << "Demo logins (password " << kDemoPassword << "):";
  for (const char* login : kDemoLogins) out << " " << login;
  out << "\nTry: cairn progress --db " << ctx.db << " --student student-00001\n";
}

}  // namespace

void AddDemoCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<DemoOptions>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--students", options->students, "Number of students")->capture_default_str();
  command.add_option("--seed", options->seed, "Random seed")->capture_default_str();
  command.add_option("--schools", options->schools, "Number of schools (1-4)")
      ->capture_default_str();
  command.callback([&ctx, options] { RunDemo(ctx, *options); });
}

}  // namespace cairn::cli
