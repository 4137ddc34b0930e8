#include "reports/report_card_pdf.h"

#include <cairo.h>
#include <gtest/gtest.h>
#include <poppler.h>
#include <qrencode.h>

#include <memory>

#include "reports/report_card_test_support.h"

namespace cairn {
namespace {

using namespace cairn::testing;

// A PDF read back with poppler, as a reader (or a screen reader) gets it.
class PdfReader {
 public:
  explicit PdfReader(const std::string& pdf) {
    GBytes* bytes = g_bytes_new(pdf.data(), pdf.size());
    GError* error = nullptr;
    doc_ = poppler_document_new_from_bytes(bytes, nullptr, &error);
    g_bytes_unref(bytes);
    if (error) {
      ADD_FAILURE() << "poppler: " << error->message;
      g_error_free(error);
    }
  }
  ~PdfReader() {
    if (doc_) g_object_unref(doc_);
  }
  bool ok() const { return doc_ != nullptr; }
  int pages() const { return doc_ ? poppler_document_get_n_pages(doc_) : 0; }

  std::string Text(int page) const {
    PopplerPage* p = poppler_document_get_page(doc_, page);
    char* text = poppler_page_get_text(p);
    std::string out = text ? text : "";
    g_free(text);
    g_object_unref(p);
    return out;
  }
  std::string AllText() const {
    std::string out;
    for (int i = 0; i < pages(); ++i) out += Text(i) + "\n";
    return out;
  }
  std::pair<double, double> Size(int page) const {
    PopplerPage* p = poppler_document_get_page(doc_, page);
    double w = 0, h = 0;
    poppler_page_get_size(p, &w, &h);
    g_object_unref(p);
    return {w, h};
  }

  struct Link {
    std::string uri;
    double x, y, w, h;  // top-left origin, points
  };
  std::vector<Link> Links(int page) const {
    PopplerPage* p = poppler_document_get_page(doc_, page);
    double page_h = 0, page_w = 0;
    poppler_page_get_size(p, &page_w, &page_h);
    std::vector<Link> out;
    GList* mapping = poppler_page_get_link_mapping(p);
    for (GList* it = mapping; it; it = it->next) {
      auto* m = static_cast<PopplerLinkMapping*>(it->data);
      if (m->action->type != POPPLER_ACTION_URI) continue;
      // poppler-glib gives PDF coordinates (origin at the bottom left).
      out.push_back({m->action->uri.uri, m->area.x1, page_h - m->area.y2, m->area.x2 - m->area.x1,
                     m->area.y2 - m->area.y1});
    }
    poppler_page_free_link_mapping(mapping);
    g_object_unref(p);
    return out;
  }
  int Images(int page) const {
    PopplerPage* p = poppler_document_get_page(doc_, page);
    GList* mapping = poppler_page_get_image_mapping(p);
    const int count = static_cast<int>(g_list_length(mapping));
    poppler_page_free_image_mapping(mapping);
    g_object_unref(p);
    return count;
  }

  // The page drawn by poppler at `scale` pixels per point on white.
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> Render(int page,
                                                                            double scale) const {
    PopplerPage* p = poppler_document_get_page(doc_, page);
    double w = 0, h = 0;
    poppler_page_get_size(p, &w, &h);
    cairo_surface_t* surface = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, static_cast<int>(w * scale), static_cast<int>(h * scale));
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(p, cr);
    cairo_destroy(cr);
    g_object_unref(p);
    cairo_surface_flush(surface);
    return {surface, cairo_surface_destroy};
  }

