// The report card routes (issue #11, "Standards-based report card and badge
// transcript as PDF"): a student's report card and transcript for each of
// the people who may read them, a school's batch as one PDF or a zip with
// its progress, the district's setting, and the refusals. PDFs are read
// back with poppler-glib.
#include <archive.h>
#include <archive_entry.h>
#include <poppler.h>

#include <chrono>
#include <functional>
#include <thread>

#include "server/api_test_fixture.h"

namespace cairn {
namespace {

using ReportCardApiTest = ApiTest;

struct Pdf {
  int pages = -1;
  std::string text;
  std::vector<std::string> links;
};

Pdf ReadPdf(const std::string& bytes) {
  Pdf pdf;
  GBytes* data = g_bytes_new(bytes.data(), bytes.size());
  PopplerDocument* doc = poppler_document_new_from_bytes(data, nullptr, nullptr);
  g_bytes_unref(data);
  if (!doc) return pdf;
  pdf.pages = poppler_document_get_n_pages(doc);
  for (int i = 0; i < pdf.pages; ++i) {
    PopplerPage* page = poppler_document_get_page(doc, i);
    char* text = poppler_page_get_text(page);
    pdf.text += std::string(text ? text : "") + "\n";
    g_free(text);
    GList* mapping = poppler_page_get_link_mapping(page);
    for (GList* it = mapping; it; it = it->next) {
      auto* m = static_cast<PopplerLinkMapping*>(it->data);
      if (m->action->type == POPPLER_ACTION_URI) pdf.links.push_back(m->action->uri.uri);
    }
    poppler_page_free_link_mapping(mapping);
    g_object_unref(page);
  }
  g_object_unref(doc);
  return pdf;
}

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return value;
  }
  return "";
}

std::string StudentName(const std::string& sourced_id) {
  auto store = SqliteStore::Open(g_db);
  auto person = (*store)->FindPerson(sourced_id);
  return person.ok() && *person ? (*person)->DisplayName() : "";
}

TEST_F(ReportCardApiTest, EveryoneWhoMayReadTheStudentGetsTheReportCard) {
  const std::string name = StudentName("student-00001");
  ASSERT_FALSE(name.empty());
  const std::string verify = "https://badges.test/verify/" + g_credential[true];
  for (const char* role : kRoles) {
    Login login = SignIn(role);
    HttpResponse r = Call("GET", "/api/v1/students/student-00001/report-card.pdf", "", login);
    ASSERT_EQ(r.status, 200) << role << " " << r.body;
    EXPECT_EQ(r.content_type, "application/pdf");
    EXPECT_NE(Header(r, "Content-Disposition").find("student-00001-"), std::string::npos);
    Pdf pdf = ReadPdf(std::string(r.Body()));
    ASSERT_GE(pdf.pages, 1) << role;
    EXPECT_NE(pdf.text.find(name + " · "), std::string::npos) << role;
    EXPECT_NE(pdf.text.find("Badges earned"), std::string::npos);
    EXPECT_NE(pdf.text.find("Badges in progress"), std::string::npos);
    EXPECT_NE(pdf.text.find("Habits of work are reported on their own"), std::string::npos);
    // The credential the fixture issued, by its public verification page.
    EXPECT_NE(pdf.text.find(verify), std::string::npos) << role;
    EXPECT_NE(std::find(pdf.links.begin(), pdf.links.end(), verify), pdf.links.end()) << role;
    // Nothing of the other district's student.
    EXPECT_EQ(pdf.text.find("Far Away"), std::string::npos);
  }
  Login guardian = SignIn("guardian-00001");
  HttpResponse transcript =
      Call("GET", "/api/v1/students/student-00001/transcript.pdf", "", guardian);
  ASSERT_EQ(transcript.status, 200) << transcript.body;
  Pdf pdf = ReadPdf(std::string(transcript.Body()));
  EXPECT_NE(pdf.text.find("Badge transcript"), std::string::npos);
  EXPECT_NE(pdf.text.find(verify), std::string::npos);
  EXPECT_EQ(pdf.text.find("Badges in progress"), std::string::npos);
  EXPECT_EQ(pdf.text.find("Habits of work"), std::string::npos);
}

