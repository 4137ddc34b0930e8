// The paths a real database takes rarely, through a fault-injecting store
// handed to the API by its store factory: a failed write, a failed COMMIT,
// a busy database. Whatever fails is refused and leaves nothing behind; the
// next request works. Also: roster snapshots outlive a refresh, and handler
// errors are logged with their request id.
#include "testing/faulty_store.h"

#include "server/api_test_fixture.h"
#include "server/read_model.h"

namespace cairn {
namespace {

class ApiFaultTest : public ApiTest {
 protected:
  void SetUp() override {
    plan_ = std::make_shared<FaultPlan>();
    ApiOptions options;
    options.db_path = g_db;
    options.public_url = "https://badges.test";
    auto plan = plan_;
    options.open_store = [plan]() -> Result<std::unique_ptr<Store>> {
      auto inner = SqliteStore::Open(g_db);
      if (!inner.ok()) return inner.status();
      return std::unique_ptr<Store>(std::make_unique<FaultyStore>(std::move(inner).value(), plan));
    };
    api_ = std::make_unique<Api>(options);
  }

  static long long Ratings() {
    auto store = SqliteStore::Open(g_db);
    long long n = 0;
    EXPECT_TRUE((*store)->ForEachRating(std::nullopt, [&](const RatingFact&) { ++n; }).ok());
    return n;
  }

  HttpResponse Rate(const Login& who, const std::string& day) {
    return Call("POST", "/api/v1/ratings",
                json{{"student", "student-00001"},
                     {"cpe", "M101.3"},
                     {"level", "proficient"},
                     {"demonstrated_on", day}}
                    .dump(),
                who);
  }

  std::shared_ptr<FaultPlan> plan_;
};

TEST_F(ApiFaultTest, FailedCommitIs503AndLeavesNothing) {
  Login teacher = SignIn("teacher-001");
  const long long before = Ratings();
  plan_->fail_commits = true;
  HttpResponse r = Rate(teacher, "2026-01-20");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Body(r)["error"]["code"], "unavailable");
  EXPECT_EQ(Ratings(), before);
  EXPECT_GT(plan_->faults_injected.load(), 0);
  plan_->fail_commits = false;
  const std::string progress_before =
      Call("GET", "/api/v1/students/student-00001/evidence", "", teacher).body;
  r = Rate(teacher, "2026-01-21");
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Ratings(), before + 1);
  // The read side shows exactly the one that was saved.
  json evidence = Body(Call("GET", "/api/v1/students/student-00001/evidence", "", teacher));
  EXPECT_EQ(evidence[0]["demonstrated_on"], "2026-01-21");
  EXPECT_NE(evidence.dump(), progress_before);
  EXPECT_EQ(evidence.dump().find("2026-01-20"), std::string::npos);
}

TEST_F(ApiFaultTest, FailedWriteIsRefusedAndRolledBack) {
  Login teacher = SignIn("teacher-001");
  const long long before = Ratings();
  plan_->fail_write_number = plan_->writes_seen.load() + 1;
  HttpResponse r = Rate(teacher, "2026-01-22");
  EXPECT_GE(r.status, 500) << r.body;
  EXPECT_EQ(Ratings(), before);
  r = Rate(teacher, "2026-01-23");
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Ratings(), before + 1);
}

TEST_F(ApiFaultTest, BusyDatabaseIs503TryAgain) {
  Login teacher = SignIn("teacher-001");
  const long long before = Ratings();
  plan_->busy = true;
  HttpResponse r = Rate(teacher, "2026-01-24");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Ratings(), before);
  plan_->busy = false;
  EXPECT_EQ(Rate(teacher, "2026-01-25").status, 201);
}

// Defect: Context::student pointed into a roster the next refresh replaced
// in place. A snapshot now stays whole for as long as it is held.
TEST_F(ApiFaultTest, RosterSnapshotOutlivesARefresh) {
  auto store = SqliteStore::Open(g_db);
  ASSERT_TRUE(store.ok());
  ReadModel model;
  ASSERT_TRUE(model.Refresh(**store).ok());
  std::shared_ptr<const Roster> held = model.RosterSnapshot();
  const Person* student = held->FindPersonBySourcedId("student-00001");
  ASSERT_NE(student, nullptr);
  const std::size_t people = held->people.size();
  Person added;
  added.sourced_id = "student-snapshot-" + std::to_string(::getpid());
  added.given_name = "New";
  added.family_name = "Student";
  added.district_id = student->district_id;
  ASSERT_TRUE((*store)->InsertPerson(added).ok());
  ASSERT_TRUE(model.Refresh(**store).ok());
  // The held snapshot is untouched (ASan would see a use after free here).
  EXPECT_EQ(student->sourced_id, "student-00001");
  EXPECT_EQ(held->people.size(), people);
  EXPECT_EQ(model.RosterSnapshot()->people.size(), people + 1);
  EXPECT_EQ(held->FindPersonBySourcedId(added.sourced_id), nullptr);
}

// Defect: handler exceptions were swallowed without a word.
TEST_F(ApiFaultTest, HandlerErrorsAreLoggedWithTheRequestId) {
  Login teacher = SignIn("teacher-001");
  testing::internal::CaptureStderr();
  HttpResponse r = Call("POST", "/api/v1/submissions/" + g_submission[true] + "/actions",
                        json{{"kind", "feedback"},
                             {"message", "m"},
                             {"anchor", {{"artifact", std::stoll(g_artifact[true])}, {"w", "x"}}}}
                            .dump(),
                        teacher);
  // Whatever path refuses it, the client is told and nothing is a 500.
  EXPECT_EQ(r.status, 400) << r.body;
  plan_->busy = true;
  HttpResponse failed = Rate(teacher, "2026-01-26");
  plan_->busy = false;
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(failed.status, 503);
  EXPECT_NE(log.find("locked (injected)"), std::string::npos) << log;
}

}  // namespace
}  // namespace cairn
