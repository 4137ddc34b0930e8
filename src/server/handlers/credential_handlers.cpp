// Credential routes: a student's credentials and their downloads (JSON,
// baked PNG and SVG, VC-JWT, CLR), sharing, the public verification
// endpoint, and the public documents verifiers dereference: issuer profile
// and keys, achievements and their images, the revocation status list, and
// the Open Badges 2.0 hosted documents.
#include "server/handlers/credential_handlers.h"
#include "credentials/badge_image.h"
#include "credentials/baking.h"
#include "credentials/clr_versions.h"
#include "credentials/credential_issuer.h"
#include "credentials/vc_jwt.h"
#include "credentials/verifier.h"
#include "evidence/files/file_name.h"
#include "interop/platforms/platform_export.h"
#include "server/handlers/params.h"
#include "server/policy.h"
#include "server/responses.h"

namespace cairn {

using nlohmann::json;
namespace {

constexpr std::size_t kMaxVerifyBytes = 8u * 1024 * 1024;

HttpResponse Document(const json& body, const char* type = "application/ld+json") {
  HttpResponse r = JsonResponse(200, body);
  r.content_type = type;
  r.headers.push_back({"Access-Control-Allow-Origin", "*"});  // verifiers fetch from anywhere
  r.headers.push_back({"Cache-Control", "public, max-age=300"});
  return r;
}

HttpResponse Download(std::string body, std::string type, const std::string& name) {
  HttpResponse r;
  r.content_type = std::move(type);
  r.body = std::move(body);
  r.headers.push_back({"Content-Disposition", ContentDispositionValue(name, false)});
  return r;
}

const District* DistrictByRef(const Roster& roster, const std::string& ref) {
  for (const District& d : roster.districts) {
    if (d.sourced_id == ref) return &d;
  }
  return nullptr;
}

// A deterministic colour per badge group, so a district without images
// still gets distinct, stable badges.
std::string ColourFor(const Badge& badge) {
  static const char* kPalette[] = {"#1f6feb", "#2da44e", "#bf3989", "#d4a72c",
                                   "#8250df", "#cf222e", "#0a7d8c", "#6e7781"};
  std::size_t h = 0;
  for (char c : badge.grouping.empty() ? badge.code : badge.grouping) {
    h = h * 31 + static_cast<unsigned char>(c);
  }
  return kPalette[h % (sizeof kPalette / sizeof kPalette[0])];
}

}  // namespace

Result<IssuedCredential> CredentialHandlers::CredentialOf(const RequestContext& ctx) {
  auto it = ctx.params.find("credential");
  if (it == ctx.params.end())
    return Status::AtField(StatusCode::kNotFound, "credential", "no such credential");
  CAIRN_ASSIGN_OR_RETURN(auto found, services_.Service().store().FindCredential(it->second));
  if (!found) return Status::AtField(StatusCode::kNotFound, "credential", "no such credential");
  return *found;
}

json CredentialHandlers::CredentialSummary(const IssuedCredential& c, Store& store,
                                           const std::string& base) {
  CredentialIssuer issuer = services_.Issuer(store);
  auto revocation = issuer.RevocationOf(c);
  auto is_public = store.CredentialIsPublic(c.id);
  json body = json::parse(c.body, nullptr, false);
  const std::string api = "/api/v1/credentials/" + c.uuid;
  const bool shared = is_public.ok() && *is_public;
  json out{{"uuid", c.uuid},
           {"badge", c.badge_code},
           {"title", body.is_object() ? body.value("name", c.badge_code) : c.badge_code},
           {"issued_at", FormatInstant(c.issued_at)},
           {"issuer_name", body.is_object() && body.contains("issuer") && body["issuer"].is_object()
                               ? body["issuer"].value("name", "")
                               : std::string()},
           {"status", revocation.ok() && revocation->revoked ? "revoked" : "valid"},
           {"public", shared},
           {"links",
            {{"json", api},
             {"png", api + "/badge.png"},
             {"svg", api + "/badge.svg"},
             {"jwt", api + "/credential.jwt"}}}};
  // Links the public follows are offered only where they resolve: the
  // hosted 2.0 assertion and the public page answer 404 until the student
  // shares the credential, and a 2.0 issuer without an email fails 2.0
  // validation, so the 2.0 link also waits for the district's issuer email.
  json absent = json::object();
  if (shared) {
    out["links"]["share"] = "/verify/" + c.uuid;
  } else {
    absent["share"] = "shared publicly by the student";
  }
  auto profile = store.FindIssuerProfile(c.district_id);
  const bool has_email = profile.ok() && *profile && !(*profile)->email.empty();
  if (shared && has_email) {
    out["links"]["ob2"] = base + "/ob2/assertions/" + c.uuid;
  } else if (!shared) {
    absent["ob2"] = "shared publicly by the student";
  } else {
    absent["ob2"] = "an email in the district's issuer profile (Open Badges 2.0 requires it)";
  }
  if (!absent.empty()) out["links_waiting_for"] = std::move(absent);
  if (revocation.ok() && revocation->revoked) out["revocation_reason"] = revocation->reason;
  return out;
}

HttpResponse CredentialHandlers::ListCredentials(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  Store& store = services_.Service().store();
  auto issued = store.Credentials(ctx.student->id, std::nullopt);
  if (!issued.ok()) return ErrorResponse(issued.status());
  json out = json::array();
  for (const IssuedCredential& c : *issued)
    out.push_back(CredentialSummary(c, store, services_.options().public_url));
  return JsonResponse(200, json{{"credentials", std::move(out)},
                                {"clr", "/api/v1/students/" + ctx.student->sourced_id + "/clr"}});
}

HttpResponse CredentialHandlers::GetCredential(RequestContext& ctx) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  HttpResponse r;
  r.content_type = "application/ld+json";
  r.body = c->body;  // exactly the bytes issued
  r.headers.push_back({"Content-Disposition",
                       ContentDispositionValue(c->badge_code + "-" + c->uuid + ".json", false)});
  return r;
}

