// WorkerPool: the render worker processes, one per device slot. It starts
// them (fork + exec of renderq, child_process.hpp), waits for their Ready,
// reads their messages, copies their stderr into the daemon log, reaps
// them, restarts a dead one with back-off (0.1 s doubling to 5 s after
// repeated failures), and recycles one after --max-jobs-per-worker jobs or
// above --max-worker-rss.
//
// Jobs are not its business: a Worker is a JobHost on which the
// supervisor's job runners start jobs; the pool passes job messages
// (progress, done) and the exit of a worker that had a job to its Listener,
// which owns the runners.
//
// Thread-safety: single-threaded (the supervisor's loop).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/child_process.hpp"
#include "daemon/clock.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/job_runner.hpp"
#include "daemon/protocol.hpp"
#include "daemon/run_as.hpp"

namespace renderq {

enum class WorkerState {
  Down,      // no process; a restart is due at restart_at
  Starting,  // spawned, waiting for its Ready message
  Idle,      // ready for a job
  Busy,      // running a job
  Stopping,  // asked to exit (socket closed), killed, or exiting after a fatal error
};

class Worker final : public JobHost {
 public:
  Worker(std::size_t index, std::optional<int> device_index) : index_(index), device_index_(device_index) {}

  std::size_t index() const { return index_; }  // its place in the pool, stable
  WorkerState state() const { return state_; }
  bool alive() const { return proc_.pid > 0; }  // a process exists (not yet reaped)
  // What its Ready said: the device it holds (command jobs of this slot run there).
  const wire::Ready& ready() const { return ready_; }

  // JobHost: sends a `job` message (first restarting the worker as the
  // job's user when it runs as someone else); kill() is SIGKILL, and
  // nothing the worker says afterwards is read.
  const std::string& worker() const override { return name_; }
  const std::string& device() const override { return device_; }
  std::int64_t pid() const override { return proc_.pid; }
  bool start(const Job& job, const std::filesystem::path& log_path, const std::string& stage) override;
  void kill() override;

 private:
  friend class WorkerPool;
  std::size_t index_;
  std::optional<int> device_index_;  // nullopt = the renderer's default choice
  WorkerState state_ = WorkerState::Down;
  ChildProcess proc_{};
  wire::LineBuffer in_{};   // messages from the worker
  wire::LineBuffer err_{};  // its stderr, copied to the daemon log
  std::string name_{};      // "host:pid"
  std::string device_{};    // GL_RENDERER, known after Ready
  wire::Ready ready_{};
  bool has_job_ = false;    // started a job whose end the listener has not seen
  // Acting for users (run_as.hpp): who the process runs as (nullopt: the
  // daemon's user). A job for someone else restarts the worker as them:
  // the job waits in pending_ while the old process exits (respawning_)
  // and the new one starts; it is sent on the new one's Ready.
  struct Pending {
    Job job;
    std::filesystem::path log_path;
    std::string stage;
  };
  std::optional<RunAs> run_as_{};
  std::optional<Pending> pending_{};
  bool respawning_ = false;
  std::optional<std::pair<std::string, int>> run_as_failed_{};  // the child's "renderq-run-as" line
  std::optional<Error> refused_{};  // the job cannot run here: failed at the next turn
  std::int64_t job_id_ = 0;
  int jobs_done_ = 0;
  int failures_ = 0;        // consecutive crashes / failed starts: restart back-off
  TimePoint restart_at_{};
};

struct WorkerPoolOptions {
  std::string exe = "/proc/self/exe";  // the renderq binary workers run
  std::string host;                    // names workers "host:pid"
  int max_jobs_per_worker = 0;         // recycle after N jobs; 0 = never
  std::int64_t max_worker_rss = 0;     // bytes; recycle above it after a job; 0 = no limit
  std::int64_t max_scene_memory = 0;   // bytes; workers' scene memory budget; 0 = their default
};

class WorkerPool {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // `w` finished starting and is idle.
    virtual void worker_ready(Worker& w) = 0;
    // A Progress or Done message from `w`.
    virtual void job_message(Worker& w, const wire::Message& m) = 0;
    // `w` exited while it had a job (`how`: describe_wait_status). Returns
    // true when that counts as a crash (the worker died on its own).
    virtual bool job_host_exited(Worker& w, std::string_view how) = 0;
  };

  WorkerPool(WorkerPoolOptions options, Listener& listener) : opt_(std::move(options)), listener_(listener) {}

  // Adds a slot for `device` (nullopt: let the renderer choose); no process
  // is started yet.
  void add(std::optional<int> device);

  std::size_t size() const { return workers_.size(); }
  Worker& at(std::size_t i) { return *workers_[i]; }
  const Worker& at(std::size_t i) const { return *workers_[i]; }

  void start_all();
  // Watches every worker's socket and stderr for the next turn, and wakes
  // the loop when a restart is due.
  void watch(EventLoop& loop);
  // Reaps every exited child (on SIGCHLD) and settles its slot; a child
  // that is not a worker (a command job's process) goes to `other`.
  void reap(const std::function<void(pid_t pid, int status)>& other = {});
  // Restarts the workers whose back-off ended (not once stopping).
  void restart_due(TimePoint now);
  // The Listener took `w`'s Done: count the job and recycle the worker when
  // it asked to exit (`restart`), the pool is stopping, or a limit is hit
  // (`reported_rss`: the worker's own figure, 0 = unknown).
  void job_ended(Worker& w, bool restart, std::int64_t reported_rss = 0);
  // SIGKILL, socket closed; the exit is reaped later.
  void kill(Worker& w);
  // No more restarts; idle and starting workers are asked to exit.
  void begin_stop();

  bool any_starting() const;
  bool all_down() const;              // no process left to reap
  bool owns_pid(std::int64_t pid) const;  // one of our live workers

 private:
  void start(Worker& w);
  void stop(Worker& w);  // asks it to exit: it sees EOF on its socket
  void read_messages(Worker& w);
  void forward_stderr(Worker& w, bool flush);
  void on_message(Worker& w, const wire::Message& m);
  void on_exit(Worker& w, int status);
  void end_refused(Worker& w, const Error& why);

  WorkerPoolOptions opt_;
  Listener& listener_;
  std::vector<std::unique_ptr<Worker>> workers_;  // stable addresses: runners point at them
  bool stopping_ = false;
};

}  // namespace renderq