TEST_F(ReportCardApiTest, OthersAndBadDatesAreRefused) {
  Login teacher = SignIn("teacher-001");
  EXPECT_EQ(Call("GET", "/api/v1/students/student-far/report-card.pdf", "", teacher).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/students/student-far/transcript.pdf", "", teacher).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/students/student-00001/report-card.pdf", "", std::nullopt).status,
            401);
  HttpResponse bad =
      Call("GET", "/api/v1/students/student-00001/report-card.pdf?as_of=tomorrow", "", teacher);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("as_of"), std::string::npos) << bad.body;
  HttpResponse future =
      Call("GET", "/api/v1/students/student-00001/report-card.pdf?as_of=2999-01-01", "", teacher);
  EXPECT_EQ(future.status, 400);
  EXPECT_NE(future.body.find("in the future"), std::string::npos) << future.body;
  // Before anything was recorded: the card is there, with nothing earned.
  HttpResponse early =
      Call("GET", "/api/v1/students/student-00001/report-card.pdf?as_of=2000-01-01", "", teacher);
  ASSERT_EQ(early.status, 200) << early.body;
  Pdf pdf = ReadPdf(std::string(early.Body()));
  EXPECT_NE(pdf.text.find("No badges earned yet as of January 1, 2000."), std::string::npos)
      << pdf.text;
  EXPECT_TRUE(pdf.links.empty());
}

TEST_F(ReportCardApiTest, ReadingAReportCardIsAudited) {
  Login guardian = SignIn("guardian-00001");
  ASSERT_EQ(Call("GET", "/api/v1/students/student-00001/transcript.pdf", "", guardian).status, 200);
  api_->FlushAudit();
  Login admin = SignIn("admin");
  json audit = Body(Call("GET", "/api/v1/audit?student=student-00001&limit=50", "", admin));
  bool saw = false;
  for (const json& e : audit) {
    saw |= e.value("resource", "").find("/transcript.pdf") != std::string::npos;
  }
  EXPECT_TRUE(saw) << audit.dump();
}

// Polls a batch until it is finished (or a minute passes).
json WaitForJob(const std::function<HttpResponse()>& poll) {
  json job;
  for (int i = 0; i < 1200; ++i) {
    HttpResponse r = poll();
    EXPECT_EQ(r.status, 200) << r.body;
    job = json::parse(r.body, nullptr, false);
    if (job.value("phase", "") == "done" || job.value("phase", "") == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return job;
}

TEST_F(ReportCardApiTest, ASchoolsReportCardsAsOnePdfAndAsAZip) {
  Login leader = SignIn("leader-school-1");
  HttpResponse started = Call("POST", "/api/v1/schools/school-1/report-cards", "{}", leader);
  ASSERT_EQ(started.status, 202) << started.body;
  json job = Body(started);
  const std::string location = Header(started, "Location");
  EXPECT_EQ(location, "/api/v1/schools/school-1/report-cards/" + job["id"].get<std::string>());
  EXPECT_EQ(job["kind"], "report_card");
  const int total = job["total"];
  EXPECT_GT(total, 3);
  job = WaitForJob([&] { return Call("GET", location, "", leader); });
  ASSERT_EQ(job["phase"], "done") << job.dump();
  EXPECT_EQ(job["done"], total);
  EXPECT_EQ(job["progress"], 1.0);
  // Another school's leader, a teacher, and the job under another school.
  EXPECT_EQ(Call("GET", location, "", SignIn("teacher-001")).status, 403);
  const std::string elsewhere =
      "/api/v1/schools/school-2/report-cards/" + job["id"].get<std::string>();
  EXPECT_EQ(Call("GET", elsewhere, "", SignIn("admin")).status, 404);

  HttpResponse result = Call("GET", job["result"].get<std::string>(), "", leader);
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.content_type, "application/pdf");
  // (Api::Handle without a responder reads a streamed file into the body.)
  Pdf pdf = ReadPdf(std::string(result.Body()));
  EXPECT_EQ(pdf.pages, job["pages"].get<int>());
  EXPECT_GE(pdf.pages, total);
  EXPECT_NE(pdf.text.find(StudentName("student-00001") + " · Page 1 of"), std::string::npos);
  EXPECT_EQ(pdf.text.find("Far Away"), std::string::npos);
  // The download may be asked for again: sending one removes only its own
  // name for the job's file.
  HttpResponse again = Call("GET", job["result"].get<std::string>(), "", leader);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.Body(), result.Body());

  // Transcripts as a zip of one PDF per student.
  Login district = SignIn("leader-district");
  started = Call("POST", "/api/v1/schools/school-1/report-cards",
                 json{{"zip", true}, {"transcript", true}}.dump(), district);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string zip_location = Header(started, "Location");
  job = WaitForJob([&] { return Call("GET", zip_location, "", district); });
  ASSERT_EQ(job["phase"], "done") << job.dump();
  result = Call("GET", job["result"].get<std::string>(), "", district);
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.content_type, "application/zip");
  const std::string zip(result.Body());
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  ASSERT_EQ(archive_read_open_memory(a, zip.data(), zip.size()), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  int files = 0;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    std::string data(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
    ASSERT_EQ(archive_read_data(a, data.data(), data.size()), static_cast<la_ssize_t>(data.size()));
    Pdf one = ReadPdf(data);
    EXPECT_GE(one.pages, 1) << archive_entry_pathname(entry);
    EXPECT_NE(one.text.find("Badge transcript"), std::string::npos);
    ++files;
  }
  archive_read_free(a);
  EXPECT_EQ(files, total);
}

