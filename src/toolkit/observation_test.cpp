#include "toolkit/observation.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

using nlohmann::json;

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& f : s.fields()) out.push_back(f.field);
  return out;
}

const std::vector<std::string> kLookFors{"Students explain their reasoning",
                                         "Tasks are aligned to a badge"};

TEST(ObservationTest, AGoodBodyParsesAndRoundTrips) {
  const Day today = *ParseDate("2026-03-10");
  auto o = ParseObservationBody(json{{"date", "2026-03-09"},
                                     {"look_fors",
                                      {{{"look_for", "Students explain their reasoning"},
                                        {"seen", "partly"},
                                        {"note", "pairs"}}}},
                                     {"notes", "Good pacing"}},
                                kLookFors, today);
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->look_fors.size(), 1u);
  EXPECT_EQ(o->look_fors[0].seen, LookForSeen::kPartly);
  o->observer = 3;
  o->teacher = 4;
  o->protocol = "row-1";
  auto back = ObservationFromStored(ObservationToStored(*o));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->teacher, 4);
  EXPECT_EQ(back->observer, 3);
  EXPECT_EQ(back->date, o->date);
  EXPECT_EQ(back->look_fors[0].note, "pairs");
  EXPECT_EQ(back->notes, "Good pacing");
}

TEST(ObservationTest, ProblemsAreNamedByField) {
  const Day today = *ParseDate("2026-03-10");
  auto bad = ParseObservationBody(
      json{{"date", "2026-03-11"},
           {"look_fors",
            {{{"look_for", "Students explain their reasoning"}, {"seen", "yes"}},
             {{"look_for", "Something else"}, {"seen", "seen"}},
             {{"look_for", "Students explain their reasoning"}, {"seen", "seen"}, {"note", 5}}}},
           {"notes", 12}},
      kLookFors, today);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.status()),
            (std::vector<std::string>{"date", "look_fors[0].seen", "look_fors[1].look_for",
                                      "look_fors[2].look_for", "look_fors[2].note", "notes"}));
  auto empty = ParseObservationBody(json{{"date", "2026-03-01"}}, kLookFors, today);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(Fields(empty.status()), (std::vector<std::string>{"notes"}));
  EXPECT_FALSE(ParseObservationBody(json::array(), kLookFors, today).ok());
  EXPECT_FALSE(ObservationFromStored(json{{"teacher", "x"}}).ok());
}

TEST(ObservationTest, WithoutAProtocolAnyLookForIsAccepted) {
  auto o = ParseObservationBody(
      json{{"date", "2026-03-01"}, {"look_fors", {{{"look_for", "Own words"}, {"seen", "seen"}}}}},
      {}, *ParseDate("2026-03-10"));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->look_fors[0].look_for, "Own words");
}

}  // namespace
}  // namespace cairn