 private:
  PopplerDocument* doc_ = nullptr;
};

ReportCard TestCard() {
  Catalog catalog = TestCatalog();
  Roster roster = ReportCardRoster();
  auto card = BuildReportCard(catalog, roster, *roster.FindPerson(kStudentId),
                              ReportCardTestFacts(), ReportCardTestOptions());
  EXPECT_TRUE(card.ok()) << card.status().ToString();
  return card.ok() ? *card : ReportCard{};
}

std::string Render(const ReportCard& card, const ReportCardSettings& settings = {},
                   ReportCardKind kind = ReportCardKind::kReportCard) {
  auto pdf = RenderReportCardPdf(card, settings, kind);
  EXPECT_TRUE(pdf.ok()) << pdf.status().ToString();
  return pdf.ok() ? *pdf : "";
}

std::size_t Find(const std::string& text, const std::string& what) {
  std::size_t at = text.find(what);
  EXPECT_NE(at, std::string::npos) << "'" << what << "' not in:\n" << text;
  return at;
}

TEST(ReportCardPdfTest, ShowsTheStudentBadgesLevelsHabitsAndComments) {
  PdfReader pdf(Render(TestCard()));
  ASSERT_TRUE(pdf.ok());
  ASSERT_GE(pdf.pages(), 1);
  const std::string text = pdf.AllText();
  Find(text, "Riverbend Unified");
  Find(text, "Standards-based report card");
  Find(text, "Ava Lopez · Grade 9 · Riverbend High · As of October 1, 2026");
  const std::size_t earned = Find(text, "Badges earned");
  Find(text, "B1 · Badge one");
  Find(text, "Earned September 21, 2026");
  const std::size_t progress = Find(text, "Badges in progress");
  Find(text, "B2 · Badge two");
  Find(text, "0 of 1 learning expectations met");
  Find(text, "Emerging");
  Find(text, "Not yet: Emerging. The goal is");
  Find(text, "Reach Proficient on Only.");
  // (The introduction names habits of work too: the heading comes later.)
  const std::size_t habits = Find(text.substr(progress), "Habits of work") + progress;
  Find(text, "Persistence");
  Find(text, "Kept going after a hard start.");
  const std::size_t comments = Find(text, "Teacher comments");
  Find(text, "Check the units in step 2.");
  Find(text, "Nice graph, label the axes.");
  EXPECT_EQ(text.find("SECRET"), std::string::npos);
  EXPECT_EQ(text.find("Entered for the wrong student"), std::string::npos);
  // Academics first, habits of work in their own section after them.
  EXPECT_LT(earned, progress);
  EXPECT_LT(progress, habits);
  EXPECT_LT(habits, comments);
  // The habit is not among the badges' rows.
  EXPECT_EQ(text.substr(0, habits).find("Persistence"), std::string::npos);
  Find(pdf.Text(pdf.pages() - 1),
       "Ava Lopez · Page " + std::to_string(pdf.pages()) + " of " + std::to_string(pdf.pages()));
}

TEST(ReportCardPdfTest, QrCodeIsTheVerificationAddressAndALinkToIt) {
  const ReportCard card = TestCard();
  const std::string url = card.earned.at(0).credential->verification_url;
  PdfReader pdf(Render(card));
  ASSERT_TRUE(pdf.ok());
  Find(pdf.Text(0), url);
  // Both the code and the printed address are links to the page.
  std::vector<PdfReader::Link> links = pdf.Links(0);
  const PdfReader::Link* qr = nullptr;
  int to_url = 0;
  for (const auto& link : links) {
    if (link.uri != url) continue;
    ++to_url;
    if (std::abs(link.w - link.h) < 2 && link.w > 40) qr = &link;
  }
  EXPECT_GE(to_url, 2);
  ASSERT_NE(qr, nullptr) << [&] {
    std::string all;
    for (const auto& l : links)
      all += l.uri + " " + std::to_string(l.x) + "," + std::to_string(l.y) + " " +
             std::to_string(l.w) + "x" + std::to_string(l.h) + "\n";
    return all;
  }();

  // The code drawn in that square, read module by module from poppler's
  // rendering, is libqrencode's matrix for the address. (The link's box is
  // rounded to whole points; the symbol's edges are found from its pixels:
  // the three finder patterns make its corners dark.)
  std::unique_ptr<QRcode, decltype(&QRcode_free)> expected(
      QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  ASSERT_TRUE(expected);
  const int n = expected->width;
  constexpr double kScale = 6;
  auto image = pdf.Render(0, kScale);
  const unsigned char* data = cairo_image_surface_get_data(image.get());
  const int stride = cairo_image_surface_get_stride(image.get());
  auto dark_at = [&](int px, int py) {
    const unsigned char* pixel = data + py * stride + px * 4;
    return (pixel[0] + pixel[1] + pixel[2]) / 3 < 128;
  };
  int left = 1 << 30, top = 1 << 30, right = -1, bottom = -1;
  for (int py = static_cast<int>((qr->y - 2) * kScale); py < (qr->y + qr->h + 2) * kScale; ++py) {
    for (int px = static_cast<int>((qr->x - 2) * kScale); px < (qr->x + qr->w + 2) * kScale; ++px) {
      if (!dark_at(px, py)) continue;
      left = std::min(left, px);
      right = std::max(right, px);
      top = std::min(top, py);
      bottom = std::max(bottom, py);
    }
  }
  ASSERT_GT(right, left);
  const double module_w = (right - left + 1.0) / n;
  const double module_h = (bottom - top + 1.0) / n;
  EXPECT_NEAR(module_w, module_h, 0.5);
  EXPECT_NEAR(module_w * n / kScale, qr->w, 1.5);  // the link covers the code
  int mismatches = 0, dark = 0;
  for (int row = 0; row < n; ++row) {
    for (int col = 0; col < n; ++col) {
      const bool is_dark = dark_at(static_cast<int>(left + (col + 0.5) * module_w),
                                   static_cast<int>(top + (row + 0.5) * module_h));
      const bool want_dark = expected->data[row * n + col] & 1;
      dark += is_dark;
      mismatches += is_dark != want_dark;
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << n * n << " modules";
  EXPECT_GT(dark, n * n / 4);
  // The quiet zone (four modules) around the code is white.
  for (int k = 1; k <= 4; ++k) {
    EXPECT_FALSE(dark_at(static_cast<int>(left - (k - 0.5) * module_w),
                         static_cast<int>(top + n * module_h / 2)))
        << "quiet zone, module " << k;
  }
}

TEST(ReportCardPdfTest, NoQrCodeWithoutACredentialAndPrivacyIsSaid) {
  ReportCard card = TestCard();
  card.earned[0].credential->is_public = false;
  PdfReader shared(Render(card));
  Find(shared.AllText(), "Not shared publicly yet");
  card.earned[0].credential.reset();
  PdfReader none(Render(card));
  const std::string text = none.AllText();
  Find(text, "Its digital credential has not been issued yet.");
  EXPECT_TRUE(none.Links(0).empty());
}

ReportCard ManyBadges(int earned, int in_progress) {
  ReportCard card = TestCard();
  const ReportCardEarnedBadge first = card.earned.at(0);
  const ReportCardBadgeInProgress progressing = card.in_progress.at(0);
  card.earned.clear();
  card.in_progress.clear();
  for (int i = 0; i < earned; ++i) {
    ReportCardEarnedBadge b = first;
    b.code = "M" + std::to_string(100 + i);
    b.credential->uuid = "uuid-" + std::to_string(i);
    b.credential->verification_url = std::string(kPublicUrl) + "/verify/uuid-" + std::to_string(i);
    card.earned.push_back(b);
  }
  for (int i = 0; i < in_progress; ++i) {
    ReportCardBadgeInProgress b = progressing;
    b.code = "P" + std::to_string(100 + i);
    card.in_progress.push_back(b);
  }
  return card;
}

TEST(ReportCardPdfTest, PagesGrowWithContentAndEveryPageIsNumbered) {
  PdfReader few(Render(ManyBadges(2, 1)));
  PdfReader many(Render(ManyBadges(40, 25)));
  ASSERT_TRUE(few.ok());
  ASSERT_TRUE(many.ok());
  EXPECT_GE(many.pages(), few.pages() + 4);
  const std::string total = std::to_string(many.pages());
  for (int i = 0; i < many.pages(); ++i) {
    const std::string text = many.Text(i);
    Find(text, "Page " + std::to_string(i + 1) + " of " + total);
    Find(text, "Standards-based report card");  // the header on every page
  }
  // Every badge is there, each with its own link.
  const std::string text = many.AllText();
  int links = 0;
  for (int i = 0; i < many.pages(); ++i) links += static_cast<int>(many.Links(i).size());
  EXPECT_GE(links, 40 * 2);
  for (int i = 0; i < 40; ++i) Find(text, "M" + std::to_string(100 + i) + " · Badge one");
  for (int i = 0; i < 25; ++i) Find(text, "P" + std::to_string(100 + i) + " · Badge two");
}

TEST(ReportCardPdfTest, TranscriptHasOnlyEarnedBadgesWithTheirExpectations) {
  ReportCardSettings settings;
  settings.paper = Paper::kA4;
  PdfReader pdf(Render(TestCard(), settings, ReportCardKind::kTranscript));
  ASSERT_TRUE(pdf.ok());
  const std::string text = pdf.AllText();
  Find(text, "Badge transcript");
  Find(text, "B1 · Badge one");
  Find(text, "Level reached");
  Find(text, "First");
  Find(text, "Advanced");
  EXPECT_EQ(text.find("Badges in progress"), std::string::npos);
  EXPECT_EQ(text.find("Habits of work"), std::string::npos);
  EXPECT_EQ(text.find("Teacher comments"), std::string::npos);
  EXPECT_EQ(text.find("Badge two"), std::string::npos);
  EXPECT_EQ(text.find("Credit and graduation"), std::string::npos);  // the district maps none
  auto [w, h] = pdf.Size(0);
  EXPECT_NEAR(w, 595.28, 0.5);
  EXPECT_NEAR(h, 841.89, 0.5);
  // A long transcript flows onto more pages.
  PdfReader longer(Render(ManyBadges(30, 0), settings, ReportCardKind::kTranscript));
  EXPECT_GT(longer.pages(), pdf.pages());
}

TEST(ReportCardPdfTest, TranscriptShowsCreditAndGraduationStanding) {
  ReportCard card = TestCard();
  card.requirements = {
      {"Algebra I", "credit", true, "Met: 1 credit."},
      {"Mathematics for graduation", "graduation", false, "1 of 3 credits earned."}};
  for (ReportCardKind kind : {ReportCardKind::kTranscript, ReportCardKind::kReportCard}) {
    PdfReader pdf(Render(card, ReportCardSettings{}, kind));
    ASSERT_TRUE(pdf.ok());
    const std::string text = pdf.AllText();
    Find(text, "Credit and graduation");
    Find(text, "Algebra I");
    Find(text, "Course credit");
    Find(text, "Met: 1 credit.");
    Find(text, "Mathematics for graduation");
    Find(text, "1 of 3 credits earned.");
  }
}

TEST(ReportCardPdfTest, LetterIsTheDefaultPaper) {
  PdfReader pdf(Render(TestCard()));
  auto [w, h] = pdf.Size(0);
  EXPECT_NEAR(w, 612, 0.5);
  EXPECT_NEAR(h, 792, 0.5);
}

std::string LogoPng() {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 120, 40);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
  cairo_paint(cr);
  cairo_destroy(cr);
  std::string png;
  cairo_surface_write_to_png_stream(
      surface,
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &png);
  cairo_surface_destroy(surface);
  return png;
}

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 3; k >= 0; --k) out += kAlphabet[(v >> (6 * k)) & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

TEST(ReportCardPdfTest, DistrictWordingAndLogoAreUsed) {
  const std::string logo = LogoPng();
  const nlohmann::json setting{{"title", "Mathematics progress report"},
                               {"intro", "Dear families, here is the term's progress."},
                               {"habits_heading", "How Ava works"},
                               {"footer", "Questions? Call Riverbend High at 555-0100."},
                               {"paper", "a4"},
                               {"logo_png", Base64(logo)}};
  auto settings = ParseReportCardSettings(setting.dump());
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  EXPECT_EQ(settings->logo_png, logo);
  EXPECT_EQ(settings->paper, Paper::kA4);
  PdfReader pdf(Render(TestCard(), *settings));
  const std::string text = pdf.AllText();
  Find(text, "Mathematics progress report");
  Find(text, "Dear families, here is the term's progress.");
  Find(text, "How Ava works");
  Find(text, "Questions? Call Riverbend High at 555-0100.");
  EXPECT_EQ(text.find("Standards-based report card"), std::string::npos);
  EXPECT_EQ(pdf.Images(0), 1);
  PdfReader plain(Render(TestCard()));
  EXPECT_EQ(plain.Images(0), 0);
  // The stored form parses back to the same settings.
  auto again = ParseReportCardSettings(ReportCardSettingsToJson(*settings));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == *settings);
}

TEST(ReportCardSettingsTest, BadSettingsAreRefusedNamingEveryField) {
  const nlohmann::json bad{{"title", std::string(200, 'x')},
                           {"paper", "legal"},
                           {"intro", 42},
                           {"habits_heading", "Line\nbreak"},
                           {"colour", "red"},
                           {"logo_png", Base64("GIF89a not a png")}};
  auto settings = ParseReportCardSettings(bad.dump());
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().code(), StatusCode::kInvalidArgument);
  std::map<std::string, std::string> by_field;
  for (const FieldError& e : settings.status().fields()) by_field[e.field] = e.message;
  EXPECT_NE(by_field["report_card.title"].find("longer than 120"), std::string::npos);
  EXPECT_NE(by_field["report_card.paper"].find("letter"), std::string::npos);
  EXPECT_NE(by_field["report_card.intro"].find("string"), std::string::npos);
  EXPECT_NE(by_field["report_card.habits_heading"].find("control"), std::string::npos);
  EXPECT_TRUE(by_field.count("report_card.colour")) << settings.status().ToString();
  EXPECT_NE(by_field["report_card.logo_png"].find("not a PNG"), std::string::npos);

  EXPECT_FALSE(ParseReportCardSettings("[1,2]").ok());
  EXPECT_FALSE(ParseReportCardSettings("{not json").ok());
  auto not_base64 = ParseReportCardSettings(R"({"logo_png": "%%%"})");
  ASSERT_FALSE(not_base64.ok());
  EXPECT_NE(not_base64.status().ToString().find("report_card.logo_png"), std::string::npos);
  // A PNG signature with a broken body.
  auto broken = ParseReportCardSettings(
      nlohmann::json{{"logo_png", Base64(std::string("\x89PNG\r\n\x1a\n", 8) + "garbage")}}.dump());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().ToString().find("cannot be read"), std::string::npos);
  // Defaults when nothing is given.
  auto empty = ParseReportCardSettings("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(*empty == ReportCardSettings{});
}

TEST(ReportCardPdfTest, SeveralStudentsInOneDocument) {
  ReportCard ava = TestCard();
  ReportCard ben = ManyBadges(12, 0);
  ben.student_name = "Ben Okafor";
  ben.student_id = "stu-2";
  std::ostringstream out;
  auto writer = ReportCardPdf::Open(out, {}, ReportCardKind::kReportCard);
  ASSERT_TRUE(writer.ok());
  auto first = (*writer)->Add(ava);
  auto second = (*writer)->Add(ben);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  EXPECT_EQ((*writer)->pages(), *first + *second);
  PdfReader pdf(out.str());
  ASSERT_EQ(pdf.pages(), *first + *second);
  for (int i = 0; i < *first; ++i) Find(pdf.Text(i), "Ava Lopez · Page");
  for (int i = *first; i < pdf.pages(); ++i) {
    const std::string text = pdf.Text(i);
    Find(text,
         "Ben Okafor · Page " + std::to_string(i - *first + 1) + " of " + std::to_string(*second));
    EXPECT_EQ(text.find("Ava"), std::string::npos);
  }
}

TEST(ReportCardPdfTest, AnEmptyDocumentSaysSo) {
  std::ostringstream out;
  auto writer = ReportCardPdf::Open(out, {}, ReportCardKind::kReportCard);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  PdfReader pdf(out.str());
  ASSERT_EQ(pdf.pages(), 1);
  Find(pdf.Text(0), "No students to report on.");
}

TEST(ReportCardPdfTest, HostileTextIsDrawnNotObeyed) {
  ReportCard card = TestCard();
  card.student_name = std::string("Ana\xff\xfe Bad\x01Name");
  card.comments.at(0).text = std::string(3000, 'w');  // one unbreakable word
  PdfReader pdf(Render(card));
  ASSERT_TRUE(pdf.ok());
  const std::string text = pdf.AllText();
  Find(text, "Ana\xEF\xBF\xBD\xEF\xBF\xBD Bad Name");
  EXPECT_NE(text.find(std::string(40, 'w')), std::string::npos);
}

TEST(ReportCardPdfTest, LongDatesReadAsWords) {
  EXPECT_EQ(LongDate(On("2026-01-05")), "January 5, 2026");
  EXPECT_EQ(LongDate(On("2025-12-31")), "December 31, 2025");
}

}  // namespace
}  // namespace cairn
