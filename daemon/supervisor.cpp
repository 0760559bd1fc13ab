#include "daemon/supervisor.hpp"

#include <algorithm>
#include <csignal>

#include "core/duration.hpp"
#include "core/sd_notify.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/device_probe.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/exec_host.hpp"
#include "daemon/job_runner.hpp"
#include "daemon/temp_outputs.hpp"
#include "daemon/worker_pool.hpp"
#include "spool/owner.hpp"

namespace renderq {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMaxHeartbeat{500};  // cancel takes effect within a second
constexpr milliseconds kStatusEvery{250};   // at most one STATUS= to systemd per 250 ms
constexpr milliseconds kShipEvery{250};     // `renderq logs --follow` on another host lags by this
constexpr milliseconds kMaxBeat{10'000};    // the daemon registry's row is refreshed at least this often

// This process as the owner of its jobs, under the host name it was given.
Owner daemon_owner(const DaemonOptions& opt) {
  Owner o = current_owner();
  if (!opt.host.empty()) o.host = opt.host;
  return o;
}

// A worker slot as the job runner sees it: a render job goes to the slot's
// render worker, a command job to its exec host, on the same device. The
// names stored with the claim are the render worker's (known before the
// job's kind is).
class SlotHost final : public JobHost {
 public:
  SlotHost(Worker& render, ExecHostOptions o) : render_(render), exec_(o) {}
  ExecHost& exec() { return exec_; }
  const std::string& worker() const override { return render_.worker(); }
  const std::string& device() const override { return render_.device(); }
  std::int64_t pid() const override { return active_->pid(); }
  bool start(const Job& job, const std::filesystem::path& log_path, const std::string& stage) override {
    if (job.exec) {
      exec_.place(ExecPlace{.worker = render_.worker(), .device = render_.device(), .ready = render_.ready()});
      active_ = &exec_;
    } else {
      active_ = &render_;
    }
    start_failed_ = !active_->start(job, log_path, stage);
    return !start_failed_;
  }
  void kill() override { active_->kill(); }
  // A command that could not be forked has no exit to wait for: the
  // supervisor settles it at once (a render worker's exit still comes).
  bool exec_never_started() const { return start_failed_ && active_ == &exec_; }

 private:
  Worker& render_;
  ExecHost exec_;
  JobHost* active_ = &render_;
  bool start_failed_ = false;
};

// The glue between the units: the event loop wakes it, the worker pool
// reports its workers, a JobRunner per busy worker does the store's side
// of each job, and this class decides when to claim, when to stop and
// what to tell systemd.
class Supervisor final : public WorkerPool::Listener {
 public:
  Supervisor(ServedQueue& queue, const DaemonOptions& opt, EventLoop loop)
      : queue_(queue), opt_(opt), owner_(daemon_owner(opt)),
        env_{.store = queue.store(),
             .clock = clock_,
             .owner = owner_,
             .lease_ms = opt.lease_ms,
             .heartbeat = std::min(kMaxHeartbeat, milliseconds(std::max<std::int64_t>(opt.lease_ms / 3, 1))),
             .default_timeout_ms = opt.default_timeout_ms,
             .prepare_log = [this](JobId id) { return prepare_log(id); }},
        loop_(std::move(loop)),
        pool_(WorkerPoolOptions{.exe = opt.exe,
                                .host = owner_.host,
                                .max_jobs_per_worker = opt.max_jobs_per_worker,
                                .max_worker_rss = opt.max_worker_rss,
                                .max_scene_memory = opt.max_scene_memory},
              *this) {}

  Result<void> run(const std::function<void()>& on_ready);

 private:
  // How often the registry row is refreshed: three times per lease (so
  // that it is stale, at 3 leases, only after nine missed refreshes), and
  // at least every 10 s, so that `renderq daemons` shows a recent SEEN
  // under a long lease too.
  milliseconds beat_every() const {
    return std::min(kMaxBeat, milliseconds(std::max<std::int64_t>(opt_.lease_ms / 3, 1)));
  }
  // Phases.
  void recover();
  void register_self();
  void heartbeat();
  void serve_once();
  // Jobs.
  void claim_for_idle();
  void end_run(std::size_t i);
  void on_wake();
  std::filesystem::path prepare_log(JobId id);
  // WorkerPool::Listener.
  void worker_ready(Worker& w) override;
  void job_message(Worker& w, const wire::Message& m) override;
  bool job_host_exited(Worker& w, std::string_view how) override;
  // A command job's leader exited.
  void exec_exited(pid_t pid, int status);
  bool any_exec_running() const;
  // Signals and timers.
  void on_signal(int signo);
  void begin_stop(bool hard);
  void on_timers(TimePoint now);
  // systemd.
  void tell_service(TimePoint now);

  ServedQueue& queue_;
  DaemonOptions opt_;
  Owner owner_;
  SystemClock clock_;
  JobRunnerEnv env_;
  EventLoop loop_;
  WorkerPool pool_;
  std::vector<std::unique_ptr<SlotHost>> slots_;  // by Worker::index()
  std::vector<std::optional<JobRunner>> runs_;  // the job of each worker, by Worker::index()
  // Attempts whose host is done but whose outcome the store could not take
  // yet (JobRunner::settled): retried on their timers, their logs shipped
  // once they settle.
  std::vector<JobRunner> settling_;
  bool want_claim_ = true;  // something may be claimable: try at the next chance
  bool stopping_ = false;
  bool hard_stop_ = false;
  TimePoint grace_end_{};
  TimePoint next_tick_{};
  TimePoint next_requeue_{};
  TimePoint next_ship_{};  // job logs of running jobs copied to the queue (PostgreSQL)
  TimePoint next_beat_{};  // this daemon's row in the registry refreshed
  DaemonRecord record_;    // that row
  bool beat_failed_ = false;  // the last refresh failed (said once in the log)
  ServiceNotifier notify_ = ServiceNotifier::from_environment();  // a no-op outside systemd
  bool told_ready_ = false;
  bool depth_changed_ = true;  // the queue depth may differ from the last STATUS=
  TimePoint next_status_{};
  std::string last_status_;
};

// ---- phases -------------------------------------------------------------

Result<void> Supervisor::run(const std::function<void()>& on_ready) {
  recover();  // jobs of a dead predecessor go back to the queue
  Result<std::vector<std::optional<int>>> devices = choose_devices(opt_.devices, opt_.exe);
  if (!devices) return std::unexpected(devices.error());
  // `slots` workers per device, interleaved so that idle GPUs are used
  // before a second job goes to a busy one (claims go to the first idle worker).
  for (int k = 0; k < opt_.slots; ++k)
    for (const std::optional<int>& d : *devices) pool_.add(d);
  runs_.resize(pool_.size());
  for (std::size_t i = 0; i < pool_.size(); ++i) {
    slots_.push_back(std::make_unique<SlotHost>(
        pool_.at(i), ExecHostOptions{.kill_grace_ms = opt_.kill_grace_ms, .output_cap = opt_.exec_output_cap}));
    slots_[i]->exec().on_progress([this, i](int done, int total) {
      if (runs_[i]) runs_[i]->on_progress(runs_[i]->id().value, done, total);
    });
  }
  daemon_log(LogLevel::Info, "serving " + queue_.where() + " as host " + owner_.host + " with " +
                                 std::to_string(pool_.size()) + " worker(s)");
  register_self();  // `renderq daemons` lists it; PostgreSQL's `list` knows it is served
  if (on_ready) on_ready();
  TimePoint now = clock_.now();
  next_tick_ = now + milliseconds(opt_.poll_ms);
  next_requeue_ = now + milliseconds(opt_.requeue_every_ms);
  next_beat_ = now + beat_every();
  pool_.start_all();
  // Until the last child is reaped and every outcome is stored (or its
  // lease over; a second signal gives up waiting).
  while (!(stopping_ && pool_.all_down() && !any_exec_running() && (settling_.empty() || hard_stop_))) serve_once();
  for (const JobRunner& run : settling_)
    daemon_log(LogLevel::Warning, "job " + std::to_string(run.id().value) +
                                      ": stopping with its outcome not recorded; the next daemon requeues it");
  if (Result<void> r = env_.store.remove_daemon(owner_); !r)
    daemon_log(LogLevel::Warning, "cannot remove this daemon's record: " + r.error().message());
  daemon_log(LogLevel::Info, "stopped");
  return {};
}

// The first row in the registry. Rows of this host name whose process is
// certainly dead (killed with SIGKILL, or from before a reboot) go first,
// then rows stale for longer than kForgetDaemonsMs. The registry is advice
// for people: a failure here is logged, never fatal.
void Supervisor::register_self() {
  record_ = DaemonRecord{.owner = owner_,
                         .devices = std::vector<std::string>(pool_.size()),
                         .slots = static_cast<int>(pool_.size()),
                         .version = opt_.version,
                         .started_ms = queue_.now_ms(),
                         .seen_ms = 0,
                         .stale_after_ms = daemon_stale_after(opt_.lease_ms)};
  Store& store = env_.store;
  if (Result<DaemonRoster> roster = store.daemons()) {
    for (const DaemonRecord& d : roster->daemons)
      if (d.owner.host == owner_.host && d.owner != owner_ && !owner_alive_here(d.owner, owner_))
        (void)store.remove_daemon(d.owner);
  }
  (void)store.forget_daemons(kForgetDaemonsMs);
  heartbeat();
}

// Writes this daemon's row again: its heartbeat, and its devices as the
// workers reported them. Also brings back a row a reader deleted while
// this daemon was frozen.
void Supervisor::heartbeat() {
  Result<void> r = env_.store.record_daemon(record_);
  if (!r && !beat_failed_) daemon_log(LogLevel::Warning, "cannot record this daemon: " + r.error().message());
  beat_failed_ = !r;
}

void Supervisor::recover() {
  Store& store = env_.store;
  Result<std::vector<JobId>> touched =
      store.requeue_expired(queue_.now_ms(), [this](const Owner& o) { return owner_alive_here(o, owner_); });
  if (!touched) {
    daemon_log(LogLevel::Error, "cannot look for stale jobs: " + touched.error().message());
    return;
  }
  for (JobId id : *touched) {
    daemon_log(LogLevel::Warning,
               "job " + std::to_string(id.value) + ": its owner died or its lease expired; requeued or failed");
    // Its last worker died with its owner (PR_SET_PDEATHSIG) and may have
    // left half-written outputs. One of ours still alive (an expired lease
    // of our own) is killed by the next heartbeat and cleaned up when reaped.
    Result<Job> job = store.get(id);
    // A command's leader died with its daemon; the rest of its process
    // group may live on: kill it (exec_host.hpp). Only this host's.
    // Another user's leftovers are theirs to signal and remove (run_as.hpp).
    std::optional<RunAs> who;
    if (job)
      if (Result<std::optional<RunAs>> r = run_as_for(*job)) who = *r;
    if (job && job->exec && worker_pid_on(job->worker, owner_.host) > 0)
      if (int n = as_user(who, [&] { return kill_leftover_group(queue_.job_dir(id), id.value); }).value_or(0); n > 0)
        daemon_log(LogLevel::Warning, "job " + std::to_string(id.value) + ": killed " + std::to_string(n) +
                                          " leftover process(es) of its command");
    if (job)
      if (std::int64_t pid = worker_pid_on(job->worker, owner_.host); pid > 0 && !pool_.owns_pid(pid))
        as_user(who, [&] {
          clean_dead_worker_outputs(job->spec, id, job->attempts, owner_.host, pid);
          return 0;
        });
    bool ours = false;  // one of our own runs, whose log file is still being written
    for (const std::optional<JobRunner>& run : runs_) ours |= run && run->id() == id;
    for (const JobRunner& run : settling_) ours |= run.id() == id;
    if (ours || !queue_.make_job_dir(id)) continue;
    if (Result<JobLog> log = JobLog::open(queue_.job_log(id)))
      log->line("daemon", "the previous owner died or its lease expired: requeued (or failed if no attempts are left)");
    queue_.ship_log(id, true);
  }
  if (!touched->empty()) {
    want_claim_ = true;
    depth_changed_ = true;
  }
}

// One turn: wait for a worker, a wake, a signal or the next timer, handle
// it, claim for idle workers, tell systemd.
void Supervisor::serve_once() {
  TimePoint now = clock_.now();
  pool_.watch(loop_);                                  // worker messages and stderr; restarts due
  for (auto& slot : slots_) slot->exec().watch(loop_);  // command output and progress; SIGKILLs due
  if (int fd = queue_.wake_fd(); fd >= 0)               // a submit, cancel or resume happened
    loop_.watch(fd, [this] { on_wake(); });
  loop_.wake_by(std::min({next_tick_, next_requeue_, next_beat_}));  // fallback claim tick; stale-lease scan; registry
  if (std::any_of(runs_.begin(), runs_.end(), [](const auto& r) { return r.has_value(); }))
    loop_.wake_by(next_ship_);                         // running jobs' logs to the queue
  for (const std::optional<JobRunner>& run : runs_)    // deadlines, heartbeats, progress writes
    if (run) loop_.wake_by(run->next_wakeup());
  for (const JobRunner& run : settling_) loop_.wake_by(run.next_wakeup());  // outcomes to store again
  if (stopping_ && !hard_stop_) loop_.wake_by(grace_end_);
  if (told_ready_ && depth_changed_ && !stopping_ && notify_.active()) loop_.wake_by(next_status_);
  if (std::optional<milliseconds> ping = notify_.until_next_ping(now)) loop_.wake_by(now + *ping);  // systemd's watchdog
  loop_.run_once([this](int signo) { on_signal(signo); });
  on_timers(clock_.now());
  claim_for_idle();
  tell_service(clock_.now());
}

// ---- jobs ---------------------------------------------------------------

void Supervisor::claim_for_idle() {
  if (stopping_ || !want_claim_) return;
  for (std::size_t i = 0; i < pool_.size(); ++i) {
    Worker& w = pool_.at(i);
    if (w.state() != WorkerState::Idle || runs_[i]) continue;  // a command job keeps its worker idle
    Result<std::optional<JobRunner>> run = JobRunner::claim(env_, *slots_[i]);
    if (!run) {
      daemon_log(LogLevel::Error, "claim failed: " + run.error().message());  // Busy: the next tick retries
      return;
    }
    if (!*run) {
      want_claim_ = false;  // nothing eligible (or paused) until the next wake or tick
      return;
    }
    depth_changed_ = true;
    if (slots_[i]->exec_never_started()) {
      (*run)->host_exited("could not be started");  // retried if attempts remain
      queue_.ship_log((*run)->id(), true);
      continue;
    }
    runs_[i] = std::move(**run);
  }
}

// Job i's attempt ended here: its log goes to the queue in full.
void Supervisor::end_run(std::size_t i) {
  const JobId id = runs_[i]->id();
  if (!runs_[i]->settled()) {  // the store was away: it frees its worker and waits
    settling_.push_back(std::move(*runs_[i]));
    runs_[i].reset();
    return;
  }
  runs_[i].reset();
  queue_.ship_log(id, true);
}

// A submit, cancel or resume: claim at the next chance, and a cheap read of
// each running job so that a cancel acts at once.
void Supervisor::on_wake() {
  queue_.drain_wake();
  want_claim_ = true;
  depth_changed_ = true;
  for (std::optional<JobRunner>& run : runs_)
    if (run) run->check_cancel();
}

std::filesystem::path Supervisor::prepare_log(JobId id) {
  if (Result<std::filesystem::path> dir = queue_.make_job_dir(id); !dir)
    daemon_log(LogLevel::Error, "job " + std::to_string(id.value) + ": " + dir.error().message());
  return queue_.job_log(id);
}

// A worker has its context: record what the ready devices can do for
// submit's checks (each worker's last report; one file for the spool).
void Supervisor::worker_ready(Worker& w) {
  // A worker restarted as its job's user is a new process running that job.
  if (std::optional<JobRunner>& run = runs_[w.index()]) run->host_restarted();
  want_claim_ = true;
  std::vector<DeviceCaps> caps;
  std::vector<std::string> devices(pool_.size());
  for (std::size_t i = 0; i < pool_.size(); ++i) {
    const wire::Ready& r = pool_.at(i).ready();
    if (!r.device.empty()) caps.push_back(DeviceCaps{.device = r.device, .max_samples = r.max_samples});
    devices[i] = r.device;
  }
  queue_.publish_devices(caps);
  if (devices != record_.devices) {  // the registry shows the devices as soon as they are known
    record_.devices = std::move(devices);
    heartbeat();
  }
}

void Supervisor::job_message(Worker& w, const wire::Message& m) {
  std::optional<JobRunner>& run = runs_[w.index()];
  if (!run) return;
  if (const auto* p = std::get_if<wire::Progress>(&m)) {
    run->on_progress(p->id, p->done, p->total);
  } else if (const auto* d = std::get_if<wire::Done>(&m)) {
    if (!run->on_done(d->id, Outcome{.ok = d->ok, .error_code = d->code, .error_message = d->message,
                                     .retryable = d->retryable}))
      return;
    end_run(w.index());
    depth_changed_ = true;
    pool_.job_ended(w, d->restart, d->rss);
    want_claim_ = true;
  }
}

bool Supervisor::job_host_exited(Worker& w, std::string_view how) {
  std::optional<JobRunner>& run = runs_[w.index()];
  if (!run) return false;
  bool crashed = run->host_exited(how);
  end_run(w.index());
  depth_changed_ = true;
  return crashed;
}

void Supervisor::exec_exited(pid_t pid, int status) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    ExecHost& exec = slots_[i]->exec();
    if (exec.pid() != pid) continue;
    std::string how;
    Outcome outcome = exec.exited(status, how);
    std::optional<JobRunner>& run = runs_[i];
    if (run) {
      if (!run->on_done(run->id().value, std::move(outcome))) run->host_exited(how);  // a kill decides
      end_run(i);
    }
    depth_changed_ = true;
    want_claim_ = true;
    return;
  }
}

