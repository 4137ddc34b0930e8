// Peer review over HTTP (issue #15; agency/peer_review.h):
//
//   POST /api/v1/submissions/{submission}/peer-reviews   {reviewer, prompt}
//   GET  /api/v1/submissions/{submission}/peer-reviews
//   GET  /api/v1/peer-reviews                            the caller's own to do
//   GET  /api/v1/peer-reviews/{review}                   the work, without its author
//   GET  /api/v1/peer-reviews/{review}/files/{artifact}  its files, anonymized
//   POST /api/v1/peer-reviews/{review}/answer            {strength, suggestion}
//
// Access is decided on the record the path names. A submission's peer
// reviews: the author's teachers assign them (kStudentWrite on the author);
// whoever may read the author's work reads them, and only staff see who the
// reviewer is. A review ({review}) resolves to its reviewer (server/
// subjects.h), so kSelf lets only that classmate read the work and answer;
// its files are only those of the version under review. The reviewer must
// be a student in one of the author's sections, not the author, at most
// four per submission, and the work must have been submitted.
#pragma once

#include <vector>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class PeerReviewHandlers {
 public:
  explicit PeerReviewHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<PeerReviewHandlers>> Routes();

 private:
  HttpResponse Assign(RequestContext& ctx);
  HttpResponse OfSubmission(RequestContext& ctx);
  HttpResponse Mine(RequestContext& ctx);
  HttpResponse Get(RequestContext& ctx);
  HttpResponse File(RequestContext& ctx);
  HttpResponse Answer(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
