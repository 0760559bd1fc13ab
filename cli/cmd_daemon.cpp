// renderq daemon [--devices all|0,1] [--foreground] [--host NAME] [...]:
// serves the queue with one worker process per device
// (daemon/supervisor.hpp). Without --foreground it detaches and returns once
// it is serving. A second daemon on the same spool (or, on a PostgreSQL
// queue, under the same host name on this machine) is refused with exit 7
// (daemon/daemon_lock.hpp). `--stop` asks the serving daemon to stop and
// waits until it has.
//
// On a PostgreSQL queue the daemon's lock, log and job folders live in a
// folder of this host: <spool>/pg/<host>-<hash of the URL>.
//
// The hidden --worker-fd / --worker-device / --worker-probe options turn this
// process into one of the supervisor's workers; people never type them.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>

#include "cli/commands.hpp"
#include "core/duration.hpp"
#include "daemon/daemon_lock.hpp"
#include "spool/owner.hpp"
#include "spool/pg_queue.hpp"
#include "spool/serving_daemon.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/daemonize.hpp"
#include "daemon/pg_served.hpp"
#include "daemon/run_as.hpp"
#include "daemon/supervisor.hpp"
#include "daemon/worker.hpp"

namespace renderq {

namespace {

// More worker processes than this on one device only queue for it.
constexpr int kMaxSlots = 64;

struct DaemonCliOptions {
  std::string devices = "all";
  int slots = 1;
  bool foreground = false;
  std::string default_timeout = "1h";
  std::string grace = "30s";
  std::string kill_grace = "10s";
  std::string exec_output_cap = "16M";
  int max_jobs_per_worker = 0;
  std::string max_worker_rss = "0";
  std::string max_scene_memory = "0";  // 0 = default_scene_memory() in each worker
  std::string lease = "30s";
  std::string log;
  bool stop = false;
  std::string host;
  // Worker mode (hidden).
  int worker_fd = -1;
  std::optional<int> worker_device;
  int worker_encoder_threads = 0;
  bool worker_probe = false;
};

// A host name goes into folder names and into "host:pid" worker names.
Result<void> check_host_name(const std::string& host) {
  if (host.size() > 64) return fail(Errc::InvalidArgument, "--host is longer than 64 characters");
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'))
      return fail(Errc::InvalidArgument, "--host '" + host + "': use letters, digits, '-', '.' and '_' only");
  if (host == "." || host == "..") return fail(Errc::InvalidArgument, "--host '" + host + "' is not a name");
  return {};
}

Result<DaemonOptions> to_options(const DaemonCliOptions& o) {
  DaemonOptions d;
  d.devices = o.devices;
  if (Result<std::vector<int>> devs = parse_device_list(o.devices); !devs) return std::unexpected(devs.error());
  if (o.slots < 1 || o.slots > kMaxSlots)
    return fail(Errc::InvalidArgument, "--slots must be between 1 and " + std::to_string(kMaxSlots));
  d.slots = o.slots;
  Result<Millis> timeout = parse_duration(o.default_timeout);
  if (!timeout) return std::unexpected(timeout.error());
  d.default_timeout_ms = timeout->count();
  Result<Millis> grace = parse_duration(o.grace);
  if (!grace) return std::unexpected(grace.error());
  d.grace_ms = grace->count();
  Result<Millis> kill_grace = parse_duration(o.kill_grace);
  if (!kill_grace) return std::unexpected(kill_grace.error());
  d.kill_grace_ms = kill_grace->count();
  Result<std::int64_t> cap = parse_byte_size(o.exec_output_cap);
  if (!cap) return std::unexpected(cap.error());
  d.exec_output_cap = *cap;
  Result<Millis> lease = parse_duration(o.lease);
  if (!lease) return std::unexpected(lease.error());
  if (lease->count() < 1000) return fail(Errc::InvalidArgument, "--lease must be at least 1s");
  d.lease_ms = lease->count();
  // A dead host's jobs wait for its lease, then at most one scan more.
  d.requeue_every_ms = std::min<std::int64_t>(d.requeue_every_ms, d.lease_ms);
  if (Result<void> ok = check_host_name(o.host); !ok) return std::unexpected(ok.error());
  d.host = o.host;
  d.version = RENDERQ_VERSION;
  if (o.max_jobs_per_worker < 0) return fail(Errc::InvalidArgument, "--max-jobs-per-worker must be 0 or more");
  d.max_jobs_per_worker = o.max_jobs_per_worker;
  Result<std::int64_t> rss = parse_byte_size(o.max_worker_rss);
  if (!rss) return std::unexpected(rss.error());
  d.max_worker_rss = *rss;
  Result<std::int64_t> scene_memory = parse_byte_size(o.max_scene_memory);
  if (!scene_memory) return std::unexpected(scene_memory.error());
  d.max_scene_memory = *scene_memory;
  return d;
}

// A PostgreSQL queue's folder on this host for daemon `host`: its lock, log
// and job folders (the logs are shipped into the database as they grow).
std::filesystem::path pg_local_dir(const std::string& url, const std::string& host) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016zx", std::hash<std::string>{}(redact_url(url)));
  return std::filesystem::path(resolve_spool_dir("")) / "pg" / (host + "-" + hash);
}

// The host name this daemon goes by (--host, else the machine's).
std::string host_name(const DaemonOptions& d) { return d.host.empty() ? current_owner().host : d.host; }

// The queue's folder on this host; for a spool, opened once here so that its
// errors reach the terminal (the daemon opens it again after forking: no
// SQLite or libpq connection across fork).
// (`--stop` needs only the folder: it works while the server is down.)
Result<std::filesystem::path> local_dir(const Context& ctx, const StoreChoice& choice, const DaemonOptions& d,
                                        bool stop) {
  if (choice.pg) {
    if (!stop) {
      Result<std::unique_ptr<PgQueue>> q = PgQueue::open(choice.text);  // reachable, migrated
      if (!q) return std::unexpected(q.error());
    }
    const std::filesystem::path dir = pg_local_dir(choice.text, host_name(d));
    std::error_code ec;
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (ec) return fail(Errc::Io, "cannot create " + dir.parent_path().string() + ": " + ec.message());
    return dir;
  }
  Result<Spool> spool = ctx.open_spool(true);
  if (!spool) return std::unexpected(spool.error());
  return std::filesystem::absolute(spool->dir());
}

// --stop: SIGTERM to the serving daemon, then wait for its lock to drop.
int stop_daemon(const std::filesystem::path& dir) {
  std::optional<pid_t> pid = serving_daemon_pid(dir);
  if (!pid) {
    diag("no daemon is serving " + dir.string());
    return code(Exit::Ok);
  }
  // A holder that has not written its pid yet is starting: wait for the pid
  // rather than signal pid 0 (our own process group).
  for (int i = 0; i < 250 && pid && *pid == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    pid = serving_daemon_pid(dir);
  }
  if (!pid) return code(Exit::Ok);
  if (*pid == 0) return report(Error{Errc::Timeout, "the daemon serving " + dir.string() + " did not record its pid"});
  if (::kill(*pid, SIGTERM) != 0) return report(Error{Errc::PermissionDenied, "cannot signal daemon pid " + std::to_string(*pid)});
  while (serving_daemon_pid(dir)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return code(Exit::Ok);
}

int run_daemon(const Context& ctx, const DaemonCliOptions& o) {
  if (o.worker_fd >= 0) {  // a worker started by the supervisor
    Result<std::int64_t> scene_memory = parse_byte_size(o.max_scene_memory);
    if (!scene_memory) return report(scene_memory.error());
    return run_worker(WorkerOptions{.fd = o.worker_fd,
                                    .device_index = o.worker_device,
                                    .probe = o.worker_probe,
                                    .max_scene_memory = static_cast<std::uint64_t>(*scene_memory),
                                    .encoder_threads = o.worker_encoder_threads});
  }

  Result<DaemonOptions> options = to_options(o);
  if (!options) return report(options.error());

  Result<StoreChoice> choice = ctx.store_choice();
  if (!choice) return report(choice.error());
  Result<std::filesystem::path> opened = local_dir(ctx, *choice, *options, o.stop);
  if (!opened) return report(opened.error());
  const std::filesystem::path dir = *opened;
  if (o.stop) return stop_daemon(dir);
  if (choice->pg) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
      return report(Error{Errc::Io, "cannot create " + dir.string() + ": " + std::strerror(errno)});
  }

  Result<DaemonLock> lock = DaemonLock::acquire(dir);  // one daemon per spool
  if (!lock) return report(lock.error());

  options->log_path = !o.log.empty() ? std::filesystem::absolute(o.log).string()
                                     : (o.foreground ? std::string() : (dir / "daemon.log").string());
  StartupReport startup;
  if (!o.foreground) {
    Result<StartupReport> r = daemonize(options->log_path);  // returns only in the daemon
    if (!r) return report(r.error());
    startup = std::move(*r);
  } else if (Result<void> r = open_daemon_log(options->log_path); !r) {
    return report(r.error());
  }
  lock->write_pid(::getpid());

  std::optional<Spool> spool;
  Result<std::unique_ptr<ServedQueue>> queue = std::unique_ptr<ServedQueue>();
  act_for_submitters(!choice->pg);  // daemon/run_as.hpp: a spool's users are this host's
  if (choice->pg) {
    queue = serve_pg(choice->text, dir, host_name(*options));
  } else {
    SpoolOptions spool_options;
    spool_options.dir = dir.string();
    spool_options.allow_network_fs = ctx.force;
    spool_options.create = false;
    Result<Spool> s = Spool::open(spool_options);
    if (!s) queue = std::unexpected(s.error());
    else queue = serve_spool(spool.emplace(std::move(*s)));
  }
  if (!queue) {
    daemon_log(LogLevel::Error, queue.error().message());
    startup.failed(code(exit_for(queue.error())), queue.error().message());
    return code(exit_for(queue.error()));
  }
  Result<void> served = run_supervisor(**queue, *options, [&startup] { startup.ready(); });
  if (!served) {
    daemon_log(LogLevel::Error, served.error().message());
    startup.failed(code(exit_for(served.error())), served.error().message());
    if (o.foreground) diag(served.error().message());
    return code(exit_for(served.error()));
  }
  return code(Exit::Ok);
}

}  // namespace