bool Supervisor::any_exec_running() const {
  return std::any_of(slots_.begin(), slots_.end(), [](const auto& s) { return s->exec().running(); });
}

// ---- signals and timers -------------------------------------------------

void Supervisor::on_signal(int signo) {
  switch (signo) {
    case SIGCHLD:
      pool_.reap([this](pid_t pid, int status) { exec_exited(pid, status); });
      break;
    case SIGHUP:
      if (Result<void> r = open_daemon_log(opt_.log_path); !r) daemon_log(LogLevel::Error, r.error().message());
      else daemon_log(LogLevel::Info, "log reopened");
      break;
    case SIGTERM:
    case SIGINT:
      begin_stop(stopping_);  // the second signal stops at once
      break;
    default:
      break;
  }
}

void Supervisor::begin_stop(bool hard) {
  if (!stopping_) {
    stopping_ = true;
    grace_end_ = clock_.now() + milliseconds(opt_.grace_ms);
    std::string what = "stopping: no new jobs; running jobs may finish within " + format_duration(Millis(opt_.grace_ms));
    daemon_log(LogLevel::Info, what);
    notify_.stopping(what);
    pool_.begin_stop();
  }
  if (hard && !hard_stop_) {
    hard_stop_ = true;
    daemon_log(LogLevel::Info, "stopping now: running jobs go back to the queue");
    for (std::size_t i = 0; i < pool_.size(); ++i) {
      if (runs_[i]) runs_[i]->kill(KillReason::Shutdown);
      if (pool_.at(i).alive() && (!runs_[i] || slots_[i]->exec().running())) pool_.kill(pool_.at(i));
    }
  }
}

