#include "daemon/event_loop.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <string>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon/daemon_log.hpp"

namespace renderq {

namespace {

// Milliseconds from `now` until `t`, rounded up, so a turn never wakes
// just before its deadline and spins.
std::int64_t ms_until(TimePoint t, TimePoint now) {
  if (t <= now) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t - now).count() + 1;
}

}  // namespace

Result<EventLoop> EventLoop::open(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) sigaddset(&set, s);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0)
    return fail(Errc::Internal, std::string("sigprocmask: ") + std::strerror(errno));
  UniqueFd fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd) return fail(Errc::Internal, std::string("signalfd: ") + std::strerror(errno));
  return EventLoop(std::move(fd));
}

void EventLoop::watch(int fd, std::function<void()> on_ready) {
  if (fd >= 0) watches_.push_back(Watch{fd, std::move(on_ready)});
}

void EventLoop::wake_by(TimePoint t) { deadline_ = std::min(deadline_, t); }

void EventLoop::run_once(const std::function<void(int signo)>& on_signal) {
  std::vector<Watch> watches = std::move(watches_);
  watches_.clear();
  TimePoint deadline = std::exchange(deadline_, TimePoint::max());

  std::vector<pollfd> fds;
  fds.reserve(watches.size() + 1);
  for (const Watch& w : watches) fds.push_back({w.fd, POLLIN, 0});
  fds.push_back({sigfd_.get(), POLLIN, 0});
  std::int64_t timeout = std::min<std::int64_t>(ms_until(deadline, SteadyClock::now()), kMaxWait.count());
  int n = ::poll(fds.data(), fds.size(), static_cast<int>(timeout));
  if (n < 0) {
    if (errno != EINTR) daemon_log(LogLevel::Error, std::string("poll: ") + std::strerror(errno));
    return;
  }
  for (std::size_t i = 0; i < watches.size(); ++i)
    if (fds[i].revents != 0) watches[i].on_ready();
  if (fds.back().revents & POLLIN) {
    signalfd_siginfo info{};
    while (::read(sigfd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info))
      on_signal(static_cast<int>(info.ssi_signo));
  }
}

}  // namespace renderq
