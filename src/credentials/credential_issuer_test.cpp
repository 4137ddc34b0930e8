// Issuing against a real (in-memory SQLite) store: status list entries
// (issue #12: issuing reads no other credentials, lists fill and the next one
// opens, entries stay unique, revocation shows in the credential's own list,
// list 0 keeps its address).
#include "credentials/credential_issuer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "credentials/status_list.h"
#include "credentials/verifier.h"
#include "store/sqlite_store.h"
#include "testing/faulty_store.h"
#include "testing/test_catalog.h"

namespace cairn {
namespace {

using nlohmann::json;

constexpr const char* kBase = "https://badges.test";

class CredentialIssuerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sqlite = SqliteStore::Open(":memory:");
    ASSERT_TRUE(sqlite.ok()) << sqlite.status().ToString();
    plan_ = std::make_shared<FaultPlan>();
    store_ = std::make_unique<FaultyStore>(std::move(sqlite).value(), plan_);
    district_ = *store_->InsertDistrict({0, "d1", "District One"});
    school_ = *store_->InsertSchool({0, "s1", district_, "School"});
  }

  // `count` students, each with a confirmed award of every badge in `badges`.
  std::vector<Id> AddStudents(int count, const std::vector<std::string>& badges) {
    std::vector<Id> ids;
    for (int i = 0; i < count; ++i) {
      Person p;
      p.sourced_id = "stu-" + std::to_string(ids_++);
      p.role = PersonRole::kStudent;
      p.given_name = "Given";
      p.family_name = "Family";
      p.email = p.sourced_id + "@example.org";
      p.district_id = district_;
      p.school_id = school_;
      Id id = *store_->InsertPerson(p);
      for (const std::string& badge : badges) Award(id, badge, AwardAction::kConfirmed);
      ids.push_back(id);
    }
    roster_ = *store_->LoadRoster();
    roster_.Index();
    return ids;
  }

  void Award(Id student, const std::string& badge, AwardAction action) {
    AwardFact f;
    f.student_id = student;
    f.badge_code = badge;
    f.action = action;
    f.recorded_at = 1767225600;
    f.reason = action == AwardAction::kRevoked ? "entered for the wrong student" : "";
    ASSERT_TRUE(store_->AppendAward(f).ok());
  }

  CredentialIssuer Issuer(StatusListPolicy policy = {}) {
    return CredentialIssuer(*store_, vault_,
                            IssuerOptions{kBase, [] { return 1767225600; }, policy});
  }

  std::vector<IssuedCredential> IssueAll(CredentialIssuer& issuer,
                                         const std::vector<Id>& students) {
    std::vector<IssuedCredential> out;
    for (Id s : students) {
      auto made = issuer.IssuePending(catalog_, roster_, s);
      EXPECT_TRUE(made.ok()) << made.status().ToString();
      if (made.ok()) out.insert(out.end(), made->begin(), made->end());
    }
    return out;
  }

  static json StatusOf(const IssuedCredential& c) {
    return json::parse(c.body)["credentialStatus"];
  }

  std::shared_ptr<FaultPlan> plan_;
  std::unique_ptr<FaultyStore> store_;
  KeyVault vault_ = KeyVault::FromKey({});
  Catalog catalog_ = testing::TestCatalog();
  Roster roster_;
  Id district_ = 0, school_ = 0;
  int ids_ = 0;
};

// Issue #12: every Issue read every credential of the district to find a
// free status index, so issuing grew with all the district had issued.
TEST_F(CredentialIssuerTest, IssuingReadsNoOtherCredentials) {
  std::vector<Id> students = AddStudents(60, {"B1"});
  CredentialIssuer issuer = Issuer();
  for (Id s : students) {
    const std::int64_t before = plan_->credential_rows_read.load();
    auto made = issuer.IssuePending(catalog_, roster_, s);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    ASSERT_EQ(made->size(), 1u);
    EXPECT_EQ(plan_->credential_rows_read.load() - before, 0) << "issuing student " << s;
  }
  EXPECT_EQ(store_->Credentials(std::nullopt, district_)->size(), 60u);
}

