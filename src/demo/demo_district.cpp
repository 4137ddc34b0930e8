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

// Students written per transaction: enough that commits are a small part of
// the time, few enough that a batch's engine and the database's uncommitted
// work stay a few megabytes whatever the district's size.
constexpr int kBatchStudents = 1000;

// A school's sections, each with its course and its teacher.
struct SchoolSections {
  Id school = 0;
  std::vector<Id> ids;
  std::vector<const CourseSpec*> courses;
  std::vector<Id> teachers;
};

// What the award pass needs of a student written in the current batch.
struct BatchStudent {
  Id id = 0;
  bool demo_login = false;  // student-00001: every badge met is confirmed
  const CourseSpec* course = nullptr;
  Id teacher_id = 0;
};

// Writes the district in transactions of kBatchStudents students. Evidence
// draws come from one random stream in generation order, award decisions
// from a second, so the data does not depend on the batch size.
class DistrictWriter {
 public:
  DistrictWriter(CairnService& service, const DemoOptions& options, const DemoProgressFn& progress)
      : store_(service.store()),
        catalog_(service.catalog()),
        options_(options),
        progress_(progress),
        random_(options.seed),
        award_random_(options.seed ^ 0x6177617264730000ull),
        year_start_(ParseDate(kYearStart).value()) {}

  Result<DemoSummary> Run() {
    CAIRN_RETURN_IF_ERROR(store_.Transact([&] { return WriteDistrict(); }));
    const int schools = std::clamp(options_.schools, 1, static_cast<int>(kSchoolNames.size()));
    for (int s = 0; s < schools; ++s) {
      const int school_students =
          options_.students / schools + (s < options_.students % schools ? 1 : 0);
      SchoolSections sections;
      CAIRN_RETURN_IF_ERROR(store_.Transact([&]() -> Status {
        CAIRN_ASSIGN_OR_RETURN(sections, WriteSchool(s, school_students));
        return Status::Ok();
      }));
      for (int first = 0; first < school_students; first += kBatchStudents) {
        const int count = std::min(kBatchStudents, school_students - first);
        CAIRN_RETURN_IF_ERROR(store_.Transact([&] { return WriteBatch(sections, first, count); }));
        if (progress_)
          progress_(DemoProgress{summary_.students, options_.students, summary_.ratings});
      }
    }
    return summary_;
  }

 private:
  Status WriteDistrict() {
    CAIRN_ASSIGN_OR_RETURN(district_,
                           store_.InsertDistrict({0, "district-demo", "Cairn Demo District"}));
    Person admin;
    admin.sourced_id = "admin";
    admin.role = PersonRole::kAdmin;
    admin.given_name = "Dana";
    admin.family_name = "Admin";
    admin.email = "admin@demo.cairn.test";
    admin.district_id = district_;
    CAIRN_RETURN_IF_ERROR(store_.InsertPerson(admin).status());
    Person leader = admin;
    leader.sourced_id = "leader-district";
    leader.role = PersonRole::kDistrictLeader;
    leader.given_name = "Morgan";
    leader.family_name = "Ellis";
    leader.email = "district.leader@demo.cairn.test";
    CAIRN_RETURN_IF_ERROR(store_.InsertPerson(leader).status());
    for (const CourseSpec& course : kCourses) {
      CAIRN_ASSIGN_OR_RETURN(
          course_ids_[course.id],
          store_.InsertCourse({0, std::string("course-") + course.id, district_, course.title}));
    }
    return Status::Ok();
  }

