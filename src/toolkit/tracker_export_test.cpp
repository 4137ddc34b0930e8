#include "toolkit/tracker_export.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <poppler.h>

#include <memory>

namespace cairn {
namespace {

using nlohmann::json;

// Every file of a zip, by name.
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    archive_read_free(a);
    return out;
  }
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    std::string data;
    char buf[8192];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
      data.append(buf, static_cast<std::size_t>(n));
    out[archive_entry_pathname(entry)] = data;
  }
  archive_read_free(a);
  return out;
}

std::string PdfText(const std::string& bytes, int* pages) {
  GBytes* gbytes = g_bytes_new(bytes.data(), bytes.size());
  PopplerDocument* doc = poppler_document_new_from_bytes(gbytes, nullptr, nullptr);
  g_bytes_unref(gbytes);
  if (!doc) return "";
  std::string text;
  *pages = poppler_document_get_n_pages(doc);
  for (int i = 0; i < *pages; ++i) {
    PopplerPage* page = poppler_document_get_page(doc, i);
    char* t = poppler_page_get_text(page);
    text += t ? t : "";
    g_free(t);
    g_object_unref(page);
  }
  g_object_unref(doc);
  return text;
}

TrackerExport Sample(int rows) {
  const TrackerDefinition& t = *FindBundledTracker("checkin-plan-3-1");
  std::vector<JournalEntry> entries;
  for (int i = 0; i < rows; ++i) {
    JournalEntry e;
    e.id = i + 1;
    e.stream = TrackerStream(t.id);
    e.key = "row-" + std::to_string(i);
    e.body = json{{"values",
                   {{"opportunity", "Focus group " + std::to_string(i)},
                    {"materials", "=HYPERLINK(\"x\")"}}},
                  {"owner", "Dana"},
                  {"due", "2026-01-0" + std::to_string(1 + i % 9)},
                  {"status", "in progress"}}
                 .dump();
    entries.push_back(e);
  }
  TrackerExport data;
  data.tracker = &t;
  data.district_name = "Demo District";
  data.rows = FoldTrackerRows(t, entries);
  data.today = *ParseDate("2026-02-01");
  return data;
}

TEST(TrackerExportTest, XlsxHasTheColumnsRowsAndQuestionsAsText) {
  auto bytes = TrackerXlsx(Sample(2));
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  ASSERT_EQ(bytes->substr(0, 2), "PK");
  auto files = Unzip(*bytes);
  ASSERT_TRUE(files.count("xl/sharedStrings.xml"));
  const std::string& strings = files["xl/sharedStrings.xml"];
  for (const char* s : {"Opportunity", "Required Materials", "Owner", "Overdue", "Focus group 1",
                        "What aspects of the program are working for you?"}) {
    EXPECT_NE(strings.find(s), std::string::npos) << s;
  }
  // A formula-looking value stays text: no <f> element anywhere.
  EXPECT_EQ(files["xl/worksheets/sheet1.xml"].find("<f>"), std::string::npos);
  EXPECT_NE(strings.find("'=HYPERLINK("), std::string::npos);
  EXPECT_TRUE(files.count("xl/worksheets/sheet2.xml"));  // the questions
}

TEST(TrackerExportTest, PdfHasEveryRowAndContinuesOnNewPages) {
  int pages = 0;
  auto one = TrackerPdf(Sample(1));
  ASSERT_TRUE(one.ok());
  const std::string text = PdfText(*one, &pages);
  EXPECT_EQ(pages, 1);
  EXPECT_NE(text.find("Check-in plan"), std::string::npos);
  EXPECT_NE(text.find("Focus group 0"), std::string::npos);
  EXPECT_NE(text.find("What additional support do you need"), std::string::npos);
  EXPECT_NE(text.find("Overdue: Yes"), std::string::npos);

  auto many = TrackerPdf(Sample(60));
  ASSERT_TRUE(many.ok());
  const std::string long_text = PdfText(*many, &pages);
  EXPECT_GT(pages, 3);
  EXPECT_NE(long_text.find("Focus group 59"), std::string::npos);
}

TEST(TrackerExportTest, AnEmptyTrackerStillExports) {
  TrackerExport data = Sample(0);
  auto x = TrackerXlsx(data);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->substr(0, 2), "PK");
  int pages = 0;
  auto p = TrackerPdf(data);
  ASSERT_TRUE(p.ok());
  EXPECT_NE(PdfText(*p, &pages).find("No rows yet."), std::string::npos);
}

}  // namespace
}  // namespace cairn
