#include "service/invitations.h"

#include <gtest/gtest.h>

#include "service/accounts.h"
#include "service/crypto.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

constexpr Instant kNow = 1'800'000'000;

class InvitationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(":memory:")).value();
    Id district = *store_->InsertDistrict({0, "d1", "District"});
    Id school = *store_->InsertSchool({0, "s1", district, "North High"});
    Id other = *store_->InsertSchool({0, "s2", district, "South High"});
    auto add = [&](const char* id, PersonRole role, std::optional<Id> at, const char* email) {
      Person p;
      p.sourced_id = id;
      p.role = role;
      p.given_name = "Ana";
      p.family_name = id;
      p.email = email;
      p.district_id = district;
      p.school_id = at;
      return *store_->InsertPerson(p);
    };
    add("t1", PersonRole::kTeacher, school, "T1@North.example");
    add("t2", PersonRole::kTeacher, other, "");
    add("s1", PersonRole::kStudent, school, "");
    roster_ = *store_->LoadRoster();
  }

  const Person* P(const char* id) { return roster_.FindPersonBySourcedId(id); }

  InvitationRequest Request(std::vector<const Person*> people, Instant now = kNow) {
    InvitationRequest r;
    r.people = std::move(people);
    r.now = now;
    return r;
  }

  std::unique_ptr<Store> store_;
  Roster roster_;
};

TEST_F(InvitationsTest, AnInvitationMakesOneAccountOnce) {
  auto batch = CreateInvitations(*store_, Request({P("t1")}), SignInPolicy::Everyone());
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->created.size(), 1u);
  const std::string token = batch->created[0].token;
  // Only the secret's hash is stored.
  auto stored = store_->Invitations();
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_NE((*stored)[0].token_hash, token);
  EXPECT_EQ((*stored)[0].token_hash, Sha256Hex(token));

  auto who = InvitedPerson(*store_, roster_, token, kNow + 60);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ((*who)->sourced_id, "t1");
  auto account =
      AcceptInvitation(*store_, roster_, token, "ana", "hash", kNow + 60, SignInPolicy::Everyone());
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ((*store_->FindAccountByUsername("ana"))->person_id, P("t1")->id);

  auto again = AcceptInvitation(*store_, roster_, token, "ana2", "hash", kNow + 61,
                                SignInPolicy::Everyone());
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(store_->FindAccountByUsername("ana2")->has_value());
}

TEST_F(InvitationsTest, ExpiredRevokedAndUnknownLinksOpenNothing) {
  auto batch = CreateInvitations(*store_, Request({P("t1"), P("t2")}), SignInPolicy::Everyone());
  ASSERT_TRUE(batch.ok());
  const std::string t1 = batch->created[0].token, t2 = batch->created[1].token;
  EXPECT_EQ(InvitedPerson(*store_, roster_, t1, kNow + kInvitationLifetime).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_->CloseInvitation(batch->created[1].invitation_id, kNow, false).ok());
  EXPECT_FALSE(InvitedPerson(*store_, roster_, t2, kNow + 1).ok());
  EXPECT_FALSE(InvitedPerson(*store_, roster_, "not-a-token", kNow + 1).ok());
  EXPECT_FALSE(InvitedPerson(*store_, roster_, "", kNow + 1).ok());
  EXPECT_TRUE(store_->Accounts()->empty());
}

TEST_F(InvitationsTest, SkipsPeopleSignedUpOrInvitedUnlessReplacing) {
  ASSERT_TRUE(InsertAccount(*store_, "t2", "t2user", "hash", kNow).ok());
  auto first =
      CreateInvitations(*store_, Request({P("t1"), P("t2"), P("t1")}), SignInPolicy::Everyone());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->created.size(), 1u);  // t1 once, though listed twice
  EXPECT_EQ(first->already_signed_up, 1);
  auto second = CreateInvitations(*store_, Request({P("t1")}), SignInPolicy::Everyone());
  EXPECT_EQ(second->created.size(), 0u);
  EXPECT_EQ(second->already_invited, 1);

  InvitationRequest replace = Request({P("t1")});
  replace.replace_open = true;
  auto third = CreateInvitations(*store_, replace, SignInPolicy::Everyone());
  ASSERT_EQ(third->created.size(), 1u);
  // The earlier link stops working; the new one works.
  EXPECT_FALSE(InvitedPerson(*store_, roster_, first->created[0].token, kNow + 1).ok());
  EXPECT_TRUE(InvitedPerson(*store_, roster_, third->created[0].token, kNow + 1).ok());
}

TEST_F(InvitationsTest, ClosedRolesGetNoInvitationAndCannotAccept) {
  SignInPolicy staff = SignInPolicy::AdminsOnly();
  staff.Set(PersonRole::kTeacher, true);
  auto refused = CreateInvitations(*store_, Request({P("t1"), P("s1")}), staff);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->Invitations()->empty());  // all or nothing

  auto made = CreateInvitations(*store_, Request({P("t1")}), staff);
  ASSERT_TRUE(made.ok());
  auto accepted = AcceptInvitation(*store_, roster_, made->created[0].token, "ana", "hash",
                                   kNow + 1, SignInPolicy::AdminsOnly());
  EXPECT_EQ(accepted.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->Accounts()->empty());
  // Still open: the district may open the role later.
  EXPECT_TRUE(InvitedPerson(*store_, roster_, made->created[0].token, kNow + 2).ok());
}

TEST_F(InvitationsTest, ATakenUsernameLeavesTheInvitationOpen) {
  ASSERT_TRUE(InsertAccount(*store_, "t2", "taken", "hash", kNow).ok());
  auto made = CreateInvitations(*store_, Request({P("t1")}), SignInPolicy::Everyone());
  const std::string token = made->created[0].token;
  auto clash = AcceptInvitation(*store_, roster_, token, "taken", "hash", kNow + 1,
                                SignInPolicy::Everyone());
  EXPECT_EQ(clash.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(
      AcceptInvitation(*store_, roster_, token, "free", "hash", kNow + 2, SignInPolicy::Everyone())
          .ok());
}

TEST(SignInPolicyTest, ParsesWritesAndNamesBadFields) {
  auto policy =
      ParseSignInPolicy(R"({"roles":["teacher","school_leader"],"methods":["password"]})");
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->Allows(PersonRole::kTeacher));
  EXPECT_FALSE(policy->Allows(PersonRole::kStudent));
  EXPECT_TRUE(policy->Allows(PersonRole::kAdmin));  // never locked out
  EXPECT_EQ(*ParseSignInPolicy(policy->ToJson()), *policy);

  auto bad = ParseSignInPolicy(R"({"roles":["teacher","wizard"],"methods":["oidc"]})");
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const FieldError& e : bad.status().fields()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"roles[1]", "methods[0]"}));
  EXPECT_FALSE(ParseSignInPolicy("[]").ok());
  EXPECT_FALSE(ParseSignInPolicy("{}").ok());
}

TEST(SignInPolicyTest, UnsetMeansEveryone) {
  auto store = std::move(SqliteStore::Open(":memory:")).value();
  EXPECT_EQ(*LoadSignInPolicy(*store), SignInPolicy::Everyone());
  ASSERT_TRUE(store->PutSetting(kSignInSetting, R"({"roles":["teacher"]})").ok());
  EXPECT_FALSE(LoadSignInPolicy(*store)->Allows(PersonRole::kStudent));
}

TEST(InvitationUrlTest, SecretTravelsInTheFragment) {
  EXPECT_EQ(InvitationUrl("https://cairn.example/", "abc"), "https://cairn.example/invite#abc");
}

}  // namespace
}  // namespace cairn
