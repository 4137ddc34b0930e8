// `cairn reports report-card`: report cards and badge transcripts as PDF,
// for one student, a section or a school (one PDF or a zip of one per
// student, with progress on standard error), and `cairn reports
// report-card-settings`: the district's wording, paper and logo.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "reports/report_card_batch.h"
#include "reports/report_card_settings.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

struct ReportCardCliOptions {
  std::string student, section, school;
  bool transcript = false;
  bool zip = false;
  std::string out_path;
  std::string as_of;       // YYYY-MM-DD; "" is today
  std::string public_url;  // "" is the one the server settled on
};

Result<std::string> PublicUrl(Store& store, const std::string& given, std::ostream& err) {
  std::string url = given;
  if (url.empty()) {
    CAIRN_ASSIGN_OR_RETURN(auto stored, store.GetSetting("public_url"));
    if (stored) url = *stored;
  }
  if (url.empty()) {
    err << "cairn: warning: no public URL is known (cairn serve --public-url sets it, or pass "
           "--public-url): the QR codes point at http://localhost\n";
    url = "http://localhost";
  }
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Status::InvalidField("--public-url", "expected an http:// or https:// address");
  }
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return url;
}

Result<Day> AsOf(const std::string& given) {
  const Day today = DayOf(SystemClock()());
  if (given.empty()) return today;
  auto day = ParseDate(given);
  if (!day.ok()) return Status::InvalidField("--as-of", day.status().message());
  if (*day > today) return Status::InvalidField("--as-of", given + " is in the future");
  return *day;
}

// Progress on standard error at every tenth of the batch, so a school of a
// thousand students prints ten lines, not a thousand.
ReportCardProgress ProgressTo(std::ostream& err) {
  return [&err, last = -1](int done, int total) mutable {
    if (total == 0) return;
    const int tenth = done * 10 / total;
    if (tenth == last && done != total) return;
    last = tenth;
    err << "report cards: " << done << " of " << total << " students\n";
  };
}

void RunReportCard(CliContext& ctx, const ReportCardCliOptions& o) {
  const int chosen = !o.student.empty() + !o.section.empty() + !o.school.empty();
  if (chosen != 1) {
    return ctx.Fail(Status::Invalid("give one of --student, --section or --school"));
  }
  if (o.zip && !o.student.empty()) {
    return ctx.Fail(Status::InvalidField("--zip", "only for a section or a school"));
  }
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
  }
  Store& store = (*service)->store();
  auto roster = store.LoadRoster();
  if (!roster.ok()) return ctx.Fail(roster.status());

  std::vector<const Person*> students;
  if (!o.student.empty()) {
    const Person* p = roster->FindPersonBySourcedId(o.student);
    if (!p || p->role != PersonRole::kStudent) {
      return ctx.Fail(Status::NotFound("student: no student '" + o.student + "'"));
    }
    students.push_back(p);
  } else if (!o.section.empty()) {
    const Section* section = nullptr;
    for (const Section& s : roster->sections) {
      if (s.sourced_id == o.section) section = &s;
    }
    if (!section) return ctx.Fail(Status::NotFound("section: no section '" + o.section + "'"));
    students = StudentsOfSection(*roster, section->id);
  } else {
    const School* school = nullptr;
    for (const School& s : roster->schools) {
      if (s.sourced_id == o.school) school = &s;
    }
    if (!school) return ctx.Fail(Status::NotFound("school: no school '" + o.school + "'"));
    students = StudentsOfSchool(*roster, school->id);
  }

  ReportCardBatchOptions options;
  options.kind = o.transcript ? ReportCardKind::kTranscript : ReportCardKind::kReportCard;
  options.zip = o.zip;
  auto as_of = AsOf(o.as_of);
  if (!as_of.ok()) return ctx.Fail(as_of.status());
  options.card.as_of = *as_of;
  auto url = PublicUrl(store, o.public_url, ctx.err);
  if (!url.ok()) return ctx.Fail(url.status());
  options.card.public_url = *url;
  auto settings = LoadReportCardSettings(store);
  if (!settings.ok()) return ctx.Fail(settings.status());
  options.settings = *settings;
  auto credit_map = LoadCreditMap(store);
  if (!credit_map.ok()) return ctx.Fail(credit_map.status());
  options.card.credit_map = &*credit_map;

  // Written beside the target and renamed at the end, so a failed batch
  // never leaves a half PDF under the name asked for.
  if (Status s = EnsureParentDirectory(o.out_path); !s.ok()) return ctx.Fail(s);
  const std::string partial = o.out_path + ".partial";
  std::ofstream file(partial, std::ios::binary | std::ios::trunc);
  if (!file) return ctx.Fail(Status::Invalid(o.out_path + ": cannot write file"));
  const bool batch = o.student.empty();
  auto summary = WriteReportCardBatch(store, (*service)->catalog(), *roster, students, options,
                                      file, batch ? ProgressTo(ctx.err) : ReportCardProgress{});
  file.close();
  std::error_code ec;
  if (!summary.ok() || !file) {
    std::filesystem::remove(partial, ec);
    return ctx.Fail(summary.ok() ? Status::Internal(o.out_path + ": the file could not be written")
                                 : summary.status());
  }
  std::filesystem::rename(partial, o.out_path, ec);
  if (ec) return ctx.Fail(Status::Internal(o.out_path + ": " + ec.message()));
  const char* what = o.transcript ? "transcript" : "report card";
  if (ctx.json_output) {
    ctx.out << json{{"out", o.out_path},
                    {"students", summary->students},
                    {"pages", summary->pages},
                    {"kind", o.transcript ? "transcript" : "report_card"},
                    {"zip", o.zip},
                    {"as_of", FormatDate(*as_of)}}
                   .dump(2)
            << "\n";
    return;
  }
  ctx.out << "Wrote " << summary->students << " " << what << (summary->students == 1 ? "" : "s")
          << " (" << summary->pages << " page" << (summary->pages == 1 ? "" : "s") << ") to "
          << o.out_path << "\n";
}

