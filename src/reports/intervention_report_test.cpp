#include "reports/intervention_report.h"

#include <gtest/gtest.h>

#include <vector>

namespace cairn {
namespace {

Intervention Make(InterventionKind kind, const std::string& started, const std::string& ended) {
  Intervention i;
  i.kind = kind;
  i.badge = "M101";
  i.started_on = started;
  i.ended_on = ended;
  return i;
}

TEST(InterventionReportTest, CountsPerKindAndTheMedianDaysToMastery) {
  const std::vector<Intervention> list = {
      Make(InterventionKind::kTutoring, "2026-01-01", "2026-02-01"),
      Make(InterventionKind::kTutoring, "2026-01-01", ""),
      Make(InterventionKind::kTutoring, "2026-01-10", "2026-03-01"),
      Make(InterventionKind::kSummer, "2026-06-01", ""),
  };
  const std::vector<InterventionOutcome> outcomes = {
      {&list[0], "2026-01-11"},  // 10 days
      {&list[1], ""},            // not yet
      {&list[2], "2026-02-09"},  // 30 days
      {&list[3], "2026-05-01"},  // already at mastery before it began: 0 days
  };
  const nlohmann::json report = InterventionReportJson(outcomes);
  ASSERT_EQ(report["kinds"].size(), 5u);
  nlohmann::json tutoring, reteach;
  for (const auto& kind : report["kinds"]) {
    if (kind["kind"] == "tutoring") tutoring = kind;
    if (kind["kind"] == "reteach") reteach = kind;
  }
  EXPECT_EQ(tutoring["label"], "Tutoring");
  EXPECT_EQ(tutoring["started"], 3);
  EXPECT_EQ(tutoring["open"], 1);
  EXPECT_EQ(tutoring["closed"], 2);
  EXPECT_EQ(tutoring["reached_mastery"], 2);
  EXPECT_DOUBLE_EQ(tutoring["median_days_to_mastery"].get<double>(), 20.0);
  EXPECT_EQ(reteach["started"], 0);
  EXPECT_TRUE(reteach["median_days_to_mastery"].is_null());
  EXPECT_EQ(report["total"]["started"], 4);
  EXPECT_EQ(report["total"]["reached_mastery"], 3);
  EXPECT_DOUBLE_EQ(report["total"]["median_days_to_mastery"].get<double>(), 10.0);
}

TEST(InterventionTest, OpeningAndClosingNameEveryFieldAtFault) {
  Catalog catalog;  // no badges: the badge is unknown
  auto bad = ParseInterventionOpening(
      nlohmann::json{{"badge", "M101"}, {"kind", "nap"}, {"started_on", "2026-13-01"}}, catalog,
      "2026-12-05");
  ASSERT_FALSE(bad.ok());
  const std::string text = bad.status().ToString();
  for (const char* field : {"badge", "kind", "started_on"}) {
    EXPECT_NE(text.find(field), std::string::npos) << text;
  }
  Intervention open = Make(InterventionKind::kReteach, "2026-11-01", "");
  EXPECT_FALSE(
      CloseIntervention(nlohmann::json{{"ended_on", "2026-12-06"}}, "2026-12-05", open).ok());
  EXPECT_TRUE(open.open());
  ASSERT_TRUE(CloseIntervention(nlohmann::json(nullptr), "2026-12-05", open).ok());
  EXPECT_EQ(open.ended_on, "2026-12-05");
  EXPECT_EQ(CloseIntervention(nlohmann::json::object(), "2026-12-05", open).code(),
            StatusCode::kFailedPrecondition);
  auto back = InterventionFromStored("iv-1", 7, InterventionToStored(open).dump());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->ended_on, "2026-12-05");
  EXPECT_EQ(back->kind, InterventionKind::kReteach);
}

}  // namespace
}  // namespace cairn
