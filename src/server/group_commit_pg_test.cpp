// The single writer on PostgreSQL, where a failed statement aborts the
// transaction: a job that answers 2xx although one of its statements failed
// (its error dropped) has nothing saved, because its savepoint is rolled
// back. The writer must then not acknowledge it: the client is told it
// failed (500), and the other jobs of the batch still commit. Regression
// test for the writer ignoring the savepoint's result (issue #12).
#include "server/group_commit.h"

#include <gtest/gtest.h>

#include "demo/demo_district.h"
#include "store/open_store.h"
#include "testing/pg_cluster.h"

namespace cairn {
namespace {

RatingInput Rating(const std::string& note) {
  RatingInput input;
  input.student = "student-00001";
  input.cpe_id = "M100.1";
  input.level_id = "proficient";
  input.demonstrated_on = "2026-02-03";
  input.recorded_by = "teacher-001";
  input.note = note;
  return input;
}

HttpResponse Refused() {
  HttpResponse response;
  response.status = 422;
  return response;
}

HttpResponse Created() {
  HttpResponse response;
  response.status = 201;
  return response;
}

TEST(GroupCommitPg, AJobWhoseSavepointRolledBackIsNotAcknowledged) {
  CAIRN_PG_TEST_DATABASE(uri);
  {
    auto store = OpenStore(uri);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto service = CairnService::Open(std::move(store).value(), SystemClock());
    ASSERT_TRUE(service.ok());
    ASSERT_TRUE(GenerateDemoDistrict(**service, {40, 11, 2}).ok());
  }
  auto ratings = [&]() -> FactId {
    auto store = OpenStore(uri);
    EXPECT_TRUE(store.ok());
    auto marks = (*store)->Marks();
    EXPECT_TRUE(marks.ok());
    return marks.ok() ? marks->rating : -1;
  };
  const FactId before = ratings();

  HttpResponse swallowed, good;
  {
    GroupCommit writer(StoreFactoryFor(uri), SystemClock(), nullptr);
    swallowed = writer.Submit([](CairnService& service) {
      if (!service.RecordRating(Rating("saved, then undone")).ok()) return Refused();
      RatingFact orphan;
      orphan.student_id = 987654321;  // no such person: a foreign key violation
      orphan.cpe_id = "M100.1";
      orphan.level_id = "proficient";
      (void)service.store().AppendRating(orphan);  // the bug under test: an error dropped
      return Created();
    });
    good = writer.Submit([](CairnService& service) {
      return service.RecordRating(Rating("kept")).ok() ? Created() : Refused();
    });
    swallowed = swallowed.pending->Wait();
    good = good.pending->Wait();
  }
  EXPECT_EQ(swallowed.status, 500) << swallowed.body;
  EXPECT_EQ(good.status, 201) << good.body;
  // Only the good job's rating is in the database.
  const FactId after = ratings();
  EXPECT_GT(after, before);
  auto store = OpenStore(uri);
  ASSERT_TRUE(store.ok());
  auto added = (*store)->RatingsAfter(before);
  ASSERT_TRUE(added.ok());
  ASSERT_EQ(added->size(), 1u);
  EXPECT_EQ((*added)[0].note, "kept");
}

}  // namespace
}  // namespace cairn
