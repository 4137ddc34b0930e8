// Credential routes: a student's credentials and their downloads (JSON,
// baked PNG and SVG, VC-JWT, CLR), sharing, the public verification
// endpoint, and the public documents verifiers dereference: issuer profile
// and keys, achievements and their images, the revocation status list, and
// the Open Badges 2.0 hosted documents.
#include "credentials/badge_image.h"
#include "credentials/baking.h"
#include "credentials/credential_issuer.h"
#include "credentials/vc_jwt.h"
#include "credentials/verifier.h"
#include "evidence/files/file_name.h"
#include "server/api_internal.h"
#include "server/policy.h"

namespace cairn {
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

const KeyVault& Api::Vault() {
  std::call_once(vault_once_, [this] {
    auto vault = KeyVault::Open(DefaultMasterKeyPath(options_.db_path));
    if (!vault.ok()) throw std::runtime_error(vault.status().ToString());
    vault_ = std::make_unique<KeyVault>(*vault);
  });
  return *vault_;
}

CredentialIssuer Api::Issuer(Store& store) {
  return CredentialIssuer(store, Vault(), IssuerOptions{options_.public_url, options_.clock});
}

Status Api::IssuePending(CairnService& service, const ReadState& state, Id student) {
  if (!service.has_catalog()) return Status::Ok();
  CredentialIssuer issuer = Issuer(service.store());
  return issuer.IssuePending(service.catalog(), *state.roster, student).status();
}

Result<int> Api::IssueAllPendingCredentials() {
  CAIRN_RETURN_IF_ERROR(model_.Refresh(Service().store()));
  int issued = 0;
  HttpResponse response = Write([&](CairnService& service) {
    return model_.WithSnapshot([&](const ReadSnapshot& state) {
      if (!service.has_catalog()) return JsonResponse(200, json::object());
      CredentialIssuer issuer = Issuer(service.store());
      for (const District& d : state.roster->districts) {
        if (auto key = issuer.ActiveKey(d.id, KeyAlgorithm::kEd25519); !key.ok()) {
          return ErrorResponse(key.status());
        }
        if (auto key = issuer.ActiveKey(d.id, KeyAlgorithm::kP256); !key.ok()) {
          return ErrorResponse(key.status());
        }
      }
      for (const Person& p : state.roster->people) {
        if (p.role != PersonRole::kStudent) continue;
        auto made = issuer.IssuePending(service.catalog(), *state.roster, p.id);
        if (!made.ok()) return ErrorResponse(made.status());
        issued += static_cast<int>(made->size());
      }
      return JsonResponse(200, json::object());
    });
  });
  if (response.pending) response = response.pending->Wait();
  if (response.status != 200) return Status::Internal("issuing credentials: " + response.body);
  return issued;
}

Result<IssuedCredential> Api::CredentialOf(const Context& ctx) {
  auto it = ctx.params.find("credential");
  if (it == ctx.params.end()) return Status::NotFound("credential: no such credential");
  CAIRN_ASSIGN_OR_RETURN(auto found, Service().store().FindCredential(it->second));
  if (!found) return Status::NotFound("credential: no such credential");
  return *found;
}

json Api::CredentialSummary(const IssuedCredential& c, Store& store, const std::string& base) {
  CredentialIssuer issuer = Issuer(store);
  auto revocation = issuer.RevocationOf(c);
  auto is_public = store.CredentialIsPublic(c.id);
  json body = json::parse(c.body, nullptr, false);
  const std::string api = "/api/v1/credentials/" + c.uuid;
  json out{{"uuid", c.uuid},
           {"badge", c.badge_code},
           {"title", body.is_object() ? body.value("name", c.badge_code) : c.badge_code},
           {"issued_at", FormatInstant(c.issued_at)},
           {"status", revocation.ok() && revocation->revoked ? "revoked" : "valid"},
           {"public", is_public.ok() && *is_public},
           {"links",
            {{"json", api},
             {"png", api + "/badge.png"},
             {"svg", api + "/badge.svg"},
             {"jwt", api + "/credential.jwt"},
             {"ob2", base + "/ob2/assertions/" + c.uuid},
             {"share", "/verify/" + c.uuid}}}};
  if (revocation.ok() && revocation->revoked) out["revocation_reason"] = revocation->reason;
  return out;
}

HttpResponse Api::ListCredentials(Context& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student");
  Store& store = Service().store();
  auto issued = store.Credentials(ctx.student->id, std::nullopt);
  if (!issued.ok()) return ErrorResponse(issued.status());
  json out = json::array();
  for (const IssuedCredential& c : *issued)
    out.push_back(CredentialSummary(c, store, options_.public_url));
  return JsonResponse(200, json{{"credentials", std::move(out)},
                                {"clr", "/api/v1/students/" + ctx.student->sourced_id + "/clr"}});
}

HttpResponse Api::GetCredential(Context& ctx) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  HttpResponse r;
  r.content_type = "application/ld+json";
  r.body = c->body;  // exactly the bytes issued
  r.headers.push_back({"Content-Disposition",
                       ContentDispositionValue(c->badge_code + "-" + c->uuid + ".json", false)});
  return r;
}

