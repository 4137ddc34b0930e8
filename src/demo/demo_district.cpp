#include "demo/demo_district.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "mastery/engine.h"
#include "service/explanation_json.h"

namespace cairn {
namespace {

// Portable, exactly specified randomness: std::mt19937_64 is fully specified,
// but the standard distributions are not, so we draw through our own.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed ? seed : 1) {}
  std::uint64_t Next() {  // splitmix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int Uniform(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  bool Chance(double p) { return Unit() < p; }
  double Normal() {  // Box-Muller
    double u1 = std::max(Unit(), 1e-12), u2 = Unit();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Next() % N];
  }

 private:
  std::uint64_t state_;
};

constexpr std::array<const char*, 40> kGivenNames{
    "Ava",    "Mateo",  "Amara", "Liam",  "Sofia", "Noah",  "Aaliyah", "Ethan",  "Mia",   "Diego",
    "Zoe",    "Jamal",  "Lucia", "Kai",   "Priya", "Owen",  "Nia",     "Hiro",   "Elena", "Caleb",
    "Fatima", "Jonah",  "Maya",  "Andre", "Leila", "Tomas", "Grace",   "Ravi",   "Chloe", "Isaiah",
    "Hana",   "Marcus", "Yara",  "Felix", "Imani", "Arjun", "Rosa",    "Dmitri", "Keira", "Samuel"};
constexpr std::array<const char*, 40> kFamilyNames{
    "Garcia", "Nguyen",   "Okafor",   "Smith",     "Patel",    "Johnson", "Kim",    "Lopez",
    "Brown",  "Haddad",   "Chen",     "Williams",  "Martinez", "Singh",   "Davis",  "Rossi",
    "Mensah", "Anderson", "Yamamoto", "Hernandez", "Ali",      "Clark",   "Novak",  "Walker",
    "Silva",  "Ivanova",  "Begay",    "Thompson",  "Reyes",    "Osei",    "Murphy", "Sato",
    "Flores", "Cohen",    "Diaz",     "Lee",       "Moreno",   "Baker",   "Khan",   "Young"};
constexpr std::array<const char*, 4> kSchoolNames{"Riverbend High School", "Cedar Ridge Academy",
                                                  "Lakeview High School",
                                                  "Northgate Early College"};
constexpr std::array<const char*, 6> kRaceEthnicity{
    "Hispanic or Latino",        "White",
    "Black or African American", "Asian",
    "Two or more races",         "American Indian or Alaska Native"};

struct CourseSpec {
  const char* id;
  const char* title;
  std::array<const char*, 5> badges;  // nullptr-terminated
};
constexpr std::array<CourseSpec, 4> kCourses{{
    {"alg1", "Algebra I", {"M101", "M102", "M103", "M104", nullptr}},
    {"geo", "Geometry", {"M151", "M152", "M153", "M154", "M155"}},
    {"alg2", "Algebra II (alternative)", {"M201", "M202", "M203", "M204", nullptr}},
    {"data", "Modeling with Data", {"M111", "M112", "M113", nullptr, nullptr}},
}};

// The demo's school year: fixed, so the data does not depend on today's date.
constexpr const char* kYearStart = "2025-08-25";
constexpr int kYearDays = 270;

std::string Pad(int value, int width) {
  std::string text = std::to_string(value);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))),
                     '0') +
         text;
}

// One student's work on one badge: attempts per CPE that improve with time,
// formative checks first, and a performance task near the end.
struct EvidencePlan {
  Day start;
  double ability;
};

}  // namespace