TEST_F(CredentialIssuerTest, AFullListMovesOnToTheNext) {
  std::vector<Id> students = AddStudents(20, {"B1"});
  CredentialIssuer issuer = Issuer({.entries = 16, .fill_limit = 8, .probes = 64});
  std::vector<IssuedCredential> issued = IssueAll(issuer, students);
  ASSERT_EQ(issued.size(), 20u);
  std::map<int, int> per_list;
  for (const IssuedCredential& c : issued) {
    ++per_list[c.status_list];
    EXPECT_LT(c.status_index, 16);
    // The credential names its own list.
    const std::string list_url = std::string(kBase) + "/status/d1/revocation" +
                                 (c.status_list == 0 ? "" : "/" + std::to_string(c.status_list));
    EXPECT_EQ(StatusOf(c)["statusListCredential"], list_url);
    EXPECT_EQ(StatusOf(c)["statusListIndex"], std::to_string(c.status_index));
    EXPECT_EQ(StatusOf(c)["id"], list_url + "#" + std::to_string(c.status_index));
  }
  EXPECT_EQ(per_list, (std::map<int, int>{{0, 8}, {1, 8}, {2, 4}}));
  auto newest = store_->NewestStatusList(district_);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(newest->list, 2);
  EXPECT_EQ(newest->taken, 4);
}

TEST_F(CredentialIssuerTest, EntriesStayUniqueUnderManyIssues) {
  // Small lists so random positions collide often: 3/4 of 64 per list.
  std::vector<Id> students = AddStudents(100, {"B1", "B2"});
  CredentialIssuer issuer = Issuer({.entries = 64, .fill_limit = 48, .probes = 64});
  std::vector<IssuedCredential> issued = IssueAll(issuer, students);
  ASSERT_EQ(issued.size(), 200u);
  std::set<std::pair<int, std::int64_t>> entries;
  std::map<int, int> per_list;
  for (const IssuedCredential& c : issued) {
    EXPECT_TRUE(entries.insert({c.status_list, c.status_index}).second)
        << c.status_list << "#" << c.status_index;
    ++per_list[c.status_list];
  }
  for (const auto& [list, count] : per_list) EXPECT_LE(count, 48) << "list " << list;
  EXPECT_EQ(per_list.size(), 5u);  // 48 * 4 + 8
}

TEST_F(CredentialIssuerTest, PositionsAreRandomAndListZeroKeepsItsAddress) {
  std::vector<Id> students = AddStudents(30, {"B1"});
  CredentialIssuer issuer = Issuer();
  std::vector<IssuedCredential> issued = IssueAll(issuer, students);
  ASSERT_EQ(issued.size(), 30u);
  std::int64_t highest = 0;
  for (const IssuedCredential& c : issued) {
    EXPECT_EQ(c.status_list, 0);
    highest = std::max(highest, c.status_index);
    // Exactly the address credentials had before there were several lists.
    EXPECT_EQ(StatusOf(c)["statusListCredential"], "https://badges.test/status/d1/revocation");
  }
  EXPECT_GT(highest, 1000);  // not handed out in order (30 draws below 1000: p < 1e-45)
  auto list = issuer.StatusListCredential(roster_, district_);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ((*list)["id"], "https://badges.test/status/d1/revocation");
  EXPECT_EQ(issuer.StatusListCredential(roster_, district_, 1).status().code(),
            StatusCode::kNotFound);
}