Result<std::string> CredentialHandlers::BadgeImage(const std::string& code, bool svg) {
  auto catalog = services_.model().Read([](const ReadState& s) { return s.catalog; });
  if (!catalog) return Status::AtField(StatusCode::kNotFound, "badge", "no catalog");
  const Badge* badge = catalog->FindBadge(code);
  if (!badge) return Status::AtField(StatusCode::kNotFound, "badge", "no badge '" + code + "'");
  credentials::BadgeImageSpec spec{badge->code, badge->title, ColourFor(*badge), 400};
  return svg ? credentials::RenderBadgeSvg(spec) : credentials::RenderBadgePng(spec);
}

HttpResponse CredentialHandlers::BakedCredential(RequestContext& ctx, bool svg) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto image = BadgeImage(c->badge_code, svg);
  if (!image.ok()) return ErrorResponse(image.status());
  auto baked = svg ? credentials::BakeSvg(*image, credentials::BadgeVersion::kOb30, c->body)
                   : credentials::BakePng(*image, credentials::BadgeVersion::kOb30, c->body);
  if (!baked.ok()) return ErrorResponse(baked.status());
  return Download(std::move(*baked), svg ? "image/svg+xml" : "image/png",
                  c->badge_code + (svg ? ".svg" : ".png"));
}

HttpResponse CredentialHandlers::CredentialPng(RequestContext& ctx) {
  return BakedCredential(ctx, false);
}
HttpResponse CredentialHandlers::CredentialSvg(RequestContext& ctx) {
  return BakedCredential(ctx, true);
}

HttpResponse CredentialHandlers::CredentialJwt(RequestContext& ctx) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto jwt = services_.Issuer(services_.Service().store()).Jwt(*c);
  if (!jwt.ok()) return ErrorResponse(jwt.status());
  return Download(*jwt, "application/vc+jwt", c->badge_code + ".jwt");
}

HttpResponse CredentialHandlers::ShareCredential(RequestContext& ctx) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  BodyReader r(ctx.body);
  if (!r.body().is_object() || !r.body().contains("public")) r.Error("public", "missing");
  const bool is_public = r.Bool(ctx.body, "", "public", false);
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  return services_.Write([this, id = c->id, uuid = c->uuid, is_public,
                          actor = ctx.who->person.id](CairnService& service) {
    Status s =
        service.store().AppendCredentialShare(id, is_public, actor, services_.options().clock());
    if (!s.ok()) return ErrorResponse(s);
    return JsonResponse(200, json{{"uuid", uuid}, {"public", is_public}});
  });
}