  // The school, its principal, and sections of about 25 students with one
  // teacher for every two sections.
  Result<SchoolSections> WriteSchool(int s, int school_students) {
    const std::string school_key = "school-" + std::to_string(s + 1);
    SchoolSections out;
    CAIRN_ASSIGN_OR_RETURN(
        out.school,
        store_.InsertSchool({0, school_key, district_, kSchoolNames[static_cast<std::size_t>(s)]}));
    ++summary_.schools;
    Person principal;
    principal.sourced_id = "leader-" + school_key;
    principal.role = PersonRole::kSchoolLeader;
    principal.given_name = random_.Pick(kGivenNames);
    principal.family_name = random_.Pick(kFamilyNames);
    principal.email = principal.sourced_id + "@demo.cairn.test";
    principal.district_id = district_;
    principal.school_id = out.school;
    CAIRN_RETURN_IF_ERROR(store_.InsertPerson(principal).status());

    const int section_count = std::max(1, (school_students + 24) / 25);
    for (int k = 0; k < section_count; ++k) {
      const CourseSpec& course = kCourses[static_cast<std::size_t>(k) % kCourses.size()];
      if (k % 2 == 0) {
        ++teacher_number_;
        Person teacher;
        teacher.sourced_id = "teacher-" + Pad(teacher_number_, 3);
        teacher.role = PersonRole::kTeacher;
        teacher.given_name = random_.Pick(kGivenNames);
        teacher.family_name = random_.Pick(kFamilyNames);
        teacher.email = teacher.sourced_id + "@demo.cairn.test";
        teacher.district_id = district_;
        teacher.school_id = out.school;
        CAIRN_ASSIGN_OR_RETURN(Id teacher_id, store_.InsertPerson(teacher));
        out.teachers.push_back(teacher_id);
        ++summary_.teachers;
      } else {
        out.teachers.push_back(out.teachers.back());
      }
      Section section;
      section.sourced_id = "section-" + std::to_string(s + 1) + "-" + course.id + "-" +
                           std::to_string(k / static_cast<int>(kCourses.size()) + 1);
      section.school_id = out.school;
      section.course_id = course_ids_[course.id];
      section.title = std::string(course.title) + " - Period " + std::to_string(k % 7 + 1);
      section.term = "2025-26";
      for (const char* code : course.badges) {
        if (code) section.badges.push_back(code);
      }
      CAIRN_ASSIGN_OR_RETURN(Id section_id, store_.InsertSection(section));
      CAIRN_RETURN_IF_ERROR(store_.InsertEnrollment({section_id, out.teachers.back(), true}));
      out.ids.push_back(section_id);
      out.courses.push_back(&course);
      ++summary_.sections;
    }
    return out;
  }

  // Students [first, first + count) of the school with their evidence, then
  // the awards they meet, judged by an engine of this batch's facts alone
  // (a student's statuses depend only on their own facts).
  Status WriteBatch(const SchoolSections& sections, int first, int count) {
    MasteryEngine engine(catalog_);
    std::vector<BatchStudent> batch;
    batch.reserve(static_cast<std::size_t>(count));
    for (int i = first; i < first + count; ++i) {
      const std::size_t k = static_cast<std::size_t>(i) % sections.ids.size();
      CAIRN_ASSIGN_OR_RETURN(BatchStudent student, WriteStudent(sections, k, engine));
      batch.push_back(student);
    }
    engine.RecomputeAll();
    for (const BatchStudent& student : batch) {
      CAIRN_RETURN_IF_ERROR(WriteAwards(student, engine));
    }
    return Status::Ok();
  }

  Result<BatchStudent> WriteStudent(const SchoolSections& sections, std::size_t k,
                                    MasteryEngine& engine) {
    ++student_number_;
    Person student;
    student.sourced_id = "student-" + Pad(student_number_, 5);
    student.role = PersonRole::kStudent;
    student.given_name = random_.Pick(kGivenNames);
    student.family_name = random_.Pick(kFamilyNames);
    student.email = student.sourced_id + "@students.demo.cairn.test";
    student.district_id = district_;
    student.school_id = sections.school;
    Demographics& d = student.demographics;
    d.grade = std::to_string(random_.Uniform(9, 12));
    d.gender = random_.Chance(0.49) ? "female" : (random_.Chance(0.96) ? "male" : "nonbinary");
    d.race_ethnicity = random_.Pick(kRaceEthnicity);
    d.english_learner = random_.Chance(0.11);
    d.disability = random_.Chance(0.13);
    d.economically_disadvantaged = random_.Chance(0.45);
    CAIRN_ASSIGN_OR_RETURN(Id student_id, store_.InsertPerson(student));
    ++summary_.students;
    CAIRN_RETURN_IF_ERROR(store_.InsertEnrollment({sections.ids[k], student_id, false}));
    Person guardian;
    guardian.sourced_id = "guardian-" + Pad(student_number_, 5);
    guardian.role = PersonRole::kGuardian;
    guardian.given_name = random_.Pick(kGivenNames);
    guardian.family_name = student.family_name;
    guardian.email = guardian.sourced_id + "@families.demo.cairn.test";
    guardian.district_id = district_;
    CAIRN_ASSIGN_OR_RETURN(Id guardian_id, store_.InsertPerson(guardian));
    CAIRN_RETURN_IF_ERROR(store_.InsertGuardianLink({guardian_id, student_id, "parent"}));
    ++summary_.guardians;

    BatchStudent written{student_id, student_number_ == 1, sections.courses[k],
                         sections.teachers[k]};
    CAIRN_RETURN_IF_ERROR(WriteEvidence(student, written, engine));
    return written;
  }