Result<std::string> ReadFile(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (bytes.str().size() > limit) {
    return Status::TooLarge(path + ": larger than " + std::to_string(limit / 1024) + " KB");
  }
  return bytes.str();
}

void RunSettings(CliContext& ctx, const std::string& set_path, const std::string& logo_path,
                 bool remove_logo) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  Store& store = (*service)->store();
  json change = json::object();
  if (!set_path.empty()) {
    auto text = ReadFile(set_path, 2 * 1024 * 1024);
    if (!text.ok()) return ctx.Fail(text.status());
    change = json::parse(*text, nullptr, false);
    if (!change.is_object()) {
      return ctx.Fail(Status::Invalid(set_path + ": expected a JSON object"));
    }
  }
  if (!logo_path.empty()) {
    auto png = ReadFile(logo_path, kMaxReportCardLogoBytes);
    if (!png.ok()) return ctx.Fail(png.status());
    ReportCardSettings only_logo;
    only_logo.logo_png = *png;
    change["logo_png"] = json::parse(ReportCardSettingsToJson(only_logo))["logo_png"];
  }
  if (remove_logo) change["logo_png"] = nullptr;
  Result<ReportCardSettings> settings = change.empty()
                                            ? LoadReportCardSettings(store)
                                            : StoreReportCardSettings(store, change.dump());
  if (!settings.ok()) return ctx.Fail(settings.status());
  json shown = json::parse(ReportCardSettingsToJson(*settings));
  shown.erase("logo_png");
  shown["logo"] = settings->logo_png.empty()
                      ? json(nullptr)
                      : json(std::to_string(settings->logo_png.size()) + " bytes of PNG");
  ctx.out << shown.dump(2) << "\n";
}

}  // namespace

void AddReportCardCommand(CLI::App& command, CliContext& ctx) {
  auto o = std::make_shared<ReportCardCliOptions>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--student", o->student, "One student's report card (sourced id)");
  command.add_option("--section", o->section, "Every student of a section (sourced id)");
  command.add_option("--school", o->school, "Every student of a school (sourced id)");
  command.add_flag("--transcript", o->transcript,
                   "A badge transcript: earned badges with their expectations and QR codes");
  command.add_flag("--zip", o->zip, "A zip of one PDF per student instead of one PDF");
  command.add_option("--out", o->out_path, "The PDF (or zip) to write")->required();
  command.add_option("--as-of", o->as_of,
                     "Only facts recorded by this day, YYYY-MM-DD (default: today)");
  command.add_option("--public-url", o->public_url,
                     "Where the verification pages are (default: the server's public URL)");
  command.callback([&ctx, o] { RunReportCard(ctx, *o); });
}

void AddReportCardSettingsCommand(CLI::App& command, CliContext& ctx) {
  auto set_path = std::make_shared<std::string>();
  auto logo_path = std::make_shared<std::string>();
  auto remove_logo = std::make_shared<bool>(false);
  AddDbOption(command, ctx);
  command.add_option("--set", *set_path,
                     "A JSON file of fields to change: title, transcript_title, intro, "
                     "habits_heading, footer, paper (letter|a4); null restores a default");
  command.add_option("--logo", *logo_path, "A PNG logo (at most 512 KB, 2000 x 2000 pixels)");
  command.add_flag("--no-logo", *remove_logo, "Remove the logo");
  command.callback([&ctx, set_path, logo_path, remove_logo] {
    RunSettings(ctx, *set_path, *logo_path, *remove_logo);
  });
}

}  // namespace cairn::cli