// The current content's CLR: the version already issued when nothing
// changed (same bytes, same id), else signed now and recorded first.
HttpResponse CredentialHandlers::StudentClr(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  auto catalog = services_.model().Read([](const ReadState& s) { return s.catalog; });
  if (!catalog) return ErrorResponse(409, "failed_precondition", "no catalog");
  const Person student = *ctx.student;
  auto roster = services_.model().RosterSnapshot();
  auto content =
      services_.Issuer(services_.Service().store()).ClrFor(*catalog, *roster, student.id);
  if (!content.ok()) return ErrorResponse(content.status());
  auto respond = [student](const json& clr) {
    HttpResponse r = JsonResponse(200, clr);
    r.content_type = "application/ld+json";
    r.headers.push_back({"Content-Disposition",
                         ContentDispositionValue("clr-" + student.sourced_id + ".json", false)});
    return r;
  };
  auto issued = [&](Store& store) -> Result<std::optional<IssuedClr>> {
    CAIRN_ASSIGN_OR_RETURN(auto entries, store.StudentJournal(student.id, kClrStream));
    return LatestClr(entries);
  };
  auto latest = issued(services_.Service().store());
  if (!latest.ok()) return ErrorResponse(latest.status());
  if (*latest && (*latest)->version == content->version) return respond((*latest)->clr);
  return services_.Write([this, student, roster, content = std::move(*content), issued, respond,
                          reader = ctx.who->person.id](CairnService& service) {
    // Again in the transaction: two first downloads record one version.
    auto now_latest = issued(service.store());
    if (!now_latest.ok()) return ErrorResponse(now_latest.status());
    if (*now_latest && (*now_latest)->version == content.version) {
      return respond((*now_latest)->clr);
    }
    auto clr = services_.Issuer(service.store()).SignClr(*roster, student.district_id, content);
    if (!clr.ok()) return ErrorResponse(clr.status());
    auto ids = service.store().AppendJournal(
        {ClrEntry(student, {content.version, *clr}, reader, services_.Now())});
    if (!ids.ok()) return ErrorResponse(ids.status());
    return respond(*clr);
  });
}

VerifierHooks CredentialHandlers::Hooks() {
  VerifierHooks hooks;
  hooks.clock = services_.options().clock;
  hooks.resolve_key = [this](std::string_view method) -> Result<std::array<std::uint8_t, 32>> {
    return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
      return services_.Issuer(services_.Service().store()).ResolveKey(*state.roster, method);
    });
  };
  hooks.resolve_jwk = [this](std::string_view kid) -> Result<json> {
    return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
      return services_.Issuer(services_.Service().store()).ResolveJwk(*state.roster, kid);
    });
  };
  hooks.key_revoked_at = [this](std::string_view method) -> std::optional<Instant> {
    return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
      auto at = services_.Issuer(services_.Service().store()).KeyRevokedAt(*state.roster, method);
      // A revocation that cannot be read refuses the proof rather than pass it.
      return at.ok() ? *at : std::optional<Instant>(0);
    });
  };
  // Only this server's own lists: verification never reaches out to the
  // network on a stranger's behalf.
  hooks.fetch_status_list = [this](std::string_view url) -> Result<json> {
    return services_.model().WithSnapshot([&](const ReadSnapshot& state) -> Result<json> {
      return services_.Issuer(services_.Service().store()).StatusListAt(*state.roster, url);
    });
  };
  hooks.revocation_reason = [this](std::string_view id) -> std::optional<std::string> {
    if (id.rfind("urn:uuid:", 0) != 0) return std::nullopt;
    auto c = services_.Service().store().FindCredential(id.substr(9));
    if (!c.ok() || !*c) return std::nullopt;
    auto r = services_.Issuer(services_.Service().store()).RevocationOf(**c);
    if (!r.ok() || !r->revoked) return std::nullopt;
    return r->reason;
  };
  hooks.fetch_ob2_assertion = [this](std::string_view url) -> Result<json> {
    const std::string prefix = services_.options().public_url + "/ob2/assertions/";
    if (url.rfind(prefix, 0) != 0)
      return Status::NotFound("not an assertion hosted by this server");
    auto c = services_.Service().store().FindCredential(url.substr(prefix.size()));
    if (!c.ok() || !*c) return Status::NotFound("the issuer does not host " + std::string(url));
    auto revocation = services_.Issuer(services_.Service().store()).RevocationOf(**c);
    if (revocation.ok() && revocation->revoked) {
      return Status::Precondition("revoked by the issuer: " + revocation->reason);
    }
    return Ob2Assertion(**c);
  };
  return hooks;
}

