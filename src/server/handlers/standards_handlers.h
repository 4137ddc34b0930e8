// Standards: CASE frameworks in (an administrator posts a package), browsed
// as a tree and searched, the crosswalk between CPEs and CFItems read and
// set per CPE or as CSV, the coverage report, and the catalog itself as a
// CASE package (interop/case, reports/standards_coverage).
//
// Standards and the crosswalk are not student records: anyone signed in
// reads them (the coverage report is for staff); changes need the
// catalog-editing role (admins) and are audited. Writes go through the
// single writer; reads use this thread's connection, on the pool.
#pragma once

#include <vector>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class StandardsHandlers {
 public:
  explicit StandardsHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<StandardsHandlers>> Routes();

 private:
  HttpResponse ImportCase(RequestContext& ctx);
  HttpResponse ListFrameworks(RequestContext& ctx);
  HttpResponse GetFramework(RequestContext& ctx);
  HttpResponse SearchItems(RequestContext& ctx);
  HttpResponse GetAlignments(RequestContext& ctx);
  HttpResponse PutAlignments(RequestContext& ctx);
  HttpResponse ExportCrosswalk(RequestContext& ctx);
  HttpResponse ImportCrosswalk(RequestContext& ctx);
  HttpResponse GetCoverage(RequestContext& ctx);
  HttpResponse GetCoverageCsv(RequestContext& ctx);
  HttpResponse GetCatalogCase(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