Result<std::string> Api::BadgeImage(const std::string& code, bool svg) {
  auto catalog = model_.Read([](const ReadState& s) { return s.catalog; });
  if (!catalog) return Status::NotFound("badge: no catalog");
  const Badge* badge = catalog->FindBadge(code);
  if (!badge) return Status::NotFound("badge: no badge '" + code + "'");
  credentials::BadgeImageSpec spec{badge->code, badge->title, ColourFor(*badge), 400};
  return svg ? credentials::RenderBadgeSvg(spec) : credentials::RenderBadgePng(spec);
}

HttpResponse Api::BakedCredential(Context& ctx, bool svg) {
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

HttpResponse Api::CredentialPng(Context& ctx) { return BakedCredential(ctx, false); }
HttpResponse Api::CredentialSvg(Context& ctx) { return BakedCredential(ctx, true); }

HttpResponse Api::CredentialJwt(Context& ctx) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto jwt = Issuer(Service().store()).Jwt(*c);
  if (!jwt.ok()) return ErrorResponse(jwt.status());
  return Download(*jwt, "application/vc+jwt", c->badge_code + ".jwt");
}

HttpResponse Api::ShareCredential(Context& ctx) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  if (!ctx.body.is_object() || !ctx.body.contains("public") || !ctx.body["public"].is_boolean()) {
    return ErrorResponse(400, "invalid_argument", "public: expected true or false");
  }
  const bool is_public = ctx.body["public"].get<bool>();
  return Write([this, id = c->id, uuid = c->uuid, is_public,
                actor = ctx.who->person.id](CairnService& service) {
    Status s = service.store().AppendCredentialShare(id, is_public, actor, options_.clock());
    if (!s.ok()) return ErrorResponse(s);
    return JsonResponse(200, json{{"uuid", uuid}, {"public", is_public}});
  });
}

HttpResponse Api::StudentClr(Context& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student");
  auto catalog = model_.Read([](const ReadState& s) { return s.catalog; });
  if (!catalog) return ErrorResponse(409, "failed_precondition", "no catalog");
  auto clr = model_.WithSnapshot([&](const ReadSnapshot& state) {
    return Issuer(Service().store()).Clr(*catalog, *state.roster, ctx.student->id);
  });
  if (!clr.ok()) return ErrorResponse(clr.status());
  HttpResponse r = JsonResponse(200, *clr);
  r.content_type = "application/ld+json";
  r.headers.push_back({"Content-Disposition",
                       ContentDispositionValue("clr-" + ctx.student->sourced_id + ".json", false)});
  return r;
}