HttpResponse CredentialHandlers::VerifyUpload(RequestContext& ctx) {
  std::string bytes = ctx.request.body;
  if (bytes.size() > kMaxVerifyBytes) {
    return ErrorResponse(413, "payload_too_large", "body: larger than 8 MB", "body");
  }
  if (bytes.empty()) {
    return ErrorResponse(Status::InvalidField(
        "body", "send a baked badge (PNG or SVG), a JSON credential or a JWT"));
  }
  VerificationReport report = VerifyCredentialBytes(bytes, Hooks());
  json out = report.ToJson();
  HttpResponse r = JsonResponse(200, out);
  r.headers.push_back({"Access-Control-Allow-Origin", "*"});
  return r;
}

HttpResponse CredentialHandlers::PublicCredential(RequestContext& ctx) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto is_public = services_.Service().store().CredentialIsPublic(c->id);
  if (!is_public.ok() || !*is_public) {
    return ErrorResponse(404, "not_found", "credential: not shared publicly", "credential");
  }
  VerificationReport report = VerifyCredentialBytes(c->body, Hooks());
  return JsonResponse(200, json{{"credential", json::parse(c->body, nullptr, false)},
                                {"verification", report.ToJson()}});
}

// --- Public documents -------------------------------------------------------

Result<const District*> CredentialHandlers::DistrictParam(const RequestContext& ctx,
                                                          const Roster& roster) {
  auto it = ctx.params.find("district");
  const District* d = it == ctx.params.end() ? nullptr : DistrictByRef(roster, it->second);
  if (!d) return Status::AtField(StatusCode::kNotFound, "district", "no such issuer");
  return d;
}

HttpResponse CredentialHandlers::IssuerDocument(RequestContext& ctx) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    auto doc =
        services_.Issuer(services_.Service().store()).ControllerDocument(*state.roster, (*d)->id);
    if (!doc.ok()) return ErrorResponse(doc.status());
    return Document(*doc);
  });
}

// A verification method or JWT kid, dereferenced: the key alone.
HttpResponse CredentialHandlers::KeyDocument(RequestContext& ctx) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    auto doc = services_.Issuer(services_.Service().store())
                   .KeyDocument(*state.roster, (*d)->id, ctx.params["key"]);
    if (!doc.ok()) return ErrorResponse(doc.status());
    // A JWK is plain JSON; a Multikey document is JSON-LD.
    return Document(*doc, doc->contains("kty") ? "application/json" : "application/ld+json");
  });
}

// did:web:<host>:issuers:<district> resolves here.
HttpResponse CredentialHandlers::DistrictDidDocument(RequestContext& ctx) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    CredentialIssuer issuer = services_.Issuer(services_.Service().store());
    auto doc =
        issuer.DidDocument(*state.roster, (*d)->id, issuer.UrlsFor(*state.roster, (*d)->id).Did());
    if (!doc.ok()) return ErrorResponse(doc.status());
    return Document(*doc, "application/did+json");
  });
}

// did:web:<host> resolves here: the district's keys when the server has one
// district; with several, each district has its own DID and this one names
// no keys of its own.
HttpResponse CredentialHandlers::HostDidDocument(RequestContext&) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    const auto& districts = state.roster->districts;
    if (districts.size() != 1) {
      return ErrorResponse(404, "not_found",
                           "this server has " + std::to_string(districts.size()) +
                               " issuers: each district's DID document is at "
                               "/issuers/{district}/did.json");
    }
    CredentialIssuer issuer = services_.Issuer(services_.Service().store());
    const Id district = districts.front().id;
    const IssuerUrls urls = issuer.UrlsFor(*state.roster, district);
    auto doc = issuer.DidDocument(*state.roster, district, urls.HostDid());
    if (!doc.ok()) return ErrorResponse(doc.status());
    (*doc)["alsoKnownAs"].push_back(urls.Did());
    return Document(*doc, "application/did+json");
  });
}

HttpResponse CredentialHandlers::AchievementDocument(RequestContext& ctx) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    if (!state.catalog) return ErrorResponse(404, "not_found", "badge: no catalog", "badge");
    const Badge* badge = state.catalog->FindBadge(ctx.params["badge"]);
    if (!badge) return ErrorResponse(404, "not_found", "badge: no such badge", "badge");
    CredentialIssuer issuer = services_.Issuer(services_.Service().store());
    auto info = issuer.InfoFor(*state.roster, (*d)->id);
    if (!info.ok()) return ErrorResponse(info.status());
    // With the crosswalked standards, as the badge's credentials carry them.
    auto standards = StandardAlignmentsOf(services_.Service().store(), *badge);
    if (!standards.ok()) return ErrorResponse(standards.status());
    json doc = AchievementJson(issuer.UrlsFor(*state.roster, (*d)->id), *info, *state.catalog,
                               *badge, *standards);
    doc["@context"] = json::array({kCredentialsV2Context, kOb3Context});
    return Document(doc);
  });
}

