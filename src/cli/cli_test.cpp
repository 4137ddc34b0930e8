// RunCli in-process: argv in, exit code and both streams out, against a
// database in a temporary folder. Effects are checked through a second
// command, as a user would see them.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "cli/commands.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun RunCairn(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"cairn"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out, err;
  CliRun run;
  run.code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

fs::path MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "cairn-cli-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
  return pattern;
}

// The smallest district `cairn demo` makes (one school, one student), made
// once and copied into each test's folder: the demo hashes six passwords.
class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_dir_ = new fs::path(MakeTempDir());
    demo_output_ = new CliRun(RunCairn({"demo", "--db", (*demo_dir_ / "cairn.db").string(),
                                        "--students", "1", "--schools", "1", "--json"}));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*demo_dir_);
    delete demo_dir_;
    delete demo_output_;
  }
  void SetUp() override {
    dir_ = MakeTempDir();
    db_ = (dir_ / "cairn.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A copy of the demo district at db_.
  void CopyDemo() {
    ASSERT_EQ(demo_output_->code, 0) << demo_output_->err;
    fs::copy(*demo_dir_, dir_, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  // `cairn args... --db db_`.
  CliRun Cairn(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back(db_);
    return RunCairn(args);
  }
  // Records a rating on the demo's teacher's behalf; returns its fact id.
  std::int64_t Record(const std::string& student, const std::string& cpe, const std::string& level,
                      const std::string& date, const std::string& kind = "summative") {
    CliRun run = Cairn({"record", "--student", student, "--cpe", cpe, "--level", level, "--date",
                        date, "--by", "teacher-001", "--kind", kind, "--json"});
    EXPECT_EQ(run.code, 0) << run.err;
    return json::parse(run.out).value("fact_id", std::int64_t{0});
  }

  static fs::path* demo_dir_;
  static CliRun* demo_output_;
  fs::path dir_;
  std::string db_;
};

fs::path* CliTest::demo_dir_ = nullptr;
CliRun* CliTest::demo_output_ = nullptr;

TEST_F(CliTest, HelpListsEveryCommandOfTheTable) {
  CliRun run = RunCairn({"--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.err, "");
  ASSERT_GE(cli::CliCommands().size(), 16u);
  for (const cli::CliCommand& command : cli::CliCommands()) {
    EXPECT_TRUE(Contains(run.out, command.name)) << command.name;
    EXPECT_TRUE(Contains(run.out, command.help)) << command.help;
  }
}

TEST_F(CliTest, EachCommandsHelpExitsZero) {
  for (const cli::CliCommand& command : cli::CliCommands()) {
    CliRun run = RunCairn({command.name, "--help"});
    EXPECT_EQ(run.code, 0) << command.name;
    EXPECT_TRUE(Contains(run.out, command.help)) << command.name;
  }
}

TEST_F(CliTest, InitCreatesTheDatabaseAndItsFolder) {
  const std::string nested = (dir_ / "district" / "data" / "cairn.db").string();
  CliRun run = RunCairn({"init", "--db", nested});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(Contains(run.out, "Database " + nested + " is at schema version "));
  EXPECT_TRUE(fs::is_regular_file(nested));
  EXPECT_TRUE(Contains(run.out, "Catalog: ")) << run.out;
  // Again: nothing to upgrade and the catalog in force stays.
  CliRun again = RunCairn({"init", "--db", nested});
  EXPECT_EQ(again.code, 0);
  EXPECT_EQ(again.out, run.out.substr(0, run.out.find("Catalog: ")));
}

// A new district starts with badges to edit: the built-in framework unless
// --catalog names a file or none; a catalog in force is never replaced.
TEST_F(CliTest, InitStartsFromACatalogOnlyWhenThereIsNone) {
  const std::string db = (dir_ / "start.db").string();
  CliRun bare = RunCairn({"init", "--db", db, "--catalog", "none"});
  ASSERT_EQ(bare.code, 0) << bare.err;
  EXPECT_EQ(RunCairn({"catalog", "show", "--db", db}).code, 1);
  CliRun missing = RunCairn({"init", "--db", db, "--catalog", (dir_ / "nope.json").string()});
  EXPECT_EQ(missing.code, 1);
  EXPECT_TRUE(Contains(missing.err, "--catalog")) << missing.err;
  CliRun started = RunCairn({"init", "--db", db});
  ASSERT_EQ(started.code, 0) << started.err;
  EXPECT_TRUE(Contains(started.out, "loaded as version 1")) << started.out;
  CliRun shown = RunCairn({"catalog", "show", "--db", db});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_TRUE(Contains(shown.out, "M101")) << shown.out;
  CliRun kept = RunCairn({"init", "--db", db, "--catalog", (dir_ / "nope.json").string()});
  EXPECT_EQ(kept.code, 0) << kept.err;
  EXPECT_FALSE(Contains(kept.out, "Catalog: ")) << kept.out;
}

TEST_F(CliTest, InitFailsWhenTheFolderCannotBeMade) {
  std::ofstream(dir_ / "a-file") << "not a folder";
  CliRun run = RunCairn({"init", "--db", (dir_ / "a-file" / "cairn.db").string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_TRUE(Contains(run.err, "cairn: internal: ")) << run.err;
  EXPECT_TRUE(Contains(run.err, "cannot create directory")) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(CliTest, DemoMakesTheSmallestDistrict) {
  ASSERT_EQ(demo_output_->code, 0) << demo_output_->err;
  json summary = json::parse(demo_output_->out);
  EXPECT_EQ(summary["schools"], 1);
  EXPECT_EQ(summary["students"], 1);
  EXPECT_GE(summary["teachers"].get<int>(), 1);
  EXPECT_GT(summary["ratings"].get<int>(), 0);
  // Progress goes to stderr, a line per tenth of the students.
  EXPECT_TRUE(Contains(demo_output_->err, "demo: 1/1 students, ")) << demo_output_->err;
  CopyDemo();
  CliRun progress = Cairn({"progress", "--student", "student-00001"});
  ASSERT_EQ(progress.code, 0) << progress.err;
  EXPECT_TRUE(Contains(progress.out, "(student-00001)\n")) << progress.out;
  // One student only.
  EXPECT_EQ(Cairn({"progress", "--student", "student-00002"}).code, 1);
}

TEST_F(CliTest, DemoRefusesFewerThanOneStudent) {
  CliRun run = Cairn({"demo", "--students", "0"});
  EXPECT_EQ(run.code, 1);
  EXPECT_TRUE(Contains(run.err, "cairn: invalid_argument: students: expected 1 to 1000000"))
      << run.err;
}

TEST_F(CliTest, DemoTwiceIsRefusedAndAddsNothing) {
  CopyDemo();
  CliRun before = Cairn({"tracking-sheet", "--json"});
  ASSERT_EQ(before.code, 0) << before.err;
  CliRun run = Cairn({"demo", "--students", "1", "--schools", "1"});
  EXPECT_EQ(run.code, 1);
  EXPECT_TRUE(Contains(run.err, "cairn: ")) << run.err;
  EXPECT_EQ(Cairn({"tracking-sheet", "--json"}).out, before.out);
}

TEST_F(CliTest, CatalogShowListsTheBuiltInCatalog) {
  CliRun none = Cairn({"catalog", "show"});
  EXPECT_EQ(none.code, 1);
  EXPECT_EQ(none.err,
            "cairn: failed_precondition: no catalog loaded; run `cairn catalog load FILE`\n");

  CliRun load = Cairn({"catalog", "load", "--builtin", "--json"});
  ASSERT_EQ(load.code, 0) << load.err;
  EXPECT_EQ(json::parse(load.out)["badges"], 23);

  CliRun show = Cairn({"catalog", "show"});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_TRUE(
      Contains(show.out, "  M215  Inference and Making Conclusions  (5 CPEs, 17 indicators"))
      << show.out;
  EXPECT_TRUE(Contains(show.out, "Default calculation: ")) << show.out;
  EXPECT_TRUE(Contains(show.out, "\nPathway ")) << show.out;

  CliRun as_json = Cairn({"catalog", "show", "--json"});
  ASSERT_EQ(as_json.code, 0);
  EXPECT_EQ(json::parse(as_json.out)["badges"].size(), 23u);
}

TEST_F(CliTest, CatalogNeedsASubcommand) {
  CliRun run = Cairn({"catalog"});
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.code, 1);
  EXPECT_TRUE(Contains(run.err, "subcommand")) << run.err;
}

TEST_F(CliTest, RecordedRatingShowsInExplainAndProgress) {
  CopyDemo();
  CliRun record =
      Cairn({"record", "--student", "student-00001", "--cpe", "M100.1", "--level", "advanced",
             "--date", "2026-01-15", "--by", "teacher-001", "--note", "Strong estimate"});
  ASSERT_EQ(record.code, 0) << record.err;
  EXPECT_TRUE(Contains(record.out, "Recorded rating ")) << record.out;
  EXPECT_TRUE(Contains(record.out, "\nM100 ")) << record.out;  // the badge's explanation

  CliRun explain = Cairn({"explain", "--student", "student-00001", "--badge", "M100"});
  ASSERT_EQ(explain.code, 0) << explain.err;
  EXPECT_TRUE(Contains(explain.out, "[x] M100.1 M100 CPE 1: At mastery: Advanced (4)"))
      << explain.out;
  EXPECT_TRUE(Contains(explain.out, "  Rule: ")) << explain.out;

  CliRun progress = Cairn({"progress", "--student", "student-00001", "--json"});
  ASSERT_EQ(progress.code, 0) << progress.err;
  const json badges = json::parse(progress.out)["badges"];
  bool found = false;
  for (const json& badge : badges) {
    if (badge.value("badge", "") == "M100") found = badge.value("cpes_counting", 0) >= 1;
  }
  EXPECT_TRUE(found) << progress.out;
}

TEST_F(CliTest, VoidedRatingNoLongerCounts) {
  CopyDemo();
  // M100.1's evidence before, then a rating that puts it at mastery.
  CliRun before = Cairn({"explain", "--student", "student-00001", "--badge", "M100", "--json"});
  ASSERT_EQ(before.code, 0) << before.err;
  const std::int64_t fact = Record("student-00001", "M100.1", "advanced", "2026-01-15");
  ASSERT_GT(fact, 0);
  EXPECT_NE(Cairn({"explain", "--student", "student-00001", "--badge", "M100", "--json"}).out,
            before.out);

  CliRun voided = Cairn(
      {"void", "--fact", std::to_string(fact), "--reason", "wrong student", "--by", "teacher-001"});
  ASSERT_EQ(voided.code, 0) << voided.err;
  EXPECT_EQ(voided.out, "Voided rating " + std::to_string(fact) + ".\n");
  EXPECT_EQ(Cairn({"explain", "--student", "student-00001", "--badge", "M100", "--json"}).out,
            before.out);

  // A void is for ever: voiding it again is refused.
  CliRun again =
      Cairn({"void", "--fact", std::to_string(fact), "--reason", "again", "--by", "teacher-001"});
  EXPECT_EQ(again.code, 1);
  EXPECT_TRUE(Contains(again.err, "cairn: ")) << again.err;
}

TEST_F(CliTest, AwardIsProposedThenConfirmed) {
  CopyDemo();
  ASSERT_EQ(Cairn({"settings", "--auto-award", "off"}).code, 0);
  for (int cpe = 1; cpe <= 8; ++cpe) {
    // The rule wants a performance task among them.
    Record("student-00001", "M100." + std::to_string(cpe), "proficient",
           "2026-02-0" + std::to_string(cpe), cpe == 8 ? "performance_task" : "summative");
  }
  CliRun progress = Cairn({"progress", "--student", "student-00001"});
  ASSERT_EQ(progress.code, 0) << progress.err;
  EXPECT_TRUE(Contains(progress.out, "award proposed")) << progress.out;

  CliRun revoke = Cairn(
      {"award", "revoke", "--student", "student-00001", "--badge", "M100", "--by", "teacher-001"});
  EXPECT_EQ(revoke.code, 1);
  EXPECT_TRUE(Contains(revoke.err, "reason: a revocation needs a reason")) << revoke.err;

  CliRun confirm = Cairn(
      {"award", "confirm", "--student", "student-00001", "--badge", "M100", "--by", "teacher-001"});
  ASSERT_EQ(confirm.code, 0) << confirm.err;
  EXPECT_EQ(confirm.out, "Badge M100 for student-00001 is now confirmed.\n");
  progress = Cairn({"progress", "--student", "student-00001"});
  EXPECT_TRUE(Contains(progress.out, ", awarded ")) << progress.out;
}

TEST_F(CliTest, SettingsAreKept) {
  CopyDemo();
  CliRun changed =
      Cairn({"settings", "--auto-award", "on", "--method", "mean_of_recent", "--n", "2"});
  ASSERT_EQ(changed.code, 0) << changed.err;
  EXPECT_TRUE(Contains(changed.out, "Auto-award: on\n")) << changed.out;

  CliRun shown = Cairn({"settings"});
  ASSERT_EQ(shown.code, 0);
  EXPECT_EQ(shown.out, changed.out);

  CliRun bad = Cairn({"settings", "--method", "median_of_dreams"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err, "cairn: invalid_argument: --method: unknown method 'median_of_dreams'\n");
  EXPECT_EQ(Cairn({"settings"}).out, changed.out);
}

TEST_F(CliTest, TrackingSheetToAFile) {
  CopyDemo();
  const std::string sheet = (dir_ / "sheet.csv").string();
  CliRun run = Cairn({"tracking-sheet", "--out", sheet});
  ASSERT_EQ(run.code, 0) << run.err;
  std::ifstream in(sheet);
  std::string header;
  std::getline(in, header);
  if (!header.empty() && header.back() == '\r') header.pop_back();
  EXPECT_EQ(header,
            "Student Name,Student ID,Teacher Name,School,Course,Section,Badge,Completed,"
            "Date of Completion,What Remains Incomplete,Last Evidence,Supports");
  std::size_t rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_GT(rows, 0u);
  EXPECT_EQ(run.out, "Wrote " + std::to_string(rows) + " rows to " + sheet + "\n");

  CliRun unwritable = Cairn({"tracking-sheet", "--out", (dir_ / "no" / "such" / "x.csv").string()});
  EXPECT_EQ(unwritable.code, 1);
  EXPECT_TRUE(Contains(unwritable.err, ": cannot write file")) << unwritable.err;
}

TEST_F(CliTest, UsageErrorsExitWithCli11sCode) {
  CliRun missing = Cairn({"record", "--student", "student-00001"});
  EXPECT_EQ(missing.code, static_cast<int>(CLI::ExitCodes::RequiredError));
  EXPECT_TRUE(Contains(missing.err, "--cpe is required")) << missing.err;
  EXPECT_FALSE(fs::exists(db_));  // parsing failed before anything ran

  CliRun none = RunCairn({});
  EXPECT_EQ(none.code, static_cast<int>(CLI::ExitCodes::RequiredError));
  EXPECT_TRUE(Contains(none.err, "subcommand")) << none.err;

  CliRun unknown = RunCairn({"frobnicate"});
  EXPECT_EQ(unknown.code, static_cast<int>(CLI::ExitCodes::RequiredError));
  EXPECT_TRUE(Contains(unknown.err, "A subcommand is required")) << unknown.err;
  EXPECT_EQ(unknown.out, "");

  CliRun bad_choice = Cairn({"award", "bestow", "--student", "s", "--badge", "b", "--by", "t"});
  EXPECT_EQ(bad_choice.code, static_cast<int>(CLI::ExitCodes::ValidationError));
}

TEST_F(CliTest, FailingCommandSaysWhyAndChangesNothing) {
  CopyDemo();
  CliRun before = Cairn({"progress", "--student", "student-00001", "--json"});
  ASSERT_EQ(before.code, 0);
  CliRun run = Cairn({"record", "--student", "student-00001", "--cpe", "M100.1", "--level",
                      "superb", "--date", "2026-01-15", "--by", "teacher-001"});
  EXPECT_EQ(run.code, 1);
  EXPECT_TRUE(Contains(run.err, "cairn: invalid_argument: ")) << run.err;
  EXPECT_TRUE(Contains(run.err, "level: 'superb' is not a level")) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(Cairn({"progress", "--student", "student-00001", "--json"}).out, before.out);

  // With --json the reason is also on standard output, as JSON.
  CliRun as_json = Cairn({"record", "--student", "student-00001", "--cpe", "M100.1", "--level",
                          "advanced", "--date", "2999-01-01", "--by", "teacher-001", "--json"});
  EXPECT_EQ(as_json.code, 1);
  json error = json::parse(as_json.out)["error"];
  EXPECT_EQ(error["code"], "invalid_argument");
  EXPECT_TRUE(
      Contains(error["message"].get<std::string>(), "demonstrated_on: 2999-01-01 is in the future"))
      << as_json.out;
  EXPECT_EQ(Cairn({"progress", "--student", "student-00001", "--json"}).out, before.out);
}

// `sections set-badges` replaces a section's badges, refusing unknown and
// repeated codes (each named) without changing anything; `list` shows them.
TEST_F(CliTest, SectionBadgesAreSetAndListed) {
  CopyDemo();
  CliRun list = Cairn({"sections", "list", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  const json sections = json::parse(list.out);
  ASSERT_FALSE(sections.empty());
  const std::string id = sections[0]["id"];
  const json before = sections[0]["badges"];

  CliRun refused = Cairn({"sections", "set-badges", id, "M101", "NOPE", "M101"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Contains(refused.err, "NOPE: not a badge of the catalog")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "M101: listed twice")) << refused.err;
  EXPECT_EQ(json::parse(Cairn({"sections", "list", "--json"}).out)[0]["badges"], before);

  CliRun set = Cairn({"sections", "set-badges", id, "M102", "M101"});
  ASSERT_EQ(set.code, 0) << set.err;
  EXPECT_EQ(json::parse(Cairn({"sections", "list", "--json"}).out)[0]["badges"],
            json({"M102", "M101"}));
  EXPECT_EQ(Cairn({"sections", "set-badges", "no-such-section", "M101"}).code, 1);
}

// An empty database gets its first administrator with an invitation link
// (no password on a command line), once.
TEST_F(CliTest, InitAddsTheFirstAdministratorWithALink) {
  CliRun init = Cairn({"init", "--admin", "boss", "--district", "d-42", "--district-name",
                       "Lakeside", "--public-url", "https://cairn.example"});
  ASSERT_EQ(init.code, 0) << init.err;
  EXPECT_TRUE(Contains(init.out, "https://cairn.example/invite#")) << init.out;
  CliRun again = Cairn({"init", "--admin", "boss"});
  EXPECT_EQ(again.code, 1);
  EXPECT_TRUE(Contains(again.err, "already on the roster")) << again.err;
  // Administrators are always invitable, even with every other role closed.
  ASSERT_EQ(Cairn({"sign-in", "close", "student", "teacher", "guardian", "school_leader",
                   "district_leader"})
                .code,
            0);
  CliRun link = Cairn({"invite", "--person", "boss", "--replace", "--json"});
  ASSERT_EQ(link.code, 0) << link.err;
  EXPECT_EQ(json::parse(link.out)["created"].size(), 1u);
}

// Sign-in opens role by role; invitation links are made only for open roles,
// once per person, and written as CSV for a mail merge.
TEST_F(CliTest, InvitationsFollowTheSignInPolicy) {
  // Enough students for teachers without a sign-in (the shared demo has one).
  ASSERT_EQ(Cairn({"demo", "--students", "60", "--schools", "1"}).code, 0);
  ASSERT_EQ(Cairn({"sign-in", "close", "teacher"}).code, 0);
  CliRun shown = Cairn({"sign-in", "show", "--json"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  const json roles = json::parse(shown.out)["roles"];
  EXPECT_EQ(std::count(roles.begin(), roles.end(), "teacher"), 0);
  EXPECT_EQ(std::count(roles.begin(), roles.end(), "guardian"), 1);

  CliRun refused = Cairn({"invite", "--role", "teacher"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Contains(refused.err, "not open to teacher")) << refused.err;

  ASSERT_EQ(Cairn({"sign-in", "open", "teacher"}).code, 0);
  const std::string csv = (dir_ / "links.csv").string();
  CliRun first = Cairn({"invite", "--role", "teacher", "--public-url", "https://cairn.example",
                        "--out", csv, "--json"});
  ASSERT_EQ(first.code, 0) << first.err;
  const json made = json::parse(first.out);
  const int created = made["created"].get<int>();
  EXPECT_GT(created, 0);  // the demo gives one teacher a sign-in; the others get links
  std::ifstream in(csv);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header, "person,name,role,email,link,expires_at\r");
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_TRUE(Contains(line, "https://cairn.example/invite#")) << line;
  }
  EXPECT_EQ(lines, created);

  // Again: nobody new, everyone counted as invited or signed up.
  CliRun second = Cairn({"invite", "--role", "teacher", "--json"});
  ASSERT_EQ(second.code, 0) << second.err;
  const json again = json::parse(second.out);
  EXPECT_TRUE(again["created"].empty());
  EXPECT_EQ(again["already_invited"].get<int>(), created);
  EXPECT_EQ(again["already_invited"].get<int>() + again["already_signed_up"].get<int>(),
            made["already_signed_up"].get<int>() + created);
  EXPECT_EQ(Cairn({"invite", "--person", "nobody-here"}).code, 1);
  EXPECT_EQ(Cairn({"invite"}).code, 1);
}

// `import oneroster` is in the table: a folder that is not a set fails
// with the reason and changes nothing.
TEST_F(CliTest, ImportOneRosterIsACommand) {
  CopyDemo();
  const std::string before = Cairn({"sections", "list", "--json"}).out;
  const fs::path empty = dir_ / "empty-set";
  fs::create_directories(empty);
  CliRun run = Cairn({"import", "oneroster", empty.string(), "--dry-run"});
  EXPECT_NE(run.code, 0);
  EXPECT_FALSE(run.err.empty() && run.out.empty());
  EXPECT_EQ(Cairn({"sections", "list", "--json"}).out, before);
  EXPECT_NE(RunCairn({"import", "--help"}).out.find("oneroster"), std::string::npos);
}

// `export gradebook` writes a section's OneRoster 1.2 set (a folder or a
// zip) or the plain CSV for a period given by dates, and refuses an as-of
// date in the future without writing anything.
TEST_F(CliTest, ExportGradebookWritesOneRosterAndCsv) {
  CopyDemo();
  const json sections = json::parse(Cairn({"sections", "list", "--json"}).out);
  ASSERT_FALSE(sections.empty());
  const std::string section = sections[0]["id"];
  ASSERT_EQ(Cairn({"sections", "set-badges", section, "M100", "M101"}).code, 0);
  const std::vector<std::string> period = {"export", "gradebook",  "--section", section,
                                           "--from", "2026-01-01", "--to",      "2026-06-30"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = period;
    args.insert(args.end(), extra.begin(), extra.end());
    return Cairn(args);
  };

  const fs::path folder = dir_ / "gradebook";
  CliRun run = with({"--out", folder.string(), "--json"});
  ASSERT_EQ(run.code, 0) << run.err;
  const json summary = json::parse(run.out);
  EXPECT_EQ(summary["as_of"], "2026-06-30T23:59:59Z");
  EXPECT_EQ(summary["line_items"], 2);
  for (const char* file : {"manifest.csv", "categories.csv", "lineItems.csv", "results.csv"}) {
    EXPECT_TRUE(fs::exists(folder / file)) << file;
  }
  std::ifstream results(folder / "results.csv");
  std::string header;
  std::getline(results, header);
  EXPECT_EQ(
      header,
      "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,"
      "score,scoreDate,comment,textScore,classSourcedId,inProgress,incomplete,late,missing\r");
  std::size_t rows = 0;
  for (std::string line; std::getline(results, line);) ++rows;
  EXPECT_EQ(rows, summary["results"].get<std::size_t>());

  const fs::path zip = dir_ / "gradebook.zip";
  ASSERT_EQ(with({"--out", zip.string()}).code, 0);
  std::ifstream zipped(zip, std::ios::binary);
  std::string magic(4, '\0');
  zipped.read(magic.data(), 4);
  EXPECT_EQ(magic, std::string("PK\x03\x04", 4));

  const fs::path csv = dir_ / "gradebook.csv";
  ASSERT_EQ(with({"--format", "csv", "--out", csv.string()}).code, 0);
  std::ifstream plain(csv);
  std::getline(plain, header);
  EXPECT_EQ(header, "Student,sourcedId,Badge,Outcome,Grade,Points,As of\r");

  const fs::path future = dir_ / "future.csv";
  CliRun refused = with({"--as-of", "2999-01-01", "--out", future.string()});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Contains(refused.err, "as_of: 2999-01-01 is in the future")) << refused.err;
  EXPECT_FALSE(fs::exists(future));
  CliRun both = with({"--period", "gp-1", "--out", future.string()});
  EXPECT_NE(both.code, 0);
  CliRun unknown = Cairn({"export", "gradebook", "--section", "no-such", "--period", "gp-1",
                          "--out", future.string()});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_TRUE(Contains(unknown.err, "section: no section 'no-such'")) << unknown.err;
}

TEST_F(CliTest, TrackingSheetAsAWorkbook) {
  CopyDemo();
  const fs::path xlsx = dir_ / "tracking.xlsx";
  CliRun run = Cairn({"tracking-sheet", "--xlsx", "--out", xlsx.string()});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(Contains(run.out, " rows to " + xlsx.string())) << run.out;
  std::ifstream in(xlsx, std::ios::binary);
  std::string magic(4, '\0');
  in.read(magic.data(), 4);
  EXPECT_EQ(magic, std::string("PK\x03\x04", 4));

  CliRun no_out = Cairn({"tracking-sheet", "--xlsx"});
  EXPECT_EQ(no_out.code, 1);
  EXPECT_TRUE(Contains(no_out.err, "--out: required with --xlsx")) << no_out.err;
}

// Standards (issue #11): the catalog exported as CASE imports as a
// framework; the crosswalk goes out and in as CSV; coverage follows.
TEST_F(CliTest, StandardsFromImportToCoverage) {
  CopyDemo();
  const std::string package = (dir_ / "catalog-case.json").string();
  CliRun exported = Cairn({"standards", "export-case", package});
  ASSERT_EQ(exported.code, 0) << exported.err;
  CliRun dry = Cairn({"import", "case", package, "--dry-run", "--json"});
  ASSERT_EQ(dry.code, 0) << dry.err << dry.out;
  EXPECT_EQ(json::parse(dry.out)["outcome"], "added");
  EXPECT_FALSE(json::parse(dry.out)["applied"]);
  CliRun imported = Cairn({"import", "case", package});
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_TRUE(Contains(imported.out, "Added as a new framework")) << imported.out;
  EXPECT_TRUE(Contains(Cairn({"import", "case", package}).out, "Unchanged")) << "re-import";
  CliRun list = Cairn({"standards", "list", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  const json frameworks = json::parse(list.out);
  ASSERT_EQ(frameworks.size(), 1u);
  EXPECT_EQ(frameworks[0]["versions"], 1);

  // Link M101.1 to the M102 item, by framework and code.
  const std::string title = frameworks[0]["title"];
  const std::string csv = (dir_ / "crosswalk.csv").string();
  {
    std::ofstream out(csv);
    out << "cpe,framework,human code\nM101.1," << title << ",M102\n";
  }
  CliRun linked = Cairn({"standards", "crosswalk", "import", csv, "--by", "teacher-001"});
  ASSERT_EQ(linked.code, 0) << linked.err << linked.out;
  EXPECT_TRUE(Contains(linked.out, "1 linked")) << linked.out;
  CliRun out = Cairn({"standards", "crosswalk", "export", "-"});
  ASSERT_EQ(out.code, 0) << out.err;
  EXPECT_TRUE(Contains(out.out, "M101,M101.1," + title + ",")) << out.out;
  EXPECT_TRUE(Contains(out.out, ",M102,")) << out.out;

  // A bad row: every problem with line and column, exit 1, nothing changed.
  {
    std::ofstream bad(csv);
    bad << "cpe,item identifier\nZ9.9,x\nM101.2,\n";
  }
  CliRun refused = Cairn({"standards", "crosswalk", "import", csv, "--replace"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Contains(refused.out, "crosswalk.csv:2:cpe: no CPE 'Z9.9' in the catalog"))
      << refused.out;
  EXPECT_TRUE(Contains(refused.out, "crosswalk.csv:3:item identifier: missing")) << refused.out;
  EXPECT_TRUE(Contains(Cairn({"standards", "crosswalk", "export", "-"}).out, ",M102,"));

  CliRun coverage = Cairn({"standards", "coverage", "--json"});
  ASSERT_EQ(coverage.code, 0) << coverage.err;
  const json report = json::parse(coverage.out);
  EXPECT_EQ(report["badges"][0]["code"], "M100");
  CliRun coverage_csv = Cairn({"standards", "coverage", "--csv"});
  EXPECT_TRUE(Contains(coverage_csv.out, "CPE without standard,M101,M101.2,")) << coverage_csv.out;

  // A broken package: problems named by JSON path, exit 1.
  const std::string broken = (dir_ / "broken.json").string();
  {
    std::ofstream bad(broken);
    bad << R"({"CFDocument": {"identifier": "d", "uri": "x"}, "CFItems": [{}]})";
  }
  CliRun bad_package = Cairn({"import", "case", broken});
  EXPECT_EQ(bad_package.code, 1);
  EXPECT_TRUE(Contains(bad_package.out, "CFDocument.uri: 'x' is not an absolute URI"))
      << bad_package.out;
  EXPECT_TRUE(Contains(bad_package.out, "CFItems[0].fullStatement: missing")) << bad_package.out;
  EXPECT_EQ(Cairn({"import", "case", (dir_ / "absent.json").string()}).code, 1);
}

// `reports report-card`: one student's PDF, a school's zip with progress on
// standard error, and refusals that write nothing.
TEST_F(CliTest, ReportCardsAsPdf) {
  CopyDemo();
  auto read = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const fs::path one = dir_ / "cards" / "ava.pdf";
  CliRun run = Cairn({"reports", "report-card", "--student", "student-00001", "--out", one.string(),
                      "--public-url", "https://badges.test", "--json"});
  ASSERT_EQ(run.code, 0) << run.err;
  const json summary = json::parse(run.out);
  EXPECT_EQ(summary["students"], 1);
  EXPECT_GE(summary["pages"].get<int>(), 1);
  const std::string pdf = read(one);
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_TRUE(Contains(pdf, "%%EOF"));
  EXPECT_FALSE(fs::exists(one.string() + ".partial"));
  EXPECT_EQ(run.err, "");  // one student: no progress lines

  const fs::path zip = dir_ / "school.zip";
  CliRun school = Cairn({"reports", "report-card", "--school", "school-1", "--zip", "--transcript",
                         "--out", zip.string()});
  ASSERT_EQ(school.code, 0) << school.err;
  EXPECT_TRUE(Contains(school.out, "Wrote 1 transcript (")) << school.out;
  EXPECT_TRUE(Contains(school.err, "report cards: 1 of 1 students")) << school.err;
  EXPECT_EQ(read(zip).rfind("PK", 0), 0u);

  // Refusals name the problem and leave no file behind.
  const fs::path none = dir_ / "none.pdf";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--student", "student-00001", "--school", "school-1"},
        std::vector<std::string>{"--student", "nobody"},
        std::vector<std::string>{"--school", "no-school"},
        std::vector<std::string>{"--student", "student-00001", "--zip"},
        std::vector<std::string>{"--student", "student-00001", "--as-of", "2999-01-01"},
        std::vector<std::string>{"--student", "student-00001", "--as-of", "Jan 5"}}) {
    std::vector<std::string> full{"reports", "report-card", "--out", none.string()};
    full.insert(full.end(), args.begin(), args.end());
    CliRun refused = Cairn(full);
    EXPECT_EQ(refused.code, 1) << args[0] << " " << args[1];
    EXPECT_TRUE(Contains(refused.err, "cairn: ")) << refused.err;
    EXPECT_FALSE(fs::exists(none));
  }
  EXPECT_TRUE(
      Contains(Cairn({"reports", "report-card", "--student", "nobody", "--out", none.string()}).err,
               "student: no student 'nobody'"));
}

// `reports report-card-settings`: bad settings are refused naming the
// field, and nothing changes; good ones are kept.
TEST_F(CliTest, ReportCardSettingsAreCheckedAndKept) {
  CopyDemo();
  const std::string before = Cairn({"reports", "report-card-settings"}).out;
  EXPECT_TRUE(Contains(before, "\"paper\": \"letter\"")) << before;
  const fs::path bad = dir_ / "bad.json";
  std::ofstream(bad) << R"({"paper": "legal", "colour": "red"})";
  CliRun refused = Cairn({"reports", "report-card-settings", "--set", bad.string()});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Contains(refused.err, "report_card.paper: expected \"letter\" or \"a4\""))
      << refused.err;
  EXPECT_TRUE(Contains(refused.err, "report_card.colour")) << refused.err;
  EXPECT_EQ(Cairn({"reports", "report-card-settings"}).out, before);
  const fs::path not_png = dir_ / "logo.png";
  std::ofstream(not_png) << "GIF89a";
  refused = Cairn({"reports", "report-card-settings", "--logo", not_png.string()});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Contains(refused.err, "report_card.logo_png: not a PNG image")) << refused.err;

  const fs::path good = dir_ / "good.json";
  std::ofstream(good) << R"({"paper": "a4", "title": "Math progress report"})";
  CliRun set = Cairn({"reports", "report-card-settings", "--set", good.string()});
  ASSERT_EQ(set.code, 0) << set.err;
  const std::string after = Cairn({"reports", "report-card-settings"}).out;
  EXPECT_TRUE(Contains(after, "\"paper\": \"a4\"")) << after;
  EXPECT_TRUE(Contains(after, "\"title\": \"Math progress report\"")) << after;
}

// A course's default badges: listed, set (every bad entry named, nothing
// changed), cleared.
TEST_F(CliTest, CourseDefaultBadgesAreSetAndCleared) {
  CopyDemo();
  CliRun list = Cairn({"courses", "list", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  const json courses = json::parse(list.out);
  ASSERT_FALSE(courses.empty());
  const std::string id = courses[0]["id"];
  EXPECT_EQ(courses[0]["badges"], json::array());

  CliRun refused = Cairn({"courses", "badges", id, "--set", "M101,NOPE,M101"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Contains(refused.err, "no badge 'NOPE' in the catalog")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "'M101' is listed twice")) << refused.err;
  EXPECT_EQ(json::parse(Cairn({"courses", "list", "--json"}).out)[0]["badges"], json::array());

  CliRun set = Cairn({"courses", "badges", id, "--set", "M102,M101", "--json"});
  ASSERT_EQ(set.code, 0) << set.err;
  EXPECT_EQ(json::parse(set.out)["badges"], json({"M102", "M101"}));
  EXPECT_EQ(json::parse(Cairn({"courses", "list", "--json"}).out)[0]["badges"],
            json({"M102", "M101"}));
  CliRun text = Cairn({"courses", "list"});
  EXPECT_TRUE(Contains(text.out, id + "  ")) << text.out;
  EXPECT_TRUE(Contains(text.out, "[M102 M101]")) << text.out;

  ASSERT_EQ(Cairn({"courses", "badges", id, "--clear"}).code, 0);
  EXPECT_EQ(json::parse(Cairn({"courses", "list", "--json"}).out)[0]["badges"], json::array());
  CliRun unknown = Cairn({"courses", "badges", "no-such-course"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_TRUE(Contains(unknown.err, "no course 'no-such-course'")) << unknown.err;
}

// Interim assessment items from a district's CSV: a dry run writes nothing,
// a file with problems names each one and writes nothing, and a rating can
// then name an imported item by the district's own item id.
TEST_F(CliTest, AssessmentItemsAreImportedAndRatingsNameThem) {
  CopyDemo();
  const std::string good = (dir_ / "items.csv").string();
  std::ofstream(good) << "Item ID,File,Target,Standards,CPE\n"
                         "Q1,interim-1.pdf,Cluster A,8.EE.C.7;8.EE.C.8,M101.1\n"
                         "Q2,interim-1.pdf,Cluster B,,M101.2\n";
  auto record = [&](const std::string& cpe, const std::string& item) {
    return Cairn({"record", "--student", "student-00001", "--cpe", cpe, "--level", "proficient",
                  "--date", "2026-01-15", "--by", "teacher-001", "--item", item});
  };

  CliRun dry = Cairn({"import", "assessment-items", good, "--badge", "M101", "--by", "teacher-001",
                      "--dry-run", "--json"});
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_EQ(json::parse(dry.out)["rows"], 2);
  EXPECT_TRUE(json::parse(dry.out)["added"].empty());
  CliRun not_yet = record("M101.1", "Q1");
  EXPECT_EQ(not_yet.code, 1);
  EXPECT_TRUE(Contains(not_yet.err, "no current assessment item 'Q1' of M101")) << not_yet.err;

  const std::string bad = (dir_ / "bad.csv").string();
  std::ofstream(bad) << "item id,cpe\nQ9,M101.1\nQ9,M101.2\n,M101.3\nQ8,M999.1\n";
  CliRun refused =
      Cairn({"import", "assessment-items", bad, "--badge", "M101", "--by", "teacher-001"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Contains(refused.err, "bad.csv:3:item id")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "bad.csv:4:item id")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "bad.csv:5:cpe")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "Nothing was imported (3 problem(s))")) << refused.err;
  EXPECT_EQ(record("M101.1", "Q9").code, 1);

  CliRun imported =
      Cairn({"import", "assessment-items", good, "--badge", "M101", "--by", "teacher-001"});
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_TRUE(Contains(imported.out, "2 item(s) of M101 imported.")) << imported.out;
  CliRun named = record("M101.1", "Q1");
  EXPECT_EQ(named.code, 0) << named.err;
  CliRun wrong_cpe = record("M101.2", "Q1");
  EXPECT_EQ(wrong_cpe.code, 1);
  EXPECT_TRUE(Contains(wrong_cpe.err, "evidences M101.1 of M101, not M101.2")) << wrong_cpe.err;
  EXPECT_EQ(
      Cairn({"import", "assessment-items", good, "--badge", "M101", "--by", "student-00001"}).code,
      1);
}

}  // namespace
}  // namespace cairn