TEST_F(ReportCardApiTest, BatchRequestsAreChecked) {
  Login admin = SignIn("admin");
  Login leader = SignIn("leader-school-1");
  EXPECT_EQ(Call("POST", "/api/v1/schools/school-x/report-cards", "{}", leader).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/schools/no-school/report-cards", "{}", admin).status, 404);
  HttpResponse bad =
      Call("POST", "/api/v1/schools/school-1/report-cards",
           json{{"zip", "yes"}, {"colour", 1}, {"as_of", "2999-01-01"}}.dump(), admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("zip"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("colour"), std::string::npos) << bad.body;
  HttpResponse future = Call("POST", "/api/v1/schools/school-1/report-cards",
                             json{{"as_of", "2999-01-01"}}.dump(), admin);
  EXPECT_EQ(future.status, 400);
  EXPECT_NE(future.body.find("as_of"), std::string::npos) << future.body;
  EXPECT_EQ(Call("GET", "/api/v1/schools/school-1/report-cards/nope", "", admin).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/schools/school-1/report-cards/nope/result", "", admin).status,
            404);
}

TEST_F(ReportCardApiTest, TheDistrictsSettingIsCheckedAndUsed) {
  Login admin = SignIn("admin");
  const std::string before = Call("GET", "/api/v1/settings/report-card", "", admin).body;
  EXPECT_EQ(Body(Call("GET", "/api/v1/settings/report-card", "", admin))["paper"], "letter");
  HttpResponse bad = Call("PUT", "/api/v1/settings/report-card",
                          json{{"paper", "legal"}, {"logo_png", "%%%"}}.dump(), admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("report_card.paper"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("report_card.logo_png"), std::string::npos) << bad.body;
  EXPECT_EQ(Call("GET", "/api/v1/settings/report-card", "", admin).body, before);
  EXPECT_EQ(Call("PUT", "/api/v1/settings/report-card", json{{"paper", "a4"}}.dump(),
                 SignIn("leader-district"))
                .status,
            403);

  HttpResponse set = Call(
      "PUT", "/api/v1/settings/report-card",
      json{{"title", "Riverbend math progress"}, {"habits_heading", "Work habits"}}.dump(), admin);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Body(set)["title"], "Riverbend math progress");
  HttpResponse r = Call("GET", "/api/v1/students/student-00001/report-card.pdf", "", admin);
  Pdf pdf = ReadPdf(std::string(r.Body()));
  EXPECT_NE(pdf.text.find("Riverbend math progress"), std::string::npos);
  EXPECT_NE(pdf.text.find("Work habits"), std::string::npos);
  // null puts a field back to its default; the other is kept.
  set = Call("PUT", "/api/v1/settings/report-card", json{{"title", nullptr}}.dump(), admin);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Body(set)["title"], "Standards-based report card");
  EXPECT_EQ(Body(set)["habits_heading"], "Work habits");
}

// A district maps badges to credit and graduation; the student's standing is
// on their plan (for the family too) and on the transcript. Only confirmed
// awards count.
TEST_F(ReportCardApiTest, CreditAndGraduationStandingIsOnThePlanAndTheTranscript) {
  Login admin = SignIn("admin");
  Login guardian = SignIn("guardian-00001");
  const std::string student = "/api/v1/students/student-00001";
  json summary = Body(Call("GET", student + "/family-summary", "", guardian));
  ASSERT_FALSE(summary["earned"].empty()) << summary.dump();
  const std::string earned = summary["earned"][0]["code"];
  std::string missing;
  for (const char* code : {"M155", "M154", "M153", "M152"}) {
    bool held = false;
    for (const json& b : summary["earned"]) held = held || b["code"] == code;
    if (!held) missing = code;
  }
  ASSERT_FALSE(missing.empty());

  // Bad maps are named by their JSON path and change nothing.
  const std::string before = Call("GET", "/api/v1/settings/credit-map", "", admin).body;
  HttpResponse bad =
      Call("PUT", "/api/v1/settings/credit-map",
           json{{"requirements",
                 {{{"id", "alg"}, {"title", "Algebra"}, {"kind", "credit"}, {"badges", {"Z999"}}}}}}
               .dump(),
           admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("credit_map.requirements[0].badges[0]"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("credit_map.requirements[0].credits"), std::string::npos) << bad.body;
  EXPECT_EQ(Call("GET", "/api/v1/settings/credit-map", "", admin).body, before);

  const json map{{"requirements",
                  {{{"id", "one-of"},
                    {"title", "Mathematics elective"},
                    {"kind", "credit"},
                    {"credits", 0.5},
                    {"badges", {earned, missing}},
                    {"min_badges", 1}},
                   {{"id", "both"},
                    {"title", "Algebra I"},
                    {"kind", "credit"},
                    {"credits", 1},
                    {"badges", {earned, missing}}},
                   {{"id", "grad"},
                    {"title", "Mathematics for graduation"},
                    {"kind", "graduation"},
                    {"credits_from", {"one-of", "both"}},
                    {"credits_needed", 1.5}}}}};
  EXPECT_EQ(Call("PUT", "/api/v1/settings/credit-map", map.dump(), SignIn("teacher-001")).status,
            403);
  HttpResponse set = Call("PUT", "/api/v1/settings/credit-map", map.dump(), admin);
  ASSERT_EQ(set.status, 200) << set.body;

  json plan = Body(Call("GET", student + "/plan", "", guardian));
  const json& progress = plan["credit_progress"];
  ASSERT_EQ(progress.size(), 3u) << plan.dump();
  EXPECT_EQ(progress[0]["met"], true);
  EXPECT_EQ(progress[0]["credits_earned"], 0.5);
  EXPECT_EQ(progress[1]["met"], false);
  EXPECT_EQ(progress[1]["missing_badges"][0]["code"], missing);
  EXPECT_EQ(progress[1]["standing"], "1 of 2 badges earned; 1 more needed for 1 credit.");
  EXPECT_EQ(progress[2]["met"], false);
  EXPECT_EQ(progress[2]["standing"], "0.5 of 1.5 credits earned.");

  HttpResponse r = Call("GET", student + "/transcript.pdf", "", guardian);
  ASSERT_EQ(r.status, 200);
  Pdf pdf = ReadPdf(std::string(r.Body()));
  EXPECT_NE(pdf.text.find("Credit and graduation"), std::string::npos) << pdf.text;
  EXPECT_NE(pdf.text.find("Mathematics elective"), std::string::npos);
  EXPECT_NE(pdf.text.find("Met: 0.5 credits."), std::string::npos);
  EXPECT_NE(pdf.text.find("0.5 of 1.5 credits earned."), std::string::npos);

  // An empty map takes the section away again.
  ASSERT_EQ(Call("PUT", "/api/v1/settings/credit-map", json{{"requirements", json::array()}}.dump(),
                 admin)
                .status,
            200);
  pdf = ReadPdf(std::string(Call("GET", student + "/transcript.pdf", "", guardian).Body()));
  EXPECT_EQ(pdf.text.find("Credit and graduation"), std::string::npos);
}

}  // namespace
}  // namespace cairn
