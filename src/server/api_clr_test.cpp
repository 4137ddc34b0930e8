// Issue #14: a student's CLR is signed again only when what it holds
// changes; the same content is the same document (same id, same bytes),
// each version issued is kept in the journal, and a new one (a revoked
// badge dropped) gets a new id.
#include <gtest/gtest.h>

#include "credentials/clr_versions.h"
#include "credentials/credential_issuer.h"
#include "credentials/data_integrity.h"
#include "credentials/key_vault.h"
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

class ApiClrTest : public ApiTest {
 protected:
  HttpResponse Clr(const Login& who) {
    return Call("GET", "/api/v1/students/student-00001/clr", "", who);
  }
  std::size_t Versions() {
    auto store = SqliteStore::Open(g_db);
    EXPECT_TRUE(store.ok());
    auto student = (*store)->FindPerson("student-00001");
    auto entries = (*store)->StudentJournal((**student).id, kClrStream);
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? entries->size() : 0;
  }
};

TEST_F(ApiClrTest, TheSameContentIsTheSameSignedClrAndANewVersionGetsANewId) {
  Login student = SignIn("student-00001");
  const std::size_t before = Versions();
  HttpResponse first = Clr(student);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Versions(), before + 1);
  // Another reader, later: the very same document, nothing new recorded.
  HttpResponse again = Clr(SignIn("teacher-001"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(Versions(), before + 1);
  const json clr = Body(first);
  const std::string id = clr["id"];
  EXPECT_EQ(id.rfind("urn:uuid:", 0), 0u);
  EXPECT_EQ(id[23], '8');  // RFC 9562 version 8: named by its content
  // Signed with the district's key, resolved as a verifier would.
  auto store = SqliteStore::Open(g_db);
  ASSERT_TRUE(store.ok());
  auto roster = (*store)->LoadRoster();
  ASSERT_TRUE(roster.ok());
  auto vault = KeyVault::Open(DefaultMasterKeyPath(g_db));
  ASSERT_TRUE(vault.ok()) << vault.status().ToString();
  CredentialIssuer issuer(**store, *vault, IssuerOptions{"https://badges.test", SystemClock()});
  auto report =
      credentials::DataIntegrity(SharedJsonLdProcessor()).Verify(clr, [&](std::string_view m) {
        return issuer.ResolveKey(*roster, m);
      });
  EXPECT_TRUE(report.verified()) << report.ToStatus().ToString();

  // A badge revoked: the next CLR leaves it out, under a new id.
  const json held = clr["credentialSubject"]["verifiableCredential"];
  ASSERT_GE(held.size(), 2u);
  const std::string code = held[0]["credentialSubject"]["achievement"]["humanCode"];
  HttpResponse revoke =
      Call("POST", "/api/v1/students/student-00001/badges/" + code + "/award",
           json{{"action", "revoke"}, {"reason", "recorded in error"}}.dump(), SignIn("admin"));
  ASSERT_EQ(revoke.status, 200) << revoke.body;
  HttpResponse next = Clr(student);
  ASSERT_EQ(next.status, 200) << next.body;
  const json updated = Body(next);
  EXPECT_NE(updated["id"], clr["id"]);
  EXPECT_EQ(updated["credentialSubject"]["verifiableCredential"].size(), held.size() - 1);
  EXPECT_EQ(Versions(), before + 2);
  EXPECT_EQ(Clr(student).body, next.body);
}

}  // namespace
}  // namespace cairn
