// Portfolio files: streaming multipart upload into the content-addressed
// blob store, download, previews (image thumbnails, PDF pages) and the
// portfolio export (a zip with an index.html that opens offline).
#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "credentials/utf8.h"
#include "evidence/files/blob_store.h"
#include "evidence/files/content_type.h"
#include "evidence/files/file_name.h"
#include "evidence/files/image_metadata.h"
#include "evidence/files/preview.h"
#include "server/handlers/file_handlers.h"
#include "server/handlers/portfolio_handlers.h"
#include "server/multipart.h"
#include "server/policy.h"
#include "server/request_guard.h"
#include "server/responses.h"
#include "service/crypto.h"
#include "service/portfolio_service.h"

namespace cairn {

using nlohmann::json;
namespace {

constexpr std::uint64_t kMaxFileBytes = 25ull * 1024 * 1024;
constexpr std::int64_t kStudentQuotaBytes = 1024ll * 1024 * 1024;
constexpr int kMaxFilesPerUpload = 10;

struct UploadedBlob {
  std::string field_name;
  std::string given_name;
  BlobRef blob;
};

// Streams each file part into the blob store as it arrives.
class UploadSink : public MultipartSink {
 public:
  UploadSink(const BlobStore& blobs, std::uint64_t budget) : blobs_(blobs), budget_(budget) {}

  Status OnField(const MultipartPartHeaders&, std::string) override { return Status::Ok(); }
  Status OnFileBegin(const MultipartPartHeaders& part) override {
    if (static_cast<int>(files()) >= kMaxFilesPerUpload) {
      return Status::InvalidField(
          "file", "at most " + std::to_string(kMaxFilesPerUpload) + " files per upload");
    }
    current_name_ = part.filename.value_or("");
    const std::uint64_t limit = std::min<std::uint64_t>(kMaxFileBytes, budget_);
    limit_ = limit;
    auto writer = blobs_.BeginWrite(limit);
    if (!writer.ok()) return writer.status();
    writer_.emplace(std::move(*writer));
    return Status::Ok();
  }
  Status OnFileData(std::string_view data) override {
    Status s = writer_->Append(data);
    if (!s.ok()) {
      return Status::AtField(
          StatusCode::kResourceExhausted, Display(),
          "larger than " + std::to_string(limit_ / (1024 * 1024)) +
              (limit_ < kMaxFileBytes ? " MB (the student's storage is nearly full)" : " MB"));
    }
    return Status::Ok();
  }
  Status OnFileEnd() override {
    // Committing fsyncs: left to CommitAll, on a worker thread, so the I/O
    // thread that is receiving the body never waits for the disk.
    budget_ -= std::min(budget_, writer_->size());
    pending_.emplace_back(current_name_, std::move(*writer_));
    writer_.reset();
    return Status::Ok();
  }

  Status CommitAll() {
    for (auto& [name, writer] : pending_) {
      CAIRN_ASSIGN_OR_RETURN(BlobRef ref, writer.Commit());
      done_.push_back({"file", name, ref});
    }
    pending_.clear();
    return Status::Ok();
  }
  std::size_t files() const { return pending_.size() + done_.size(); }

  std::vector<UploadedBlob>& done() { return done_; }

 private:
  std::string Display() const { return current_name_.empty() ? "file" : current_name_; }

  const BlobStore& blobs_;
  std::uint64_t budget_;
  std::uint64_t limit_ = 0;
  std::string current_name_;
  std::optional<BlobWriter> writer_;
  std::vector<std::pair<std::string, BlobWriter>> pending_;
  std::vector<UploadedBlob> done_;
};

// An upload parsed as it arrives: the server feeds the socket's bytes here,
// file parts stream into the blob store, and the handler picks up the result.
class UploadStream : public BodySink {
 public:
  UploadStream(const BlobStore& blobs, std::string boundary, std::uint64_t budget)
      : sink_(blobs, budget), parser_(std::move(boundary), sink_) {}
  Status Write(std::string_view chunk) override { return parser_.Feed(chunk); }
  Status Finish() override {
    CAIRN_RETURN_IF_ERROR(parser_.Finish());
    if (sink_.files() == 0) return Status::InvalidField("file", "no file in the upload");
    return Status::Ok();
  }
  UploadSink& sink() { return sink_; }

