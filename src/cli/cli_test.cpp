// RunCli in-process: argv in, exit code and both streams out, against a
// database in a temporary folder. Effects are checked through a second
// command, as a user would see them.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <CLI/CLI.hpp>

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
  // Again: nothing to upgrade, same answer.
  CliRun again = RunCairn({"init", "--db", nested});
  EXPECT_EQ(again.code, 0);
  EXPECT_EQ(again.out, run.out);
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
            "Date of Completion,What Remains Incomplete");
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
  const std::vector<std::string> period = {"export", "gradebook", "--section", section,
                                           "--from", "2026-01-01", "--to", "2026-06-30"};
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
  EXPECT_EQ(header,
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

}  // namespace
}  // namespace cairn