TEST_F(CredentialIssuerTest, RevocationShowsInTheCredentialsOwnList) {
  std::vector<Id> students = AddStudents(10, {"B1"});
  CredentialIssuer issuer = Issuer({.entries = 16, .fill_limit = 4, .probes = 64});
  std::vector<IssuedCredential> issued = IssueAll(issuer, students);
  ASSERT_EQ(issued.size(), 10u);
  const IssuedCredential* revoked = nullptr;
  for (const IssuedCredential& c : issued) {
    if (c.status_list == 1 && !revoked) revoked = &c;
  }
  ASSERT_NE(revoked, nullptr);
  Award(revoked->student_id, "B1", AwardAction::kRevoked);

  std::map<int, json> lists;
  for (int list : {0, 1, 2}) {
    auto doc = issuer.StatusListCredential(roster_, district_, list);
    ASSERT_TRUE(doc.ok()) << list << " " << doc.status().ToString();
    lists[list] = *doc;
    // As a verifier dereferences it: by the URL the credentials name.
    auto by_url = issuer.StatusListAt(roster_, (*doc)["id"].get<std::string>());
    ASSERT_TRUE(by_url.ok()) << by_url.status().ToString();
    EXPECT_EQ((*by_url)["credentialSubject"], (*doc)["credentialSubject"]);
  }
  EXPECT_EQ(issuer.StatusListCredential(roster_, district_, 3).status().code(),
            StatusCode::kNotFound);
  EXPECT_FALSE(issuer.StatusListAt(roster_, "https://badges.test/status/d1/revocation/3").ok());
  EXPECT_FALSE(issuer.StatusListAt(roster_, "https://badges.test/status/d1/revocation/01").ok());
  EXPECT_FALSE(issuer.StatusListAt(roster_, "https://badges.test/status/d1/revocationx").ok());
  for (const IssuedCredential& c : issued) {
    auto bit = credentials::ReadCredentialStatus(StatusOf(c), lists[c.status_list]);
    ASSERT_TRUE(bit.ok()) << bit.status().ToString();
    EXPECT_EQ(*bit, &c == revoked) << c.status_list << "#" << c.status_index;
  }
  // The same bit in another list says nothing about this credential.
  for (int other : {0, 2}) {
    auto list = credentials::BitstringStatusList::Decode(
        lists[other]["credentialSubject"]["encodedList"].get<std::string>());
    ASSERT_TRUE(list.ok());
    EXPECT_FALSE(*list->Get(static_cast<std::size_t>(revoked->status_index)));
  }
  auto ob2 = issuer.Ob2RevocationList(roster_, district_);
  ASSERT_TRUE(ob2.ok());
  ASSERT_EQ((*ob2)["revokedAssertions"].size(), 1u) << ob2->dump();
  EXPECT_EQ((*ob2)["revokedAssertions"][0]["id"],
            "https://badges.test/ob2/assertions/" + revoked->uuid);
}

// Issue #11: a CPE crosswalked to CASE items gives the badge's Achievement
// one CFItem alignment per item, and the credential still verifies.
TEST_F(CredentialIssuerTest, CrosswalkedStandardsBecomeAlignmentsAndTheCredentialVerifies) {
  CaseFrameworkRecord framework;
  framework.document_identifier = "doc-1";
  framework.uri = "https://case.example.org/ims/case/v1p1/CFDocuments/doc-1";
  framework.title = "Sample State Mathematics Standards";
  framework.creator = "State";
  framework.version = "2025-06-01T12:00:00+00:00";
  framework.version_at = *ParseInstant("2025-06-01T12:00:00Z");
  framework.content_sha256 = "sha";
  framework.package = "{}";
  CaseItemRecord coded;
  coded.identifier = "item-1";
  coded.uri = "https://case.example.org/ims/case/v1p1/CFItems/item-1";
  coded.human_coding_scheme = "A-CED.1";
  coded.full_statement = "Write equations in one variable and solve them.";
  CaseItemRecord uncoded = coded;
  uncoded.identifier = "item-2";
  uncoded.uri = "https://case.example.org/ims/case/v1p1/CFItems/item-2";
  uncoded.human_coding_scheme = "";
  // Longer than a name: cut at a character, never inside one (é is 2 bytes).
  uncoded.full_statement = std::string(76, 'x') + "\xC3\xA9 and the rest of a long statement";
  uncoded.position = 1;
  ASSERT_TRUE(store_->InsertCaseFramework(framework, {coded, uncoded}, {}).ok());
  auto link = [](const std::string& cpe, const std::string& item) {
    CrosswalkFact f;
    f.cpe = cpe;
    f.item_identifier = item;
    f.at = 1767225600;
    f.source = "test";
    return f;
  };
  // B1.1 and B1.2 both link item-1 (listed once); B1.3 links item-2 and an
  // item no framework has (left out); B2.1 is another badge's.
  ASSERT_TRUE(store_
                  ->AppendCrosswalkFacts({link("B1.1", "item-1"), link("B1.2", "item-1"),
                                          link("B1.3", "item-2"), link("B1.3", "gone"),
                                          link("B2.1", "item-2")})
                  .ok());
  std::vector<Id> students = AddStudents(1, {"B1"});
  CredentialIssuer issuer = Issuer();
  std::vector<IssuedCredential> issued = IssueAll(issuer, students);
  ASSERT_EQ(issued.size(), 1u);
  const json credential = json::parse(issued[0].body);
  std::vector<json> standards;
  for (const json& a : credential["credentialSubject"]["achievement"]["alignment"]) {
    if (a["targetType"] == "CFItem") standards.push_back(a);
  }
  ASSERT_EQ(standards.size(), 2u) << credential["credentialSubject"]["achievement"].dump(2);
  EXPECT_EQ(standards[0],
            json({{"type", {"Alignment"}},
                  {"targetName", "A-CED.1"},
                  {"targetDescription", "Write equations in one variable and solve them."},
                  {"targetFramework", "Sample State Mathematics Standards"},
                  {"targetCode", "A-CED.1"},
                  {"targetType", "CFItem"},
                  {"targetUrl", "https://case.example.org/ims/case/v1p1/CFItems/item-1"}}));
  EXPECT_EQ(standards[1]["targetName"], std::string(76, 'x') + "...");
  EXPECT_FALSE(standards[1].contains("targetCode"));
  EXPECT_EQ(standards[1]["targetUrl"], "https://case.example.org/ims/case/v1p1/CFItems/item-2");

  VerifierHooks hooks;
  hooks.resolve_key = [&](std::string_view vm) { return issuer.ResolveKey(roster_, vm); };
  hooks.fetch_status_list = [&](std::string_view url) { return issuer.StatusListAt(roster_, url); };
  hooks.clock = [] { return 1767225600 + 60; };
  VerificationReport report = VerifyCredentialBytes(issued[0].body, hooks);
  EXPECT_TRUE(report.valid()) << report.ToJson().dump(2);
  // A changed alignment breaks the signature.
  json tampered = credential;
  for (json& a : tampered["credentialSubject"]["achievement"]["alignment"]) {
    if (a["targetType"] == "CFItem") a["targetCode"] = "A-CED.2";
  }
  EXPECT_FALSE(VerifyCredentialBytes(tampered.dump(), hooks).valid());
}

