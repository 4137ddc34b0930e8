// Portfolio routes: submissions, versions, review actions, ratings from a
// submission, version comparison, the review queue and the exemplar bank.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evidence/portfolio.h"
#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

// A submission as the API shows it: its summary, every kept version, the
// review events and the ratings linked to it; `anonymous` (calibration)
// leaves out who the student is and everything but the work.
nlohmann::json SubmissionJson(const ReadState& state, Store& store, const SubmissionRecord& r,
                              bool anonymous, Instant now);

class PortfolioHandlers {
 public:
  explicit PortfolioHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<PortfolioHandlers>> Routes();

 private:
  HttpResponse ListSubmissions(RequestContext& ctx);
  HttpResponse CreateSubmission(RequestContext& ctx);
  HttpResponse GetSubmission(RequestContext& ctx);
  HttpResponse AddSubmissionVersion(RequestContext& ctx);
  HttpResponse SubmissionAction(RequestContext& ctx);
  HttpResponse SubmissionRatings(RequestContext& ctx);
  HttpResponse CompareVersions(RequestContext& ctx);
  HttpResponse ReviewQueue(RequestContext& ctx);
  HttpResponse ListExemplars(RequestContext& ctx);

  Result<SubmissionRecord> LoadVisibleSubmission(RequestContext& ctx, const ReadState& state);

  ApiServices& services_;
};

}  // namespace cairn