void add_daemon(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DaemonCliOptions>();
  CLI::App* cmd = app.add_subcommand("daemon", "Serve the spool: render queued jobs, one worker per GPU");
  cmd->add_option("--devices", o->devices, "EGL devices to use: all (default; GPUs, else software) or 0,1,...")
      ->type_name("LIST");
  cmd->add_option("--slots", o->slots, "Worker processes per device, each running one job (default 1)")
      ->type_name("N");
  cmd->add_flag("--foreground", o->foreground, "Stay attached; log to stderr (and --log FILE)");
  cmd->add_option("--default-timeout", o->default_timeout, "Per-attempt timeout of jobs that set none (default 1h; 0 = none)")
      ->type_name("DUR");
  cmd->add_option("--grace", o->grace, "On SIGTERM, how long running jobs may finish (default 30s)")->type_name("DUR");
  cmd->add_option("--kill-grace", o->kill_grace,
                  "Command jobs: SIGKILL a process group this long after its SIGTERM (default 10s)")
      ->type_name("DUR");
  cmd->add_option("--exec-output-cap", o->exec_output_cap,
                  "Command jobs: output kept in the job log per attempt (default 16M)")
      ->type_name("SIZE");
  cmd->add_option("--max-jobs-per-worker", o->max_jobs_per_worker, "Restart a worker after N jobs (default 0 = never)")
      ->type_name("N");
  cmd->add_option("--max-worker-rss", o->max_worker_rss, "Restart a worker whose memory exceeds SIZE after its job (e.g. 4G)")
      ->type_name("SIZE");
  cmd->add_option("--max-scene-memory", o->max_scene_memory,
                  "Most memory one scene may need in a worker, checked before loading (default: half the memory, "
                  "up to 64G, shared by the workers)")
      ->type_name("SIZE");
  cmd->add_option("--lease", o->lease, "Lease length, renewed twice a second (default 30s)")->type_name("DUR");
  cmd->add_option("--log", o->log, "Log file (default: <spool>/daemon.log when detached); reopened on SIGHUP")
      ->type_name("FILE");
  cmd->add_flag("--stop", o->stop, "Stop the daemon serving the spool and wait until it has");
  cmd->add_option("--host", o->host,
                  "The name this daemon goes by in job rows and leases (default: the machine's host name)")
      ->type_name("NAME");
  // Worker mode: hidden (empty group).
  cmd->add_option("--worker-fd", o->worker_fd)->group("");
  cmd->add_option("--worker-device", o->worker_device)->group("");
  cmd->add_flag("--worker-probe", o->worker_probe)->group("");
  cmd->add_option("--worker-encoder-threads", o->worker_encoder_threads)->group("")->check(CLI::Range(1, 256));
  cmd->callback([&ctx, o] { ctx.exit_code = run_daemon(ctx, *o); });
}

}  // namespace renderq