// Issue #12: signing a batch on several threads gives the credentials the
// one-thread path gives, apart from what is drawn at random (the uuid, the
// email hash's salt, the status entry) and the signature over those.
TEST_F(CredentialIssuerTest, ManyOnSeveralThreadsIssueWhatOneByOneIssues) {
  std::vector<Id> students = AddStudents(24, {"B1", "B2"});
  // A twin store with the same people and awards, issued one by one.
  auto twin_sqlite = SqliteStore::Open(":memory:");
  ASSERT_TRUE(twin_sqlite.ok());
  std::unique_ptr<Store> twin = std::move(twin_sqlite).value();
  ASSERT_EQ(*twin->InsertDistrict({0, "d1", "District One"}), district_);
  ASSERT_EQ(*twin->InsertSchool({0, "s1", district_, "School"}), school_);
  auto people = store_->LoadRoster();
  ASSERT_TRUE(people.ok());
  for (const Person& p : people->people) {
    Person copy = p;
    ASSERT_EQ(*twin->InsertPerson(copy), p.id);
    auto awards = store_->Awards(p.id);
    ASSERT_TRUE(awards.ok());
    for (const AwardFact& f : *awards) ASSERT_TRUE(twin->AppendAward(f).ok());
  }
  IssuerOptions options{kBase, [] { return 1767225600; }, {}};
  std::atomic<std::int64_t> signatures{0};
  options.signatures = &signatures;
  CredentialIssuer parallel(*store_, vault_, options);
  auto many = parallel.IssuePendingMany(catalog_, roster_, students, 4);
  ASSERT_TRUE(many.ok()) << many.status().ToString();
  ASSERT_EQ(many->size(), 48u);
  EXPECT_EQ(signatures.load(), 48);
  // Nothing left to issue.
  EXPECT_TRUE(parallel.IssuePendingMany(catalog_, roster_, students, 4)->empty());

  CredentialIssuer sequential(*twin, vault_, IssuerOptions{kBase, [] { return 1767225600; }, {}});
  std::map<std::pair<Id, std::string>, json> expected;
  for (Id s : students) {
    auto made = sequential.IssuePending(catalog_, roster_, s);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    for (const IssuedCredential& c : *made) expected[{s, c.badge_code}] = json::parse(c.body);
  }
  ASSERT_EQ(expected.size(), 48u);
  auto without_chance = [](json c) {
    c.erase("id");
    c.erase("credentialStatus");
    for (json& identifier : c["credentialSubject"]["identifier"]) {
      if (identifier.contains("salt")) identifier.erase("salt"), identifier.erase("identityHash");
    }
    for (json& proof : c["proof"]) proof.erase("proofValue");
    return c;
  };
  VerifierHooks hooks;
  hooks.resolve_key = [&](std::string_view vm) { return parallel.ResolveKey(roster_, vm); };
  hooks.fetch_status_list = [&](std::string_view url) {
    return parallel.StatusListAt(roster_, url);
  };
  hooks.clock = [] { return 1767225600 + 60; };
  std::set<std::pair<int, std::int64_t>> entries;
  for (const IssuedCredential& c : *many) {
    EXPECT_TRUE(entries.insert({c.status_list, c.status_index}).second);
    const json body = json::parse(c.body);
    EXPECT_EQ(StatusOf(c)["statusListIndex"], std::to_string(c.status_index));
    EXPECT_EQ(without_chance(body), without_chance(expected[{c.student_id, c.badge_code}]))
        << c.student_id << " " << c.badge_code;
    VerificationReport report = VerifyCredentialBytes(c.body, hooks);
    EXPECT_TRUE(report.valid()) << report.ToJson().dump(2);
  }
}

