#include "reports/report_card_batch.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <poppler.h>

#include <sstream>

#include "demo/demo_district.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

int PdfPages(const std::string& pdf, std::string* text = nullptr) {
  GBytes* bytes = g_bytes_new(pdf.data(), pdf.size());
  PopplerDocument* doc = poppler_document_new_from_bytes(bytes, nullptr, nullptr);
  g_bytes_unref(bytes);
  if (!doc) return -1;
  const int pages = poppler_document_get_n_pages(doc);
  for (int i = 0; text && i < pages; ++i) {
    PopplerPage* page = poppler_document_get_page(doc, i);
    char* t = poppler_page_get_text(page);
    *text += t ? t : "";
    *text += "\n";
    g_free(t);
    g_object_unref(page);
  }
  g_object_unref(doc);
  return pages;
}

// A small demo district: two schools of students with a year of evidence.
class ReportCardBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.ok());
    auto service = CairnService::Open(std::move(store).value(), SystemClock());
    ASSERT_TRUE(service.ok());
    service_ = std::move(service).value();
    ASSERT_TRUE(GenerateDemoDistrict(*service_, {24, 7, 2}).ok());
    auto roster = service_->store().LoadRoster();
    ASSERT_TRUE(roster.ok());
    roster_ = std::move(roster).value();
    for (const School& s : roster_.schools) {
      if (s.sourced_id == "school-1") school_ = s.id;
    }
    options_.card.as_of = DayOf(SystemClock()());
    options_.card.public_url = "https://badges.test";
  }

  std::unique_ptr<CairnService> service_;
  Roster roster_;
  Id school_ = 0;
  ReportCardBatchOptions options_;
};

TEST_F(ReportCardBatchTest, SchoolStudentsAreItsActiveStudentsInNameOrder) {
  auto students = StudentsOfSchool(roster_, school_);
  ASSERT_GE(students.size(), 5u);
  for (std::size_t i = 0; i < students.size(); ++i) {
    EXPECT_EQ(students[i]->role, PersonRole::kStudent);
    EXPECT_EQ(*students[i]->school_id, school_);
    if (i > 0) {
      EXPECT_LE(students[i - 1]->family_name + students[i - 1]->given_name,
                students[i]->family_name + students[i]->given_name);
    }
  }
  std::size_t everyone = 0;
  for (const Person& p : roster_.people) everyone += p.role == PersonRole::kStudent;
  EXPECT_LT(students.size(), everyone);  // the other school's are not in it
  const Section& section = roster_.sections.front();
  auto in_section = StudentsOfSection(roster_, section.id);
  EXPECT_FALSE(in_section.empty());
  EXPECT_LE(in_section.size(), roster_.StudentsIn(section.id).size());
}

TEST_F(ReportCardBatchTest, OnePdfWithEveryStudentAndProgress) {
  auto students = StudentsOfSchool(roster_, school_);
  std::vector<std::pair<int, int>> calls;
  std::ostringstream out;
  auto summary =
      WriteReportCardBatch(service_->store(), service_->catalog(), roster_, students, options_, out,
                           [&](int done, int total) { calls.emplace_back(done, total); });
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const int n = static_cast<int>(students.size());
  EXPECT_EQ(summary->students, n);
  ASSERT_EQ(calls.size(), students.size() + 1);
  for (int i = 0; i <= n; ++i) EXPECT_EQ(calls[i], std::make_pair(i, n));
  std::string text;
  EXPECT_EQ(PdfPages(out.str(), &text), summary->pages);
  EXPECT_GE(summary->pages, n);
  for (const Person* s : students) {
    EXPECT_NE(text.find(s->DisplayName() + " · Page 1 of"), std::string::npos) << s->sourced_id;
  }
}

TEST_F(ReportCardBatchTest, ZipOfOnePdfPerStudent) {
  auto students = StudentsOfSchool(roster_, school_);
  options_.zip = true;
  options_.kind = ReportCardKind::kTranscript;
  std::ostringstream out;
  auto summary = WriteReportCardBatch(service_->store(), service_->catalog(), roster_, students,
                                      options_, out);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const std::string zip = out.str();
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  ASSERT_EQ(archive_read_open_memory(a, zip.data(), zip.size()), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  std::map<std::string, std::string> files;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    std::string data(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
    ASSERT_EQ(archive_read_data(a, data.data(), data.size()), static_cast<la_ssize_t>(data.size()));
    files[archive_entry_pathname(entry)] = std::move(data);
  }
  archive_read_free(a);
  ASSERT_EQ(files.size(), students.size());
  int pages = 0;
  for (const Person* s : students) {
    const std::string name = ReportCardFileName(*s, ReportCardKind::kTranscript);
    ASSERT_TRUE(files.count(name)) << name;
    std::string text;
    const int count = PdfPages(files[name], &text);
    ASSERT_GT(count, 0) << name;
    pages += count;
    EXPECT_NE(text.find("Badge transcript"), std::string::npos);
    EXPECT_NE(text.find(s->DisplayName()), std::string::npos) << name;
  }
  EXPECT_EQ(pages, summary->pages);
}

TEST(ReportCardFileNameTest, KeepsOnlySafeCharacters) {
  Person p;
  p.sourced_id = "stu/../1";
  p.given_name = "Zoë";
  p.family_name = "O'Neil";
  EXPECT_EQ(ReportCardFileName(p, ReportCardKind::kReportCard), "stu----1-O-Neil-Zo--.pdf");
  EXPECT_EQ(ReportCardFileName(p, ReportCardKind::kTranscript),
            "stu----1-O-Neil-Zo---transcript.pdf");
}

}  // namespace
}  // namespace cairn