VerifierHooks Api::Hooks() {
  VerifierHooks hooks;
  hooks.clock = options_.clock;
  hooks.resolve_key = [this](std::string_view method) -> Result<std::array<std::uint8_t, 32>> {
    return model_.WithSnapshot([&](const ReadSnapshot& state) {
      return Issuer(Service().store()).ResolveKey(*state.roster, method);
    });
  };
  hooks.resolve_jwk = [this](std::string_view kid) -> Result<json> {
    return model_.WithSnapshot([&](const ReadSnapshot& state) {
      return Issuer(Service().store()).ResolveJwk(*state.roster, kid);
    });
  };
  // Only this server's own lists: verification never reaches out to the
  // network on a stranger's behalf.
  hooks.fetch_status_list = [this](std::string_view url) -> Result<json> {
    const std::string prefix = options_.public_url + "/status/";
    if (url.rfind(prefix, 0) != 0) return Status::NotFound("not a status list of this server");
    std::string_view rest = url.substr(prefix.size());
    const std::string district_ref(rest.substr(0, rest.find('/')));
    return model_.WithSnapshot([&](const ReadSnapshot& state) -> Result<json> {
      const District* d = DistrictByRef(*state.roster, district_ref);
      if (!d) return Status::NotFound("no such district");
      return Issuer(Service().store()).StatusListCredential(*state.roster, d->id);
    });
  };
  hooks.revocation_reason = [this](std::string_view id) -> std::optional<std::string> {
    if (id.rfind("urn:uuid:", 0) != 0) return std::nullopt;
    auto c = Service().store().FindCredential(id.substr(9));
    if (!c.ok() || !*c) return std::nullopt;
    auto r = Issuer(Service().store()).RevocationOf(**c);
    if (!r.ok() || !r->revoked) return std::nullopt;
    return r->reason;
  };
  hooks.fetch_ob2_assertion = [this](std::string_view url) -> Result<json> {
    const std::string prefix = options_.public_url + "/ob2/assertions/";
    if (url.rfind(prefix, 0) != 0)
      return Status::NotFound("not an assertion hosted by this server");
    auto c = Service().store().FindCredential(url.substr(prefix.size()));
    if (!c.ok() || !*c) return Status::NotFound("the issuer does not host " + std::string(url));
    auto revocation = Issuer(Service().store()).RevocationOf(**c);
    if (revocation.ok() && revocation->revoked) {
      return Status::Precondition("revoked by the issuer: " + revocation->reason);
    }
    return Ob2Assertion(**c);
  };
  return hooks;
}

HttpResponse Api::VerifyUpload(Context& ctx) {
  std::string bytes = ctx.request.body;
  if (bytes.size() > kMaxVerifyBytes) {
    return ErrorResponse(413, "payload_too_large", "body: larger than 8 MB");
  }
  if (bytes.empty()) {
    return ErrorResponse(400, "invalid_argument",
                         "body: send a baked badge (PNG or SVG), a JSON credential or a JWT");
  }
  VerificationReport report = VerifyCredentialBytes(bytes, Hooks());
  json out = report.ToJson();
  HttpResponse r = JsonResponse(200, out);
  r.headers.push_back({"Access-Control-Allow-Origin", "*"});
  return r;
}

HttpResponse Api::PublicCredential(Context& ctx) {
  auto c = CredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto is_public = Service().store().CredentialIsPublic(c->id);
  if (!is_public.ok() || !*is_public) {
    return ErrorResponse(404, "not_found", "credential: not shared publicly");
  }
  VerificationReport report = VerifyCredentialBytes(c->body, Hooks());
  return JsonResponse(200, json{{"credential", json::parse(c->body, nullptr, false)},
                                {"verification", report.ToJson()}});
}

// --- Public documents -------------------------------------------------------

Result<const District*> Api::DistrictParam(const Context& ctx, const Roster& roster) {
  auto it = ctx.params.find("district");
  const District* d = it == ctx.params.end() ? nullptr : DistrictByRef(roster, it->second);
  if (!d) return Status::NotFound("district: no such issuer");
  return d;
}

HttpResponse Api::IssuerDocument(Context& ctx) {
  return model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    auto doc = Issuer(Service().store()).ControllerDocument(*state.roster, (*d)->id);
    if (!doc.ok()) return ErrorResponse(doc.status());
    return Document(*doc);
  });
}