 private:
  UploadSink sink_;
  MultipartParser parser_;
};

Status FeedBody(const HttpRequest& request, MultipartParser& parser) {
  if (request.body_file.empty()) return parser.Feed(request.body);
  std::ifstream in(request.body_file, std::ios::binary);
  if (!in) return Status::Internal("upload spool file is gone");
  std::string chunk(256 * 1024, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    CAIRN_RETURN_IF_ERROR(
        parser.Feed(std::string_view(chunk.data(), static_cast<std::size_t>(got))));
  }
  return Status::Ok();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The image at `path` without its metadata, stored as a blob of its own
// (the original is removed unless something else refers to it).
Result<BlobRef> StripMetadataBlob(const BlobStore& blobs, const BlobRef& original,
                                  const std::filesystem::path& path, const std::string& mime,
                                  Store& store) {
  CAIRN_ASSIGN_OR_RETURN(std::string clean, StripImageMetadata(ReadFile(path), mime));
  if (clean.size() == original.size) return original;  // nothing to remove
  CAIRN_ASSIGN_OR_RETURN(BlobWriter writer, blobs.BeginWrite(clean.size()));
  CAIRN_RETURN_IF_ERROR(writer.Append(std::string_view(clean)));
  CAIRN_ASSIGN_OR_RETURN(BlobRef stripped, writer.Commit());
  auto referenced = store.BlobReferenced(original.sha256);
  if (referenced.ok() && !*referenced) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  return stripped;
}

Result<std::filesystem::path> ExistingBlob(const BlobStore& blobs, const Artifact& artifact) {
  CAIRN_ASSIGN_OR_RETURN(std::filesystem::path path, blobs.PathOf(artifact.sha256));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::AtField(StatusCode::kNotFound, "artifact",
                           "the file's content is missing from storage");
  }
  return path;
}

}  // namespace

std::shared_ptr<BodySink> FileHandlers::OpenUpload(const HttpRequest& head) {
  auto boundary = MultipartBoundary(head.Header("content-type").value_or(""));
  if (!boundary.ok()) return nullptr;  // the handler explains
  // Per-file limit here; the student's quota is checked once the files are in.
  return std::make_shared<UploadStream>(services_.Blobs(), *boundary,
                                        kMaxFileBytes * kMaxFilesPerUpload);
}

HttpResponse FileHandlers::UploadArtifacts(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  auto boundary = MultipartBoundary(ctx.request.Header("content-type").value_or(""));
  if (!boundary.ok()) {
    return ErrorResponse(Status::InvalidField(
        "body", "send the files as multipart/form-data (" + boundary.status().message() + ")"));
  }
  auto used = services_.Service().store().ArtifactBytes(ctx.student->id);
  if (!used.ok()) return ErrorResponse(used.status());
  if (*used >= kStudentQuotaBytes) {
    return ErrorResponse(413, "payload_too_large",
                         "file: the student's portfolio storage (1 GB) is full", "file");
  }
  const BlobStore& blobs = services_.Blobs();
  const std::uint64_t budget = static_cast<std::uint64_t>(kStudentQuotaBytes - *used);
  // Streamed by the server as it arrived, or (tests, spooled bodies) parsed now.
  std::optional<UploadSink> local_sink;
  UploadSink* sink_ptr = nullptr;
  Status parsed;
  if (auto* stream = dynamic_cast<UploadStream*>(ctx.request.body_sink.get())) {
    sink_ptr = &stream->sink();
    parsed = sink_ptr->CommitAll();
    std::uint64_t total = 0;
    for (const UploadedBlob& up : sink_ptr->done()) total += up.blob.size;
    if (parsed.ok() && total > budget) {
      parsed = Status::AtField(StatusCode::kResourceExhausted, "file",
                               "larger than the student's remaining storage");
    }
  } else {
    local_sink.emplace(blobs, budget);
    sink_ptr = &*local_sink;
    MultipartParser parser(*boundary, *sink_ptr);
    parsed = FeedBody(ctx.request, parser);
    if (parsed.ok()) parsed = parser.Finish();
    if (parsed.ok()) parsed = sink_ptr->CommitAll();
    if (parsed.ok() && sink_ptr->done().empty()) {
      parsed = Status::InvalidField("file", "no file in the upload");
    }
  }
  UploadSink& sink = *sink_ptr;

  // Check every file before storing any: a refused upload leaves nothing.
  struct Accepted {
    UploadedBlob upload;
    ContentType type;
    std::string name;
  };
  std::vector<Accepted> accepted;
  for (UploadedBlob& up : sink.done()) {
    if (!parsed.ok()) break;
    auto path = blobs.PathOf(up.blob.sha256);
    if (!path.ok()) {
      parsed = path.status();
      break;
    }
    auto type = DetectContentType(*path);
    if (!type.ok()) {
      // Named as the student named it (made safe to show), extension kept.
      const std::string& given = up.given_name;
      const auto dot = given.rfind('.');
      const std::string ext = dot == std::string::npos ? "" : given.substr(dot + 1);
      parsed = Status::InvalidField(SanitizeFileName(given, ext.size() <= 10 ? ext : ""),
                                    type.status().message());
      break;
    }
    if (type->mime == "image/jpeg" || type->mime == "image/png") {
      // Stored without its metadata (location, device, time): a new blob.
      auto clean =
          StripMetadataBlob(blobs, up.blob, *path, type->mime, services_.Service().store());
      if (!clean.ok()) {
        parsed = Status::InvalidField(SanitizeFileName(up.given_name, type->extension),
                                      clean.status().message());
        break;
      }
      up.blob = *clean;
    }
    accepted.push_back({up, *type, SanitizeFileName(up.given_name, type->extension)});
  }
  if (!parsed.ok()) {
    // The refused upload's blobs stay until `cairn blobs sweep` (which waits
    // out a grace period): deleting them here raced with a concurrent upload
    // of the same bytes, whose record was not written yet, and lost its file.
    return ErrorResponse(parsed);
  }
  return services_.Write([this, accepted, who = *ctx.who,
                          student = *ctx.student](CairnService& service) {
    return services_.model().Read([&](const ReadState& state) {
      if (!service.has_catalog()) return ErrorResponse(409, "failed_precondition", "no catalog");
      PortfolioService portfolio(service.store(), *state.roster, service.catalog(),
                                 services_.options().clock);
      const Person* fresh = state.roster->FindPerson(student.id);
      Actor actor{who.person, fresh && CanWriteStudent(*state.roster, who, *fresh)};
      json out = json::array();
      for (const Accepted& a : accepted) {
        auto id = portfolio.RecordArtifact(actor, student, a.upload.blob.sha256,
                                           static_cast<std::int64_t>(a.upload.blob.size),
                                           a.type.mime, a.name);
        if (!id.ok()) return ErrorResponse(id.status());
        out.push_back({{"id", *id},
                       {"name", a.name},
                       {"mime", a.type.mime},
                       {"size", a.upload.blob.size},
                       {"sha256", a.upload.blob.sha256},
                       {"kind", ContentKindName(a.type.kind)},
                       {"preview", (a.type.mime == "image/png" || a.type.mime == "image/jpeg") ||
                                       a.type.kind == ContentKind::kPdf}});
      }
      return JsonResponse(201, json{{"artifacts", std::move(out)}});
    });
  });
}

// Guardians see a file only through a submission the student shared.
bool FileHandlers::MaySeeArtifact(const RequestContext& ctx, const Artifact& artifact) {
  if (!ctx.who || ctx.who->person.role != PersonRole::kGuardian) return true;
  auto records = services_.Service().store().LoadSubmissions(artifact.student_id);
  if (!records.ok()) return false;
  for (const SubmissionRecord& r : *records) {
    if (!PortfolioService::GuardianMaySee(FoldSubmission(r))) continue;
    for (const SubmissionVersion& v : r.versions) {
      if (std::find(v.artifact_ids.begin(), v.artifact_ids.end(), artifact.id) !=
          v.artifact_ids.end()) {
        return true;
      }
    }
  }
  return false;
}

Result<Artifact> FileHandlers::ArtifactOf(const RequestContext& ctx) {
  auto it = ctx.params.find("artifact");
  if (it == ctx.params.end() || it->second.empty() || it->second.size() > 18 ||
      it->second.find_first_not_of("0123456789") != std::string::npos) {
    return Status::AtField(StatusCode::kNotFound, "artifact", "no such file");
  }
  CAIRN_ASSIGN_OR_RETURN(auto artifact,
                         services_.Service().store().FindArtifact(std::stoll(it->second)));
  if (!artifact || !MaySeeArtifact(ctx, *artifact))
    return Status::AtField(StatusCode::kNotFound, "artifact", "no such file");
  return *artifact;
}

HttpResponse ArtifactFileResponse(const BlobStore& blobs, const Artifact& artifact) {
  auto path = ExistingBlob(blobs, artifact);
  if (!path.ok()) return ErrorResponse(path.status());
  HttpResponse response;
  response.content_type = artifact.mime;
  const bool show_inline =
      artifact.mime.rfind("image/", 0) == 0 || artifact.mime == "application/pdf";
  response.headers.push_back(
      {"Content-Disposition", ContentDispositionValue(artifact.name, show_inline)});
  // Student files never run as active content in the app's origin.
  response.headers.push_back(
      {"Content-Security-Policy",
       "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"});
  response.headers.push_back({"Cache-Control", "private, max-age=3600"});
  response.body_file = path->string();  // streamed: a 25 MB file is never in memory
  return response;
}

HttpResponse AnonymousArtifactResponse(const BlobStore& blobs, const Artifact& artifact,
                                       const std::map<std::string, std::string>& query,
                                       const std::string& name) {
  if (query.count("preview") || query.count("page")) {
    return ArtifactPreviewResponse(blobs, artifact, query);
  }
  HttpResponse r = ArtifactFileResponse(blobs, artifact);
  if (!r.body_file.empty() && (artifact.mime == "image/jpeg" || artifact.mime == "image/png")) {
    std::ifstream in(r.body_file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    auto stripped = StripImageMetadata(bytes, artifact.mime);
    if (!stripped.ok()) return ErrorResponse(stripped.status());
    r.body = std::move(*stripped);
    r.body_file.clear();
  }
  for (auto& [key, value] : r.headers) {
    if (key == "Content-Disposition") value = "inline; filename=\"" + name + "\"";
  }
  return r;
}

HttpResponse ArtifactPreviewResponse(const BlobStore& blobs, const Artifact& artifact,
                                     const std::map<std::string, std::string>& query) {
  auto path = ExistingBlob(blobs, artifact);
  if (!path.ok()) return ErrorResponse(path.status());
  auto type = DetectContentType(*path);
  if (!type.ok()) return ErrorResponse(type.status());
  const int page = query.count("page")
                       ? static_cast<int>(BoundedNumber(query.at("page"), 0, 100000).value_or(-1))
                       : 0;
  if (page < 0) return ErrorResponse(Status::InvalidField("page", "expected 0 to 100000"));
  // Previews are derived data: cached beside the blobs, keyed by content.
  const std::filesystem::path cache =
      blobs.root() / "previews" / (artifact.sha256 + "-" + std::to_string(page) + ".png");
  std::error_code ec;
  std::string png;
  if (std::filesystem::is_regular_file(cache, ec)) {
    png = ReadFile(cache);
  } else {
    Result<RenderedImage> image = Status::Invalid("");
    if (page > 0) {
      if (type->kind != ContentKind::kPdf) {
        return ErrorResponse(Status::InvalidField("page", "only PDFs have pages"));
      }
      image = RenderPdfPage(*path, page - 1);
    } else {
      image = MakeThumbnail(*path, *type);
    }
    if (!image.ok()) return ErrorResponse(image.status());
    png = std::move(image->png);
    std::filesystem::create_directories(cache.parent_path(), ec);
    const auto temp =
        cache.string() + ".tmp" + std::to_string(reinterpret_cast<std::uintptr_t>(&png));
    {
      std::ofstream out(temp, std::ios::binary);
      out << png;
    }
    std::filesystem::rename(temp, cache, ec);
  }
  HttpResponse response;
  response.content_type = "image/png";
  response.headers.push_back({"Cache-Control", "private, max-age=86400"});
  response.body = std::move(png);
  return response;
}

HttpResponse FileHandlers::GetArtifact(RequestContext& ctx) {
  auto artifact = ArtifactOf(ctx);
  if (!artifact.ok()) return ErrorResponse(artifact.status());
  return ArtifactFileResponse(services_.Blobs(), *artifact);
}

HttpResponse FileHandlers::ArtifactPreview(RequestContext& ctx) {
  auto artifact = ArtifactOf(ctx);
  if (!artifact.ok()) return ErrorResponse(artifact.status());
  return ArtifactPreviewResponse(services_.Blobs(), *artifact, ctx.request.Query());
}

HttpResponse FileHandlers::ArtifactPages(RequestContext& ctx) {
  auto artifact = ArtifactOf(ctx);
  if (!artifact.ok()) return ErrorResponse(artifact.status());
  if (artifact->mime != "application/pdf") return JsonResponse(200, json{{"pages", 1}});
  auto path = ExistingBlob(services_.Blobs(), *artifact);
  if (!path.ok()) return ErrorResponse(path.status());
  auto pages = PdfPageCount(*path);
  if (!pages.ok()) return ErrorResponse(pages.status());
  return JsonResponse(200, json{{"pages", *pages}});
}

// The whole portfolio as a zip: every version's files, the history as JSON,
// and an index.html that works offline (relative links only).
namespace {

// A temporary file removed when the export fails half-way (an exception
// included); Release() hands it to the response, which deletes it once sent.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }
  std::string Release() { return std::exchange(path_, std::string()); }

 private:
  std::string path_;
};

// A zip written entry by entry; every libarchive call is checked, and files
// are copied in slices, never read whole.
class ZipWriter {
 public:
  explicit ZipWriter(const std::string& path) : zip_(archive_write_new()) {
    if (!zip_ || archive_write_set_format_zip(zip_) != ARCHIVE_OK ||
        archive_write_open_filename(zip_, path.c_str()) != ARCHIVE_OK) {
      status_ = Failure("opening");
    }
  }
  ~ZipWriter() {
    if (zip_) archive_write_free(zip_);  // closes if still open
  }
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  void AddText(const std::string& name, const std::string& bytes, Instant mtime) {
    if (!Header(name, static_cast<std::int64_t>(bytes.size()), mtime)) return;
    Data(bytes.data(), bytes.size());
  }
  void AddFile(const std::string& name, const std::filesystem::path& file, Instant mtime) {
    if (!status_.ok()) return;
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    std::ifstream in(file, std::ios::binary);
    if (ec || !in) {
      status_ = Status::Internal("export: cannot read " + file.filename().string());
      return;
    }
    if (!Header(name, static_cast<std::int64_t>(size), mtime)) return;
    std::vector<char> buffer(256 * 1024);
    while (status_.ok() && in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      if (in.gcount() > 0) Data(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
  }
  Status Close() {
    if (status_.ok() && archive_write_close(zip_) != ARCHIVE_OK) status_ = Failure("closing");
    return status_;
  }

 private:
  bool Header(const std::string& name, std::int64_t size, Instant mtime) {
    if (!status_.ok()) return false;
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(size));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_mtime(entry, mtime, 0);
    const int rc = archive_write_header(zip_, entry);
    archive_entry_free(entry);
    if (rc != ARCHIVE_OK) status_ = Failure("writing " + name);
    return status_.ok();
  }
  void Data(const char* bytes, std::size_t size) {
    if (archive_write_data(zip_, bytes, size) != static_cast<la_ssize_t>(size)) {
      status_ = Failure("writing data");
    }
  }
  Status Failure(const std::string& what) {
    const char* detail = zip_ ? archive_error_string(zip_) : nullptr;
    return Status::Internal("export: " + what + (detail ? std::string(": ") + detail : ""));
  }

  struct archive* zip_;
  Status status_;
};

}  // namespace

HttpResponse FileHandlers::ExportPortfolio(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  Store& store = services_.Service().store();
  auto records = store.LoadSubmissions(ctx.student->id);
  if (!records.ok()) return ErrorResponse(records.status());
  const bool guardian = ctx.who->person.role == PersonRole::kGuardian;
  const Instant now = services_.options().clock();

  TempFile zip_file(
      (std::filesystem::temp_directory_path() / ("cairn-export-" + RandomToken(10) + ".zip"))
          .string());
  ZipWriter zip(zip_file.path());
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width\"><title>Portfolio of " +
      credentials::XmlEscape(ctx.student->DisplayName()) +
      "</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem "
      "auto;padding:0 1rem;line-height:1.5}section{border:1px solid #ccc;border-radius:8px;"
      "padding:1rem;margin:1rem 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}"
      "</style></head><body><h1>Portfolio of " +
      credentials::XmlEscape(ctx.student->DisplayName()) + "</h1><p>Exported from Cairn on " +
      FormatInstant(now) +
      ". Every version of every piece of work is here, with the feedback and ratings.</p>";
  json data = json::array();
  std::set<Id> written;
  std::vector<std::pair<std::string, std::string>> files;  // zip name, sha256
  // Rendering needs the read model; copying files must not hold its lock.
  services_.model().Read([&](const ReadState& state) {
    for (const SubmissionRecord& r : *records) {
      const SubmissionView view = FoldSubmission(r);
      if (guardian && !PortfolioService::GuardianMaySee(view)) continue;
      json item = SubmissionJson(state, store, r, false, services_.Now());
      html += "<section><h2>" +
              credentials::XmlEscape(r.submission.badge_code + " · " + r.submission.title) +
              "</h2><p>State: " + std::string(SubmissionStateName(view.state)) + "</p>";
      for (const SubmissionVersion& v : r.versions) {
        html += "<h3>Version " + std::to_string(v.number) + " (" + FormatInstant(v.at) + ")</h3>";
        if (!v.text.empty()) html += "<pre>" + credentials::XmlEscape(v.text) + "</pre>";
        if (!v.link.empty()) {
          html += "<p>Link: <a href=\"" + credentials::XmlEscape(v.link) + "\">" +
                  credentials::XmlEscape(v.link) + "</a></p>";
        }
        if (!v.reflection.empty())
          html += "<p><em>Reflection:</em> " + credentials::XmlEscape(v.reflection) + "</p>";
        for (Id artifact_id : v.artifact_ids) {
          auto a = store.FindArtifact(artifact_id);
          if (!a.ok() || !*a) continue;
          const std::string file = "files/" + std::to_string((*a)->id) + "-" + (*a)->name;
          if (written.insert((*a)->id).second) files.emplace_back(file, (*a)->sha256);
          html += "<p>File: <a href=\"" + credentials::XmlEscape(file) + "\">" +
                  credentials::XmlEscape((*a)->name) + "</a></p>";
        }
      }
      for (const PortfolioEvent& e : r.events) {
        if (e.kind != PortfolioEventKind::kFeedback &&
            e.kind != PortfolioEventKind::kRequestRevision) {
          continue;
        }
        const Person* author = state.roster->FindPerson(e.actor);
        html += "<p><strong>" + credentials::XmlEscape(author ? author->DisplayName() : "Teacher") +
                "</strong> (" + FormatInstant(e.at) + "): " + credentials::XmlEscape(e.message) +
                "</p>";
      }
      for (const json& rating : item["ratings"]) {
        html += "<p>Rated " + credentials::XmlEscape(rating.value("cpe", "")) + ": " +
                credentials::XmlEscape(rating.value("level", "")) + "</p>";
      }
      html += "</section>";
      data.push_back(std::move(item));
    }
  });
  html += "</body></html>\n";
  for (const auto& [name, sha256] : files) {
    // A blob missing from the store (a damaged disk, a partial restore)
    // must not cost the student the rest of their portfolio: it is left
    // out, and the log says so.
    auto path = services_.Blobs().PathOf(sha256);
    std::error_code ec;
    if (path.ok() && std::filesystem::is_regular_file(*path, ec)) {
      zip.AddFile(name, *path, now);
    } else {
      ApiServices::LogServerError(ctx.request.request_id, "export", "missing blob " + sha256);
    }
  }
  zip.AddText("index.html", html, now);
  zip.AddText("portfolio.json", data.dump(2), now);
  if (Status s = zip.Close(); !s.ok()) return ErrorResponse(s);
  HttpResponse response;
  response.content_type = "application/zip";
  response.headers.push_back(
      {"Content-Disposition",
       ContentDispositionValue("portfolio-" + ctx.student->sourced_id + ".zip", false)});
  response.body_file = zip_file.Release();
  response.delete_body_file = true;
  return response;
}

std::vector<GroupRoute<FileHandlers>> FileHandlers::Routes() {
  using G = FileHandlers;
  return {
      {{"POST", "/api/v1/students/{student}/artifacts", AccessRule::kPortfolioWrite, true,
        Work::kByMethod, BodyKind::kUpload},
       &G::UploadArtifacts},
      {{"GET", "/api/v1/artifacts/{artifact}", AccessRule::kStudentRead, true, Work::kSlow},
       &G::GetArtifact},
      {{"GET", "/api/v1/artifacts/{artifact}/preview", AccessRule::kStudentRead, true, Work::kSlow},
       &G::ArtifactPreview},
      {{"GET", "/api/v1/artifacts/{artifact}/pages", AccessRule::kStudentRead, true, Work::kSlow},
       &G::ArtifactPages},
      {{"GET", "/api/v1/students/{student}/portfolio.zip", AccessRule::kStudentRead, true,
        Work::kSlow},
       &G::ExportPortfolio},
  };
}

}  // namespace cairn
