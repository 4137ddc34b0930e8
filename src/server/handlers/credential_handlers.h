// Credentials: a student's credentials and their media (baked PNG/SVG,
// VC-JWT, CLR), sharing, verification of any credential, the public
// documents verifiers dereference (issuer, achievement, status list, OB 2.0)
// and the issuer profile and keys.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credentials/verifier.h"
#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class CredentialHandlers {
 public:
  explicit CredentialHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<CredentialHandlers>> Routes();

 private:
  HttpResponse ListCredentials(RequestContext& ctx);
  HttpResponse GetCredential(RequestContext& ctx);
  HttpResponse CredentialPng(RequestContext& ctx);
  HttpResponse CredentialSvg(RequestContext& ctx);
  HttpResponse CredentialJwt(RequestContext& ctx);
  HttpResponse ShareCredential(RequestContext& ctx);
  HttpResponse StudentClr(RequestContext& ctx);
  HttpResponse VerifyUpload(RequestContext& ctx);
  HttpResponse PublicCredential(RequestContext& ctx);
  HttpResponse IssuerDocument(RequestContext& ctx);
  HttpResponse KeyDocument(RequestContext& ctx);
  HttpResponse DistrictDidDocument(RequestContext& ctx);
  HttpResponse HostDidDocument(RequestContext& ctx);
  HttpResponse AchievementDocument(RequestContext& ctx);
  HttpResponse AchievementImage(RequestContext& ctx);
  HttpResponse StatusListDocument(RequestContext& ctx);
  HttpResponse Ob2IssuerDocument(RequestContext& ctx);
  HttpResponse Ob2BadgeDocument(RequestContext& ctx);
  HttpResponse Ob2AssertionDocument(RequestContext& ctx);
  HttpResponse Ob2AssertionImage(RequestContext& ctx);
  HttpResponse Ob2RevocationDocument(RequestContext& ctx);
  HttpResponse GetIssuerProfile(RequestContext& ctx);
  HttpResponse PutIssuerProfile(RequestContext& ctx);
  HttpResponse RotateIssuerKey(RequestContext& ctx);
  HttpResponse RevokeIssuerKey(RequestContext& ctx);
  HttpResponse PlatformAwards(RequestContext& ctx);

  Result<IssuedCredential> CredentialOf(const RequestContext& ctx);
  Result<IssuedCredential> PublicCredentialOf(const RequestContext& ctx);
  nlohmann::json CredentialSummary(const IssuedCredential& c, Store& store,
                                   const std::string& base);
  Result<std::string> BadgeImage(const std::string& code, bool svg);
  HttpResponse BakedCredential(RequestContext& ctx, bool svg);
  VerifierHooks Hooks();
  Result<nlohmann::json> Ob2Assertion(const IssuedCredential& c);
  Result<const District*> DistrictParam(const RequestContext& ctx, const Roster& roster);

  ApiServices& services_;
};

}  // namespace cairn
