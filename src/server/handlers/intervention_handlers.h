// Interventions over HTTP (issue #13; evidence/intervention.h):
//
//   GET  /api/v1/students/{student}/interventions                 open first
//   POST /api/v1/students/{student}/interventions                 {badge, cpe?, kind, ...}
//   POST /api/v1/students/{student}/interventions/{intervention}/close  {ended_on?, note?}
//   GET  /api/v1/reports/interventions                            did they work, per kind
//
// Access is decided on the student the path names: whoever may read the
// student's record reads their interventions (families see the support
// their child gets); their teachers and leaders open and close them. An
// {intervention} that is not this student's is 404. The report counts only
// students the caller may read.
#pragma once

#include <vector>

#include "evidence/intervention.h"
#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

// The current revision of every intervention in the roster's districts whose
// student `who` may read (for reports: the tracking sheet's supports).
Result<std::vector<Intervention>> ReadableInterventions(Store& store, const Roster& roster,
                                                        const Principal& who);

class InterventionHandlers {
 public:
  explicit InterventionHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<InterventionHandlers>> Routes();

 private:
  HttpResponse List(RequestContext& ctx);
  HttpResponse Open(RequestContext& ctx);
  HttpResponse Close(RequestContext& ctx);
  HttpResponse Report(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
