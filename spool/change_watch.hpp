// Change notification for a spool: how a waiter learns at once that some
// connection committed, without polling the database on a timer.
//
// Writer side (ChangeSignal): after each commit, SqliteDb writes one byte to
// <spool>/changed. The write comes after the commit is visible to readers,
// so a reader woken by it always sees the commit (an inotify event on the
// WAL alone would not do: SQLite writes the WAL frames before it publishes
// the commit in the shared-memory index, so a waiter woken by the WAL write
// can look too early and then sleep through the commit).
//
// Reader side (ChangeWatch): inotify on the spool folder; wait() returns when
// anything in it was written (the signal file, the WAL, a FIFO), or at a
// deadline. The caller then checks Store::change_marker(). Without inotify
// (no kernel support, the per-user instance limit reached) wait() just
// sleeps a short poll step, so the waiter degrades to the old polling.
//
// Thread-safety: one object per thread.
#pragma once

#include <chrono>
#include <filesystem>

namespace renderq {

// The file every commit touches, in the folder that holds queue.db.
std::filesystem::path change_signal_path(const std::filesystem::path& db_path);

class ChangeSignal {
 public:
  // For the database at db_path; the file is change_signal_path(db_path).
  explicit ChangeSignal(const std::filesystem::path& db_path) : db_(db_path), file_(change_signal_path(db_path)) {}
  ChangeSignal(const ChangeSignal&) = delete;
  ChangeSignal& operator=(const ChangeSignal&) = delete;
  ~ChangeSignal();

  // Writes one byte to the file (created on first use with the mode of the
  // database beside it, as SQLite does for -wal and -shm). Never blocks on a
  // FIFO, never follows a symlink, never fails: a waiter that misses the
  // signal still finds the change at its fallback poll.
  void notify() noexcept;

 private:
  std::filesystem::path db_;
  std::filesystem::path file_;
  int fd_ = -1;
};

class ChangeWatch {
 public:
  using Clock = std::chrono::steady_clock;
  // How long wait() sleeps per call when inotify is unavailable.
  static constexpr std::chrono::milliseconds kPollStep{25};

  // Watches `dir` (the spool folder). Never fails: see active().
  static ChangeWatch open(const std::filesystem::path& dir) noexcept;
  // A watch that never reports events (polls), for tests and fallbacks.
  static ChangeWatch polling() noexcept { return ChangeWatch(-1); }

  ChangeWatch(ChangeWatch&& o) noexcept;
  ChangeWatch& operator=(ChangeWatch&& o) noexcept;
  ~ChangeWatch();

  // True when inotify watches the folder.
  bool active() const { return fd_ >= 0; }

  // Blocks until something in the folder was written since the last call
  // (events that arrived in between count: none is lost) or until `until`.
  // Returns true when woken by an event. Without inotify, sleeps
  // min(kPollStep, until - now) and returns true (the caller looks again).
  bool wait(Clock::time_point until) noexcept;

 private:
  explicit ChangeWatch(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace renderq
