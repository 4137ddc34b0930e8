#include "server/policy.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

// Two schools in district 1, one school in district 2.
class PolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    roster_.schools = {{1, "s1", 1, "One"}, {2, "s2", 1, "Two"}, {3, "s3", 2, "Three"}};
    roster_.sections = {{1, "sec1", 1, 1, "Alg 1", "", {}}, {2, "sec2", 2, 1, "Alg 2", "", {}}};
    Add(10, PersonRole::kStudent, 1, 1);  // in sec1
    Add(11, PersonRole::kStudent, 1, 2);  // in sec2
    Add(12, PersonRole::kStudent, 2, 3);  // other district
    Add(20, PersonRole::kTeacher, 1, 1);  // teaches sec1
    Add(21, PersonRole::kTeacher, 1, 2);  // teaches sec2
    Add(30, PersonRole::kGuardian, 1, std::nullopt);
    Add(40, PersonRole::kSchoolLeader, 1, 1);
    Add(50, PersonRole::kDistrictLeader, 1, std::nullopt);
    Add(60, PersonRole::kAdmin, 1, std::nullopt);
    roster_.enrollments = {{1, 10, false}, {2, 11, false}, {1, 20, true}, {2, 21, true}};
    roster_.guardian_links = {{30, 10, "parent"}};
    roster_.Index();
  }

  void Add(Id id, PersonRole role, Id district, std::optional<Id> school) {
    Person p;
    p.id = id;
    p.sourced_id = "p" + std::to_string(id);
    p.role = role;
    p.district_id = district;
    p.school_id = school;
    roster_.people.push_back(p);
  }

  Principal Who(Id id) { return Principal{*roster_.FindPerson(id), id, false, false}; }
  const Person& P(Id id) { return *roster_.FindPerson(id); }

  Roster roster_;
};

TEST_F(PolicyTest, ReadScopesFollowRoles) {
  // student, guardian, teacher, school leader, district leader, admin
  struct Row {
    Id who;
    bool s10, s11, s12;
  };
  const Row rows[] = {
      {10, true, false, false},  // self only
      {30, true, false, false},  // linked child only
      {20, true, false, false},  // own section only
      {40, true, false, false},  // own school only
      {50, true, true, false},   // own district only
      {60, true, true, true},    // everything
  };
  for (const Row& row : rows) {
    EXPECT_EQ(CanReadStudent(roster_, Who(row.who), P(10)), row.s10) << row.who;
    EXPECT_EQ(CanReadStudent(roster_, Who(row.who), P(11)), row.s11) << row.who;
    EXPECT_EQ(CanReadStudent(roster_, Who(row.who), P(12)), row.s12) << row.who;
  }
  // Non-students are never "student records".
  EXPECT_FALSE(CanReadStudent(roster_, Who(60), P(20)));
}

TEST_F(PolicyTest, WritesBelongToTeachersSchoolLeadersAndAdmins) {
  EXPECT_TRUE(CanWriteStudent(roster_, Who(20), P(10)));
  EXPECT_FALSE(CanWriteStudent(roster_, Who(21), P(10)));
  EXPECT_TRUE(CanWriteStudent(roster_, Who(40), P(10)));
  EXPECT_FALSE(CanWriteStudent(roster_, Who(50), P(10)));  // district leaders read
  EXPECT_FALSE(CanWriteStudent(roster_, Who(10), P(10)));  // not even their own
  EXPECT_FALSE(CanWriteStudent(roster_, Who(30), P(10)));
  EXPECT_TRUE(CanWriteStudent(roster_, Who(60), P(12)));
}

TEST_F(PolicyTest, SectionsAndListings) {
  EXPECT_EQ(ReadableSections(roster_, Who(20)).size(), 1u);
  EXPECT_EQ(ReadableSections(roster_, Who(40)).size(), 1u);
  EXPECT_EQ(ReadableSections(roster_, Who(50)).size(), 2u);
  EXPECT_TRUE(ReadableSections(roster_, Who(10)).empty());
  EXPECT_EQ(ReadableStudents(roster_, Who(50)).size(), 2u);
  EXPECT_EQ(ReadableStudents(roster_, Who(30)).size(), 1u);
}

TEST_F(PolicyTest, TokensWithoutWriteScopeCannotWrite) {
  Principal token = Who(60);
  token.via_token = true;
  EXPECT_TRUE(Allowed(AccessRule::kStudentRead, roster_, token, &P(10), nullptr, false));
  EXPECT_FALSE(Allowed(AccessRule::kStudentWrite, roster_, token, &P(10), nullptr, true));
  token.token_write = true;
  EXPECT_TRUE(Allowed(AccessRule::kStudentWrite, roster_, token, &P(10), nullptr, true));
  EXPECT_FALSE(Allowed(AccessRule::kAuthenticated, roster_, std::nullopt, nullptr, nullptr, false));
  EXPECT_TRUE(Allowed(AccessRule::kPublic, roster_, std::nullopt, nullptr, nullptr, false));
  // A route naming a record that does not exist: only admins get to the 404.
  EXPECT_FALSE(Allowed(AccessRule::kStudentRead, roster_, Who(20), nullptr, nullptr, false));
  EXPECT_TRUE(Allowed(AccessRule::kStudentRead, roster_, Who(60), nullptr, nullptr, false));
}

}  // namespace
}  // namespace cairn