  // A school year of evidence on the section's badges, in order, then a
  // void now and then and the habits of work.
  Status WriteEvidence(const Person& student, const BatchStudent& who, MasteryEngine& engine) {
    // The demo's student login is a strong student, so every demo shows
    // earned badges and their credentials...
    const double ability = who.demo_login ? std::max(1.8, random_.Normal()) : random_.Normal();
    const double pace = std::clamp(1.0 + 0.25 * ability + 0.15 * random_.Normal(), 0.5, 1.6);
    Day cursor = year_start_ + random_.Uniform(0, 6);
    std::vector<FactId> own_ratings;
    int badge_position = 0;
    for (const char* code : who.course->badges) {
      if (!code) break;
      // ...who is part-way through their fourth badge.
      const bool part_way = who.demo_login && badge_position++ == 3;
      const Badge& badge = *catalog_.FindBadge(code);
      const int badge_days = static_cast<int>(std::lround(45.0 / pace));
      if (cursor + badge_days > year_start_ + kYearDays) break;
      for (const Cpe& cpe : badge.cpes) {
        if (part_way && &cpe - badge.cpes.data() >= 2) break;
        CAIRN_RETURN_IF_ERROR(
            WriteAttempts(who, badge, cpe, ability, cursor, badge_days, engine, own_ratings));
      }
      CAIRN_RETURN_IF_ERROR(
          WriteTask(student, who, badge, ability, cursor + badge_days - 1, engine));
      cursor += badge_days;
    }
    // A rating entered for the wrong student, then withdrawn.
    if (!own_ratings.empty() && random_.Chance(0.02)) {
      VoidFact v;
      v.target = own_ratings[own_ratings.size() / 2];
      v.student_id = who.id;
      v.reason = "Entered for the wrong student.";
      v.recorded_at = StartOf(cursor) + 9 * 3600;
      v.recorded_by = who.teacher_id;
      CAIRN_ASSIGN_OR_RETURN(v.id, store_.AppendVoid(v));
      CAIRN_RETURN_IF_ERROR(engine.AddVoid(v, /*recompute=*/false));
      ++summary_.voids;
    }
    // Habits of work, observed twice a term.
    const Scale* habit_scale = catalog_.FindScale(catalog_.habit_scale_id);
    for (int h = 0; h < 4; ++h) {
      HabitFact habit;
      habit.student_id = who.id;
      habit.habit_id = catalog_.habits[static_cast<std::size_t>(h) % catalog_.habits.size()].id;
      habit.level_id = habit_scale
                           ->levels[static_cast<std::size_t>(random_.Uniform(
                               0, static_cast<int>(habit_scale->levels.size()) - 1))]
                           .id;
      habit.observed_on = year_start_ + 30 + h * 60;
      habit.recorded_at = StartOf(habit.observed_on) + 16 * 3600;
      habit.recorded_by = who.teacher_id;
      CAIRN_RETURN_IF_ERROR(store_.AppendHabit(habit).status());
      ++summary_.habits;
    }
    return Status::Ok();
  }

  // Attempts on one CPE that improve with time, formative checks first; now
  // and then a teacher fixes a slip with a correction.
  Status WriteAttempts(const BatchStudent& who, const Badge& badge, const Cpe& cpe, double ability,
                       Day cursor, int badge_days, MasteryEngine& engine,
                       std::vector<FactId>& own_ratings) {
    const Scale& scale = catalog_.ScaleOf(badge);
    const int attempts = random_.Uniform(1, 3) + (ability < -0.5 ? 1 : 0);
    for (int a = 0; a < attempts; ++a) {
      RatingFact fact;
      fact.student_id = who.id;
      fact.cpe_id = cpe.id;
      if (!cpe.indicators.empty()) {
        fact.indicator_id = cpe.indicators[static_cast<std::size_t>(random_.Uniform(
                                               0, static_cast<int>(cpe.indicators.size()) - 1))]
                                .id;
      }
      const double growth = 0.55 * a;
      const double raw = 2.3 + 0.8 * ability + growth + 0.5 * random_.Normal();
      const int level = LevelIndex(raw, scale);
      fact.level_id = scale.levels[static_cast<std::size_t>(level)].id;
      fact.demonstrated_on = cursor + random_.Uniform(0, badge_days - 1);
      fact.kind =
          (a == 0 && attempts > 1 && random_.Chance(0.5))
              ? EvidenceKind::kFormative
              : (random_.Chance(0.15) ? EvidenceKind::kPortfolioItem : EvidenceKind::kSummative);
      // Most work is graded within days; make-up work weeks later.
      const int grading_delay =
          random_.Chance(0.08) ? random_.Uniform(14, 30) : random_.Uniform(0, 4);
      fact.recorded_at =
          StartOf(fact.demonstrated_on + grading_delay) + random_.Uniform(7 * 3600, 17 * 3600);
      fact.recorded_by = who.teacher_id;
      if (level < 2 && random_.Chance(0.5)) {
        fact.note = "Not yet: revisit the worked example and try the next task.";
      } else if (who.demo_login && a == 0) {
        fact.note = "Clear steps. Next time, check your answer in the original equation.";
      }
      CAIRN_RETURN_IF_ERROR(AppendRating(fact, engine));
      own_ratings.push_back(fact.id);
      if (random_.Chance(0.01)) {
        RatingFact fix = fact;
        fix.corrects = fact.id;
        fix.level_id = scale
                           .levels[std::min<std::size_t>(static_cast<std::size_t>(level) + 1,
                                                         scale.levels.size() - 1)]
                           .id;
        fix.recorded_at += 3600;
        fix.note = "Corrected: rubric row misread.";
        CAIRN_RETURN_IF_ERROR(AppendRating(fix, engine));
        ++summary_.corrections;
      }
    }
    return Status::Ok();
  }

