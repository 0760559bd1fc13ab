#include "spool/change_watch.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <ctime>
#include <thread>
#include <utility>

namespace renderq {

namespace {

constexpr std::size_t kSize = sizeof(std::uint32_t);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free && sizeof(std::atomic<std::uint32_t>) == kSize);

// Opens (creating with `mode` when missing and `create`) the counter file,
// checks it is a regular file of at least kSize bytes (growing it when we
// may write), and maps it shared. nullptr on any failure.
// A signaller needs it writable (`for_writing`): a read-only mapping would
// fault on the first increment. A waiter can do with reading.
std::atomic<std::uint32_t>* map_counter(const std::filesystem::path& file, mode_t mode, bool create, bool for_writing) {
  constexpr int kFlags = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
  bool writable = true;
  int fd = ::open(file.c_str(), O_RDWR | kFlags);
  if (fd < 0 && errno == ENOENT && create) {
    // Created by us: give it the database's mode whatever our umask.
    fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | kFlags, mode);
    if (fd >= 0) (void)::fchmod(fd, mode);
    else fd = ::open(file.c_str(), O_RDWR | kFlags);  // another process won the race
  }
  if (fd < 0 && errno == EACCES && !for_writing) {
    writable = false;
    fd = ::open(file.c_str(), O_RDONLY | kFlags);
  }
  if (fd < 0) return nullptr;
  struct stat st {};
  void* p = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      (st.st_size >= static_cast<off_t>(kSize) || (writable && ::ftruncate(fd, kSize) == 0)))
    p = ::mmap(nullptr, kSize, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  return p == MAP_FAILED ? nullptr : static_cast<std::atomic<std::uint32_t>*>(p);
}

long futex(const void* addr, int op, std::uint32_t val, const timespec* timeout) {
  return ::syscall(SYS_futex, addr, op, val, timeout, nullptr, 0);
}

mode_t db_mode(const std::filesystem::path& db) {
  struct stat st {};
  return ::stat(db.c_str(), &st) == 0 ? (st.st_mode & 0666) : 0600;
}

}  // namespace

std::filesystem::path change_signal_path(const std::filesystem::path& db_path) {
  return db_path.parent_path() / "changed";
}

ChangeSignal::~ChangeSignal() {
  if (counter_) ::munmap(counter_, kSize);
}

void ChangeSignal::notify() noexcept {
  if (!counter_ && !tried_) {
    // Once per connection: a spool we cannot signal stays unsignalled.
    tried_ = true;
    counter_ = map_counter(file_, db_mode(db_), true, true);
  }
  if (!counter_) return;
  counter_->fetch_add(1, std::memory_order_seq_cst);
  // Not FUTEX_PRIVATE_FLAG: the waiters are other processes.
  futex(counter_, FUTEX_WAKE, INT_MAX, nullptr);
}

ChangeWatch ChangeWatch::open(const std::filesystem::path& dir) noexcept {
  return ChangeWatch(map_counter(dir / "changed", db_mode(dir / "queue.db"), true, false));
}

ChangeWatch::ChangeWatch(ChangeWatch&& o) noexcept : counter_(std::exchange(o.counter_, nullptr)), seen_(o.seen_) {}
ChangeWatch& ChangeWatch::operator=(ChangeWatch&& o) noexcept {
  if (this != &o) {
    if (counter_) ::munmap(const_cast<std::atomic<std::uint32_t>*>(counter_), kSize);
    counter_ = std::exchange(o.counter_, nullptr);
    seen_ = o.seen_;
  }
  return *this;
}
ChangeWatch::~ChangeWatch() {
  if (counter_) ::munmap(const_cast<std::atomic<std::uint32_t>*>(counter_), kSize);
}

bool ChangeWatch::wait(Clock::time_point until) noexcept {
  Clock::time_point now = Clock::now();
  if (!counter_) {
    if (until > now) std::this_thread::sleep_for(std::min<Clock::duration>(kPollStep, until - now));
    return true;
  }
  for (;;) {
    // A signal between our last look and now changed the value, and then
    // FUTEX_WAIT returns at once (EAGAIN): nothing is lost.
    const std::uint32_t v = counter_->load(std::memory_order_seq_cst);
    if (v != seen_) {
      seen_ = v;
      return true;
    }
    now = Clock::now();
    if (now >= until) return false;
    const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::min<Clock::duration>(until - now, std::chrono::seconds(60)));
    const timespec ts{.tv_sec = static_cast<time_t>(left.count() / 1'000'000'000),
                      .tv_nsec = static_cast<long>(left.count() % 1'000'000'000)};
    futex(counter_, FUTEX_WAIT, v, &ts);  // woken, timed out, EAGAIN or EINTR: look again
  }
}

}  // namespace renderq