HttpResponse CredentialHandlers::AchievementImage(RequestContext& ctx) {
  auto png = BadgeImage(ctx.params["badge"], false);
  if (!png.ok()) return ErrorResponse(png.status());
  HttpResponse r;
  r.content_type = "image/png";
  r.body = std::move(*png);
  r.headers.push_back({"Cache-Control", "public, max-age=3600"});
  return r;
}

// List 0 at /status/{district}/revocation, list n > 0 at .../revocation/{n}.
HttpResponse CredentialHandlers::StatusListDocument(RequestContext& ctx) {
  int list = 0;
  if (auto it = ctx.params.find("list"); it != ctx.params.end()) {
    std::optional<int> parsed = ParseStatusListNumber(it->second);
    if (!parsed) return ErrorResponse(404, "not_found", "list: no such status list", "list");
    list = *parsed;
  }
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    auto doc = services_.Issuer(services_.Service().store())
                   .StatusListCredential(*state.roster, (*d)->id, list);
    if (!doc.ok()) return ErrorResponse(doc.status());
    HttpResponse r = Document(*doc);
    r.headers.back() = {"Cache-Control", "no-cache"};  // revocation shows at once
    return r;
  });
}

Result<json> CredentialHandlers::Ob2Assertion(const IssuedCredential& c) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) -> Result<json> {
    if (!state.catalog) return Status::NotFound("no catalog");
    const Badge* badge = state.catalog->FindBadge(c.badge_code);
    if (!badge) return Status::AtField(StatusCode::kNotFound, "badge", "no longer in the catalog");
    json body = json::parse(c.body, nullptr, false);
    AwardedBadge award;
    award.uuid = c.uuid;
    award.awarded_at = c.issued_at;
    // The 2.0 recipient is the hashed email the 3.0 credential carries.
    if (body.is_object()) {
      for (const json& id : body["credentialSubject"].value("identifier", json::array())) {
        if (id.value("identityType", "") == "emailAddress") {
          award.email_hash = id.value("identityHash", "");
          award.salt = id.value("salt", "");
        }
      }
      if (auto at = credentials::ParseDateTime(body.value("awardedDate", "")); at.ok()) {
        award.awarded_at = *at;
      }
    }
    return Ob2AssertionJson(
        services_.Issuer(services_.Service().store()).UrlsFor(*state.roster, c.district_id), *badge,
        award);
  });
}

HttpResponse CredentialHandlers::Ob2IssuerDocument(RequestContext& ctx) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    CredentialIssuer issuer = services_.Issuer(services_.Service().store());
    auto info = issuer.InfoFor(*state.roster, (*d)->id);
    if (!info.ok()) return ErrorResponse(info.status());
    return Document(Ob2IssuerJson(issuer.UrlsFor(*state.roster, (*d)->id), *info),
                    "application/json");
  });
}

HttpResponse CredentialHandlers::Ob2BadgeDocument(RequestContext& ctx) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    if (!state.catalog) return ErrorResponse(404, "not_found", "badge: no catalog", "badge");
    const Badge* badge = state.catalog->FindBadge(ctx.params["badge"]);
    if (!badge) return ErrorResponse(404, "not_found", "badge: no such badge", "badge");
    return Document(
        Ob2BadgeClassJson(
            services_.Issuer(services_.Service().store()).UrlsFor(*state.roster, (*d)->id),
            *state.catalog, *badge),
        "application/json");
  });
}

// Hosted 2.0 assertions are public only where the student made the
// credential public: a 2.0 platform needs to fetch it.
Result<IssuedCredential> CredentialHandlers::PublicCredentialOf(const RequestContext& ctx) {
  CAIRN_ASSIGN_OR_RETURN(IssuedCredential c, CredentialOf(ctx));
  CAIRN_ASSIGN_OR_RETURN(bool is_public, services_.Service().store().CredentialIsPublic(c.id));
  if (!is_public)
    return Status::AtField(StatusCode::kNotFound, "credential", "not shared publicly");
  return c;
}

