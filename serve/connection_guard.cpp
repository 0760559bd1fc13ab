#include "serve/connection_guard.hpp"

#include <atomic>
#include <cstdint>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>

namespace renderq::serve {

namespace {

using Clock = std::chrono::steady_clock;

// Per-call limits, as the library's own stream has them.
constexpr std::chrono::seconds kReadIdle{5};
constexpr std::chrono::seconds kWriteIdle{5};

// A connection's socket as httplib sees it, with a deadline on reads.
class DeadlineStream final : public httplib::Stream {
 public:
  explicit DeadlineStream(int sock) : sock_(sock) {}

  void set_deadline(std::optional<Clock::time_point> d) { deadline_ = d; }
  bool closing() const { return closing_; }
  void close_after_response() { closing_ = true; }
  bool has_buffered() const { return off_ < size_; }

  // Waits until a byte can be read, at most `limit`.
  bool wait_readable(Clock::duration limit) const {
    if (has_buffered()) return true;
    return poll_for(POLLIN, limit);
  }

  bool is_readable() const override { return has_buffered() || poll_for(POLLIN, read_limit()); }
  bool is_writable() const override { return poll_for(POLLOUT, kWriteIdle); }

  ssize_t read(char* ptr, std::size_t size) override {
    if (!has_buffered()) {
      if (!is_readable()) return -1;
      ssize_t n;
      do n = ::recv(sock_, buf_.data(), buf_.size(), 0);
      while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      off_ = 0;
      size_ = static_cast<std::size_t>(n);
    }
    const std::size_t take = std::min(size, size_ - off_);
    std::memcpy(ptr, buf_.data() + off_, take);
    off_ += take;
    return static_cast<ssize_t>(take);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  Clock::duration read_limit() const {
    Clock::duration limit = kReadIdle;
    if (deadline_) limit = std::min(limit, *deadline_ - Clock::now());
    return limit;
  }

  bool poll_for(short events, Clock::duration limit) const {
    for (;;) {
      const auto ms = std::chrono::ceil<std::chrono::milliseconds>(limit).count();
      if (ms <= 0) return false;
      pollfd p{.fd = sock_, .events = events, .revents = 0};
      const Clock::time_point start = Clock::now();
      const int r = ::poll(&p, 1, static_cast<int>(ms));
      if (r > 0) return true;
      if (r == 0 || errno != EINTR) return false;
      limit -= Clock::now() - start;
    }
  }

  void address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((remote ? ::getpeername(sock_, sa, &len) : ::getsockname(sock_, sa, &len)) != 0) return;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> serv{};
    if (::getnameinfo(sa, len, host.data(), host.size(), serv.data(), serv.size(),
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0)
      return;
    ip = host.data();
    port = std::atoi(serv.data());
  }

  int sock_;
  std::optional<Clock::time_point> deadline_;
  std::array<char, 4096> buf_{};
  std::size_t off_ = 0, size_ = 0;
  bool closing_ = false;
};

// Closing a socket with unread input makes the kernel send a reset, which
// can destroy the answer we just wrote before the client reads it (a 413 to
// a client still sending its body). So: end our side, then read and drop
// what still comes for a moment, as web servers do ("lingering close").
void linger(int sock) {
  ::shutdown(sock, SHUT_WR);
  const Clock::time_point until = Clock::now() + std::chrono::seconds(1);
  std::size_t dropped = 0;
  std::array<char, 16384> buf;
  while (dropped < (std::size_t{4} << 20)) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) return;
    pollfd p{.fd = sock, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return;
    const ssize_t n = ::recv(sock, buf.data(), buf.size(), 0);
    if (n <= 0) return;
    dropped += static_cast<std::size_t>(n);
  }
}

struct Current {
  DeadlineStream* stream = nullptr;
  const ConnectionTimeouts* timeouts = nullptr;
  std::uint64_t serial = 0;
  bool headers_parsed = false;  // this request reached the pre-routing handler
};
thread_local Current t_current;
std::atomic<std::uint64_t> g_connections{0};

}  // namespace

void GuardedServer::headers_read() {
  t_current.headers_parsed = true;
  if (t_current.stream) t_current.stream->set_deadline(Clock::now() + t_current.timeouts->body);
}

void GuardedServer::handling() {
  if (t_current.stream) t_current.stream->set_deadline(std::nullopt);
}

std::uint64_t GuardedServer::connection_serial() { return t_current.serial; }

void GuardedServer::close_after_response() {
  if (t_current.stream) t_current.stream->close_after_response();
}

// The library's own loop (keep-alive requests on one connection, at most
// keep_alive_max_count_ of them), with our stream and deadlines.
bool GuardedServer::process_and_close_socket(socket_t sock) {
  DeadlineStream stream(sock);
  t_current = {&stream, &timeouts_, ++g_connections};
  bool ret = false;
  for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
    stream.set_deadline(std::nullopt);
    if (!stream.wait_readable(timeouts_.keep_alive)) break;
    stream.set_deadline(Clock::now() + timeouts_.header);
    bool connection_closed = false;
    t_current.headers_parsed = false;
    ret = process_request(stream, left == 1, connection_closed, nullptr);
    // A request line or header the library could not parse was answered 400
    // without its framing known: whatever follows on the connection (its
    // headers, a body) must never be read as the next request.
    if (!t_current.headers_parsed) stream.close_after_response();
    if (!ret || connection_closed || stream.closing()) break;
  }
  t_current = {};
  if (stream.closing()) linger(sock);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ret;
}

GrowingPool::~GrowingPool() { shutdown(); }

void GrowingPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(fn));
    if (idle_threads_ < tasks_.size() && threads_.size() < max_threads_) threads_.emplace_back([this] { work(); });
  }
  cv_.notify_one();
}

void GrowingPool::shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shutdown_) return;
    shutdown_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void GrowingPool::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_threads_;
    cv_.wait(lock, [this] { return shutdown_ || !tasks_.empty(); });
    --idle_threads_;
    if (tasks_.empty()) return;  // shut down with nothing left to do
    std::function<void()> fn = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    fn();
    lock.lock();
  }
}

}  // namespace renderq::serve