void Supervisor::on_timers(TimePoint now) {
  for (std::optional<JobRunner>& run : runs_)
    if (run) run->tick();
  for (JobRunner& run : settling_) run.tick();
  std::erase_if(settling_, [this](const JobRunner& run) {
    if (!run.settled()) return false;
    queue_.ship_log(run.id(), true);
    depth_changed_ = true;
    return true;
  });
  for (auto& slot : slots_) slot->exec().tick(now);
  pool_.restart_due(now);
  if (stopping_ && !hard_stop_ && now >= grace_end_)
    for (std::optional<JobRunner>& run : runs_)
      if (run) run->grace_over();
  if (now >= next_requeue_) {
    next_requeue_ = now + milliseconds(opt_.requeue_every_ms);
    recover();
  }
  if (now >= next_beat_) {
    next_beat_ = now + beat_every();
    heartbeat();
  }
  if (now >= next_ship_) {
    next_ship_ = now + kShipEvery;
    for (const std::optional<JobRunner>& run : runs_)
      if (run) queue_.ship_log(run->id(), false);
    queue_.flush_logs();
  }
  if (now >= next_tick_) {  // the fallback poll: a wake may have been missed
    next_tick_ = now + milliseconds(opt_.poll_ms);
    if (queue_.wake_fd() < 0) queue_.drain_wake();  // the server went away: listen again
    want_claim_ = true;
    depth_changed_ = true;  // a cancel or purge elsewhere changes it without a wake
  }
}