// Within one batch no credential is inserted before all are signed: the
// entries handed out must still be unique and fill lists in turn.
TEST_F(CredentialIssuerTest, OneBatchFillsListsInTurnWithUniqueEntries) {
  std::vector<Id> students = AddStudents(40, {"B1", "B2"});
  CredentialIssuer issuer = Issuer({.entries = 64, .fill_limit = 16, .probes = 64});
  auto made = issuer.IssuePendingMany(catalog_, roster_, students, 2);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_EQ(made->size(), 80u);
  std::set<std::pair<int, std::int64_t>> entries;
  std::map<int, int> per_list;
  for (const IssuedCredential& c : *made) {
    EXPECT_TRUE(entries.insert({c.status_list, c.status_index}).second)
        << c.status_list << "#" << c.status_index;
    ++per_list[c.status_list];
  }
  EXPECT_EQ(per_list, (std::map<int, int>{{0, 16}, {1, 16}, {2, 16}, {3, 16}, {4, 16}}));
}

// Issue #12: a status list is signed once per change of the ledger, not
// once per fetch; a revocation gives a fresh list on the next fetch.
TEST_F(CredentialIssuerTest, StatusListIsKeptUntilARevocation) {
  std::vector<Id> students = AddStudents(4, {"B1"});
  StatusListCache cache;
  std::atomic<std::int64_t> signatures{0};
  Instant now = 1767225600;
  IssuerOptions options{kBase, [&now] { return now; }, {}};
  options.status_list_cache = &cache;
  options.signatures = &signatures;
  CredentialIssuer issuer(*store_, vault_, options);
  std::vector<IssuedCredential> issued = IssueAll(issuer, students);
  ASSERT_EQ(issued.size(), 4u);
  const std::int64_t after_issuing = signatures.load();

  auto first = issuer.StatusListCredential(roster_, district_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(signatures.load(), after_issuing + 1);
  now += 60;  // a fresh signature would carry another time
  auto second = issuer.StatusListCredential(roster_, district_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->dump(), first->dump());
  EXPECT_EQ(signatures.load(), after_issuing + 1);
  // Another issuer over the same cache (the next request) finds it too.
  CredentialIssuer next_request(*store_, vault_, options);
  EXPECT_EQ(next_request.StatusListCredential(roster_, district_)->dump(), first->dump());
  EXPECT_EQ(signatures.load(), after_issuing + 1);
  EXPECT_EQ(issuer.StatusListCredential(roster_, district_, 1).status().code(),
            StatusCode::kNotFound);

  Award(issued[2].student_id, "B1", AwardAction::kRevoked);
  auto third = issuer.StatusListCredential(roster_, district_);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(signatures.load(), after_issuing + 2);
  EXPECT_NE(third->dump(), first->dump());
  for (const IssuedCredential& c : issued) {
    EXPECT_EQ(*credentials::ReadCredentialStatus(StatusOf(c), *third), &c == &issued[2]);
    EXPECT_FALSE(*credentials::ReadCredentialStatus(StatusOf(c), *first));
  }
  EXPECT_EQ(issuer.StatusListCredential(roster_, district_)->dump(), third->dump());
  EXPECT_EQ(signatures.load(), after_issuing + 2);
  // A new key re-signs the list with it.
  ASSERT_TRUE(issuer.RotateKey(district_).ok());
  auto rotated = issuer.StatusListCredential(roster_, district_);
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(signatures.load(), after_issuing + 3);
  EXPECT_EQ((*rotated)["proof"][0]["verificationMethod"],
            std::string(kBase) + "/issuers/d1/keys/key-2");
}

}  // namespace
}  // namespace cairn
