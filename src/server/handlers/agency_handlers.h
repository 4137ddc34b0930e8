// A student's own plan (issue #15, student agency): goals, reflections,
// advisor comments, badge requests and their decisions, self-assessments and
// conference notes, all kept in the student's "plan" journal stream
// (agency/learning_plan.h) so every revision stays.
//
// Access is decided on the student the path names:
// - reading the plan: whoever may read the student (the student, their
//   guardians, their teachers and leaders), audited like other records;
// - goals, reflections, badge requests and self-assessments: the student
//   themself (kSelf) — these are their own choices;
// - advisor comments and decisions on requests: those who may write the
//   student's record (their teachers, leaders, admins);
// - conference notes: whoever may read the student, so a guardian can add
//   one after the conference; each note says who wrote it.
//
// An accepted badge request lists the badge on the student's plan and
// conference page, and (stream "badge-choice") on tracking sheets and the
// reports built from them. The district may turn requests off (setting
// "agency"). The plan carries the student's standing on the district's
// credit and graduation requirements (setting "credit_map", admins write
// it, staff read it; agency/credit_map.h).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "agency/learning_plan.h"
#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class AgencyHandlers {
 public:
  explicit AgencyHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<AgencyHandlers>> Routes();

 private:
  HttpResponse GetPlan(RequestContext& ctx);
  HttpResponse PutGoals(RequestContext& ctx);
  HttpResponse AddReflection(RequestContext& ctx);
  HttpResponse AddComment(RequestContext& ctx);
  HttpResponse RequestBadge(RequestContext& ctx);
  HttpResponse DecideRequest(RequestContext& ctx);
  HttpResponse SelfAssess(RequestContext& ctx);
  HttpResponse AddConferenceNote(RequestContext& ctx);
  HttpResponse GetCreditMap(RequestContext& ctx);
  HttpResponse PutCreditMap(RequestContext& ctx);
  HttpResponse GetAgencySettings(RequestContext& ctx);
  HttpResponse PutAgencySettings(RequestContext& ctx);
  std::set<std::string> EarnedBadges(Id student);
  // Checks `ctx.body` as `kind`, appends it to the student's plan and
  // answers with the plan as it now stands.
  HttpResponse Append(RequestContext& ctx, PlanEntryKind kind, nlohmann::json body);

  ApiServices& services_;
};

}  // namespace cairn
