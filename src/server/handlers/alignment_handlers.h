// District alignment around the catalog (issue #11): the badges a course's
// new sections start with, the curriculum resources teachers recommend per
// CPE ("practice and learn" on the badge page), and the interim assessment
// items that evidence a CPE (store/alignment_store.h).
//
// Who: course defaults are read by staff and set by admins; resources are
// read by anyone signed in (students see them), added by staff and removed
// by the person who added them or an admin; assessment items are read,
// added and removed the same way by staff only. None is a student record.
// Writes go through the single writer; reads use this thread's connection
// on the pool.
#pragma once

#include <vector>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class AlignmentHandlers {
 public:
  explicit AlignmentHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<AlignmentHandlers>> Routes();

 private:
  HttpResponse ListCourses(RequestContext& ctx);
  HttpResponse GetCourseBadges(RequestContext& ctx);
  HttpResponse PutCourseBadges(RequestContext& ctx);
  HttpResponse ListResources(RequestContext& ctx);
  HttpResponse AddResource(RequestContext& ctx);
  HttpResponse RemoveResource(RequestContext& ctx);
  HttpResponse ListItems(RequestContext& ctx);
  HttpResponse AddItem(RequestContext& ctx);
  HttpResponse RemoveItem(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
