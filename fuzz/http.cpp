// Fuzzing target http: `renderq serve` as a client reaches it. Each input
// is sent as raw bytes on a new TCP connection to a real server (the same
// Server::create as the command: cpp-httplib's request line, header,
// chunked and multipart parsing, then renderq's pre-routing checks, routes,
// body limits, JSON job requests, upload checks with the glTF loader and
// the spool), then the connection is half-closed and the whole answer read.
// The server runs for the life of the process on a private spool, with a
// 1 MiB upload limit; inputs may hold several pipelined requests.
//
// cpp-httplib is Debian's compiled library, built without coverage: its
// parsing is exercised and its crashes are caught, but only renderq's own
// code guides the fuzzer.
//
// Fails when the server crashes (in any of its threads) or stops answering
// (libFuzzer's -timeout).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "fuzz/fuzz_util.hpp"
#include "serve/server.hpp"

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "renderq fuzz http: %s\n", what.c_str());
  std::abort();
}

// The server, started on first use; stopped and joined at exit, before
// the objects it uses are destroyed.
class RunningServer {
 public:
  RunningServer() {
    const std::filesystem::path dir = renderq::fuzz::temp_dir();
    std::filesystem::create_directories(dir / "scenes");
    auto server = renderq::serve::Server::create(renderq::serve::ServeOptions{
        .host = "127.0.0.1",
        .port = 0,
        .allow_roots = {(dir / "scenes").string()},
        .max_upload = 1u << 20,
        .threads = 4,
        .spool = renderq::SpoolOptions{.dir = (dir / "spool").string()},
    });
    if (!server) die("cannot start the server: " + server.error().message());
    server_ = std::move(*server);
    // libFuzzer's -timeout is a SIGALRM timer. The server's threads (they
    // inherit this mask) leave it to the fuzzing thread, as a real server
    // never sees it.
    sigset_t alarm, old;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alarm, &old);
    thread_ = std::thread([s = server_.get()] { (void)s->run(); });
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;
  int port() const { return server_->port(); }

 private:
  std::unique_ptr<renderq::serve::Server> server_;
  std::thread thread_;
};

int server_port() {
  static const RunningServer server;
  return server.port();
}

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    // Interrupted (libFuzzer's timer), the connection completes on its own.
    if (errno != EINTR) die(std::string("connect failed: ") + std::strerror(errno));
    pollfd p{.fd = fd, .events = POLLOUT, .revents = 0};
    while (::poll(&p, 1, -1) < 0)
      if (errno != EINTR) die(std::string("poll failed: ") + std::strerror(errno));
    int error = 0;
    socklen_t len = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0)
      die(std::string("connect failed: ") + std::strerror(error));
  }
  // Closed with a reset once the answer is read: the client half-closes
  // first, so an orderly close would leave its port in TIME_WAIT for a
  // minute, and at a few hundred inputs a second the ports run out.
  linger no_wait{.l_onoff = 1, .l_linger = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &no_wait, sizeof no_wait);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = connect_to(server_port());
  // Send while reading, so a server that answers early (413) and stops
  // reading cannot leave both sides blocked on full buffers.
  std::size_t sent = 0;
  bool write_open = true;
  char buf[16384];
  for (;;) {
    pollfd p{.fd = fd, .events = static_cast<short>(POLLIN | (write_open ? POLLOUT : 0)), .revents = 0};
    if (::poll(&p, 1, -1) < 0) {
      if (errno == EINTR) continue;
      die(std::string("poll failed: ") + std::strerror(errno));
    }
    if (write_open && (p.revents & POLLOUT)) {
      ssize_t n = sent < size ? ::send(fd, data + sent, size - sent, MSG_NOSIGNAL | MSG_DONTWAIT) : 0;
      if (n > 0) sent += static_cast<std::size_t>(n);
      const bool closed = n < 0 && errno != EAGAIN && errno != EINTR;
      if (closed || sent == size) {  // all sent, or the server closed its side
        ::shutdown(fd, SHUT_WR);
        write_open = false;
      }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) break;  // the answer is complete
    }
  }
  ::close(fd);
  return 0;
}
