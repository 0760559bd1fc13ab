#include "daemon/supervisor.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/duration.hpp"
#include "core/sd_notify.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/temp_outputs.hpp"
#include "daemon/worker_slot.hpp"
#include "spool/owner.hpp"

namespace renderq {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kProgressEvery{250};   // at most one progress write per job per 250 ms
constexpr milliseconds kMaxHeartbeat{500};    // cancel takes effect within a second
constexpr milliseconds kMaxBackoff{5000};
constexpr milliseconds kStatusEvery{250};     // at most one STATUS= to systemd per 250 ms

std::int64_t ms_until(TimePoint t, TimePoint now) {
  if (t <= now) return 0;
  return std::chrono::duration_cast<milliseconds>(t - now).count() + 1;
}

// Blocks the signals the loop reads from a signalfd; workers reset the mask.
Result<int> open_signalfd() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, s);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0)
    return fail(Errc::Internal, std::string("sigprocmask: ") + std::strerror(errno));
  int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return fail(Errc::Internal, std::string("signalfd: ") + std::strerror(errno));
  std::signal(SIGPIPE, SIG_IGN);
  return fd;
}

// Reads what is available from a non-blocking fd; false on EOF or error.
bool read_into(int fd, wire::LineBuffer& buf) {
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      buf.append(std::string_view(chunk, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

class Supervisor {
 public:
  Supervisor(Spool& spool, const DaemonOptions& opt, int sigfd, WakeListener wake)
      : spool_(spool), store_(spool.store()), opt_(opt), owner_(current_owner()), sigfd_(sigfd),
        wake_(std::move(wake)) {
    heartbeat_ = std::min(kMaxHeartbeat, milliseconds(std::max<std::int64_t>(opt.lease_ms / 3, 1)));
  }

  Result<void> run(const std::function<void()>& on_ready);

 private:
  // Phases.
  void recover();
  Result<void> choose_devices();
  void serve_once();
  // Workers.
  void start_worker(WorkerSlot& s);
  void stop_worker(WorkerSlot& s);
  void kill_worker(WorkerSlot& s, KillReason why);
  void read_worker(WorkerSlot& s);
  void forward_stderr(WorkerSlot& s, bool flush);
  void on_message(WorkerSlot& s, const wire::Message& m);
  void on_done(WorkerSlot& s, const wire::Done& d);
  void on_exit(WorkerSlot& s, int status);
  void reap();
  // Jobs.
  void claim_for_idle();
  void dispatch(WorkerSlot& s, const Job& job);
  void finish(WorkerSlot& s, Outcome outcome);  // with any progress not yet written
  void heartbeat(WorkerSlot& s, TimePoint now);
  void check_cancels();
  void write_progress(RunningJob& j, TimePoint now);
  void remove_temp_files(const RenderSpec& spec, std::int64_t pid, JobId id);
  // systemd.
  void tell_service(TimePoint now);
  // Signals and timers.
  void on_signals();
  void begin_stop(bool hard);
  void on_timers(TimePoint now);
  int poll_timeout(TimePoint now) const;
  bool all_down() const;

  Spool& spool_;
  Store& store_;
  DaemonOptions opt_;
  Owner owner_;
  int sigfd_;
  WakeListener wake_;
  milliseconds heartbeat_;
  std::vector<WorkerSlot> slots_;
  bool want_claim_ = true;     // something may be claimable: try at the next chance
  bool stopping_ = false;
  bool hard_stop_ = false;
  TimePoint grace_end_{};
  TimePoint next_tick_{};
  TimePoint next_requeue_{};
  ServiceNotifier notify_ = ServiceNotifier::from_environment();  // a no-op outside systemd
  bool told_ready_ = false;
  bool depth_changed_ = true;  // the queue depth may differ from the last STATUS=
  TimePoint next_status_{};
  std::string last_status_;
};

// ---- phases -------------------------------------------------------------

Result<void> Supervisor::run(const std::function<void()>& on_ready) {
  recover();                                        // jobs of a dead predecessor go back to the queue
  if (Result<void> r = choose_devices(); !r) return r;  // one worker slot per device
  daemon_log(LogLevel::Info, "serving spool " + spool_.dir().string() + " with " + std::to_string(slots_.size()) +
             " worker(s)");
  if (on_ready) on_ready();
  TimePoint now = SteadyClock::now();
  next_tick_ = now + milliseconds(opt_.poll_ms);
  next_requeue_ = now + milliseconds(opt_.requeue_every_ms);
  for (WorkerSlot& s : slots_) start_worker(s);
  while (!(stopping_ && all_down())) serve_once();  // until the last worker is reaped; tells systemd
  daemon_log(LogLevel::Info, "stopped");
  return {};
}

void Supervisor::recover() {
  Result<std::vector<JobId>> touched =
      store_.requeue_expired(now_unix_ms(), [this](const Owner& o) { return owner_alive_here(o, owner_); });
  if (!touched) {
    daemon_log(LogLevel::Error, "cannot look for stale jobs: " + touched.error().message());
    return;
  }
  for (JobId id : *touched) {
    daemon_log(LogLevel::Warning,
               "job " + std::to_string(id.value) + ": its owner died or its lease expired; requeued or failed");
    if (Result<JobLog> log = JobLog::open(spool_.job_log(id)))
      log->line("daemon", "the previous owner died or its lease expired: requeued (or failed if no attempts are left)");
    // Its last worker died with its owner (PR_SET_PDEATHSIG) and may have
    // left half-written outputs. One of ours still alive (an expired lease
    // of our own) is killed by the next heartbeat and cleaned up when reaped.
    Result<Job> job = store_.get(id);
    if (!job) continue;
    std::int64_t pid = worker_pid_on(job->worker, owner_.host);
    bool ours = std::any_of(slots_.begin(), slots_.end(), [pid](const WorkerSlot& s) { return s.proc.pid == pid; });
    if (pid > 0 && !ours) remove_temp_files(job->spec, pid, id);
  }
  if (!touched->empty()) {
    want_claim_ = true;
    depth_changed_ = true;
  }
}

void Supervisor::serve_once() {
  std::vector<pollfd> fds;
  fds.push_back({sigfd_, POLLIN, 0});
  fds.push_back({wake_.fd(), POLLIN, 0});
  for (WorkerSlot& s : slots_) {
    fds.push_back({s.proc.sock, POLLIN, 0});  // -1 entries are ignored by poll
    fds.push_back({s.proc.err, POLLIN, 0});
  }
  int n = ::poll(fds.data(), fds.size(), poll_timeout(SteadyClock::now()));
  if (n < 0 && errno != EINTR) daemon_log(LogLevel::Error, std::string("poll: ") + std::strerror(errno));

  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (fds[2 + 2 * i].revents != 0) read_worker(slots_[i]);
    if (fds[3 + 2 * i].revents != 0) forward_stderr(slots_[i], false);
  }
  if (fds[1].revents & POLLIN) {  // a submit, cancel or resume happened
    wake_.drain();
    want_claim_ = true;
    depth_changed_ = true;
    check_cancels();
  }
  if (fds[0].revents & POLLIN) on_signals();
  on_timers(SteadyClock::now());
  claim_for_idle();
  tell_service(SteadyClock::now());
}

int Supervisor::poll_timeout(TimePoint now) const {
  TimePoint next = std::min(next_tick_, next_requeue_);
  for (const WorkerSlot& s : slots_) {
    if (s.state == SlotState::Down && !stopping_) next = std::min(next, s.restart_at);
    if (s.job && s.job->kill == KillReason::None) {
      next = std::min({next, s.job->next_renew, s.job->deadline});
      if (s.job->progress_pending) next = std::min(next, s.job->progress_due);
    }
  }
  if (stopping_ && !hard_stop_) next = std::min(next, grace_end_);
  if (told_ready_ && depth_changed_ && !stopping_ && notify_.active()) next = std::min(next, next_status_);
  std::int64_t timeout = std::min<std::int64_t>(ms_until(next, now), 60'000);
  if (std::optional<milliseconds> ping = notify_.until_next_ping(now))  // systemd's watchdog
    timeout = std::min<std::int64_t>(timeout, ping->count());
  return static_cast<int>(timeout);
}

bool Supervisor::all_down() const {
  return std::all_of(slots_.begin(), slots_.end(), [](const WorkerSlot& s) { return s.proc.pid < 0; });
}

// ---- workers ------------------------------------------------------------

void Supervisor::start_worker(WorkerSlot& s) {
  std::vector<std::string> args = {"renderq", "daemon", "--worker-fd", "3"};
  if (s.device_index) {
    args.push_back("--worker-device");
    args.push_back(std::to_string(*s.device_index));
  }
  Result<ChildProcess> child = spawn_child(opt_.exe, args);
  if (!child) {
    daemon_log(LogLevel::Error, "cannot start a worker: " + child.error().message());
    s.failures++;
    s.restart_at = SteadyClock::now() + kMaxBackoff;
    return;
  }
  s.proc = *child;
  s.state = SlotState::Starting;
  s.in = {};
  s.err = {};
  s.jobs_done = 0;
  s.worker = owner_.host + ":" + std::to_string(s.proc.pid);
}

// Asks an idle worker to exit: it sees EOF on its socket.
void Supervisor::stop_worker(WorkerSlot& s) {
  close_fd(s.proc.sock);
  s.state = SlotState::Stopping;
}

void Supervisor::kill_worker(WorkerSlot& s, KillReason why) {
  if (s.job && s.job->kill == KillReason::None) s.job->kill = why;
  if (s.proc.pid > 0) ::kill(s.proc.pid, SIGKILL);
  close_fd(s.proc.sock);  // nothing it says now can change the outcome
  s.state = SlotState::Stopping;
}

void Supervisor::read_worker(WorkerSlot& s) {
  if (s.proc.sock < 0) return;
  bool open = read_into(s.proc.sock, s.in);
  while (std::optional<std::string> line = s.in.next_line()) {
    Result<wire::Message> m = wire::decode(*line);
    if (!m) {
      daemon_log(LogLevel::Error, "worker " + s.worker + ": " + m.error().message() + "; killing it");
      kill_worker(s, KillReason::None);
      return;
    }
    on_message(s, *m);
    if (s.proc.sock < 0) return;
  }
  if (!open) close_fd(s.proc.sock);  // EOF: the exit status follows via SIGCHLD
}

void Supervisor::forward_stderr(WorkerSlot& s, bool flush) {
  if (s.proc.err < 0) return;
  bool open = read_into(s.proc.err, s.err);
  // Info: what a worker prints is context; the supervisor logs what went wrong itself.
  while (std::optional<std::string> line = s.err.next_line())
    daemon_log(LogLevel::Info, "worker " + s.worker + ": " + *line);
  if (!open || flush) {
    if (s.err.pending() > 0) {
      s.err.append("\n");
      if (std::optional<std::string> line = s.err.next_line())
        daemon_log(LogLevel::Info, "worker " + s.worker + ": " + *line);
    }
    if (!open) close_fd(s.proc.err);
  }
}

void Supervisor::on_message(WorkerSlot& s, const wire::Message& m) {
  if (const auto* r = std::get_if<wire::Ready>(&m)) {
    s.device = r->device;
    if (s.state == SlotState::Starting) s.state = SlotState::Idle;
    daemon_log(LogLevel::Info, "worker " + s.worker + " ready on " + r->device);
    want_claim_ = true;
  } else if (const auto* f = std::get_if<wire::StartFailed>(&m)) {
    daemon_log(LogLevel::Error, "worker " + s.worker + " could not start: " + f->code + ": " + f->message);
    s.failures++;
    s.state = SlotState::Stopping;  // it exits on its own
  } else if (const auto* p = std::get_if<wire::Progress>(&m)) {
    if (s.job && s.job->id.value == p->id && s.job->kill == KillReason::None) {
      s.job->done = p->done;
      s.job->total = p->total;
      s.job->progress_pending = true;
      // At most one write per kProgressEvery. The last frame's report waits
      // for the Done that follows, and finish() stores it with the outcome
      // in the same transaction, unless writing the images takes longer.
      TimePoint now = SteadyClock::now();
      s.job->progress_due = p->done < p->total ? s.job->last_progress_write + kProgressEvery : now + kProgressEvery;
      if (now >= s.job->progress_due) write_progress(*s.job, now);
    }
  } else if (const auto* d = std::get_if<wire::Done>(&m)) {
    on_done(s, *d);
  } else {
    daemon_log(LogLevel::Error, "worker " + s.worker + " sent an unexpected message; killing it");
    kill_worker(s, KillReason::None);
  }
}

void Supervisor::on_done(WorkerSlot& s, const wire::Done& d) {
  if (!s.job || s.job->id.value != d.id || s.job->kill != KillReason::None) return;  // a kill is in flight
  finish(s, Outcome{.ok = d.ok, .error_code = d.code, .error_message = d.message, .retryable = d.retryable});
  s.jobs_done++;
  s.failures = 0;
  // Policies that recycle a worker between jobs.
  std::int64_t rss = opt_.max_worker_rss > 0 ? process_rss_bytes(s.proc.pid) : 0;
  if (d.restart) {
    s.state = SlotState::Stopping;  // it exits by itself
  } else if (stopping_) {
    stop_worker(s);
  } else if (opt_.max_jobs_per_worker > 0 && s.jobs_done >= opt_.max_jobs_per_worker) {
    daemon_log(LogLevel::Info, "worker " + s.worker + " did " + std::to_string(s.jobs_done) + " jobs: restarting it");
    stop_worker(s);
  } else if (opt_.max_worker_rss > 0 && rss > opt_.max_worker_rss) {
    daemon_log(LogLevel::Info, "worker " + s.worker + " uses " + std::to_string(rss >> 20) + " MiB (limit " +
               std::to_string(opt_.max_worker_rss >> 20) + " MiB): restarting it");
    stop_worker(s);
  } else {
    s.state = SlotState::Idle;
  }
  want_claim_ = true;
}

void Supervisor::on_exit(WorkerSlot& s, int status) {
  read_worker(s);  // a Done message may precede the exit
  forward_stderr(s, true);
  close_fd(s.proc.sock);
  close_fd(s.proc.err);
  std::string how = describe_wait_status(status);
  bool crashed = !s.job && s.state != SlotState::Stopping;  // died between jobs, unasked
  if (s.job) {
    RunningJob& j = *s.job;
    // Before the outcome is stored: if this process dies in between, the
    // next supervisor finds the job still running here and cleans up.
    remove_temp_files(j.spec, s.proc.pid, j.id);
    switch (j.kill) {
      case KillReason::None:
        crashed = true;
        finish(s, Outcome{.ok = false, .error_code = std::string(errc_name(Errc::WorkerCrashed)),
                          .error_message = "worker pid " + std::to_string(s.proc.pid) + " " + how + " while rendering",
                          .retryable = true});
        break;
      case KillReason::Timeout:
        finish(s, Outcome{.ok = false, .error_code = std::string(errc_name(Errc::Timeout)),
                          .error_message = "exceeded its timeout of " + format_duration(Millis(j.timeout_ms))});
        break;
      case KillReason::Cancel:
        finish(s, Outcome{.ok = false, .error_code = std::string(errc_name(Errc::Canceled)),
                          .error_message = "canceled while running"});
        break;
      case KillReason::Shutdown:
        finish(s, Outcome{.ok = false, .error_code = std::string(errc_name(Errc::Shutdown)),
                          .error_message = "the daemon stopped", .retryable = true, .interrupted = true});
        break;
      case KillReason::LeaseLost:
        j.log.line("daemon", "stopped: this daemon no longer holds the job's lease");
        s.job.reset();
        break;
    }
  }
  if (crashed) s.failures++;
  if (crashed || !stopping_) daemon_log(crashed ? LogLevel::Warning : LogLevel::Info, "worker " + s.worker + " " + how);
  s.proc = {};
  s.state = SlotState::Down;
  milliseconds backoff{0};
  if (s.failures > 0) backoff = std::min(kMaxBackoff, milliseconds(100) * (1 << std::min(s.failures - 1, 10)));
  s.restart_at = SteadyClock::now() + backoff;
}

void Supervisor::reap() {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (WorkerSlot& s : slots_)
      if (s.proc.pid == pid) on_exit(s, status);
  }
}

// ---- jobs ---------------------------------------------------------------

void Supervisor::claim_for_idle() {
  if (stopping_ || !want_claim_) return;
  for (WorkerSlot& s : slots_) {
    if (s.state != SlotState::Idle) continue;
    Result<std::optional<Job>> job = store_.claim(ClaimRequest{
        .owner = owner_, .worker = s.worker, .device = s.device, .lease_ms = opt_.lease_ms});
    if (!job) {
      daemon_log(LogLevel::Error, "claim failed: " + job.error().message());  // Busy: the next tick retries
      return;
    }
    if (!*job) {
      want_claim_ = false;  // nothing eligible (or paused) until the next wake or tick
      return;
    }
    dispatch(s, **job);
  }
}

void Supervisor::dispatch(WorkerSlot& s, const Job& job) {
  TimePoint now = SteadyClock::now();
  RunningJob j{.id = job.id, .name = job.name, .spec = job.spec, .attempt = job.attempts,
               .max_attempts = job.max_attempts};
  j.timeout_ms = job.timeout_ms.value_or(opt_.default_timeout_ms);
  if (j.timeout_ms > 0) j.deadline = now + milliseconds(j.timeout_ms);
  j.next_renew = now + heartbeat_;
  if (Result<std::filesystem::path> dir = spool_.make_job_dir(job.id); !dir)
    daemon_log(LogLevel::Error, "job " + std::to_string(job.id.value) + ": " + dir.error().message());
  if (Result<JobLog> log = JobLog::open(spool_.job_log(job.id))) j.log = std::move(*log);
  j.log.line("daemon", "attempt " + std::to_string(j.attempt) + "/" + std::to_string(j.max_attempts) +
                           " started by worker " + s.worker + " on " + s.device +
                           (j.timeout_ms > 0 ? ", timeout " + format_duration(Millis(j.timeout_ms)) : ""));
  s.job = std::move(j);
  s.state = SlotState::Busy;
  depth_changed_ = true;
  std::string msg = wire::encode(
      wire::JobRequest{.id = job.id.value, .name = job.name, .log_path = spool_.job_log(job.id).string(), .spec = job.spec});
  ssize_t n = ::send(s.proc.sock, msg.data(), msg.size(), MSG_NOSIGNAL);
  if (n != static_cast<ssize_t>(msg.size())) {
    daemon_log(LogLevel::Error, "cannot send job " + std::to_string(job.id.value) + " to worker " + s.worker);
    kill_worker(s, KillReason::None);  // treated as a crash once reaped: retried if attempts remain
  }
}

void Supervisor::finish(WorkerSlot& s, Outcome outcome) {
  RunningJob& j = *s.job;
  std::string id = std::to_string(j.id.value);
  if (j.progress_pending) outcome.progress = std::array<int, 2>{j.done, j.total};
  Result<JobState> state = store_.finish(j.id, owner_, outcome);
  for (int tries = 0; !state && state.error().code == Errc::Busy && tries < 3; ++tries)
    state = store_.finish(j.id, owner_, outcome);
  if (state) {
    std::string what = std::string(state_name(*state));
    if (!outcome.ok) what += " (" + outcome.error_code + ": " + outcome.error_message + ")";
    j.log.line("daemon", "attempt " + std::to_string(j.attempt) + " ended: " + what);
    daemon_log(*state == JobState::Failed ? LogLevel::Warning : LogLevel::Info, "job " + id + " " + what);
  } else if (state.error().code == Errc::LeaseLost) {
    j.log.line("daemon", "attempt " + std::to_string(j.attempt) + " ended but the lease was lost; outcome dropped");
    daemon_log(LogLevel::Warning, "job " + id + ": lease lost before finishing; outcome dropped");
  } else {
    daemon_log(LogLevel::Error, "job " + id + ": cannot record its outcome: " + state.error().message());
  }
  s.job.reset();
  depth_changed_ = true;
}

void Supervisor::remove_temp_files(const RenderSpec& spec, std::int64_t pid, JobId id) {
  if (int n = remove_temp_outputs(spec, pid); n > 0)
    daemon_log(LogLevel::Info, "job " + std::to_string(id.value) + ": removed " + std::to_string(n) +
                                   " temporary file(s) left by worker pid " + std::to_string(pid));
}

void Supervisor::write_progress(RunningJob& j, TimePoint now) {
  j.last_progress_write = now;
  j.progress_pending = false;
  if (Result<void> r = store_.set_progress(j.id, owner_, j.done, j.total); !r && r.error().code != Errc::LeaseLost)
    daemon_log(LogLevel::Warning, "job " + std::to_string(j.id.value) + ": progress not stored: " + r.error().message());
}

// Renews the lease; the answer doubles as the cancel signal.
void Supervisor::heartbeat(WorkerSlot& s, TimePoint now) {
  RunningJob& j = *s.job;
  j.next_renew = now + heartbeat_;
  Result<bool> r = store_.renew(j.id, owner_, opt_.lease_ms);
  if (!r) {
    if (r.error().code == Errc::LeaseLost) {
      daemon_log(LogLevel::Warning, "job " + std::to_string(j.id.value) + ": lease lost; stopping its worker");
      kill_worker(s, KillReason::LeaseLost);
    } else {
      daemon_log(LogLevel::Warning, "job " + std::to_string(j.id.value) + ": lease not renewed: " + r.error().message());
    }
  } else if (*r) {
    j.log.line("daemon", "cancel requested: stopping the worker");
    kill_worker(s, KillReason::Cancel);
  }
}

// On a wake: a cheap read of each running job, so a cancel acts at once.
void Supervisor::check_cancels() {
  for (WorkerSlot& s : slots_) {
    if (!s.job || s.job->kill != KillReason::None) continue;
    Result<Job> job = store_.get(s.job->id);
    if (job && job->cancel_requested) heartbeat(s, SteadyClock::now());
  }
}

// ---- signals and timers -------------------------------------------------

void Supervisor::on_signals() {
  signalfd_siginfo info{};
  while (::read(sigfd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    switch (info.ssi_signo) {
      case SIGCHLD:
        reap();
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
}

void Supervisor::begin_stop(bool hard) {
  TimePoint now = SteadyClock::now();
  if (!stopping_) {
    stopping_ = true;
    grace_end_ = now + milliseconds(opt_.grace_ms);
    std::string what = "stopping: no new jobs; running jobs may finish within " + format_duration(Millis(opt_.grace_ms));
    daemon_log(LogLevel::Info, what);
    notify_.stopping(what);
    for (WorkerSlot& s : slots_)
      if (s.state == SlotState::Idle || s.state == SlotState::Starting) stop_worker(s);
  }
  if (hard && !hard_stop_) {
    hard_stop_ = true;
    daemon_log(LogLevel::Info, "stopping now: running jobs go back to the queue");
    for (WorkerSlot& s : slots_)
      if (s.proc.pid > 0) kill_worker(s, KillReason::Shutdown);
  }
}

void Supervisor::on_timers(TimePoint now) {
  for (WorkerSlot& s : slots_) {
    if (s.job && s.job->kill == KillReason::None) {
      if (now >= s.job->deadline) {
        s.job->log.line("daemon", "timeout of " + format_duration(Millis(s.job->timeout_ms)) + " reached: stopping the worker");
        kill_worker(s, KillReason::Timeout);
        continue;
      }
      if (s.job->progress_pending && now >= s.job->progress_due) write_progress(*s.job, now);
      if (now >= s.job->next_renew) heartbeat(s, now);
    }
    if (s.state == SlotState::Down && s.proc.pid < 0 && !stopping_ && now >= s.restart_at) start_worker(s);
  }
  if (stopping_ && !hard_stop_ && now >= grace_end_) {
    for (WorkerSlot& s : slots_)
      if (s.job && s.job->kill == KillReason::None) {
        s.job->log.line("daemon", "grace period over: stopping the worker; the job goes back to the queue");
        kill_worker(s, KillReason::Shutdown);
      }
  }
  if (now >= next_requeue_) {
    next_requeue_ = now + milliseconds(opt_.requeue_every_ms);
    recover();
  }
  if (now >= next_tick_) {  // the fallback poll: a wake may have been missed
    next_tick_ = now + milliseconds(opt_.poll_ms);
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
  bool starting = std::any_of(slots_.begin(), slots_.end(), [](const WorkerSlot& s) { return s.state == SlotState::Starting; });
  if (stopping_ || (!told_ready_ && starting)) return;
  if (told_ready_ && (!depth_changed_ || now < next_status_)) return;
  Result<QueueCounts> c = store_.counts();
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

// ---- devices ------------------------------------------------------------

// Lists the devices in a short-lived child, so that the supervisor itself
// never loads a GL driver (its memory stays small, and fork stays safe).
Result<std::vector<wire::DeviceEntry>> probe_devices(const std::string& exe) {
  Result<ChildProcess> child = spawn_child(exe, {"renderq", "daemon", "--worker-probe", "--worker-fd", "3"});
  if (!child) return std::unexpected(child.error());
  wire::LineBuffer in, err;
  std::optional<wire::Message> answer;
  bool sock_open = true;
  TimePoint deadline = SteadyClock::now() + std::chrono::seconds(60);
  while (sock_open && SteadyClock::now() < deadline) {
    pollfd fds[2] = {{child->sock, POLLIN, 0}, {child->err, POLLIN, 0}};
    ::poll(fds, 2, 1000);
    if (fds[1].revents) {
      if (!read_into(child->err, err)) close_fd(child->err);
      while (std::optional<std::string> line = err.next_line()) daemon_log(LogLevel::Info, "device probe: " + *line);
    }
    if (fds[0].revents) {
      sock_open = read_into(child->sock, in);
      if (std::optional<std::string> line = in.next_line()) {
        if (Result<wire::Message> m = wire::decode(*line)) answer = *m;
        break;
      }
    }
  }
  ::kill(child->pid, SIGKILL);  // done or too slow either way
  int status = 0;
  ::waitpid(child->pid, &status, 0);
  close_fd(child->sock);
  close_fd(child->err);
  if (answer) {
    if (const auto* d = std::get_if<wire::Devices>(&*answer)) return d->devices;
    if (const auto* f = std::get_if<wire::StartFailed>(&*answer))
      return fail(Errc::EglNoDevice, "device probe failed: " + f->code + ": " + f->message);
  }
  return fail(Errc::EglNoDevice, "device probe gave no answer (" + describe_wait_status(status) + ")");
}

Result<void> Supervisor::choose_devices() {
  Result<std::vector<int>> listed = parse_device_list(opt_.devices);
  if (!listed) return std::unexpected(listed.error());
  if (!listed->empty()) {
    for (int index : *listed) slots_.push_back(WorkerSlot{.device_index = index});
    return {};
  }
  // "all": one worker per GPU; software rendering only when there is none.
  Result<std::vector<wire::DeviceEntry>> devices = probe_devices(opt_.exe);
  if (!devices) return std::unexpected(devices.error());
  for (const wire::DeviceEntry& d : *devices) {
    daemon_log(LogLevel::Info, "device " + std::to_string(d.index) + ": " + d.device + (d.software ? " (software)" : ""));
    if (!d.software) slots_.push_back(WorkerSlot{.device_index = d.index});
  }
  if (slots_.empty() && !devices->empty()) {
    const wire::DeviceEntry& d = devices->front();
    slots_.push_back(WorkerSlot{.device_index = d.index >= 0 ? std::optional<int>(d.index) : std::nullopt});
  }
  if (slots_.empty()) return fail(Errc::EglNoDevice, "no EGL device can create an OpenGL 4.5 context");
  return {};
}

}  // namespace

Result<void> run_supervisor(Spool& spool, const DaemonOptions& options, const std::function<void()>& on_ready) {
  Result<int> sigfd = open_signalfd();
  if (!sigfd) return std::unexpected(sigfd.error());
  Result<WakeListener> wake = WakeListener::open(spool.dir());
  if (!wake) {
    ::close(*sigfd);
    return std::unexpected(wake.error());
  }
  Supervisor sup(spool, options, *sigfd, std::move(*wake));
  Result<void> r = sup.run(on_ready);
  ::close(*sigfd);
  return r;
}

}  // namespace renderq