  // The performance task that shows the badge's CPEs together.
  Status WriteTask(const Person& student, const BatchStudent& who, const Badge& badge,
                   double ability, Day day, MasteryEngine& engine) {
    const Scale& scale = catalog_.ScaleOf(badge);
    RatingFact task;
    task.student_id = who.id;
    task.cpe_id = badge.cpes.back().id;
    const double raw = 2.6 + 0.8 * ability + 0.5 * random_.Normal();
    task.level_id = scale.levels[static_cast<std::size_t>(LevelIndex(raw, scale))].id;
    task.demonstrated_on = day;
    task.recorded_at = StartOf(day + random_.Uniform(1, 6)) + 15 * 3600;
    task.recorded_by = who.teacher_id;
    task.kind = EvidenceKind::kPerformanceTask;
    task.artifact_ref = "portfolio://" + student.sourced_id + "/" + badge.code + "/task";
    return AppendRating(task, engine);
  }

  // Proposes each badge the student meets, in pathway order so prerequisites
  // are earned first; teachers confirm most proposals a few days later.
  Status WriteAwards(const BatchStudent& student, MasteryEngine& engine) {
    for (const char* code : student.course->badges) {
      if (!code) break;
      const auto badge_index = *catalog_.BadgeIndex(code);
      const Badge& badge = catalog_.badges[badge_index];
      BadgeExplanation explanation = engine.Explain(student.id, badge);
      if (!explanation.met) continue;
      Day last_day = 0;
      for (const CpeExplanation& c : explanation.cpes) {
        last_day = std::max(last_day, c.last_demonstrated);
      }
      AwardFact fact;
      fact.student_id = student.id;
      fact.badge_code = code;
      fact.action = AwardAction::kProposed;
      fact.recorded_at = StartOf(last_day + 7) + 6 * 3600;
      fact.explanation_json = ToJson(explanation).dump();
      CAIRN_RETURN_IF_ERROR(store_.AppendAward(fact).status());
      if (award_random_.Chance(0.85) || student.demo_login) {
        fact.action = AwardAction::kConfirmed;
        fact.recorded_by = student.teacher_id;
        fact.recorded_at += award_random_.Uniform(1, 5) * 86400;
        CAIRN_RETURN_IF_ERROR(store_.AppendAward(fact).status());
        engine.SetEarned(student.id, badge_index, true);
        ++summary_.awards_confirmed;
      } else {
        ++summary_.awards_proposed;
      }
    }
    return Status::Ok();
  }

  Status AppendRating(RatingFact& fact, MasteryEngine& engine) {
    CAIRN_ASSIGN_OR_RETURN(fact.id, store_.AppendRating(fact));
    ++summary_.ratings;
    return engine.AddRating(fact, /*recompute=*/false);
  }

  static int LevelIndex(double raw, const Scale& scale) {
    return std::clamp(static_cast<int>(std::lround(raw)), 1,
                      static_cast<int>(scale.levels.size())) -
           1;
  }

  Store& store_;
  const Catalog& catalog_;
  const DemoOptions& options_;
  const DemoProgressFn& progress_;
  Random random_;
  Random award_random_;
  const Day year_start_;
  DemoSummary summary_;
  Id district_ = 0;
  std::map<std::string, Id> course_ids_;
  int teacher_number_ = 0;
  int student_number_ = 0;
};

}  // namespace

Result<DemoSummary> GenerateDemoDistrict(CairnService& service, const DemoOptions& options,
                                         const DemoProgressFn& progress) {
  if (options.students < 1 || options.students > 1000000) {
    return Status::Invalid("students: expected 1 to 1000000");
  }
  if (!service.has_catalog()) {
    CAIRN_RETURN_IF_ERROR(service.LoadCatalog(BuiltinXqCatalogJson(), "built-in xq-math").status());
  }
  CAIRN_ASSIGN_OR_RETURN(auto existing, service.store().FindPerson("admin"));
  if (existing) return Status::Exists("the database already has a district; use a new --db");
  return DistrictWriter(service, options, progress).Run();
}

}  // namespace cairn
