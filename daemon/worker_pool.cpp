#include "daemon/worker_pool.hpp"

#include <algorithm>
#include <csignal>
#include <sys/socket.h>
#include <sys/wait.h>

#include "core/memory_budget.hpp"
#include "daemon/daemon_log.hpp"
#include "render/encoder_pool.hpp"

namespace renderq {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMaxBackoff{5000};

}  // namespace

// ---- Worker as a JobHost --------------------------------------------------

bool Worker::start(const Job& job, const std::filesystem::path& log_path, const std::string& stage) {
  state_ = WorkerState::Busy;
  has_job_ = true;
  job_id_ = job.id.value;
  Result<std::optional<RunAs>> who = run_as_for(job);
  if (!who) {
    refused_ = who.error();  // the runner is not in place yet: failed at the next turn
    return true;
  }
  if (*who != run_as_) {
    // This process makes way (EOF on its socket); the pool's on_exit
    // starts the next one as the job's user.
    daemon_log(LogLevel::Info, "worker " + name_ + ": restarting as " +
                                   (*who ? "user " + (*who)->name : std::string("the daemon's user")) + " for job " +
                                   std::to_string(job_id_));
    pending_ = Pending{.job = job, .log_path = log_path, .stage = stage};
    run_as_ = *who;
    respawning_ = true;
    proc_.sock.reset();
    return true;
  }
  std::string msg = wire::encode(
      wire::JobRequest{.id = job.id.value, .name = job.name, .log_path = log_path.string(), .spec = job.spec,
                       .stage = stage});
  ssize_t n = ::send(proc_.sock.get(), msg.data(), msg.size(), MSG_NOSIGNAL);
  return n == static_cast<ssize_t>(msg.size());
}

void Worker::kill() {
  pending_.reset();
  respawning_ = false;  // its exit ends the job, as any kill's
  if (proc_.pid > 0) signal_as(run_as_, proc_.pid, SIGKILL);  // a user's worker: as that user
  proc_.sock.reset();  // nothing it says now can change the outcome
  state_ = WorkerState::Stopping;
}

// ---- the pool -------------------------------------------------------------

void WorkerPool::add(std::optional<int> device) {
  workers_.push_back(std::make_unique<Worker>(workers_.size(), device));
}

// A job that cannot run here (its user unknown, or the switch refused):
// failed, not retried, through the same path as a worker's Done.
void WorkerPool::end_refused(Worker& w, const Error& why) {
  daemon_log(LogLevel::Error, "job " + std::to_string(w.job_id_) + ": " + why.message());
  w.pending_.reset();
  listener_.job_message(w, wire::Done{.id = w.job_id_, .ok = false, .code = std::string(errc_name(why.code)),
                                      .message = why.message(), .retryable = false, .restart = false});
}

void WorkerPool::start_all() {
  for (auto& w : workers_) start(*w);
}

void WorkerPool::watch(EventLoop& loop) {
  for (auto& p : workers_) {
    Worker& w = *p;
    loop.watch(w.proc_.sock.get(), [this, &w] { read_messages(w); });
    loop.watch(w.proc_.err.get(), [this, &w] { forward_stderr(w, false); });
    if (w.state_ == WorkerState::Down && !stopping_) loop.wake_by(w.restart_at_);
    if (w.refused_) loop.wake_by(SteadyClock::now());
  }
}

void WorkerPool::reap(const std::function<void(pid_t pid, int status)>& other) {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    bool ours = false;
    for (auto& w : workers_)
      if (w->proc_.pid == pid) {
        ours = true;
        on_exit(*w, status);
      }
    if (!ours && other) other(pid, status);
  }
}

void WorkerPool::restart_due(TimePoint now) {
  for (auto& w : workers_)
    if (w->refused_) {
      const Error why = *w->refused_;
      w->refused_.reset();
      if (w->has_job_) end_refused(*w, why);
    }
  if (stopping_) return;
  for (auto& w : workers_)
    if (w->state_ == WorkerState::Down && w->proc_.pid < 0 && now >= w->restart_at_) start(*w);
}

