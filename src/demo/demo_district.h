// A deterministic synthetic district for demos, tests and benchmarks: schools,
// courses built on the XQ badge pathways, sections, teachers, students with
// guardians and demographics, leaders, and a school year of varied evidence
// (formative checks, summatives, performance tasks, late-graded make-up work,
// a few corrections and voids, habits of work) with awards proposed and
// confirmed. The same options always produce the same data.
//
// Memory stays bounded at any size: students are written in batches, each
// its own transaction, and only a batch's facts are held (in the engine that
// decides its awards). A failure part-way keeps the batches already written;
// the next run refuses that database, so use a new one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "service/cairn_service.h"

namespace cairn {

// The catalog shipped with Cairn (data/catalogs/xq-math.json), built in.
const std::string& BuiltinXqCatalogJson();

// How far the generator has got, after each committed batch.
struct DemoProgress {
  int students_done = 0;
  int students_total = 0;
  std::int64_t ratings = 0;  // written so far
};

using DemoProgressFn = std::function<void(const DemoProgress&)>;

struct DemoOptions {
  int students = 1200;
  std::uint64_t seed = 2026;
  int schools = 4;
};

struct DemoSummary {
  int schools = 0, sections = 0, teachers = 0, students = 0, guardians = 0;
  std::int64_t ratings = 0, voids = 0, corrections = 0, habits = 0;
  int awards_confirmed = 0, awards_proposed = 0;
};

// Writes the district into an empty store (loading the built-in catalog if
// none is loaded). Fails, writing nothing, if the store already has a
// district's admin. `progress`, when set, hears after each committed batch.
Result<DemoSummary> GenerateDemoDistrict(CairnService& service, const DemoOptions& options,
                                         const DemoProgressFn& progress = {});

}  // namespace cairn