HttpResponse Api::AchievementDocument(Context& ctx) {
  return model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    if (!state.catalog) return ErrorResponse(404, "not_found", "badge: no catalog");
    const Badge* badge = state.catalog->FindBadge(ctx.params["badge"]);
    if (!badge) return ErrorResponse(404, "not_found", "badge: no such badge");
    CredentialIssuer issuer = Issuer(Service().store());
    auto info = issuer.InfoFor(*state.roster, (*d)->id);
    if (!info.ok()) return ErrorResponse(info.status());
    json doc =
        AchievementJson(issuer.UrlsFor(*state.roster, (*d)->id), *info, *state.catalog, *badge);
    doc["@context"] = json::array({kCredentialsV2Context, kOb3Context});
    return Document(doc);
  });
}

HttpResponse Api::AchievementImage(Context& ctx) {
  auto png = BadgeImage(ctx.params["badge"], false);
  if (!png.ok()) return ErrorResponse(png.status());
  HttpResponse r;
  r.content_type = "image/png";
  r.body = std::move(*png);
  r.headers.push_back({"Cache-Control", "public, max-age=3600"});
  return r;
}

HttpResponse Api::StatusListDocument(Context& ctx) {
  return model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    auto doc = Issuer(Service().store()).StatusListCredential(*state.roster, (*d)->id);
    if (!doc.ok()) return ErrorResponse(doc.status());
    HttpResponse r = Document(*doc);
    r.headers.back() = {"Cache-Control", "no-cache"};  // revocation shows at once
    return r;
  });
}

Result<json> Api::Ob2Assertion(const IssuedCredential& c) {
  return model_.WithSnapshot([&](const ReadSnapshot& state) -> Result<json> {
    if (!state.catalog) return Status::NotFound("no catalog");
    const Badge* badge = state.catalog->FindBadge(c.badge_code);
    if (!badge) return Status::NotFound("badge: no longer in the catalog");
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
    return Ob2AssertionJson(Issuer(Service().store()).UrlsFor(*state.roster, c.district_id), *badge,
                            award);
  });
}

HttpResponse Api::Ob2IssuerDocument(Context& ctx) {
  return model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    CredentialIssuer issuer = Issuer(Service().store());
    auto info = issuer.InfoFor(*state.roster, (*d)->id);
    if (!info.ok()) return ErrorResponse(info.status());
    return Document(Ob2IssuerJson(issuer.UrlsFor(*state.roster, (*d)->id), *info),
                    "application/json");
  });
}

HttpResponse Api::Ob2BadgeDocument(Context& ctx) {
  return model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    if (!state.catalog) return ErrorResponse(404, "not_found", "badge: no catalog");
    const Badge* badge = state.catalog->FindBadge(ctx.params["badge"]);
    if (!badge) return ErrorResponse(404, "not_found", "badge: no such badge");
    return Document(Ob2BadgeClassJson(Issuer(Service().store()).UrlsFor(*state.roster, (*d)->id),
                                      *state.catalog, *badge),
                    "application/json");
  });
}

// Hosted 2.0 assertions are public only where the student made the
// credential public: a 2.0 platform needs to fetch it.
Result<IssuedCredential> Api::PublicCredentialOf(const Context& ctx) {
  CAIRN_ASSIGN_OR_RETURN(IssuedCredential c, CredentialOf(ctx));
  CAIRN_ASSIGN_OR_RETURN(bool is_public, Service().store().CredentialIsPublic(c.id));
  if (!is_public) return Status::NotFound("credential: not shared publicly");
  return c;
}

HttpResponse Api::Ob2AssertionDocument(Context& ctx) {
  auto c = PublicCredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto revocation = Issuer(Service().store()).RevocationOf(*c);
  if (revocation.ok() && revocation->revoked) {
    // The 2.0 way to say it: 410 with the revocation.
    return JsonResponse(410, json{{"id", options_.public_url + "/ob2/assertions/" + c->uuid},
                                  {"revoked", true},
                                  {"revocationReason", revocation->reason}});
  }
  auto doc = Ob2Assertion(*c);
  if (!doc.ok()) return ErrorResponse(doc.status());
  return Document(*doc, "application/json");
}