// READY=1 once every worker is up (or has failed its first start: the
// supervisor serves on and retries it), STATUS= with the queue depth when
// it changed (at most every kStatusEvery), WATCHDOG=1 at half the interval
// systemd set. Pinging from this loop means a hung loop gets the daemon
// restarted. Outside systemd nothing is read or sent.
void Supervisor::tell_service(TimePoint now) {
  if (!notify_.active()) return;
  notify_.watchdog_tick();
  if (stopping_ || (!told_ready_ && pool_.any_starting())) return;
  if (told_ready_ && (!depth_changed_ || now < next_status_)) return;
  Result<QueueCounts> c = env_.store.counts();
  if (!c) return;  // Busy: the next wake-up tries again
  depth_changed_ = false;
  next_status_ = now + kStatusEvery;
  std::string text = queue_status_text(c->queued, c->running);
  if (!told_ready_) {
    notify_.ready(text);
    told_ready_ = true;
  } else if (text != last_status_) {
    notify_.status(text);
  }
  last_status_ = std::move(text);
}

}  // namespace

Result<void> run_supervisor(ServedQueue& queue, const DaemonOptions& options, const std::function<void()>& on_ready) {
  // The loop reads these from a signalfd; workers reset the mask.
  Result<EventLoop> loop = EventLoop::open({SIGTERM, SIGINT, SIGHUP, SIGCHLD});
  if (!loop) return std::unexpected(loop.error());
  std::signal(SIGPIPE, SIG_IGN);
  Supervisor sup(queue, options, std::move(*loop));
  return sup.run(on_ready);
}

}  // namespace renderq
