#include "reports/completion_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace cairn {
namespace {

constexpr CompletionDimension kBadge = CompletionDimension::kBadge;
constexpr CompletionDimension kSchool = CompletionDimension::kSchool;
constexpr CompletionDimension kCourse = CompletionDimension::kCourse;
constexpr CompletionDimension kAllDimensions[] = {kBadge, kSchool, kCourse};

TrackingRow Row(const std::string& student, const std::string& school, const std::string& course,
                const std::string& badge, const std::string& completed_on = "") {
  TrackingRow row;
  row.student_id = student;
  row.student_name = student;
  row.school = school;
  row.course = course;
  row.section = school + " " + course;
  row.badge = badge;
  row.completed = !completed_on.empty();
  row.completed_on = completed_on;
  return row;
}

const std::string& KeyOf(const TrackingRow& row, CompletionDimension dimension) {
  return dimension == kBadge ? row.badge : dimension == kSchool ? row.school : row.course;
}

const CompletionGroup* Find(const CompletionReport& report, CompletionDimension dimension,
                            const std::string& key) {
  for (const CompletionGroup& group : report.groups(dimension)) {
    if (group.key == key) return &group;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// The attacker, written apart from the implementation: orthogonal projection
// in long double (modified Gram-Schmidt, applied twice) instead of exact
// elimination, and one coordinate per student instead of per profile.

using Vec = std::vector<long double>;

class Span {
 public:
  void Add(Vec v) {
    Project(v);
    const long double norm = Norm(v);
    if (norm < kTolerance) return;
    for (long double& x : v) x /= norm;
    basis_.push_back(std::move(v));
  }
  bool Contains(Vec v) const {
    const long double before = Norm(v);
    Project(v);
    return Norm(v) <= kTolerance * std::max<long double>(1, before);
  }

 private:
  static constexpr long double kTolerance = 1e-9L;
  static long double Norm(const Vec& v) {
    long double sum = 0;
    for (long double x : v) sum += x * x;
    return std::sqrt(sum);
  }
  void Project(Vec& v) const {
    for (int pass = 0; pass < 2; ++pass) {
      for (const Vec& q : basis_) {
        long double dot = 0;
        for (std::size_t k = 0; k < v.size(); ++k) dot += q[k] * v[k];
        for (std::size_t k = 0; k < v.size(); ++k) v[k] -= dot * q[k];
      }
    }
  }
  std::vector<Vec> basis_;
};

using HiddenFn = std::function<bool(CompletionDimension, const std::string&)>;

// Every figure of a hidden group that follows exactly from the shown figures
// of all three dimensions and the grand totals, as "school Tiny: completed".
// Figures that the grand totals alone determine (a group that is everybody)
// are not counted: nothing a report shows or hides changes them.
std::vector<std::string> Leaks(const std::vector<TrackingRow>& rows, const HiddenFn& hidden) {
  // Model 1: enrolments, completions and each month's completions are sums
  // over the (school, course, badge) cells.
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> cells;
  // Model 2: distinct students and enrolments as sums over students.
  std::map<std::string, std::size_t> students;
  for (const TrackingRow& row : rows) {
    cells.try_emplace({row.school, row.course, row.badge}, cells.size());
    students.try_emplace(row.student_id, students.size());
  }
  struct Figures {
    Vec cells, students, enrolments;
  };
  std::map<std::pair<CompletionDimension, std::string>, Figures> groups;
  for (const TrackingRow& row : rows) {
    for (CompletionDimension d : kAllDimensions) {
      auto [it, added] = groups.try_emplace({d, KeyOf(row, d)});
      Figures& f = it->second;
      if (added) {
        f.cells.assign(cells.size(), 0);
        f.students.assign(students.size(), 0);
        f.enrolments.assign(students.size(), 0);
      }
      f.cells[cells.at({row.school, row.course, row.badge})] = 1;
      f.students[students.at(row.student_id)] = 1;
      f.enrolments[students.at(row.student_id)] += 1;
    }
  }
  Span cell_totals, student_totals;
  cell_totals.Add(Vec(cells.size(), 1));
  Vec rows_per_student(students.size(), 0);
  for (const TrackingRow& row : rows) rows_per_student[students.at(row.student_id)] += 1;
  student_totals.Add(Vec(students.size(), 1));
  student_totals.Add(rows_per_student);

  Span cell_known = cell_totals, student_known = student_totals;
  for (const auto& [group, f] : groups) {
    if (hidden(group.first, group.second)) continue;
    cell_known.Add(f.cells);
    student_known.Add(f.students);
    student_known.Add(f.enrolments);
  }
  std::vector<std::string> leaks;
  for (const auto& [group, f] : groups) {
    if (!hidden(group.first, group.second)) continue;
    const std::string name =
        std::string(CompletionDimensionName(group.first)) + " " + group.second + ": ";
    if (!cell_totals.Contains(f.cells) && cell_known.Contains(f.cells))
      leaks.push_back(name + "completed, by month and enrolments (cells)");
    if (!student_totals.Contains(f.students) && student_known.Contains(f.students))
      leaks.push_back(name + "students");
    if (!student_totals.Contains(f.enrolments) && student_known.Contains(f.enrolments))
      leaks.push_back(name + "enrolments (students)");
  }
  return leaks;
}

HiddenFn HiddenIn(const CompletionReport& report) {
  return [&report](CompletionDimension d, const std::string& key) {
    const CompletionGroup* group = Find(report, d, key);
    return group == nullptr || group->suppressed();
  };
}

// Shown groups must carry exactly the figures counted from the rows, and no
// group with fewer than the minimum may be shown.
void ExpectFiguresCountedDirectly(const std::vector<TrackingRow>& rows,
                                  const CompletionReport& report, int minimum) {
  for (CompletionDimension d : kAllDimensions) {
    std::set<std::string> keys;
    for (const TrackingRow& row : rows) keys.insert(KeyOf(row, d));
    ASSERT_EQ(report.groups(d).size(), keys.size());
    for (const CompletionGroup& group : report.groups(d)) {
      std::set<std::string> students;
      int enrolments = 0, completed = 0;
      std::map<std::string, int> by_month;
      for (const TrackingRow& row : rows) {
        if (KeyOf(row, d) != group.key) continue;
        students.insert(row.student_id);
        ++enrolments;
        if (row.completed) {
          ++completed;
          ++by_month[row.completed_on.substr(0, 7)];
        }
      }
      const std::string where = std::string(CompletionDimensionName(d)) + " " + group.key;
      if (static_cast<int>(students.size()) < minimum) {
        EXPECT_EQ(group.suppression, CompletionSuppression::kTooSmall) << where;
      } else {
        EXPECT_NE(group.suppression, CompletionSuppression::kTooSmall) << where;
      }
      if (group.suppressed()) {
        EXPECT_EQ(group.students, 0) << where;
        EXPECT_EQ(group.completed, 0) << where;
        EXPECT_TRUE(group.by_month.empty()) << where;
        continue;
      }
      EXPECT_GE(group.students, minimum) << where;
      EXPECT_EQ(group.students, static_cast<int>(students.size())) << where;
      EXPECT_EQ(group.badge_enrolments, enrolments) << where;
      EXPECT_EQ(group.completed, completed) << where;
      EXPECT_DOUBLE_EQ(group.completion_rate, static_cast<double>(completed) / enrolments) << where;
      EXPECT_EQ(group.by_month, by_month) << where;
    }
  }
}

// ---------------------------------------------------------------------------
// Issue #10, finding 7: three schools of 40, 30 and 6 students, every student
// in one of two courses. Hiding only the 6-student school let the course
// totals minus the two shown schools give its figures back.

std::vector<TrackingRow> ThreeSchools() {
  std::vector<TrackingRow> rows;
  const std::vector<std::pair<std::string, int>> schools = {
      {"North", 40}, {"South", 30}, {"Tiny", 6}};
  for (const auto& [school, size] : schools) {
    for (int i = 0; i < size; ++i) {
      const std::string student = school + "-" + std::to_string(i);
      const bool algebra = i < size / 2;
      const std::string course = algebra ? "Algebra I" : "Geometry";
      const std::string first = algebra ? "M101" : "G201";
      const std::string second = algebra ? "M102" : "G202";
      rows.push_back(Row(student, school, course, first, i % 3 == 0 ? "2026-01-12" : ""));
      rows.push_back(Row(student, school, course, second, i % 4 == 1 ? "2026-02-03" : ""));
    }
  }
  return rows;
}

TEST(CompletionReportTest, CourseTotalsMinusShownSchoolsNoLongerGiveTheSmallSchool) {
  const std::vector<TrackingRow> rows = ThreeSchools();
  const CompletionReport report = BuildCompletionReport(rows, 10);
  ExpectFiguresCountedDirectly(rows, report, 10);

  ASSERT_NE(Find(report, kSchool, "Tiny"), nullptr);
  EXPECT_EQ(Find(report, kSchool, "Tiny")->suppression, CompletionSuppression::kTooSmall);
  // The attack: every group of another dimension shown, and only one school
  // hidden. Then (sum over that dimension) - (shown schools) = the hidden one.
  int hidden_schools = 0;
  for (const CompletionGroup& school : report.by_school) hidden_schools += school.suppressed();
  for (CompletionDimension other : {kBadge, kCourse}) {
    const auto& groups = report.groups(other);
    const bool all_shown = std::none_of(groups.begin(), groups.end(),
                                        [](const CompletionGroup& g) { return g.suppressed(); });
    EXPECT_FALSE(all_shown && hidden_schools == 1) << CompletionDimensionName(other);
  }
  EXPECT_EQ(Leaks(rows, HiddenIn(report)), std::vector<std::string>{});

  // What it hides: the smaller of the other schools, nothing more.
  EXPECT_EQ(Find(report, kSchool, "South")->suppression, CompletionSuppression::kComplementary);
  EXPECT_FALSE(Find(report, kSchool, "North")->suppressed());
  for (const CompletionGroup& group : report.by_course) EXPECT_FALSE(group.suppressed());
  for (const CompletionGroup& group : report.by_badge) EXPECT_FALSE(group.suppressed());

  // The attacker finds the leak when only small groups are hidden.
  const auto primary_only = [&](CompletionDimension d, const std::string& key) {
    return d == kSchool && key == "Tiny";
  };
  EXPECT_NE(Leaks(rows, primary_only), std::vector<std::string>{});
}

// ---------------------------------------------------------------------------
// Random districts, every dimension.

std::vector<TrackingRow> RandomDistrict(std::mt19937& rng) {
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  const int schools = uniform(1, 4), courses = uniform(1, 5), badges = uniform(1, 8);
  std::vector<std::vector<std::string>> course_badges(static_cast<std::size_t>(courses));
  for (auto& list : course_badges) {
    const int n = uniform(1, 3);
    for (int i = 0; i < n; ++i) {
      const std::string badge = "B" + std::to_string(uniform(1, badges));
      if (std::find(list.begin(), list.end(), badge) == list.end()) list.push_back(badge);
    }
  }
  struct Section {
    std::string school, course;
    std::vector<std::string> badges;
  };
  std::vector<std::vector<Section>> sections(static_cast<std::size_t>(schools));
  for (int s = 0; s < schools; ++s) {
    for (int c = 0; c < courses; ++c) {
      if (!chance(0.75)) continue;
      const int n = uniform(1, 2);
      for (int i = 0; i < n; ++i) {
        Section section{"School " + std::to_string(s), "Course " + std::to_string(c),
                        course_badges[static_cast<std::size_t>(c)]};
        if (section.badges.size() > 1 && chance(0.3)) section.badges.pop_back();
        sections[static_cast<std::size_t>(s)].push_back(section);
      }
    }
  }
  std::vector<TrackingRow> rows;
  for (int s = 0; s < schools; ++s) {
    const auto& mine = sections[static_cast<std::size_t>(s)];
    if (mine.empty()) continue;
    const int students = chance(0.3) ? uniform(1, 12) : uniform(5, 45);
    for (int i = 0; i < students; ++i) {
      const std::string student = "s" + std::to_string(s) + "-" + std::to_string(i);
      std::vector<const Section*> joined{
          &mine[static_cast<std::size_t>(uniform(0, static_cast<int>(mine.size()) - 1))]};
      if (chance(0.2)) {
        joined.push_back(
            &mine[static_cast<std::size_t>(uniform(0, static_cast<int>(mine.size()) - 1))]);
      }
      if (schools > 1 && chance(0.05)) {  // a student also enrolled at another school
        const auto& other = sections[static_cast<std::size_t>((s + 1) % schools)];
        if (!other.empty()) joined.push_back(&other.front());
      }
      for (const Section* section : joined) {
        for (const std::string& badge : section->badges) {
          const std::string date =
              chance(0.35) ? "2026-0" + std::to_string(uniform(1, 4)) + "-15" : "";
          rows.push_back(Row(student, section->school, section->course, badge, date));
        }
      }
    }
  }
  return rows;
}

TEST(CompletionReportTest, NoHiddenFigureFollowsFromShownOnesInRandomDistricts) {
  std::mt19937 rng(20260110);
  int with_complementary = 0, leaky_without = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    SCOPED_TRACE("district " + std::to_string(iteration));
    const std::vector<TrackingRow> rows = RandomDistrict(rng);
    const int minimum = iteration % 4 == 0 ? std::uniform_int_distribution<int>(1, 15)(rng) : 10;
    const CompletionReport report = BuildCompletionReport(rows, minimum);
    ExpectFiguresCountedDirectly(rows, report, minimum);
    EXPECT_EQ(Leaks(rows, HiddenIn(report)), std::vector<std::string>{});

    bool complementary = false;
    for (CompletionDimension d : kAllDimensions) {
      for (const CompletionGroup& g : report.groups(d)) {
        complementary |= g.suppression == CompletionSuppression::kComplementary;
      }
    }
    with_complementary += complementary;
    // The same attacker against primary suppression alone: it must find
    // leaks often, or this test could not fail.
    const auto primary_only = [&](CompletionDimension d, const std::string& key) {
      std::set<std::string> students;
      for (const TrackingRow& row : rows) {
        if (KeyOf(row, d) == key) students.insert(row.student_id);
      }
      return static_cast<int>(students.size()) < minimum;
    };
    leaky_without += !Leaks(rows, primary_only).empty();
  }
  std::cout << with_complementary << " of 300 districts needed complementary suppression; "
            << leaky_without << " leaked with primary suppression alone\n";
  EXPECT_GT(with_complementary, 30);
  EXPECT_GT(leaky_without, 30);
}

TEST(CompletionReportTest, SameDecisionsWhateverTheRowOrder) {
  std::mt19937 rng(99);
  for (int iteration = 0; iteration < 20; ++iteration) {
    std::vector<TrackingRow> rows = RandomDistrict(rng);
    const CompletionReport report = BuildCompletionReport(rows);
    std::shuffle(rows.begin(), rows.end(), rng);
    const CompletionReport shuffled = BuildCompletionReport(rows);
    for (CompletionDimension d : kAllDimensions) {
      EXPECT_EQ(CompletionReportJson(report, d), CompletionReportJson(shuffled, d));
    }
  }
}

TEST(CompletionReportTest, JsonKeepsTheApiShape) {
  const CompletionReport report = BuildCompletionReport(ThreeSchools(), 10);
  const nlohmann::json json = CompletionReportJson(report, kSchool);
  EXPECT_EQ(json["by"], "school");
  EXPECT_EQ(json["minimum_group_size"], 10);
  ASSERT_EQ(json["groups"].size(), 3u);
  const nlohmann::json& north = json["groups"][0];
  EXPECT_EQ(north["group"], "North");
  EXPECT_EQ(north["suppressed"], false);
  EXPECT_EQ(north["students"], 40);
  EXPECT_EQ(north["badge_enrolments"], 80);
  // M101/G201 by i % 3 == 0 (14 of 40), M102/G202 by i % 4 == 1 (10 of 40).
  EXPECT_EQ(north["completed"], 24);
  EXPECT_DOUBLE_EQ(north["completion_rate"].get<double>(), 24.0 / 80);
  EXPECT_EQ(north["by_month"], nlohmann::json::parse(R"([{"month": "2026-01", "completed": 14},
                                                         {"month": "2026-02", "completed": 10}])"));
  // Hidden: the key and the flag, nothing else (not even why).
  EXPECT_EQ(json["groups"][1], nlohmann::json::parse(R"({"group": "South", "suppressed": true})"));
  EXPECT_EQ(json["groups"][2], nlohmann::json::parse(R"({"group": "Tiny", "suppressed": true})"));
  EXPECT_EQ(CompletionReportJson(report, kCourse)["by"], "course");
}

TEST(CompletionReportTest, ParsesTheDimension) {
  EXPECT_EQ(*ParseCompletionDimension("badge"), kBadge);
  EXPECT_EQ(*ParseCompletionDimension("school"), kSchool);
  EXPECT_EQ(*ParseCompletionDimension("course"), kCourse);
  const auto bad = ParseCompletionDimension("shoe");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "by: expected badge, school or course");
}

TEST(CompletionReportTest, EmptyAndTinyDistricts) {
  const CompletionReport empty = BuildCompletionReport({}, 10);
  EXPECT_TRUE(empty.by_badge.empty() && empty.by_school.empty() && empty.by_course.empty());
  // Fewer than the minimum in all: everything hidden.
  const std::vector<TrackingRow> rows = {Row("a", "S", "C", "B1", "2026-01-01"),
                                         Row("b", "S", "C", "B2")};
  const CompletionReport tiny = BuildCompletionReport(rows, 10);
  for (CompletionDimension d : kAllDimensions) {
    for (const CompletionGroup& g : tiny.groups(d)) EXPECT_TRUE(g.suppressed()) << g.key;
  }
  // With no minimum nothing is hidden.
  const CompletionReport open = BuildCompletionReport(rows, 0);
  for (CompletionDimension d : kAllDimensions) {
    for (const CompletionGroup& g : open.groups(d)) EXPECT_FALSE(g.suppressed()) << g.key;
  }
}

// ---------------------------------------------------------------------------
// A district of 4 schools, 20 courses and 40 badges, with small courses and
// badges here and there.

struct LargeShape {
  const char* name;
  int students_per_school;  // schools 0-2; school 3 has 8 students
  int rare_percent;         // chance that a course taken is one of the rare 15-19
  int badges_per_course;    // course c works on badges 2c, 2c+1, ... (mod 40)
};

std::vector<TrackingRow> LargeDistrict(std::mt19937& rng, const LargeShape& shape) {
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // Neighbouring courses share badges; the badges only rare courses use are
  // rare too.
  std::vector<std::vector<std::string>> course_badges(20);
  for (int c = 0; c < 20; ++c) {
    for (int k = 0; k < shape.badges_per_course; ++k) {
      course_badges[static_cast<std::size_t>(c)].push_back("B" + std::to_string((2 * c + k) % 40));
    }
  }
  std::vector<TrackingRow> rows;
  for (int s = 0; s < 4; ++s) {
    const int students = s == 3 ? 8 : shape.students_per_school;
    for (int i = 0; i < students; ++i) {
      const std::string student = "s" + std::to_string(s) + "-" + std::to_string(i);
      const int courses_taken = uniform(1, 2);
      for (int k = 0; k < courses_taken; ++k) {
        const int c = uniform(0, 99) < shape.rare_percent ? uniform(15, 19) : uniform(0, 14);
        const auto& badges = course_badges[static_cast<std::size_t>(c)];
        // A section works on some of the course's badges.
        const int section_badges =
            uniform(std::max(1, shape.badges_per_course / 2), shape.badges_per_course);
        for (int b = 0; b < section_badges; ++b) {
          const int done = uniform(0, 5);
          const std::string date = done == 0 ? "2026-01-10" : done == 1 ? "2026-02-10" : "";
          rows.push_back(Row(student, "School " + std::to_string(s), "Course " + std::to_string(c),
                             badges[static_cast<std::size_t>(b)], date));
        }
      }
    }
  }
  return rows;
}

TEST(CompletionReportTest, DistrictOfFourSchoolsTwentyCoursesFortyBadgesIsQuick) {
  const LargeShape shapes[] = {
      {"typical", 400, 3, 4},
      {"many small groups", 40, 20, 4},
      {"dense", 400, 10, 16},
  };
  for (const LargeShape& shape : shapes) {
    SCOPED_TRACE(shape.name);
    std::mt19937 rng(4);
    const std::vector<TrackingRow> rows = LargeDistrict(rng, shape);
    double best_ms = 1e9;
    CompletionReport report;
    for (int run = 0; run < 3; ++run) {
      const auto start = std::chrono::steady_clock::now();
      report = BuildCompletionReport(rows, 10);
      const std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      best_ms = std::min(best_ms, took.count());
    }
    int hidden = 0, complementary = 0;
    std::string which;
    for (CompletionDimension d : kAllDimensions) {
      for (const CompletionGroup& g : report.groups(d)) {
        hidden += g.suppressed();
        complementary += g.suppression == CompletionSuppression::kComplementary;
        if (g.suppression == CompletionSuppression::kComplementary) {
          which += " " + std::string(CompletionDimensionName(d)) + " '" + g.key + "'";
        }
      }
    }
    std::cout << shape.name << ": " << rows.size() << " rows, " << report.by_school.size()
              << " schools, " << report.by_course.size() << " courses, " << report.by_badge.size()
              << " badges; " << hidden << " groups hidden, " << complementary
              << " of them complementary:" << which << "; " << best_ms << " ms\n";
    ExpectFiguresCountedDirectly(rows, report, 10);
    EXPECT_EQ(Leaks(rows, HiddenIn(report)), std::vector<std::string>{});
    // Only catches a blow-up: unoptimized and sanitizer builds on a busy
    // 2-core machine are far slower than the header's -O2 figures.
    EXPECT_LT(best_ms, 5000);
  }
}

}  // namespace
}  // namespace cairn
