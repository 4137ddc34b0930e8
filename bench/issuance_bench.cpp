// The issuance benchmark (issue #12): issuing N credentials through
// CredentialIssuer against the real SQLite store (a file: WAL,
// synchronous=FULL), as `cairn serve` does for pending awards on its first
// start: N students of one district with one confirmed award each, all issued
// in one transaction, each signed (eddsa-rdfc-2022) and stored.
//
// Reports the time per credential at N = 1,000, 4,000 and 16,000, and the
// figure: per-credential(16k) / per-credential(1k). It stays near 1 when
// issuing does not grow with what the district already holds; the code before
// issue #12 read every credential of the district on every issue, which is
// quadratic. Also per run: the last tenth's time per credential over the
// first tenth's.
//
//   issuance_bench                          # all three sizes, then the ratio
//   issuance_bench --benchmark_filter=/1000 # one size
//
// Exits 2 when the ratio is above 1.5 (with all three sizes run).

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "catalog/catalog_json.h"
#include "credentials/credential_issuer.h"
#include "credentials/key_vault.h"
#include "demo/demo_district.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::map<int, double> g_seconds_per_credential;  // by N

double Seconds(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

struct District {
  std::filesystem::path path;
  std::unique_ptr<SqliteStore> store;
  Roster roster;
  std::vector<Id> students;
};

// A fresh database of `count` students with a confirmed M101 each.
District MakeDistrict(int count) {
  District d;
  d.path = std::filesystem::temp_directory_path() /
           ("cairn_issuance_bench_" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(d.path.string() + suffix);
  d.store = std::move(SqliteStore::Open(d.path.string())).value();
  Store& s = *d.store;
  Status written = s.Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(Id district, s.InsertDistrict({0, "district-bench", "Bench District"}));
    CAIRN_ASSIGN_OR_RETURN(Id school, s.InsertSchool({0, "school-bench", district, "School"}));
    for (int i = 0; i < count; ++i) {
      Person p;
      p.sourced_id = "student-" + std::to_string(i);
      p.role = PersonRole::kStudent;
      p.given_name = "Student";
      p.family_name = std::to_string(i);
      p.email = p.sourced_id + "@example.org";
      p.district_id = district;
      p.school_id = school;
      CAIRN_ASSIGN_OR_RETURN(Id id, s.InsertPerson(p));
      AwardFact award;
      award.student_id = id;
      award.badge_code = "M101";
      award.recorded_at = 1767225600;
      award.action = AwardAction::kProposed;
      CAIRN_RETURN_IF_ERROR(s.AppendAward(award).status());
      award.action = AwardAction::kConfirmed;
      CAIRN_RETURN_IF_ERROR(s.AppendAward(award).status());
      d.students.push_back(id);
    }
    return Status::Ok();
  });
  if (!written.ok()) {
    std::fprintf(stderr, "setup: %s\n", written.ToString().c_str());
    std::exit(1);
  }
  d.roster = std::move(s.LoadRoster()).value();
  d.roster.Index();
  return d;
}

void BM_IssueCredentials(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  static const Catalog catalog = std::move(ParseCatalog(BuiltinXqCatalogJson(), "builtin")).value();
  const KeyVault vault = KeyVault::FromKey({7});
  for (auto _ : state) {
    District d = MakeDistrict(count);
    CredentialIssuer issuer(*d.store, vault,
                            IssuerOptions{"https://badges.example.org", SystemClock()});
    std::vector<double> each;
    each.reserve(d.students.size());
    const auto start = SteadyClock::now();
    Status issued = d.store->Transact([&]() -> Status {
      for (Id student : d.students) {
        const auto before = SteadyClock::now();
        CAIRN_ASSIGN_OR_RETURN(auto made, issuer.IssuePending(catalog, d.roster, student));
        if (made.size() != 1) return Status::Internal("expected one credential");
        each.push_back(Seconds(before, SteadyClock::now()));
      }
      return Status::Ok();
    });
    const double seconds = Seconds(start, SteadyClock::now());
    if (!issued.ok()) {
      state.SkipWithError(issued.ToString().c_str());
      return;
    }
    state.SetIterationTime(seconds);
    const std::size_t tenth = each.size() / 10;
    double first = 0, last = 0;
    for (std::size_t i = 0; i < tenth; ++i) {
      first += each[i];
      last += each[each.size() - 1 - i];
    }
    g_seconds_per_credential[count] = seconds / count;
    state.counters["credentials"] = count;
    state.counters["ms_per_credential"] = 1000.0 * seconds / count;
    state.counters["last_over_first_tenth"] = first > 0 ? last / first : 0;
    d.store.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(d.path.string() + suffix);
    }
  }
}
BENCHMARK(BM_IssueCredentials)
    ->Arg(1000)
    ->Arg(4000)
    ->Arg(16000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace cairn

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  const auto& per = cairn::g_seconds_per_credential;
  if (per.count(1000) && per.count(16000)) {
    const double ratio = per.at(16000) / per.at(1000);
    std::printf("per-credential(16k) / per-credential(1k) = %.3f (target <= 1.5)\n", ratio);
    if (ratio > 1.5) return 2;
  }
  return 0;
}
