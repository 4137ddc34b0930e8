// Ratings and awards: recording, voiding and habits of work; award
// steps and the pending queue; a student's progress, evidence and the
// explanation of a badge.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mastery/awards.h"
#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

// A student's award of one badge as of `state` (none: AwardState::kNone).
AwardRecord AwardOf(const ReadState& state, Id student, const std::string& code);
// {"state", "confirmed_on" | "reason"}.
nlohmann::json AwardJson(const AwardRecord& record);

class LedgerHandlers {
 public:
  explicit LedgerHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<LedgerHandlers>> Routes();

 private:
  HttpResponse PostRating(RequestContext& ctx);
  HttpResponse VoidRating(RequestContext& ctx);
  HttpResponse PostHabit(RequestContext& ctx);
  HttpResponse PostAward(RequestContext& ctx);
  HttpResponse PendingAwards(RequestContext& ctx);
  HttpResponse StudentProgress(RequestContext& ctx);
  HttpResponse StudentEvidence(RequestContext& ctx);
  HttpResponse FamilySummary(RequestContext& ctx);
  HttpResponse StudentExplanation(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
