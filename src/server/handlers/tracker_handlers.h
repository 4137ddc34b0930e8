// The district implementation plan (issue #15, the guide's Appendix B):
// trackers (toolkit/tracker.h), classroom observations (toolkit/
// observation.h) and the implementation dashboard.
//
// Access, decided on the record the path names:
// - /districts/{district}/trackers...: the district's district and school
//   leaders (and admins) read every tracker, its rows and their history and
//   export them; only its district leaders and admins add or revise rows.
// - /districts/{district}/implementation: the dashboard, read like the
//   trackers. The latest round results (toolkit_handlers.h) are shown to
//   district leaders and admins only, since a school leader sees only their
//   own school's rounds.
// - Observations are staff evaluation data. A record is shown only to its
//   observer, the observed teacher, admins, and the district leaders an
//   admin names for the district (stream "observation-readers"; all its
//   district leaders until some are named, so a leader never names
//   themselves); every read (list or one) and every write is audited (the route
//   table marks them), refusals too. District and school leaders record
//   observations (a school leader of their own school's teachers); the
//   observer is always the signed-in person, never a body field.
//
// Storage (the journal): stream "tracker:<tracker id>", key = row id, one
// entry per revision; stream "observation", key = observation id.
//
// Thread safety: one instance serves all threads; state lives in the store
// and the read model.
#pragma once

#include <vector>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class TrackerHandlers {
 public:
  explicit TrackerHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<TrackerHandlers>> Routes();

 private:
  HttpResponse ListTrackers(RequestContext& ctx);
  HttpResponse ListRows(RequestContext& ctx);
  HttpResponse AddRow(RequestContext& ctx);
  HttpResponse GetRow(RequestContext& ctx);
  HttpResponse ReviseRow(RequestContext& ctx);
  HttpResponse ExportXlsx(RequestContext& ctx);
  HttpResponse ExportPdf(RequestContext& ctx);
  HttpResponse ListObservations(RequestContext& ctx);
  HttpResponse AddObservation(RequestContext& ctx);
  HttpResponse GetObservation(RequestContext& ctx);
  HttpResponse GetObservationReaders(RequestContext& ctx);
  HttpResponse PutObservationReaders(RequestContext& ctx);
  HttpResponse Implementation(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
