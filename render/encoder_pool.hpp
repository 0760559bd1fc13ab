// EncoderPool: a fixed set of threads that encode frames (or run any other
// `Result<void>()` task) while the GL thread draws the next ones. Tasks carry
// the frame index they belong to; completions come back in the order they
// finish, each exactly once, with the time the task ran (busy time: the sum
// over tasks, not wall time). `InOrderFrames` turns those completions into
// the number of frames finished in order, which is what progress reports.
//
// Thread-safety: submit(), poll(), wait_any(), wait_all() and drop_queued()
// are called from one thread (the GL thread); the tasks run on the pool's.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace renderq {

// Encoder threads for this machine: $RENDERQ_ENCODER_THREADS when it is a
// number in 1..256, else usable_cpus() / `sharers` (the processes that
// encode at once on this machine, e.g. a daemon's workers) capped at 16
// (encoding one frame is single-threaded; past 16 the GL thread is the limit),
// at least 1.
int default_encoder_threads(int sharers = 1);

// The CPUs this process may run on (its affinity mask: taskset, systemd's
// CPUAffinity=, a container's cpuset), at least 1.
int usable_cpus();

class EncoderPool {
 public:
  using Task = std::function<Result<void>()>;
  struct Done {
    int index = 0;      // as given to submit()
    double ms = 0;      // time the task ran
    Result<void> result;
  };

  // REQUIRES: threads >= 1.
  explicit EncoderPool(int threads);
  // Runs every queued task, then joins.
  ~EncoderPool();
  EncoderPool(const EncoderPool&) = delete;
  EncoderPool& operator=(const EncoderPool&) = delete;

  int threads() const { return static_cast<int>(threads_.size()); }
  // Queued or running tasks whose completion has not been collected yet.
  std::size_t outstanding() const;

  void submit(int index, Task task);
  // Completions so far, without blocking (maybe none).
  std::vector<Done> poll();
  // Blocks until at least one task completes (returns at once with nothing
  // when none is outstanding); returns every completion so far.
  std::vector<Done> wait_any();
  // Blocks until every submitted task has completed; returns the completions
  // not collected before.
  std::vector<Done> wait_all();
  // Forgets queued tasks that no thread has started (after a failure: their
  // frames will not be written); returns their indices. Running ones finish.
  std::vector<int> drop_queued();

 private:
  struct Item {
    int index;
    Task task;
  };
  void run();

  mutable std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Item> queue_;
  std::vector<Done> done_;
  std::size_t outstanding_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// Frames 0..total-1 complete in any order; `in_order()` is how many of the
// first frames are all complete, so "N done" always means frames 0..N-1 exist.
class InOrderFrames {
 public:
  explicit InOrderFrames(int total) : complete_(static_cast<std::size_t>(total > 0 ? total : 0), false) {}
  // Marks frame `index` complete; returns true when in_order() moved.
  // An index out of range or already complete changes nothing.
  bool complete(int index);
  int in_order() const { return in_order_; }

 private:
  std::vector<bool> complete_;
  int in_order_ = 0;
};

}  // namespace renderq