HttpResponse Api::Ob2AssertionImage(Context& ctx) {
  auto c = PublicCredentialOf(ctx);
  if (!c.ok()) return ErrorResponse(c.status());
  auto image = BadgeImage(c->badge_code, false);
  if (!image.ok()) return ErrorResponse(image.status());
  auto baked = credentials::BakePng(*image, credentials::BadgeVersion::kOb20,
                                    options_.public_url + "/ob2/assertions/" + c->uuid);
  if (!baked.ok()) return ErrorResponse(baked.status());
  return Download(std::move(*baked), "image/png", c->badge_code + "-ob2.png");
}

HttpResponse Api::Ob2RevocationDocument(Context& ctx) {
  return model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    auto doc = Issuer(Service().store()).Ob2RevocationList(*state.roster, (*d)->id);
    if (!doc.ok()) return ErrorResponse(doc.status());
    return Document(*doc, "application/json");
  });
}

// --- Administration ------------------------------------------------------------

HttpResponse Api::GetIssuerProfile(Context& ctx) {
  return model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    if (!d.ok()) return ErrorResponse(d.status());
    CredentialIssuer issuer = Issuer(Service().store());
    auto info = issuer.InfoFor(*state.roster, (*d)->id);
    if (!info.ok()) return ErrorResponse(info.status());
    auto keys = Service().store().SigningKeys((*d)->id);
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
    return JsonResponse(200, json{{"district", (*d)->sourced_id},
                                  {"id", issuer.UrlsFor(*state.roster, (*d)->id).Issuer()},
                                  {"name", info->name},
                                  {"url", info->url},
                                  {"email", info->email},
                                  {"image", info->image},
                                  {"description", info->description},
                                  {"keys", key_list}});
  });
}

HttpResponse Api::PutIssuerProfile(Context& ctx) {
  if (!ctx.body.is_object())
    return ErrorResponse(400, "invalid_argument", "body: expected an object");
  IssuerProfile profile;
  profile.name = Str(ctx.body, "name");
  profile.url = Str(ctx.body, "url");
  profile.email = Str(ctx.body, "email");
  profile.image = Str(ctx.body, "image");
  profile.description = Str(ctx.body, "description");
  if (profile.name.empty() || profile.name.size() > 200) {
    return ErrorResponse(400, "invalid_argument",
                         "name: give the issuer's name (1-200 characters)");
  }
  for (const auto& [value, field] : {std::pair{&profile.url, "url"}, {&profile.image, "image"}}) {
    if (!value->empty() && value->rfind("https://", 0) != 0 && value->rfind("http://", 0) != 0) {
      return ErrorResponse(400, "invalid_argument",
                           std::string(field) + ": must be an http(s) address");
    }
  }
  if (!profile.email.empty() && profile.email.find('@') == std::string::npos) {
    return ErrorResponse(400, "invalid_argument", "email: not an email address");
  }
  const Id district = model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    return d.ok() ? (*d)->id : Id{0};
  });
  if (!district) return ErrorResponse(404, "not_found", "district: no such issuer");
  profile.district_id = district;
  return Write([profile](CairnService& service) {
    Status s = service.store().PutIssuerProfile(profile);
    if (!s.ok()) return ErrorResponse(s);
    return JsonResponse(200, json{{"saved", true}});
  });
}

HttpResponse Api::RotateIssuerKey(Context& ctx) {
  const Id district = model_.WithSnapshot([&](const ReadSnapshot& state) {
    auto d = DistrictParam(ctx, *state.roster);
    return d.ok() ? (*d)->id : Id{0};
  });
  if (!district) return ErrorResponse(404, "not_found", "district: no such issuer");
  return Write([this, district](CairnService& service) {
    auto key = Issuer(service.store()).RotateKey(district);
    if (!key.ok()) return ErrorResponse(key.status());
    return JsonResponse(200, json{{"key_id", key->key_id}, {"public_key", key->public_key}});
  });
}

}  // namespace cairn
