// Issue #14: a student's credential into their own wallet through the VC-API
// exchange (credentials/wallet_exchange.h), end to end through the API, with
// a holder DID made here from a test key: the offer, the presentation
// request, the holder's proof of control, the copy bound to the holder's
// DID, and what must be refused (a proof for another challenge or by
// another key, a second use, an expired offer, a revoked award).
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "credentials/credential_issuer.h"
#include "credentials/data_integrity.h"
#include "credentials/multibase.h"
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

constexpr const char* kBase = "https://badges.test";

// A wallet's key: Ed25519 from a fixed seed, as did:key.
struct Holder {
  credentials::Ed25519KeyPair pair;
  std::string did;
  std::string method;

  explicit Holder(std::uint8_t fill) {
    multibase::Ed25519Seed seed{};
    seed.fill(fill);
    pair = credentials::Ed25519KeyPair::FromSeed(seed);
    const std::string key = multibase::EncodeMultikeyEd25519Public(pair.public_key);
    did = "did:key:" + key;
    method = did + "#" + key;
  }

  // A DIDAuthentication presentation for `challenge`, as a wallet signs it.
  json Present(const std::string& challenge, const std::string& domain = kBase,
               const std::string& holder = "") const {
    json vp{{"@context", json::array({"https://www.w3.org/ns/credentials/v2"})},
            {"type", json::array({"VerifiablePresentation"})},
            {"holder", holder.empty() ? did : holder}};
    credentials::ProofOptions options;
    options.verification_method = method;
    options.created = "2026-12-06T10:00:00Z";
    options.proof_purpose = "authentication";
    options.challenge = challenge;
    options.domain = domain;
    auto signed_vp = credentials::DataIntegrity(SharedJsonLdProcessor()).Sign(vp, options, pair);
    EXPECT_TRUE(signed_vp.ok()) << signed_vp.status().ToString();
    return signed_vp.ok() ? json{{"verifiablePresentation", *signed_vp}} : json();
  }
};

class ApiWalletTest : public ApiTest {
 protected:
  // The student's first valid credential (its summary).
  json FirstCredential(const Login& student) {
    const json list = Body(Call("GET", "/api/v1/students/student-00001/credentials", "", student));
    for (const json& c : list["credentials"]) {
      if (c["status"] == "valid") return c;
    }
    ADD_FAILURE() << "no valid credential: " << list.dump();
    return json();
  }

  json Offer(const Login& student, const std::string& uuid) {
    HttpResponse r = Call("POST", "/api/v1/credentials/" + uuid + "/wallet-offer", "{}", student);
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r);
  }

  // The exchange URL's path on this server, as the wallet reaches it.
  static std::string PathOf(const std::string& url) {
    EXPECT_EQ(url.rfind(kBase, 0), 0u) << url;
    return url.substr(std::string(kBase).size());
  }

  HttpResponse Post(const std::string& path, const json& body) {
    return Call("POST", path, body.dump(), std::nullopt);
  }

  std::string Verify(const json& credential) {
    HttpResponse r = Call("POST", "/api/v1/verify", credential.dump(), std::nullopt);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r).value("status", "");
  }
};

TEST_F(ApiWalletTest, AWalletProvingItsDidGetsACopyBoundToItThatVerifies) {
  Login student = SignIn("student-00001");
  const json summary = FirstCredential(student);
  const std::string uuid = summary["uuid"];
  const json offer = Offer(student, uuid);
  const std::string url = offer["exchange_url"];
  EXPECT_EQ(url.rfind(std::string(kBase) + "/issuers/district-demo/exchanges/", 0), 0u) << url;
  EXPECT_EQ(offer["interaction"]["protocols"]["vcapi"], url);
  EXPECT_EQ(offer["interaction"]["credentialRequestOrigin"], kBase);
  const std::string link = offer["deep_link"];
  EXPECT_EQ(link.rfind("https://lcw.app/request.html?request=%7B%22", 0), 0u) << link;
  EXPECT_EQ(offer["qr_svg"].get<std::string>().rfind("<svg", 0), 0u);

  // Step 2: the wallet asks what to prove.
  HttpResponse request = Post(PathOf(url), json::object());
  ASSERT_EQ(request.status, 200) << request.body;
  const json vpr = Body(request)["verifiablePresentationRequest"];
  EXPECT_EQ(vpr["query"][0]["type"], "DIDAuthentication");
  EXPECT_EQ(vpr["domain"], kBase);
  const std::string challenge = vpr["challenge"];
  EXPECT_GE(challenge.size(), 20u);

  // Step 3: the proof of control, and the bound copy.
  Holder holder(7);
  HttpResponse delivered = Post(PathOf(url), holder.Present(challenge));
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  const json vp = Body(delivered)["verifiablePresentation"];
  EXPECT_EQ(vp["holder"], holder.did);
  ASSERT_EQ(vp["verifiableCredential"].size(), 1u);
  const json copy = vp["verifiableCredential"][0];
  EXPECT_EQ(copy["credentialSubject"]["id"], holder.did);
  EXPECT_NE(copy["id"], "urn:uuid:" + uuid);
  const json original = Body(Call("GET", "/api/v1/credentials/" + uuid, "", student));
  const json stored = original.contains("credential") ? original["credential"] : original;
  EXPECT_EQ(copy["credentialStatus"], stored["credentialStatus"]) << original.dump();
  EXPECT_EQ(copy["credentialSubject"]["achievement"]["id"],
            stored["credentialSubject"]["achievement"]["id"]);
  // The email-hash identity stays for platforms that match on it.
  EXPECT_EQ(copy["credentialSubject"]["identifier"], stored["credentialSubject"]["identifier"]);
  EXPECT_EQ(Verify(copy), "valid");

  // One use only: a second wallet (or a replay) is refused.
  HttpResponse again = Post(PathOf(url), Holder(8).Present(challenge));
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Post(PathOf(url), json::object()).status, 409);
}

