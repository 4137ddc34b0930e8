#include "credentials/verifier.h"

#include "common/json_limits.h"

#include <tuple>

#include "credentials/baking.h"
#include "credentials/credential_issuer.h"
#include "credentials/data_integrity.h"
#include "credentials/key_revocation.h"
#include "credentials/status_list.h"
#include "credentials/vc_jwt.h"

namespace cairn {
namespace {

using json = nlohmann::json;

bool HasType(const json& node, std::string_view type) {
  if (!node.is_object() || !node.contains("type")) return false;
  const json& t = node["type"];
  if (t.is_string()) return t.get<std::string>() == type;
  if (!t.is_array()) return false;
  for (const json& v : t) {
    if (v.is_string() && v.get<std::string>() == type) return true;
  }
  return false;
}

std::string StringAt(const json& node, const char* key) {
  if (!node.is_object()) return "";
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : "";
}

void Add(VerificationReport& r, const char* check, bool ok, std::string message) {
  r.checks.push_back({check, ok, std::move(message)});
}

VerificationReport Fail(VerificationReport r, const char* check, std::string why,
                        const char* status = "invalid") {
  Add(r, check, false, why);
  r.status = status;
  r.reason = std::move(why);
  return r;
}

// Who earned what, when, from whom: what a person reads first.
json Summary(const json& credential) {
  json out = json::object();
  out["name"] = StringAt(credential, "name");
  const json& issuer = credential.contains("issuer") ? credential["issuer"] : json();
  if (issuer.is_string()) {
    out["issuer"] = {{"id", issuer.get<std::string>()}, {"name", ""}};
  } else {
    out["issuer"] = {{"id", StringAt(issuer, "id")}, {"name", StringAt(issuer, "name")}};
  }
  const json subject =
      credential.contains("credentialSubject") ? credential["credentialSubject"] : json::object();
  std::string earner;
  if (subject.contains("identifier") && subject["identifier"].is_array()) {
    for (const json& id : subject["identifier"]) {
      if (StringAt(id, "identityType") == "name" && !id.value("hashed", true)) {
        earner = StringAt(id, "identityHash");
      }
    }
  }
  out["earner"] = earner;
  out["awarded"] = StringAt(credential, "awardedDate");
  out["valid_from"] = !StringAt(credential, "validFrom").empty()
                          ? StringAt(credential, "validFrom")
                          : StringAt(credential, "issuanceDate");
  if (std::string until = StringAt(credential, "validUntil"); !until.empty()) {
    out["valid_until"] = until;
  } else if (std::string exp = StringAt(credential, "expirationDate"); !exp.empty()) {
    out["valid_until"] = exp;
  }
  const json achievement = subject.contains("achievement") ? subject["achievement"] : json();
  json criteria = achievement.is_object() && achievement.contains("criteria")
                      ? achievement["criteria"]
                      : json::object();
  out["badge"] = {{"code", StringAt(achievement, "humanCode")},
                  {"name", StringAt(achievement, "name")},
                  {"description", StringAt(achievement, "description")},
                  {"criteria", StringAt(criteria, "narrative")}};
  // Results: resolve the description and level ids to their names.
  json results = json::array();
  if (subject.contains("result") && subject["result"].is_array() && achievement.is_object()) {
    for (const json& r : subject["result"]) {
      std::string cpe = StringAt(r, "resultDescription"), level = StringAt(r, "achievedLevel");
      if (achievement.contains("resultDescription")) {
        for (const json& rd : achievement["resultDescription"]) {
          if (StringAt(rd, "id") != cpe) continue;
          const std::string level_id = level;
          cpe = StringAt(rd, "name");
          if (rd.contains("rubricCriterionLevel")) {
            for (const json& l : rd["rubricCriterionLevel"]) {
              if (StringAt(l, "id") == level_id) level = StringAt(l, "name");
            }
          }
        }
      }
      results.push_back({{"cpe", cpe}, {"level", level}});
    }
  }
  out["results"] = std::move(results);
  return out;
}

// The public key of a proof's verification method: a did:key carries it;
// any other method goes to the caller's resolver. `hooks` must outlive the
// resolver.
credentials::KeyResolver KeyResolverFor(const VerifierHooks& hooks) {
  return [&hooks](std::string_view method) -> Result<multibase::Ed25519PublicKey> {
    if (method.rfind("did:key:", 0) == 0) return credentials::ResolveDidKey(method);
    if (!hooks.resolve_key) return Status::NotFound("no key resolver");
    return hooks.resolve_key(method);
  };
}

// Dates and status once the proof is good.
void CheckDatesAndStatus(VerificationReport& r, const json& credential,
                         const VerifierHooks& hooks) {
  const Instant now = hooks.clock ? hooks.clock() : 0;
  const std::string from = !StringAt(credential, "validFrom").empty()
                               ? StringAt(credential, "validFrom")
                               : StringAt(credential, "issuanceDate");
  const std::string until = !StringAt(credential, "validUntil").empty()
                                ? StringAt(credential, "validUntil")
                                : StringAt(credential, "expirationDate");
  if (!from.empty()) {
    auto at = credentials::ParseDateTime(from);
    if (!at.ok()) {
      r = Fail(r, "dates", "validFrom is not a date-time: " + from);
      return;
    }
    if (*at > now + 300) {
      r = Fail(r, "dates", "not valid until " + from, "not_yet_valid");
      return;
    }
  }
  if (!until.empty()) {
    auto at = credentials::ParseDateTime(until);
    if (!at.ok()) {
      r = Fail(r, "dates", "validUntil is not a date-time: " + until);
      return;
    }
    if (*at <= now) {
      r = Fail(r, "dates", "expired on " + until, "expired");
      return;
    }
  }
  Add(r, "dates", true,
      until.empty() ? "valid from " + from + ", no expiry"
                    : "valid from " + from + " until " + until);

  if (!credential.contains("credentialStatus")) {
    Add(r, "status", true, "the issuer publishes no revocation status for this credential");
    return;
  }
  const json& status = credential["credentialStatus"];
  const std::string list_url = StringAt(status, "statusListCredential");
  if (list_url.empty() || !hooks.fetch_status_list) {
    r = Fail(r, "status", "the revocation status cannot be checked", "unverifiable");
    return;
  }
  auto list = hooks.fetch_status_list(list_url);
  if (!list.ok()) {
    r = Fail(r, "status",
             "the status list " + list_url + " is unavailable: " + list.status().message(),
             "unverifiable");
    return;
  }
  credentials::DataIntegrity suite(SharedJsonLdProcessor());
  const credentials::KeyResolver resolver = KeyResolverFor(hooks);
  if (auto report = suite.Verify(*list, resolver); !report.verified()) {
    r = Fail(r, "status",
             "the status list's signature does not verify: " + report.ToStatus().message());
    return;
  }
  auto revoked = credentials::ReadCredentialStatus(status, *list);
  if (!revoked.ok()) {
    r = Fail(r, "status", "the status entry cannot be read: " + revoked.status().message());
    return;
  }
  if (*revoked) {
    std::string why = "revoked by the issuer";
    if (hooks.revocation_reason) {
      if (auto reason = hooks.revocation_reason(StringAt(credential, "id"));
          reason && !reason->empty()) {
        why += ": " + *reason;
      }
    }
    r = Fail(r, "status", why, "revoked");
    return;
  }
  Add(r, "status", true, "not revoked (checked against " + list_url + ")");
}

// The OB 3.0 data model's required types, node by node (what its JSON
// Schema checks first), so a malformed credential fails for what is wrong
// with it rather than later as a bad signature.
std::string ShapeProblem(const json& credential) {
  if (!HasType(credential, "VerifiableCredential") ||
      !(HasType(credential, "OpenBadgeCredential") ||
        HasType(credential, "AchievementCredential"))) {
    return "not an Open Badges 3.0 credential (type must include VerifiableCredential and "
           "OpenBadgeCredential)";
  }
  const json context = credential.value("@context", json());
  bool ob_context = false;
  if (context.is_array() && !context.empty()) {
    const std::string first = context[0].is_string() ? context[0].get<std::string>() : "";
    if (first != "https://www.w3.org/ns/credentials/v2" &&
        first != "https://www.w3.org/2018/credentials/v1") {
      return "@context must begin with the W3C credentials context";
    }
    for (const json& c : context) {
      ob_context |= c.is_string() &&
                    c.get<std::string>().rfind("https://purl.imsglobal.org/spec/ob/v3p0/", 0) == 0;
    }
  }
  if (!ob_context) return "@context lacks the Open Badges 3.0 context";
  auto each = [](const json& node, const char* key, const char* type) -> std::string {
    if (!node.is_object() || !node.contains(key)) return "";
    const json& value = node[key];
    const json items = value.is_array() ? value : json::array({value});
    for (const json& item : items) {
      if (item.is_object() && !HasType(item, type)) {
        return std::string(key) + ": type must include " + type;
      }
    }
    return "";
  };
  const json issuer = credential.value("issuer", json());
  if (!(issuer.is_string() || (issuer.is_object() && issuer.contains("id")))) {
    return "issuer is missing";
  }
  if (issuer.is_object() && !HasType(issuer, "Profile")) return "issuer: type must include Profile";
  for (auto [node, key, type] : {std::tuple{&issuer, "otherIdentifier", "IdentifierEntry"},
                                 std::tuple{&issuer, "parentOrg", "Profile"}}) {
    if (std::string problem = each(*node, key, type); !problem.empty()) return "issuer." + problem;
  }
  const json subject = credential.value("credentialSubject", json());
  if (!subject.is_object() || !HasType(subject, "AchievementSubject")) {
    return "credentialSubject: type must include AchievementSubject";
  }
  if (!subject.contains("achievement") || !subject["achievement"].is_object()) {
    return "credentialSubject.achievement is missing";
  }
  const json& achievement = subject["achievement"];
  if (!HasType(achievement, "Achievement")) {
    return "credentialSubject.achievement: type must include Achievement";
  }
  for (auto [key, type] :
       {std::pair{"identifier", "IdentityObject"}, {"source", "Profile"}, {"result", "Result"}}) {
    if (std::string problem = each(subject, key, type); !problem.empty()) {
      return "credentialSubject." + problem;
    }
  }
  if (std::string problem = each(achievement, "resultDescription", "ResultDescription");
      !problem.empty()) {
    return "credentialSubject.achievement." + problem;
  }
  if (std::string problem = each(credential, "evidence", "Evidence"); !problem.empty()) {
    return problem;
  }
  return "";
}

void CheckShape(VerificationReport& r, const json& credential) {
  if (std::string problem = ShapeProblem(credential); !problem.empty()) {
    r = Fail(r, "shape", problem);
    return;
  }
  Add(r, "shape", true, "an Open Badges 3.0 credential");
}

// Why a proof made with a revoked key is refused; empty when its key was
// not revoked or the proof was created before the revocation.
std::string RevokedKeyProblem(const json& credential, const std::string& method,
                              const VerifierHooks& hooks) {
  if (!hooks.key_revoked_at || method.empty()) return "";
  const std::optional<Instant> revoked = hooks.key_revoked_at(method);
  if (!revoked) return "";
  std::string created;
  const json& proofs = credential["proof"];
  const json& proof = proofs.is_array() && !proofs.empty() ? proofs[0] : proofs;
  if (proof.is_object() && proof.contains("created") && proof["created"].is_string()) {
    created = proof["created"].get<std::string>();
  }
  if (!SignedAfterRevocation(created, *revoked)) return "";
  return "signed with " + method + (created.empty() ? "" : " at " + created) +
         ", a key its issuer revoked as compromised from " + FormatInstant(*revoked);
}

VerificationReport VerifyJsonCredential(VerificationReport r, const json& credential,
                                        const VerifierHooks& hooks) {
  r.credential = credential;
  r.summary = Summary(credential);
  CheckShape(r, credential);
  if (r.status == "invalid" && !r.reason.empty()) return r;
  if (!credential.contains("proof")) return Fail(r, "proof", "the credential carries no proof");
  credentials::DataIntegrity suite(SharedJsonLdProcessor());
  const credentials::KeyResolver resolver = KeyResolverFor(hooks);
  credentials::VerifyReport report = suite.Verify(credential, resolver);
  if (!report.verified()) {
    bool unknown_key = !report.proofs.empty() &&
                       report.proofs.front().failure == credentials::ProofFailure::kUnknownKey;
    const std::string message = report.ToStatus().message();
    return Fail(r, "proof",
                unknown_key ? "the issuer's key could not be found: " + message
                            : "the signature does not match the content (" + message + ")",
                unknown_key ? "unverifiable" : "invalid");
  }
  if (std::string refused =
          RevokedKeyProblem(credential, report.proofs.front().verification_method, hooks);
      !refused.empty()) {
    return Fail(r, "proof", refused);
  }
  Add(r, "proof", true,
      "signed by " + report.proofs.front().verification_method + " (" +
          (report.proofs.front().cryptosuite.empty() ? report.proofs.front().type
                                                     : report.proofs.front().cryptosuite) +
          ")");
  CheckDatesAndStatus(r, credential, hooks);
  if (r.reason.empty()) r.status = "valid";
  return r;
}

VerificationReport VerifyJwt(VerificationReport r, std::string_view jwt,
                             const VerifierHooks& hooks) {
  auto header = credentials::PeekJwsHeader(jwt);
  if (!header.ok()) return Fail(r, "format", "not a readable JWT: " + header.status().message());
  json jwk;
  const bool has_jwk = header->contains("jwk") && (*header)["jwk"].is_object();
  const std::string kid = StringAt(*header, "kid");
  // The issuer's published key first: a key carried in the token proves
  // integrity only, so when both are there they must be the same key.
  Result<json> published = Status::NotFound("no kid");
  if (!kid.empty() && hooks.resolve_jwk) published = hooks.resolve_jwk(kid);
  if (published.ok()) {
    jwk = *published;
    if (has_jwk) {
      const json& carried = (*header)["jwk"];
      for (const char* member : {"kty", "crv", "x", "y", "n", "e"}) {
        if (carried.value(member, json()) != jwk.value(member, json())) {
          return Fail(r, "proof", "the key in the JWT header is not the issuer's key " + kid);
        }
      }
    }
  } else if (has_jwk) {
    // Anyone can sign a token and carry their own key in it: without the
    // issuer's published key the signer is unknown, whatever the claims say.
    return Fail(r, "proof",
                "the JWT carries its own key, and the issuer's published key " +
                    (kid.empty() ? std::string("is not named") : kid + " could not be found") +
                    ": who signed it cannot be confirmed",
                "unverifiable");
  } else if (kid.empty() || !hooks.resolve_jwk) {
    return Fail(r, "proof", "the JWT names no key that can be found", "unverifiable");
  } else {
    return Fail(r, "proof", "the issuer's key " + kid + " could not be found", "unverifiable");
  }
  auto key = credentials::VerificationKey::FromJwk(jwk);
  if (!key.ok()) return Fail(r, "proof", "the issuer's key is unusable: " + key.status().message());
  // Dates are judged below with reasons; the JWT layer checks the signature.
  auto verified =
      credentials::VerifyCredentialJwt(jwt, *key, hooks.clock ? hooks.clock() : 0, 1LL << 40);
  if (!verified.ok()) {
    return Fail(r, "proof", "the JWT signature does not verify: " + verified.status().message());
  }
  r.credential = verified->credential;
  r.summary = Summary(verified->credential);
  if (hooks.key_revoked_at && !kid.empty()) {
    // A JWT's signing time is its iat; without one it counts as signed
    // after (Cairn signs JWTs on request, so a holder fetches a new one).
    if (std::optional<Instant> revoked = hooks.key_revoked_at(kid)) {
      const json& claims = verified->claims;
      const bool has_iat = claims.contains("iat") && claims["iat"].is_number_integer();
      if (!has_iat || claims["iat"].get<Instant>() >= *revoked) {
        return Fail(r, "proof",
                    "signed with " + kid + ", a key its issuer revoked as compromised from " +
                        FormatInstant(*revoked));
      }
    }
  }
  Add(r, "proof", true,
      "JWT signed with " + StringAt(*header, "alg") + " key " + StringAt(*header, "kid"));
  CheckShape(r, verified->credential);
  if (!r.reason.empty()) return r;
  CheckDatesAndStatus(r, verified->credential, hooks);
  if (r.reason.empty()) r.status = "valid";
  return r;
}

VerificationReport VerifyOb2(VerificationReport r, const json& assertion, std::string url,
                             const VerifierHooks& hooks) {
  r.credential = assertion;
  if (url.empty()) url = StringAt(assertion, "id");
  if (!hooks.fetch_ob2_assertion) {
    return Fail(r, "proof", "hosted 2.0 assertions are verified by fetching them from the issuer",
                "unverifiable");
  }
  auto hosted = hooks.fetch_ob2_assertion(url);
  if (!hosted.ok()) {
    const bool revoked = hosted.status().code() == StatusCode::kFailedPrecondition;
    return Fail(r, "status", hosted.status().message(), revoked ? "revoked" : "unverifiable");
  }
  if (assertion.is_object() && !assertion.empty() &&
      StringAt(*hosted, "id") != StringAt(assertion, "id")) {
    return Fail(r, "proof", "the hosted assertion does not match the baked one");
  }
  r.credential = *hosted;
  r.summary = {{"name", StringAt(*hosted, "badge")},
               {"issuer", {{"id", ""}, {"name", ""}}},
               {"earner", ""},
               {"awarded", StringAt(*hosted, "issuedOn")},
               {"valid_from", StringAt(*hosted, "issuedOn")},
               {"badge", {{"name", StringAt(*hosted, "badge")}}},
               {"results", json::array()}};
  Add(r, "proof", true, "hosted by its issuer at " + url);
  Add(r, "status", true, "not on the issuer's revocation list");
  r.status = "valid";
  return r;
}

}  // namespace

json VerificationReport::ToJson() const {
  json checks_json = json::array();
  for (const VerificationCheck& c : checks) {
    checks_json.push_back({{"check", c.check}, {"ok", c.ok}, {"message", c.message}});
  }
  json out{{"valid", valid()},      {"status", status},         {"format", format},
           {"checks", checks_json}, {"credential", credential}, {"summary", summary}};
  if (!reason.empty()) out["reason"] = reason;
  return out;
}

VerificationReport VerifyCredentialBytes(std::string_view bytes, const VerifierHooks& hooks) {
  VerificationReport r;
  std::string payload(bytes);
  std::string carrier;
  bool ob2 = false;
  const bool png = bytes.size() >= 8 && bytes.substr(1, 3) == "PNG";
  std::size_t first = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const bool svg = !png && first != std::string_view::npos && bytes[first] == '<';
  if (png || svg) {
    auto baked = credentials::ExtractBakedCredential(bytes);
    if (!baked.ok()) {
      return Fail(r, "format", std::string(png ? "PNG" : "SVG") + ": " + baked.status().message());
    }
    payload = baked->payload;
    ob2 = baked->version == credentials::BadgeVersion::kOb20;
    carrier = png ? "png" : "svg";
    Add(r, "format", true,
        std::string("a credential baked into a ") + (png ? "PNG" : "SVG") + " image (" +
            baked->carrier + ")");
  }
  first = payload.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return Fail(r, "format", "empty input");
  payload.erase(0, first);
  while (!payload.empty() && std::isspace(static_cast<unsigned char>(payload.back())))
    payload.pop_back();

  if (payload.front() == '{') {
    json doc = ParseUntrustedJsonOrDiscarded(payload);
    if (doc.is_discarded() || !doc.is_object()) return Fail(r, "format", "not valid JSON");
    const bool is_ob2 = ob2 || StringAt(doc, "@context") == "https://w3id.org/openbadges/v2" ||
                        HasType(doc, "Assertion");
    r.format = std::string(is_ob2 ? "ob2" : "ob3") + "+" + (carrier.empty() ? "json" : carrier);
    if (carrier.empty())
      Add(r, "format", true, is_ob2 ? "an Open Badges 2.0 assertion" : "a JSON credential");
    if (is_ob2) return VerifyOb2(r, doc, "", hooks);
    return VerifyJsonCredential(r, doc, hooks);
  }
  if (payload.rfind("http://", 0) == 0 || payload.rfind("https://", 0) == 0) {
    r.format = "ob2+" + (carrier.empty() ? std::string("url") : carrier);
    return VerifyOb2(r, json::object(), payload, hooks);
  }
  if (credentials::ClassifyBakedPayload(payload) == credentials::BakedPayloadKind::kCompactJws) {
    r.format = "ob3+" + (carrier.empty() ? std::string("jwt") : carrier + "+jwt");
    if (carrier.empty()) Add(r, "format", true, "a VC-JWT (compact JWS)");
    return VerifyJwt(r, payload, hooks);
  }
  return Fail(r, "format", "not a credential: expected a baked PNG or SVG badge, JSON, or a JWT");
}

}  // namespace cairn
