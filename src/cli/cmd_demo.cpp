// `cairn demo`: a synthetic district and one login per role.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
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

// Shows the generator's progress on stderr: on a terminal one line rewritten
// in place, elsewhere (a log, a pipe) a line per tenth of the students, so a
// log of a 200,000-student run stays short.
class DemoProgressPrinter {
 public:
  DemoProgressPrinter(std::ostream& err, bool terminal)
      : err_(err), terminal_(terminal), start_(std::chrono::steady_clock::now()) {}
  ~DemoProgressPrinter() {
    if (line_open_) err_ << "\r\033[K" << std::flush;
  }

  void operator()(const DemoProgress& progress) {
    const int percent =
        static_cast<int>(std::int64_t{progress.students_done} * 100 / progress.students_total);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (!terminal_ && percent / 10 == last_tenth_) return;
    last_tenth_ = percent / 10;
    err_ << (terminal_ ? "\r\033[K" : "") << "demo: " << progress.students_done << "/"
         << progress.students_total << " students, " << progress.ratings << " ratings, "
         << static_cast<std::int64_t>(seconds) << " s" << (terminal_ ? "" : "\n") << std::flush;
    line_open_ = terminal_;
  }

 private:
  std::ostream& err_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  int last_tenth_ = -1;
  bool line_open_ = false;
};

void RunDemo(CliContext& ctx, const DemoOptions& options, bool quiet) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  std::shared_ptr<DemoProgressPrinter> printer;
  DemoProgressFn progress;
  if (!quiet) {
    const bool terminal = &ctx.err == &std::cerr && isatty(STDERR_FILENO) == 1;
    printer = std::make_shared<DemoProgressPrinter>(ctx.err, terminal);
    progress = [printer](const DemoProgress& step) { (*printer)(step); };
  }
  auto summary = GenerateDemoDistrict(**service, options, progress);
  printer.reset();
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
  auto quiet = std::make_shared<bool>(false);
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--students", options->students, "Number of students")->capture_default_str();
  command.add_option("--seed", options->seed, "Random seed")->capture_default_str();
  command.add_option("--schools", options->schools, "Number of schools (1-4)")
      ->capture_default_str();
  command.add_flag("--quiet", *quiet, "Show no progress on stderr");
  command.callback([&ctx, options, quiet] { RunDemo(ctx, *options, *quiet); });
}

}  // namespace cairn::cli