HttpResponse CredentialHandlers::Ob2AssertionDocument(RequestContext& ctx) {
  auto c = PublicCredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto revocation = services_.Issuer(services_.Service().store()).RevocationOf(*c);
  if (revocation.ok() && revocation->revoked) {
    // The 2.0 way to say it: 410 with the revocation.
    return JsonResponse(410,
                        json{{"id", services_.options().public_url + "/ob2/assertions/" + c->uuid},
                             {"revoked", true},
                             {"revocationReason", revocation->reason}});
  }
  auto doc = Ob2Assertion(*c);
  if (!doc.ok()) return ErrorResponse(doc.status());
  return Document(*doc, "application/json");
}

HttpResponse CredentialHandlers::Ob2AssertionImage(RequestContext& ctx) {
  auto c = PublicCredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto image = BadgeImage(c->badge_code, false);
  if (!image.ok()) return ErrorResponse(image.status());
  auto baked = credentials::BakePng(*image, credentials::BadgeVersion::kOb20,
                                    services_.options().public_url + "/ob2/assertions/" + c->uuid);
  if (!baked.ok()) return ErrorResponse(baked.status());
  return Download(std::move(*baked), "image/png", c->badge_code + "-ob2.png");
}

HttpResponse CredentialHandlers::Ob2RevocationDocument(RequestContext& ctx) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    auto doc =
        services_.Issuer(services_.Service().store()).Ob2RevocationList(*state.roster, (*d)->id);
    if (!doc.ok()) return ErrorResponse(doc.status());
    return Document(*doc, "application/json");
  });
}

// --- Administration ------------------------------------------------------------

HttpResponse CredentialHandlers::GetIssuerProfile(RequestContext& ctx) {
  return services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    CredentialIssuer issuer = services_.Issuer(services_.Service().store());
    auto info = issuer.InfoFor(*state.roster, (*d)->id);
    if (!info.ok()) return ErrorResponse(info.status());
    auto keys = services_.Service().store().SigningKeys((*d)->id);
    if (!keys.ok()) return ErrorResponse(keys.status());
    json key_list = json::array();
    for (const StoredKey& k : *keys) {
      key_list.push_back(
          {{"key_id", k.key_id},
           {"algorithm", KeyAlgorithmName(k.algorithm)},
           {"public_key", k.public_key},
           {"created_at", FormatInstant(k.created_at)},
           {"retired_at", k.retired_at ? json(FormatInstant(*k.retired_at)) : json()}});
    }
    auto states = issuer.KeyStates((*d)->id);
    if (!states.ok()) return ErrorResponse(states.status());
    for (std::size_t i = 0; i < key_list.size() && i < states->size(); ++i) {
      const CredentialIssuer::KeyState& s = (*states)[i];
      key_list[i]["assertion_method"] = s.assertion;
      key_list[i]["revoked_at"] =
          s.revocation ? json(FormatInstant(s.revocation->revoked_at)) : json();
      key_list[i]["revoked_reason"] = s.revocation ? json(s.revocation->reason) : json();
    }
    return JsonResponse(200, json{{"district", (*d)->sourced_id},
                                  {"id", issuer.UrlsFor(*state.roster, (*d)->id).Issuer()},
                                  {"issuance_blocked", services_.IssuanceBlocked().empty()
                                                           ? json()
                                                           : json(services_.IssuanceBlocked())},
                                  {"name", info->name},
                                  {"url", info->url},
                                  {"email", info->email},
                                  {"image", info->image},
                                  {"description", info->description},
                                  {"keys", key_list}});
  });
}

HttpResponse CredentialHandlers::PutIssuerProfile(RequestContext& ctx) {
  BodyReader r(ctx.body);
  IssuerProfile profile;
  profile.name = r.Optional("name");
  profile.url = r.Optional("url");
  profile.email = r.Optional("email");
  profile.image = r.Optional("image");
  profile.description = r.Optional("description");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  if (profile.name.empty() || profile.name.size() > 200) {
    return ErrorResponse(Status::InvalidField("name", "give the issuer's name (1-200 characters)"));
  }
  for (const auto& [value, field] : {std::pair{&profile.url, "url"}, {&profile.image, "image"}}) {
    if (!value->empty() && value->rfind("https://", 0) != 0 && value->rfind("http://", 0) != 0) {
      return ErrorResponse(Status::InvalidField(field, "must be an http(s) address"));
    }
  }
  if (!profile.email.empty() && profile.email.find('@') == std::string::npos) {
    return ErrorResponse(Status::InvalidField("email", "not an email address"));
  }
  const Id district = services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    return d.ok() ? (*d)->id : Id{0};
  });
  if (!district) return ErrorResponse(404, "not_found", "district: no such issuer", "district");
  profile.district_id = district;
  return services_.Write([profile](CairnService& service) {
    Status s = service.store().PutIssuerProfile(profile);
    if (!s.ok()) return ErrorResponse(s);
    return JsonResponse(200, json{{"saved", true}});
  });
}

