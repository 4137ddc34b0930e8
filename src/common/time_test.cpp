#include "common/time.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(TimeTest, DatesRoundTrip) {
  EXPECT_EQ(*ParseDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseDate("1970-01-02"), 1);
  EXPECT_EQ(*ParseDate("1969-12-31"), -1);
  EXPECT_EQ(*ParseDate("2024-02-29"), 19782);
  EXPECT_EQ(FormatDate(19782), "2024-02-29");
  EXPECT_EQ(FormatDate(*ParseDate("2026-11-23")), "2026-11-23");
}

TEST(TimeTest, RejectsImpossibleOrMalformedDates) {
  EXPECT_FALSE(ParseDate("2026-02-30").ok());
  EXPECT_FALSE(ParseDate("2025-02-29").ok());
  EXPECT_FALSE(ParseDate("2026-13-01").ok());
  EXPECT_FALSE(ParseDate("26-01-01").ok());
  EXPECT_FALSE(ParseDate("2026/01/01").ok());
  EXPECT_FALSE(ParseDate("").ok());
  EXPECT_NE(ParseDate("2026-02-30").status().message().find("2026-02-30"), std::string::npos);
}

TEST(TimeTest, InstantsRoundTripAndSplitIntoDays) {
  auto instant = ParseInstant("2026-09-14T08:30:05Z");
  ASSERT_TRUE(instant.ok());
  EXPECT_EQ(FormatInstant(*instant), "2026-09-14T08:30:05Z");
  EXPECT_EQ(FormatDate(DayOf(*instant)), "2026-09-14");
  EXPECT_EQ(*ParseInstant("2026-09-14"), StartOf(*ParseDate("2026-09-14")));
  EXPECT_EQ(DayOf(-1), -1);  // one second before the epoch is 1969-12-31
  EXPECT_FALSE(ParseInstant("2026-09-14T24:00:00Z").ok());
  EXPECT_FALSE(ParseInstant("2026-09-14 08:30:00").ok());
}

}  // namespace
}  // namespace cairn