TEST_F(ApiWalletTest, AProofThatDoesNotAnswerTheRequestIsRefusedAndTheOfferStands) {
  Login student = SignIn("student-00001");
  const json offer = Offer(student, FirstCredential(student)["uuid"]);
  const std::string path = PathOf(offer["exchange_url"]);
  const std::string challenge =
      Body(Post(path, json::object()))["verifiablePresentationRequest"]["challenge"];
  Holder holder(7);
  auto refused = [&](const json& body, const std::string& field) {
    HttpResponse r = Post(path, body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(Body(r)["error"]["field"], field) << r.body;
  };
  refused(holder.Present("another-challenge"), "verifiablePresentation.proof.challenge");
  refused(holder.Present(challenge, "https://elsewhere.test"),
          "verifiablePresentation.proof.domain");
  refused(holder.Present(challenge, kBase, Holder(9).did), "verifiablePresentation.holder");
  json unsigned_vp = holder.Present(challenge);
  unsigned_vp["verifiablePresentation"].erase("proof");
  refused(unsigned_vp, "verifiablePresentation.proof");
  json tampered = holder.Present(challenge);
  tampered["verifiablePresentation"]["proof"]["created"] = "2026-12-06T10:00:01Z";
  refused(tampered, "verifiablePresentation.proof");
  refused(json{{"verifiablePresentation", "text"}}, "verifiablePresentation");
  EXPECT_EQ(Call("POST", path, "[1]", std::nullopt).status, 400);
  // None of that used the offer up.
  HttpResponse ok = Post(path, holder.Present(challenge));
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(ApiWalletTest, UnknownOrForeignExchangesAreNotFound) {
  Login student = SignIn("student-00001");
  const json offer = Offer(student, FirstCredential(student)["uuid"]);
  const std::string path = PathOf(offer["exchange_url"]);
  const std::string secret = path.substr(path.rfind('/') + 1);
  EXPECT_EQ(Post("/issuers/district-demo/exchanges/x" + secret, json::object()).status, 404);
  // The same secret under another district's issuer is not this offer.
  EXPECT_EQ(Post("/issuers/district-2/exchanges/" + secret, json::object()).status, 404);
  EXPECT_EQ(Post("/issuers/no-such/exchanges/" + secret, json::object()).status, 404);
}

TEST_F(ApiWalletTest, RevokingTheAwardRevokesTheWalletCopyAndRefusesNewOffers) {
  Login student = SignIn("student-00001");
  const json summary = FirstCredential(student);
  const json offer = Offer(student, summary["uuid"]);
  const std::string path = PathOf(offer["exchange_url"]);
  const std::string challenge =
      Body(Post(path, json::object()))["verifiablePresentationRequest"]["challenge"];
  HttpResponse delivered = Post(path, Holder(7).Present(challenge));
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  const json copy = Body(delivered)["verifiablePresentation"]["verifiableCredential"][0];
  ASSERT_EQ(Verify(copy), "valid");

  Login admin = SignIn("admin");
  HttpResponse revoke = Call(
      "POST",
      "/api/v1/students/student-00001/badges/" + summary["badge"].get<std::string>() + "/award",
      json{{"action", "revoke"}, {"reason", "recorded in error"}}.dump(), admin);
  ASSERT_EQ(revoke.status, 200) << revoke.body;
  EXPECT_EQ(Verify(copy), "revoked");
  HttpResponse late =
      Call("POST", "/api/v1/credentials/" + summary["uuid"].get<std::string>() + "/wallet-offer",
           "{}", student);
  EXPECT_EQ(late.status, 409) << late.body;
}

TEST_F(ApiWalletTest, AnOfferExpiresAfterAQuarterOfAnHour) {
  std::atomic<Instant> now{SystemClock()()};
  ApiOptions options;
  options.db_path = g_db;
  options.public_url = kBase;
  options.clock = [&now] { return now.load(); };
  api_ = std::make_unique<Api>(options);
  Login student = SignIn("student-00001");
  const json offer = Offer(student, FirstCredential(student)["uuid"]);
  const std::string path = PathOf(offer["exchange_url"]);
  const std::string challenge =
      Body(Post(path, json::object()))["verifiablePresentationRequest"]["challenge"];
  now += 15 * 60;
  HttpResponse late = Post(path, Holder(7).Present(challenge));
  EXPECT_EQ(late.status, 410) << late.body;
  EXPECT_EQ(Body(late)["error"]["field"], "exchange");
  api_.reset();  // before `now` goes out of scope
}

}  // namespace
}  // namespace cairn