void WorkerPool::job_ended(Worker& w, bool restart, std::int64_t reported_rss) {
  w.has_job_ = false;
  w.jobs_done_++;
  w.failures_ = 0;
  // What the worker reported; else what /proc shows (ProtectProc=invisible
  // hides a worker that runs as another user).
  std::int64_t rss = opt_.max_worker_rss <= 0 ? 0 : reported_rss > 0 ? reported_rss : process_rss_bytes(w.proc_.pid);
  if (restart) {
    w.state_ = WorkerState::Stopping;  // it exits by itself
  } else if (stopping_) {
    stop(w);
  } else if (opt_.max_jobs_per_worker > 0 && w.jobs_done_ >= opt_.max_jobs_per_worker) {
    daemon_log(LogLevel::Info, "worker " + w.name_ + " did " + std::to_string(w.jobs_done_) + " jobs: restarting it");
    stop(w);
  } else if (opt_.max_worker_rss > 0 && rss > opt_.max_worker_rss) {
    daemon_log(LogLevel::Info, "worker " + w.name_ + " uses " + std::to_string(rss >> 20) + " MiB (limit " +
                                   std::to_string(opt_.max_worker_rss >> 20) + " MiB): restarting it");
    stop(w);
  } else {
    w.state_ = WorkerState::Idle;
  }
}

void WorkerPool::kill(Worker& w) { w.kill(); }

void WorkerPool::begin_stop() {
  stopping_ = true;
  for (auto& w : workers_)
    if (w->state_ == WorkerState::Idle || w->state_ == WorkerState::Starting) stop(*w);
}

bool WorkerPool::any_starting() const {
  return std::any_of(workers_.begin(), workers_.end(), [](const auto& w) { return w->state_ == WorkerState::Starting; });
}

bool WorkerPool::all_down() const {
  return std::all_of(workers_.begin(), workers_.end(), [](const auto& w) { return w->proc_.pid < 0; });
}

bool WorkerPool::owns_pid(std::int64_t pid) const {
  return std::any_of(workers_.begin(), workers_.end(), [pid](const auto& w) { return w->proc_.pid == pid; });
}

void WorkerPool::start(Worker& w) {
  std::vector<std::string> args = {"renderq", "daemon", "--worker-fd", "3"};
  if (w.device_index_) {
    args.push_back("--worker-device");
    args.push_back(std::to_string(*w.device_index_));
  }
  // The default budget is the machine's (half its memory) shared by all the
  // workers, which may load scenes at the same moment; one given is each one's.
  const std::uint64_t budget = opt_.max_scene_memory > 0 ? static_cast<std::uint64_t>(opt_.max_scene_memory)
                               : workers_.size() > 1     ? default_scene_memory() / workers_.size()
                                                         : 0;
  if (budget > 0) {
    args.push_back("--max-scene-memory");
    args.push_back(std::to_string(budget));
  }
  // Likewise the CPUs: workers that encode at once share them, unless
  // RENDERQ_ENCODER_THREADS (which each worker inherits) says otherwise.
  if (workers_.size() > 1) {
    args.push_back("--worker-encoder-threads");
    args.push_back(std::to_string(default_encoder_threads(static_cast<int>(workers_.size()))));
  }
  Result<ChildProcess> child = spawn_child(opt_.exe, args, w.run_as_ ? &*w.run_as_ : nullptr);
  if (!child) {
    daemon_log(LogLevel::Error, "cannot start a worker: " + child.error().message());
    w.failures_++;
    w.restart_at_ = SteadyClock::now() + kMaxBackoff;
    return;
  }
  w.proc_ = std::move(*child);
  w.state_ = WorkerState::Starting;
  w.in_ = {};
  w.err_ = {};
  w.jobs_done_ = 0;
  w.name_ = opt_.host + ":" + std::to_string(w.proc_.pid);
}

void WorkerPool::stop(Worker& w) {
  w.proc_.sock.reset();
  w.state_ = WorkerState::Stopping;
}

void WorkerPool::read_messages(Worker& w) {
  if (!w.proc_.sock) return;
  bool open = read_available(w.proc_.sock.get(), w.in_);
  while (std::optional<std::string> line = w.in_.next_line()) {
    Result<wire::Message> m = wire::decode(*line);
    if (!m) {
      daemon_log(LogLevel::Error, "worker " + w.name_ + ": " + m.error().message() + "; killing it");
      kill(w);
      return;
    }
    on_message(w, *m);
    if (!w.proc_.sock) return;  // killed: nothing it says now counts
  }
  if (!open) w.proc_.sock.reset();  // EOF: the exit status follows via SIGCHLD
}