Result<DemoSummary> GenerateDemoDistrict(CairnService& service, const DemoOptions& options) {
  if (options.students < 1 || options.students > 1000000) {
    return Status::Invalid("students: expected 1 to 1000000");
  }
  if (!service.has_catalog()) {
    CAIRN_RETURN_IF_ERROR(service.LoadCatalog(BuiltinXqCatalogJson(), "built-in xq-math").status());
  }
  Store& store = service.store();
  CAIRN_ASSIGN_OR_RETURN(auto existing, store.FindPerson("admin"));
  if (existing) return Status::Exists("the database already has a district; use a new --db");
  const Catalog& catalog = service.catalog();
  Random random(options.seed);
  DemoSummary summary;
  const Day year_start = ParseDate(kYearStart).value();

  Status status = store.Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(Id district,
                           store.InsertDistrict({0, "district-demo", "Cairn Demo District"}));
    Person admin;
    admin.sourced_id = "admin";
    admin.role = PersonRole::kAdmin;
    admin.given_name = "Dana";
    admin.family_name = "Admin";
    admin.email = "admin@demo.cairn.test";
    admin.district_id = district;
    CAIRN_RETURN_IF_ERROR(store.InsertPerson(admin).status());
    Person leader = admin;
    leader.sourced_id = "leader-district";
    leader.role = PersonRole::kDistrictLeader;
    leader.given_name = "Morgan";
    leader.family_name = "Ellis";
    leader.email = "district.leader@demo.cairn.test";
    CAIRN_RETURN_IF_ERROR(store.InsertPerson(leader).status());

    std::map<std::string, Id> course_ids;
    for (const CourseSpec& course : kCourses) {
      CAIRN_ASSIGN_OR_RETURN(
          course_ids[course.id],
          store.InsertCourse({0, std::string("course-") + course.id, district, course.title}));
    }

    const int schools = std::clamp(options.schools, 1, static_cast<int>(kSchoolNames.size()));
    int student_number = 0;
    int teacher_number = 0;
    for (int s = 0; s < schools; ++s) {
      const std::string school_key = "school-" + std::to_string(s + 1);
      CAIRN_ASSIGN_OR_RETURN(
          Id school,
          store.InsertSchool({0, school_key, district, kSchoolNames[static_cast<std::size_t>(s)]}));
      ++summary.schools;
      Person principal;
      principal.sourced_id = "leader-" + school_key;
      principal.role = PersonRole::kSchoolLeader;
      principal.given_name = random.Pick(kGivenNames);
      principal.family_name = random.Pick(kFamilyNames);
      principal.email = principal.sourced_id + "@demo.cairn.test";
      principal.district_id = district;
      principal.school_id = school;
      CAIRN_RETURN_IF_ERROR(store.InsertPerson(principal).status());

      // Students of this school, spread over sections of about 25.
      const int school_students =
          options.students / schools + (s < options.students % schools ? 1 : 0);
      const int section_count = std::max(1, (school_students + 24) / 25);
      std::vector<Id> section_ids;
      std::vector<const CourseSpec*> section_courses;
      std::vector<Id> section_teachers;
      for (int k = 0; k < section_count; ++k) {
        const CourseSpec& course = kCourses[static_cast<std::size_t>(k) % kCourses.size()];
        // One teacher for every two sections of a school.
        if (k % 2 == 0) {
          ++teacher_number;
          Person teacher;
          teacher.sourced_id = "teacher-" + Pad(teacher_number, 3);
          teacher.role = PersonRole::kTeacher;
          teacher.given_name = random.Pick(kGivenNames);
          teacher.family_name = random.Pick(kFamilyNames);
          teacher.email = teacher.sourced_id + "@demo.cairn.test";
          teacher.district_id = district;
          teacher.school_id = school;
          CAIRN_ASSIGN_OR_RETURN(Id teacher_id, store.InsertPerson(teacher));
          section_teachers.push_back(teacher_id);
          ++summary.teachers;
        } else {
          section_teachers.push_back(section_teachers.back());
        }
        Section section;
        section.sourced_id = "section-" + std::to_string(s + 1) + "-" + course.id + "-" +
                             std::to_string(k / static_cast<int>(kCourses.size()) + 1);
        section.school_id = school;
        section.course_id = course_ids[course.id];
        section.title = std::string(course.title) + " - Period " + std::to_string(k % 7 + 1);
        section.term = "2025-26";
        for (const char* code : course.badges) {
          if (code) section.badges.push_back(code);
        }
        CAIRN_ASSIGN_OR_RETURN(Id section_id, store.InsertSection(section));
        CAIRN_RETURN_IF_ERROR(store.InsertEnrollment({section_id, section_teachers.back(), true}));
        section_ids.push_back(section_id);
        section_courses.push_back(&course);
        ++summary.sections;
      }

      for (int i = 0; i < school_students; ++i) {
        ++student_number;
        const int k = i % section_count;
        Person student;
        student.sourced_id = "student-" + Pad(student_number, 5);
        student.role = PersonRole::kStudent;
        student.given_name = random.Pick(kGivenNames);
        student.family_name = random.Pick(kFamilyNames);
        student.email = student.sourced_id + "@students.demo.cairn.test";
        student.district_id = district;
        student.school_id = school;
        Demographics& d = student.demographics;
        d.grade = std::to_string(random.Uniform(9, 12));
        d.gender = random.Chance(0.49) ? "female" : (random.Chance(0.96) ? "male" : "nonbinary");
        d.race_ethnicity = random.Pick(kRaceEthnicity);
        d.english_learner = random.Chance(0.11);
        d.disability = random.Chance(0.13);
        d.economically_disadvantaged = random.Chance(0.45);
        CAIRN_ASSIGN_OR_RETURN(Id student_id, store.InsertPerson(student));
        ++summary.students;
        CAIRN_RETURN_IF_ERROR(
            store.InsertEnrollment({section_ids[static_cast<std::size_t>(k)], student_id, false}));
        Person guardian;
        guardian.sourced_id = "guardian-" + Pad(student_number, 5);
        guardian.role = PersonRole::kGuardian;
        guardian.given_name = random.Pick(kGivenNames);
        guardian.family_name = student.family_name;
        guardian.email = guardian.sourced_id + "@families.demo.cairn.test";
        guardian.district_id = district;
        CAIRN_ASSIGN_OR_RETURN(Id guardian_id, store.InsertPerson(guardian));
        CAIRN_RETURN_IF_ERROR(store.InsertGuardianLink({guardian_id, student_id, "parent"}));
        ++summary.guardians;

        // A school year of evidence on the section's badges, in order.
        const CourseSpec& course = *section_courses[static_cast<std::size_t>(k)];
        const Id teacher_id = section_teachers[static_cast<std::size_t>(k)];
        // The demo's student login is a strong student, so every demo shows
        // earned badges and their credentials.
        const double ability =
            student_number == 1 ? std::max(1.8, random.Normal()) : random.Normal();
        const double pace = std::clamp(1.0 + 0.25 * ability + 0.15 * random.Normal(), 0.5, 1.6);
        Day cursor = year_start + random.Uniform(0, 6);
        std::vector<FactId> own_ratings;
        int badge_position = 0;
        for (const char* code : course.badges) {
          if (!code) break;
          // ...who is part-way through their fourth badge.
          const bool part_way = student_number == 1 && badge_position++ == 3;
          const Badge& badge = *catalog.FindBadge(code);
          const Scale& scale = catalog.ScaleOf(badge);
          const int badge_days = static_cast<int>(std::lround(45.0 / pace));
          if (cursor + badge_days > year_start + kYearDays) break;
          for (const Cpe& cpe : badge.cpes) {
            if (part_way && &cpe - badge.cpes.data() >= 2) break;
            const int attempts = random.Uniform(1, 3) + (ability < -0.5 ? 1 : 0);
            for (int a = 0; a < attempts; ++a) {
              RatingFact fact;
              fact.student_id = student_id;
              fact.cpe_id = cpe.id;
              if (!cpe.indicators.empty()) {
                fact.indicator_id =
                    cpe.indicators[static_cast<std::size_t>(random.Uniform(
                                       0, static_cast<int>(cpe.indicators.size()) - 1))]
                        .id;
              }
              const double growth = 0.55 * a;
              const double raw = 2.3 + 0.8 * ability + growth + 0.5 * random.Normal();
              const int level = std::clamp(static_cast<int>(std::lround(raw)), 1,
                                           static_cast<int>(scale.levels.size())) -
                                1;
              fact.level_id = scale.levels[static_cast<std::size_t>(level)].id;
              fact.demonstrated_on = cursor + random.Uniform(0, badge_days - 1);
              fact.kind = (a == 0 && attempts > 1 && random.Chance(0.5))
                              ? EvidenceKind::kFormative
                              : (random.Chance(0.15) ? EvidenceKind::kPortfolioItem
                                                     : EvidenceKind::kSummative);
              // Most work is graded within days; make-up work weeks later.
              const int grading_delay =
                  random.Chance(0.08) ? random.Uniform(14, 30) : random.Uniform(0, 4);
              fact.recorded_at = StartOf(fact.demonstrated_on + grading_delay) +
                                 random.Uniform(7 * 3600, 17 * 3600);
              fact.recorded_by = teacher_id;
              if (level < 2 && random.Chance(0.5)) {
                fact.note = "Not yet: revisit the worked example and try the next task.";
              } else if (student_number == 1 && a == 0) {
                fact.note = "Clear steps. Next time, check your answer in the original equation.";
              }
              CAIRN_ASSIGN_OR_RETURN(fact.id, store.AppendRating(fact));
              own_ratings.push_back(fact.id);
              ++summary.ratings;
              // Occasionally a teacher fixes a slip with a correction.
              if (random.Chance(0.01)) {
                RatingFact fix = fact;
                fix.corrects = fact.id;
                fix.level_id =
                    scale
                        .levels[std::min<std::size_t>(static_cast<std::size_t>(level) + 1,
                                                      scale.levels.size() - 1)]
                        .id;
                fix.recorded_at += 3600;
                fix.note = "Corrected: rubric row misread.";
                CAIRN_RETURN_IF_ERROR(store.AppendRating(fix).status());
                ++summary.ratings;
                ++summary.corrections;
              }
            }
          }
          // The performance task that shows the badge's CPEs together.
          const Cpe& last = badge.cpes.back();
          RatingFact task;
          task.student_id = student_id;
          task.cpe_id = last.id;
          const double raw = 2.6 + 0.8 * ability + 0.5 * random.Normal();
          const int level = std::clamp(static_cast<int>(std::lround(raw)), 1,
                                       static_cast<int>(scale.levels.size())) -
                            1;
          task.level_id = scale.levels[static_cast<std::size_t>(level)].id;
          task.demonstrated_on = cursor + badge_days - 1;
          task.recorded_at = StartOf(task.demonstrated_on + random.Uniform(1, 6)) + 15 * 3600;
          task.recorded_by = teacher_id;
          task.kind = EvidenceKind::kPerformanceTask;
          task.artifact_ref = "portfolio://" + student.sourced_id + "/" + badge.code + "/task";
          CAIRN_RETURN_IF_ERROR(store.AppendRating(task).status());
          ++summary.ratings;
          cursor += badge_days;
        }
        // A rating entered for the wrong student, then withdrawn.
        if (!own_ratings.empty() && random.Chance(0.02)) {
          VoidFact v;
          v.target = own_ratings[own_ratings.size() / 2];
          v.student_id = student_id;
          v.reason = "Entered for the wrong student.";
          v.recorded_at = StartOf(cursor) + 9 * 3600;
          v.recorded_by = teacher_id;
          CAIRN_RETURN_IF_ERROR(store.AppendVoid(v).status());
          ++summary.voids;
        }
        // Habits of work, observed twice a term.
        for (int h = 0; h < 4; ++h) {
          HabitFact habit;
          habit.student_id = student_id;
          habit.habit_id = catalog.habits[static_cast<std::size_t>(h) % catalog.habits.size()].id;
          const Scale* habit_scale = catalog.FindScale(catalog.habit_scale_id);
          habit.level_id = habit_scale
                               ->levels[static_cast<std::size_t>(random.Uniform(
                                   0, static_cast<int>(habit_scale->levels.size()) - 1))]
                               .id;
          habit.observed_on = year_start + 30 + h * 60;
          habit.recorded_at = StartOf(habit.observed_on) + 16 * 3600;
          habit.recorded_by = teacher_id;
          CAIRN_RETURN_IF_ERROR(store.AppendHabit(habit).status());
          ++summary.habits;
        }
      }
    }

    // Awards: recompute everything, then propose what is met (badges in
    // pathway order, so prerequisites are earned first); teachers confirm
    // most proposals a few days later.
    CAIRN_ASSIGN_OR_RETURN(Roster roster, store.LoadRoster());
    CAIRN_ASSIGN_OR_RETURN(auto engine, service.BuildEngine(std::nullopt));
    for (const Person& person : roster.people) {
      if (person.role != PersonRole::kStudent) continue;
      auto sections = roster.SectionsOf(person.id);
      if (sections.empty()) continue;
      const Section& section = *sections.front();
      const Id teacher_id = roster.TeachersOf(section.id).front()->id;
      for (const std::string& code : section.badges) {
        const auto badge_index = *catalog.BadgeIndex(code);
        const Badge& badge = catalog.badges[badge_index];
        BadgeExplanation explanation = engine->Explain(person.id, badge);
        if (!explanation.met) continue;
        Day last_day = 0;
        for (const CpeExplanation& c : explanation.cpes)
          last_day = std::max(last_day, c.last_demonstrated);
        AwardFact fact;
        fact.student_id = person.id;
        fact.badge_code = code;
        fact.action = AwardAction::kProposed;
        fact.recorded_at = StartOf(last_day + 7) + 6 * 3600;
        fact.explanation_json = ToJson(explanation).dump();
        CAIRN_RETURN_IF_ERROR(store.AppendAward(fact).status());
        if (random.Chance(0.85) || person.sourced_id == "student-00001") {
          fact.action = AwardAction::kConfirmed;
          fact.recorded_by = teacher_id;
          fact.recorded_at += random.Uniform(1, 5) * 86400;
          CAIRN_RETURN_IF_ERROR(store.AppendAward(fact).status());
          engine->SetEarned(person.id, badge_index, true);
          ++summary.awards_confirmed;
        } else {
          ++summary.awards_proposed;
        }
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return summary;
}

}  // namespace cairn
