// Change notification for a spool: how a waiter learns at once that some
// connection committed, without polling the database on a timer.
//
// <spool>/changed holds a 32-bit counter. Writer side (ChangeSignal): after
// each commit, SqliteDb increments it through a shared mapping and wakes
// every process waiting on it (a futex on the file's page: no registration,
// any number of waiters). The increment comes after the commit is visible
// to readers, so a reader woken by it always sees the commit.
//
// Reader side (ChangeWatch): remembers the counter when opened; wait()
// returns as soon as the counter differs from what it last saw (a commit
// since then: none is lost, however many came in between), or at a
// deadline. The caller then checks Store::change_marker(). Without the file
// (a spool this user cannot write, a file system without shared mappings)
// wait() sleeps a short poll step, so the waiter degrades to polling.
//
// Why not inotify: closing an inotify instance waits for a kernel RCU grace
// period (measured: 32 ms under load), which every `renderq wait` paid at
// exit; a futex costs nothing to drop. And the WAL file's own writes come
// before SQLite publishes the commit, so they cannot serve as the signal.
//
// The file has queue.db's mode and the same trust: like SQLite's -shm, it
// is mapped, so only those who may write the queue may write it.
//
// Thread-safety: one object per thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>

#include "spool/change_source.hpp"

namespace renderq {

// The counter file, in the folder that holds queue.db.
std::filesystem::path change_signal_path(const std::filesystem::path& db_path);

class ChangeSignal {
 public:
  // For the database at db_path; the file is change_signal_path(db_path).
  explicit ChangeSignal(const std::filesystem::path& db_path) : db_(db_path), file_(change_signal_path(db_path)) {}
  ChangeSignal(const ChangeSignal&) = delete;
  ChangeSignal& operator=(const ChangeSignal&) = delete;
  ~ChangeSignal();

  // Increments the counter and wakes its waiters (the file is created on
  // first use with the mode of the database beside it, as SQLite does for
  // -wal and -shm). Never blocks, never follows a symlink, never fails: a
  // waiter that misses the signal still finds the change at its fallback poll.
  void notify() noexcept;

 private:
  std::filesystem::path db_;
  std::filesystem::path file_;
  std::atomic<std::uint32_t>* counter_ = nullptr;
  bool tried_ = false;
};

class ChangeWatch final : public ChangeSource {
 public:
  // How long wait() sleeps per call without the counter file.
  static constexpr std::chrono::milliseconds kPollStep{25};

  // Watches the spool at `dir` (creates the counter file when this user
  // may). Never fails: see active().
  static ChangeWatch open(const std::filesystem::path& dir) noexcept;
  // A watch that never reports events (polls), for tests and fallbacks.
  static ChangeWatch polling() noexcept { return ChangeWatch(nullptr); }

  ChangeWatch(ChangeWatch&& o) noexcept;
  ChangeWatch& operator=(ChangeWatch&& o) noexcept;
  ~ChangeWatch();

  // True when the counter file is mapped.
  bool active() const { return counter_ != nullptr; }

  // Blocks until a commit was signalled since open() or the last call that
  // returned true, or until `until`. Returns true when woken by a signal.
  // Without the file, sleeps min(kPollStep, until - now) and returns true
  // (the caller looks again).
  bool wait(Clock::time_point until) noexcept override;

 private:
  explicit ChangeWatch(const std::atomic<std::uint32_t>* counter)
      : counter_(counter), seen_(counter ? counter->load() : 0) {}
  const std::atomic<std::uint32_t>* counter_ = nullptr;
  std::uint32_t seen_ = 0;
};

}  // namespace renderq
