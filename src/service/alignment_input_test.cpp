// Checking curriculum resources and assessment items before they are stored:
// links that are not http(s) are refused, every problem names its field.
#include "service/alignment_input.h"

#include <gtest/gtest.h>

#include "testing/test_catalog.h"

namespace cairn {
namespace {

Catalog TestCatalog() { return testing::ParseOrDie(testing::TestCatalogJson()); }

std::vector<std::string> Fields(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& e : status.fields()) out.push_back(e.field);
  return out;
}

TEST(AlignmentInputTest, OnlyAbsoluteHttpLinksAreAccepted) {
  EXPECT_EQ(UrlProblem("https://www.desmos.com/calculator"), "");
  EXPECT_EQ(UrlProblem("HTTP://example.org/a?b=c&d=e#f"), "");
  for (const char* bad :
       {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "//evil.test/x",
        "/relative/path", "ftp://files.test/x", "https://", "https:///path", "", "vbscript:x",
        "https://a.test/x y", "https://a.test/\"onmouseover=", "https://a.test/<script>",
        "https://a.test/\n"}) {
    EXPECT_NE(UrlProblem(bad), "") << bad;
  }
  EXPECT_NE(UrlProblem("https://a.test/" + std::string(kMaxUrlBytes, 'x')), "");
}

TEST(AlignmentInputTest, AResourceNamesEveryFieldAtFault) {
  const Catalog catalog = TestCatalog();
  ResourceInput input;
  input.cpe_id = "B1.1";
  input.indicator_id = "B1.1.a";
  input.title = "Practice";
  input.url = "https://www.ixl.com/math";
  input.provider = "IXL";
  auto ok = CheckResource(catalog, input);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->url, "https://www.ixl.com/math");
  EXPECT_EQ(ok->indicator_id, "B1.1.a");

  input.indicator_id = "B1.2.a";
  input.title = "";
  input.url = "javascript:alert(document.cookie)";
  input.provider = std::string(kMaxAlignmentTextBytes + 1, 'p');
  input.note = std::string(kMaxAlignmentNoteBytes + 1, 'n');
  auto bad = CheckResource(catalog, input);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(bad.status()),
            (std::vector<std::string>{"indicator", "title", "url", "provider", "note"}));

  input = {};
  input.cpe_id = "Z9.9";
  input.title = "t";
  input.url = "https://x.test";
  EXPECT_EQ(Fields(CheckResource(catalog, input).status()), (std::vector<std::string>{"cpe"}));
}

TEST(AlignmentInputTest, AnItemMustEvidenceACpeOfItsBadge) {
  const Catalog catalog = TestCatalog();
  ItemInput input;
  input.badge_code = "B1";
  input.item_key = "#13-5 1149";
  input.standards = {"A-REI 11"};
  input.cpe_id = "B1.2";
  auto ok = CheckItem(catalog, input);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->standards, (std::vector<std::string>{"A-REI 11"}));

  input.cpe_id = "B2.1";  // a CPE, but of another badge
  input.standards = {"ok", ""};
  input.item_key = "";
  auto bad = CheckItem(catalog, input, "items[4]");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(
      Fields(bad.status()),
      (std::vector<std::string>{"items[4].item_key", "items[4].standards[1]", "items[4].cpe"}));
  input = {};
  input.badge_code = "B9";
  input.item_key = "k";
  input.cpe_id = "B1.1";
  EXPECT_EQ(Fields(CheckItem(catalog, input).status()), (std::vector<std::string>{"badge"}));
}

}  // namespace
}  // namespace cairn