void WorkerPool::forward_stderr(Worker& w, bool flush) {
  if (!w.proc_.err) return;
  bool open = read_available(w.proc_.err.get(), w.err_);
  // Info: what a worker prints is context; the supervisor logs what went wrong itself.
  while (std::optional<std::string> line = w.err_.next_line()) {
    if (auto failed = parse_run_as_failure(*line)) w.run_as_failed_ = failed;
    daemon_log(LogLevel::Info, "worker " + w.name_ + ": " + *line);
  }
  if (!open || flush) {
    if (w.err_.pending() > 0) {
      w.err_.append("\n");
      if (std::optional<std::string> line = w.err_.next_line())
        daemon_log(LogLevel::Info, "worker " + w.name_ + ": " + *line);
    }
    if (!open) w.proc_.err.reset();
  }
}

void WorkerPool::on_message(Worker& w, const wire::Message& m) {
  if (const auto* r = std::get_if<wire::Ready>(&m)) {
    w.device_ = r->device;
    w.ready_ = *r;
    if (w.state_ == WorkerState::Starting) w.state_ = WorkerState::Idle;
    daemon_log(LogLevel::Info, "worker " + w.name_ + " ready on " + r->device +
                                   (w.run_as_ ? " as user " + w.run_as_->name : std::string()));
    if (w.pending_) {  // restarted for this job: it goes out now
      Worker::Pending p = std::move(*w.pending_);
      w.pending_.reset();
      if (!w.start(p.job, p.log_path, p.stage)) kill(w);  // its exit ends the job as a crash
    }
    listener_.worker_ready(w);
  } else if (const auto* f = std::get_if<wire::StartFailed>(&m)) {
    daemon_log(LogLevel::Error, "worker " + w.name_ + " could not start: " + f->code + ": " + f->message);
    w.failures_++;
    w.state_ = WorkerState::Stopping;  // it exits on its own
  } else if (std::holds_alternative<wire::Progress>(m) || std::holds_alternative<wire::Done>(m)) {
    listener_.job_message(w, m);
  } else {
    daemon_log(LogLevel::Error, "worker " + w.name_ + " sent an unexpected message; killing it");
    kill(w);
  }
}

void WorkerPool::on_exit(Worker& w, int status) {
  read_messages(w);  // a Done message may precede the exit
  forward_stderr(w, true);
  w.proc_.sock.reset();
  w.proc_.err.reset();
  if (w.respawning_ && w.pending_) {  // the old process made way: the job's user's starts now
    daemon_log(LogLevel::Info, "worker " + w.name_ + " " + describe_wait_status(status));
    w.respawning_ = false;
    w.proc_ = {};
    w.run_as_failed_.reset();
    start(w);
    if (w.proc_.pid >= 0) return;
    // Not started (start() set its back-off): the job ends, and the slot
    // stays down until the restart is due.
    end_refused(w, Error{Errc::Io, "cannot start a worker for the job"});
    w.state_ = WorkerState::Down;
    return;
  }
  w.respawning_ = false;
  if (w.pending_ && w.has_job_) {  // the job's user's process died before its Ready
    const bool refused = WIFEXITED(status) && WEXITSTATUS(status) == kRunAsFailedStatus && w.run_as_failed_;
    const Error why = refused && w.run_as_ ? run_as_error(*w.run_as_, w.run_as_failed_->first.c_str(), w.run_as_failed_->second)
                                           : Error{Errc::WorkerCrashed, "the worker for the job's user " +
                                                                            describe_wait_status(status) + " before it was ready"};
    w.run_as_.reset();  // the slot's next worker is the daemon's own again
    w.run_as_failed_.reset();
    end_refused(w, why);
  }
  std::string how = describe_wait_status(status);
  bool crashed = !w.has_job_ && w.state_ != WorkerState::Stopping;  // died between jobs, unasked
  if (w.has_job_) {
    crashed = listener_.job_host_exited(w, how);
    w.has_job_ = false;
  }
  if (crashed) w.failures_++;
  if (crashed || !stopping_) daemon_log(crashed ? LogLevel::Warning : LogLevel::Info, "worker " + w.name_ + " " + how);
  w.proc_ = {};
  w.state_ = WorkerState::Down;
  milliseconds backoff{0};
  if (w.failures_ > 0) backoff = std::min(kMaxBackoff, milliseconds(100) * (1 << std::min(w.failures_ - 1, 10)));
  w.restart_at_ = SteadyClock::now() + backoff;
}

}  // namespace renderq
