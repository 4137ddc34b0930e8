// Portfolio files: streaming multipart upload into the content-addressed
// blob store, download, previews (image thumbnails, PDF pages) and the
// portfolio export (a zip with an index.html that opens offline).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>

#include "evidence/portfolio.h"
#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class BlobStore;

// A portfolio file's bytes (streamed from the blob store), with its type
// and a safe download name.
HttpResponse ArtifactFileResponse(const BlobStore& blobs, const Artifact& artifact);
// An image thumbnail or a PDF page as PNG (`query`: width, page), rendered
// once and kept beside the blob.
HttpResponse ArtifactPreviewResponse(const BlobStore& blobs, const Artifact& artifact,
                                     const std::map<std::string, std::string>& query);

// A file shown without its author (calibration, peer review): its preview,
// or its bytes with a photo's metadata stripped (whenever it was stored) and
// `name` for the stored name, which may carry the student's.
HttpResponse AnonymousArtifactResponse(const BlobStore& blobs, const Artifact& artifact,
                                       const std::map<std::string, std::string>& query,
                                       const std::string& name);

class FileHandlers {
 public:
  explicit FileHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<FileHandlers>> Routes();
  // The sink an upload's body streams into once the pipeline has allowed
  // it (Api::StreamBody); null when the Content-Type has no boundary.
  std::shared_ptr<BodySink> OpenUpload(const HttpRequest& head);

 private:
  HttpResponse UploadArtifacts(RequestContext& ctx);
  HttpResponse GetArtifact(RequestContext& ctx);
  HttpResponse ArtifactPreview(RequestContext& ctx);
  HttpResponse ArtifactPages(RequestContext& ctx);
  HttpResponse ExportPortfolio(RequestContext& ctx);

  bool MaySeeArtifact(const RequestContext& ctx, const Artifact& artifact);
  Result<Artifact> ArtifactOf(const RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