HttpResponse CredentialHandlers::RotateIssuerKey(RequestContext& ctx) {
  const Id district = services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    return d.ok() ? (*d)->id : Id{0};
  });
  if (!district) return ErrorResponse(404, "not_found", "district: no such issuer", "district");
  return services_.Write([this, district](CairnService& service) {
    auto key = services_.Issuer(service.store()).RotateKey(district);
    if (!key.ok()) return ErrorResponse(key.status());
    return JsonResponse(200, json{{"key_id", key->key_id}, {"public_key", key->public_key}});
  });
}

// A compromised key: revoked from the time given (default now), with a
// reason; proofs it made from then on fail verification.
HttpResponse CredentialHandlers::RevokeIssuerKey(RequestContext& ctx) {
  BodyReader r(ctx.body);
  KeyRevocation revocation;
  revocation.key_id = ctx.params["key"];
  revocation.reason = r.Required("reason");
  const std::string at = r.Optional("revoked_at");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  if (revocation.reason.size() > 1000) {
    return ErrorResponse(Status::InvalidField("reason", "at most 1000 characters"));
  }
  revocation.revoked_at = services_.Now();
  if (!at.empty()) {
    auto parsed = ParseInstant(at);
    if (!parsed.ok()) {
      return ErrorResponse(Status::InvalidField("revoked_at", parsed.status().message()));
    }
    revocation.revoked_at = *parsed;
  }
  if (ctx.who) revocation.recorded_by = ctx.who->person.id;
  const Id district = services_.model().WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    return d.ok() ? (*d)->id : Id{0};
  });
  if (!district) return ErrorResponse(404, "not_found", "district: no such issuer", "district");
  ctx.audit_detail = "key " + revocation.key_id + " revoked from " +
                     FormatInstant(revocation.revoked_at) + ": " + revocation.reason;
  return services_.Write([this, district, revocation](CairnService& service) {
    auto done = services_.Issuer(service.store()).RevokeKey(district, revocation);
    if (!done.ok()) return ErrorResponse(done.status());
    return JsonResponse(200, json{{"key_id", done->key_id},
                                  {"revoked_at", FormatInstant(done->revoked_at)},
                                  {"reason", done->reason}});
  });
}

// Who earned what, in Credly's or Canvas Credentials' bulk upload format
// (interop/platforms/platform_export.h). Students without an email cannot
// be uploaded: the X-Cairn-Without-Email header counts them.
HttpResponse CredentialHandlers::PlatformAwards(RequestContext& ctx) {
  auto query = ctx.request.Query();
  auto platform = ParseAwardPlatform(query.count("platform") ? query["platform"] : "", "platform");
  if (!platform.ok()) return ErrorResponse(platform.status());
  std::map<std::string, std::string> ids;
  if (query.count("ids")) {
    auto parsed = ParsePlatformIds(query["ids"], "ids");
    if (!parsed.ok()) return ErrorResponse(parsed.status());
    ids = std::move(*parsed);
  }
  const std::string badge = query.count("badge") ? query["badge"] : "";
  PlatformExport out;
  std::string district_ref;
  Status built = services_.model().Read([&](const ReadState& state) -> Status {
    if (!state.catalog) return Status::Precondition("no catalog loaded");
    CAIRN_ASSIGN_OR_RETURN(const District* d, DistrictParam(ctx, *state.roster));
    district_ref = d->sourced_id;
    for (const auto& [code, id] : ids) {
      if (!state.catalog->FindBadge(code)) {
        return Status::InvalidField("ids." + code, "no such badge in the catalog");
      }
    }
    if (!badge.empty() && !state.catalog->FindBadge(badge)) {
      return Status::InvalidField("badge", "no such badge in the catalog");
    }
    const auto awards = AwardsInForce(*state.roster, d->id, state.index->awards(), badge);
    out = ExportAwards(*platform, awards, *state.catalog, ids);
    return Status::Ok();
  });
  if (!built.ok()) return ErrorResponse(built);
  const std::string name = district_ref + "-" +
                           (*platform == AwardPlatform::kCredly ? "credly" : "canvas-credentials") +
                           (badge.empty() ? "" : "-" + badge) + ".csv";
  HttpResponse r = Download(std::move(out.csv), "text/csv; charset=utf-8", name);
  r.headers.push_back({"X-Cairn-Rows", std::to_string(out.rows)});
  r.headers.push_back({"X-Cairn-Without-Email", std::to_string(out.without_email)});
  return r;
}

