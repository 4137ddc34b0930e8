#include "server/api_services.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "credentials/public_url_policy.h"
#include "evidence/files/blob_store.h"
#include "server/responses.h"
#include "service/crypto.h"
#include "store/open_store.h"

namespace cairn {

using nlohmann::json;

ApiServices::ApiServices(ApiOptions options) : options_(std::move(options)) {
  if (options_.files_dir.empty()) options_.files_dir = options_.db_path + "-files";
  if (!options_.open_store) options_.open_store = StoreFactoryFor(options_.db_path);
  if (options_.public_url.empty()) options_.public_url = "http://localhost";
  while (!options_.public_url.empty() && options_.public_url.back() == '/') {
    options_.public_url.pop_back();
  }
  issuance_blocked_ = IssuanceBlockedReason(options_.public_url, options_.dev);
  static std::atomic<std::uint64_t> next_serial{1};
  serial_ = next_serial++;
  (void)InitCrypto();
  audit_ = std::make_unique<AuditSink>(options_.open_store);
  writer_ = std::make_unique<GroupCommit>(options_.open_store, options_.clock,
                                          [this](Store& store) { (void)model_.Refresh(store); });
  NotifierOptions notify;
  notify.public_url = options_.public_url;
  notify.mail_from = options_.mail_from;
  notify_ = std::make_unique<NotifyLoop>(options_.open_store, options_.mailer, notify,
                                         options_.clock, model_, options_.notify_every_ms);
  if (IsPostgresLocation(options_.db_path)) {
    // Several servers may share the database: each follows the others'
    // writes as they commit, and polls only as the fallback.
    changes_ = std::make_unique<PgChangeListener>(
        ParseStoreLocation(options_.db_path).target, [this] { model_.NoteExternalChange(); },
        [this](bool listening) {
          model_.SetFollowed(listening);
          if (!listening) {
            std::cerr << "{\"level\":\"warning\",\"where\":\"changes\",\"message\":"
                         "\"lost the PostgreSQL notification connection; polling every 10 ms "
                         "until it is back\"}\n";
          }
        });
  }
}

ApiServices::~ApiServices() {
  notify_.reset();    // reads the model; may be mid-round
  issuance_.reset();  // its batches are jobs of the writer
  changes_.reset();   // its callbacks use the read model
  writer_.reset();    // runs what is queued first
  audit_.reset();     // writes what is buffered
}

CairnService& ApiServices::Service() {
  // One connection per thread and Api: SQLite connections are not shared.
  // Keyed by a serial number, not the address, which a later Api may reuse.
  thread_local std::map<std::uint64_t, std::unique_ptr<CairnService>> services;
  auto& service = services[serial_];
  if (!service) {
    auto store = options_.open_store();
    if (!store.ok()) throw std::runtime_error(store.status().ToString());
    auto opened = CairnService::Open(std::move(store).value(), options_.clock);
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    service = std::move(opened).value();
  }
  return *service;
}

HttpResponse ApiServices::Write(std::function<HttpResponse(CairnService&)> job) {
  return writer_->Submit(std::move(job));
}

HttpResponse ApiServices::WaitFor(HttpResponse response) {
  return response.pending ? response.pending->Wait() : response;
}

void ApiServices::Audit(AuditEntry entry) { audit_->Append(std::move(entry)); }

void ApiServices::AuditRefusal(const RequestContext& ctx, const HttpResponse& response,
                               const std::string& why) {
  AuditEntry entry;
  entry.at = Now();
  if (ctx.who) entry.actor_person_id = ctx.who->person.id;
  entry.action = "refused";
  entry.resource = ctx.request.method + " " + std::string(ctx.request.Path());
  if (ctx.student) entry.student_id = ctx.student->id;
  entry.request_id = ctx.request.request_id;
  entry.status = response.status;
  entry.detail = why + (ctx.request.remote.empty() ? "" : " (from " + ctx.request.remote + ")");
  Audit(std::move(entry));
}

void ApiServices::FlushAudit() { audit_->Flush(); }

const BlobStore& ApiServices::Blobs() {
  std::call_once(blobs_once_, [this] { blobs_ = std::make_unique<BlobStore>(options_.files_dir); });
  return *blobs_;
}

const KeyVault& ApiServices::Vault() {
  std::call_once(vault_once_, [this] {
    // Beside the database file, or beside the files folder when the
    // database is a PostgreSQL server.
    auto vault = KeyVault::Open(IsPostgresLocation(options_.db_path)
                                    ? options_.files_dir + ".master-key"
                                    : DefaultMasterKeyPath(options_.db_path));
    if (!vault.ok()) throw std::runtime_error(vault.status().ToString());
    vault_ = std::make_unique<KeyVault>(*vault);
  });
  return *vault_;
}

CredentialIssuer ApiServices::Issuer(Store& store) {
  IssuerOptions issuer{options_.public_url, options_.clock};
  issuer.status_list_cache = &status_lists_;
  issuer.signatures = options_.signatures;
  issuer.issuance_blocked = issuance_blocked_;
  return CredentialIssuer(store, Vault(), std::move(issuer));
}

Status ApiServices::IssuePending(CairnService& service, const ReadState& state, Id student) {
  if (!service.has_catalog()) return Status::Ok();
  CredentialIssuer issuer = Issuer(service.store());
  return issuer.IssuePending(service.catalog(), *state.roster, student).status();
}

Result<int> ApiServices::IssuePendingBatch(const std::vector<Id>& students) {
  int issued = 0;
  HttpResponse response = Write([&](CairnService& service) {
    return model_.WithSnapshot([&](const ReadSnapshot& state) {
      if (!service.has_catalog()) return JsonResponse(200, json::object());
      CredentialIssuer issuer = Issuer(service.store());
      // Both keys of each district first, as a request would make them.
      std::vector<Id> districts;
      for (Id id : students) {
        if (const Person* p = state.roster->FindPerson(id)) districts.push_back(p->district_id);
      }
      std::sort(districts.begin(), districts.end());
      districts.erase(std::unique(districts.begin(), districts.end()), districts.end());
      for (Id district : districts) {
        for (KeyAlgorithm algorithm : {KeyAlgorithm::kEd25519, KeyAlgorithm::kP256}) {
          if (auto key = issuer.ActiveKey(district, algorithm); !key.ok()) {
            return ErrorResponse(key.status());
          }
        }
      }
      const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      auto made = issuer.IssuePendingMany(service.catalog(), *state.roster, students, threads);
      if (!made.ok()) return ErrorResponse(made.status());
      issued = static_cast<int>(made->size());
      return JsonResponse(200, json::object());
    });
  });
  response = WaitFor(std::move(response));
  if (response.status != 200) return Status::Internal("issuing credentials: " + response.body);
  return issued;
}

void ApiServices::StartIssuingPending(std::ostream* log) {
  std::lock_guard lock(issuance_mutex_);
  if (issuance_ && issuance_->Progress().state != IssuanceProgress::State::kDone) return;
  auto list = [this]() -> Result<std::vector<Id>> {
    CAIRN_RETURN_IF_ERROR(model_.Refresh(Service().store()));
    return model_.WithSnapshot([&](const ReadSnapshot& state) {
      std::vector<Id> students;
      for (const Person& p : state.roster->people) {
        if (p.role == PersonRole::kStudent) students.push_back(p.id);
      }
      return students;
    });
  };
  PendingIssuance::Options options;
  options.log = log;
  issuance_ = std::make_unique<PendingIssuance>(
      list, [this](const std::vector<Id>& students) { return IssuePendingBatch(students); },
      options);
}

IssuanceProgress ApiServices::IssuanceStatus() const {
  std::lock_guard lock(issuance_mutex_);
  return issuance_ ? issuance_->Progress() : IssuanceProgress{};
}

Result<int> ApiServices::IssueAllPending() {
  StartIssuingPending(nullptr);
  std::lock_guard lock(issuance_mutex_);
  issuance_->Wait();
  const IssuanceProgress done = issuance_->Progress();
  if (done.failed_batches > 0) return Status::Internal("issuing credentials: " + done.first_error);
  return static_cast<int>(done.issued);
}

void ApiServices::LogServerError(const std::string& request_id, const std::string& route,
                                 const std::string& what) {
  const json line{
      {"level", "error"}, {"request_id", request_id}, {"route", route}, {"error", what}};
  std::cerr << line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace cairn
