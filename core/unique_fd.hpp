// UniqueFd: the one owner of a POSIX file descriptor. Move-only; closes what
// it holds when destroyed or reset, so a descriptor is closed exactly once
// and an early return never leaks one. -1 means "holds nothing"; poll(2)
// ignores -1 entries, so get() of an empty UniqueFd can go straight into a
// pollfd.
//
// Thread-safety: a plain value; one owner at a time.
#pragma once

#include <utility>

namespace renderq {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }

  // Closes the held descriptor (if any) and takes `fd` instead.
  void reset(int fd = -1) noexcept;
  // Gives the descriptor up without closing it; the caller owns it now.
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
};

}  // namespace renderq