std::vector<GroupRoute<CredentialHandlers>> CredentialHandlers::Routes() {
  using G = CredentialHandlers;
  return {
      {{"GET", "/api/v1/students/{student}/credentials", AccessRule::kStudentRead, true},
       &G::ListCredentials},
      {{"GET", "/api/v1/students/{student}/clr", AccessRule::kStudentRead, true, Work::kSlow},
       &G::StudentClr},
      {{"GET", "/api/v1/credentials/{credential}", AccessRule::kStudentRead, true},
       &G::GetCredential},
      {{"GET", "/api/v1/credentials/{credential}/badge.png", AccessRule::kStudentRead, true,
        Work::kSlow},
       &G::CredentialPng},
      {{"GET", "/api/v1/credentials/{credential}/badge.svg", AccessRule::kStudentRead, true,
        Work::kSlow},
       &G::CredentialSvg},
      {{"GET", "/api/v1/credentials/{credential}/credential.jwt", AccessRule::kStudentRead, true,
        Work::kSlow},
       &G::CredentialJwt},
      {{"POST", "/api/v1/credentials/{credential}/share", AccessRule::kSelf, true},
       &G::ShareCredential},
      {{"POST", "/api/v1/verify", AccessRule::kPublic, false, Work::kByMethod, BodyKind::kAny},
       &G::VerifyUpload},
      {{"GET", "/api/v1/public/credentials/{credential}", AccessRule::kPublic, false},
       &G::PublicCredential},
      {{"GET", "/api/v1/issuers/{district}/profile", AccessRule::kAdmin, false},
       &G::GetIssuerProfile},
      {{"PUT", "/api/v1/issuers/{district}/profile", AccessRule::kAdmin, true},
       &G::PutIssuerProfile},
      {{"POST", "/api/v1/issuers/{district}/keys/rotate", AccessRule::kAdmin, true},
       &G::RotateIssuerKey},
      {{"POST", "/api/v1/issuers/{district}/keys/{key}/revoke", AccessRule::kAdmin, true},
       &G::RevokeIssuerKey},
      {{"GET", "/api/v1/districts/{district}/exports/platform-awards", AccessRule::kDistrictLeader,
        true, Work::kSlow},
       &G::PlatformAwards},
      {{"GET", "/issuers/{district}", AccessRule::kPublic, false}, &G::IssuerDocument},
      {{"GET", "/issuers/{district}/keys/{key}", AccessRule::kPublic, false}, &G::KeyDocument},
      {{"GET", "/issuers/{district}/did.json", AccessRule::kPublic, false},
       &G::DistrictDidDocument},
      {{"GET", "/.well-known/did.json", AccessRule::kPublic, false}, &G::HostDidDocument},
      {{"GET", "/achievements/{district}/{badge}", AccessRule::kPublic, false},
       &G::AchievementDocument},
      {{"GET", "/achievements/{district}/{badge}/image.png", AccessRule::kPublic, false,
        Work::kSlow},
       &G::AchievementImage},
      {{"GET", "/status/{district}/revocation", AccessRule::kPublic, false, Work::kSlow},
       &G::StatusListDocument},
      {{"GET", "/status/{district}/revocation/{list}", AccessRule::kPublic, false, Work::kSlow},
       &G::StatusListDocument},
      {{"GET", "/ob2/issuers/{district}", AccessRule::kPublic, false}, &G::Ob2IssuerDocument},
      {{"GET", "/ob2/badges/{district}/{badge}", AccessRule::kPublic, false}, &G::Ob2BadgeDocument},
      {{"GET", "/ob2/assertions/{credential}", AccessRule::kPublic, false},
       &G::Ob2AssertionDocument},
      {{"GET", "/ob2/assertions/{credential}/image.png", AccessRule::kPublic, false, Work::kSlow},
       &G::Ob2AssertionImage},
      {{"GET", "/ob2/revocations/{district}", AccessRule::kPublic, false, Work::kSlow},
       &G::Ob2RevocationDocument},
  };
}

}  // namespace cairn
