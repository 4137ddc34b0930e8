#include "testing/pg_cluster.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace cairn::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFolderPrefix = "cairn-pg-";

std::string Tail(const fs::path& file, std::size_t bytes = 2000) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

// Runs argv (no shell), appending its output to `log`; its exit status.
int Spawn(const std::vector<std::string>& argv, const fs::path& log) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    const int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, STDIN_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The argv that runs `program` from `bin`, as the postgres user when root.
std::vector<std::string> Command(const fs::path& bin, bool as_postgres, const std::string& program,
                                 const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  if (as_postgres) argv = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  argv.push_back((bin / program).string());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// Folders of clusters whose test process died (a crash skips destructors):
// their servers are stopped and the folders removed.
void RemoveStaleClusters(const fs::path& bin, bool as_postgres) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kFolderPrefix)) continue;
    const pid_t owner = static_cast<pid_t>(std::atol(name.c_str() + kFolderPrefix.size()));
    if (owner <= 0 || kill(owner, 0) == 0 || errno != ESRCH) continue;
    if (fs::exists(entry.path() / "data" / "postmaster.pid")) {
      Spawn(
          Command(bin, as_postgres, "pg_ctl",
                  {"-D", (entry.path() / "data").string(), "-m", "immediate", "-w", "-s", "stop"}),
          "/dev/null");
    }
    fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

std::optional<fs::path> FindPostgresBinaries() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("CAIRN_PG_BIN"); env && *env) {
    candidates.emplace_back(env);  // only there, when given
  } else {
    for (const char* version : {"17", "16", "15"}) {
      candidates.push_back(fs::path("/usr/lib/postgresql") / version / "bin");
    }
  }
  for (const fs::path& dir : candidates) {
    if (access((dir / "initdb").c_str(), X_OK) == 0 &&
        access((dir / "pg_ctl").c_str(), X_OK) == 0 &&
        access((dir / "postgres").c_str(), X_OK) == 0) {
      return dir;
    }
  }
  return std::nullopt;
}

Result<std::unique_ptr<PgCluster>> PgCluster::Start() {
  auto bin = FindPostgresBinaries();
  if (!bin) {
    return Status::Unavailable(
        "PostgreSQL server binaries not found (initdb, pg_ctl, postgres in $CAIRN_PG_BIN or "
        "/usr/lib/postgresql/<15..17>/bin): install postgresql-15 (scripts/install-deps.sh)");
  }
  const bool as_postgres = geteuid() == 0;
  struct passwd* postgres = nullptr;
  if (as_postgres) {
    postgres = getpwnam("postgres");
    if (!postgres) {
      return Status::Unavailable(
          "running as root, and there is no 'postgres' user to run the server as "
          "(initdb refuses root)");
    }
  }
  RemoveStaleClusters(*bin, as_postgres);
  std::string pattern = "/tmp/" + std::string(kFolderPrefix) + std::to_string(getpid()) + "-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    return Status::Internal("cannot create a folder for the test cluster: " +
                            std::string(std::strerror(errno)));
  }
  std::unique_ptr<PgCluster> cluster(new PgCluster(pattern, *bin, as_postgres));
  if (as_postgres && chown(pattern.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
    return Status::Internal("cannot give " + pattern +
                            " to the postgres user: " + std::string(std::strerror(errno)));
  }
  const std::string data = (cluster->folder_ / "data").string();
  CAIRN_RETURN_IF_ERROR(cluster->Run("initdb", {"-D", data, "-A", "trust", "-U", "postgres", "-E",
                                                "UTF8", "--locale=C", "--no-sync"}));
  // No TCP; durability is not what a test checks.
  const std::string options = "-c listen_addresses='' -c unix_socket_directories='" +
                              cluster->folder_.string() +
                              "' -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  CAIRN_RETURN_IF_ERROR(
      cluster->Run("pg_ctl", {"-D", data, "-l", (cluster->folder_ / "server.log").string(), "-o",
                              options, "-w", "-t", "60", "-s", "start"}));
  cluster->running_ = true;
  return cluster;
}

PgCluster::~PgCluster() {
  (void)Stop();
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

Status PgCluster::Stop() {
  if (!running_) return Status::Ok();
  running_ = false;
  return Run("pg_ctl", {"-D", (folder_ / "data").string(), "-m", "immediate", "-w", "-s", "stop"});
}

Status PgCluster::Run(const std::string& program, const std::vector<std::string>& args) {
  const fs::path log = folder_ / "commands.log";
  const int code = Spawn(Command(bin_, as_postgres_, program, args), log);
  if (code == 0) return Status::Ok();
  return Status::Internal(program + " failed (exit " + std::to_string(code) + "): " + Tail(log) +
                          Tail(folder_ / "server.log"));
}

std::string PgCluster::Uri(std::string_view database) const {
  return "postgresql://postgres@/" + std::string(database) + "?host=" + folder_.string();
}

Result<std::string> PgCluster::CreateDatabase(std::string_view name,
                                              std::optional<std::string_view> from) {
  std::vector<std::string> args = {"-h", folder_.string(), "-U", "postgres"};
  if (from) {
    args.push_back("-T");
    args.emplace_back(*from);
  }
  args.emplace_back(name);
  const fs::path log = folder_ / "commands.log";
  // createdb is a client: it runs as this user (root may connect: trust).
  std::vector<std::string> argv = {(bin_ / "createdb").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  if (const int code = Spawn(argv, log); code != 0) {
    return Status::Internal("createdb " + std::string(name) + " failed (exit " +
                            std::to_string(code) + "): " + Tail(log));
  }
  return Uri(name);
}

namespace {

// The binary's cluster, stopped when the tests end (a global environment's
// TearDown runs before static destructors, while gtest still reports).
struct SharedCluster {
  std::unique_ptr<PgCluster> cluster;
  std::optional<Status> failed;  // why it could not start; not retried
  int databases = 0;
};

SharedCluster& Shared() {
  static SharedCluster shared;
  return shared;
}

class PgClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { Shared().cluster.reset(); }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PgClusterEnvironment);

}  // namespace

std::optional<std::string> PgTestDatabase(std::string* why) {
  SharedCluster& shared = Shared();
  if (!shared.cluster && !shared.failed) {
    auto started = PgCluster::Start();
    if (started.ok()) {
      shared.cluster = std::move(started).value();
    } else {
      shared.failed = started.status();
    }
  }
  auto report = [&](const Status& status) {
    const char* ci = std::getenv("CI");
    if (ci && *ci && std::string_view(ci) != "false") {
      // Fatal, so a fixture's SetUp that then skips does not run the body.
      [&] { FAIL() << "PostgreSQL is required in CI: " << status.ToString(); }();
    }
    if (why) *why = "PostgreSQL not available: " + status.ToString();
    return std::nullopt;
  };
  if (shared.failed) return report(*shared.failed);
  const std::string name =
      "t" + std::to_string(getpid()) + "_" + std::to_string(++shared.databases);
  auto uri = shared.cluster->CreateDatabase(name);
  if (!uri.ok()) return report(uri.status());
  return *uri;
}

}  // namespace cairn::testing
