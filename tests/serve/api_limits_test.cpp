// Limits that hold against hostile HTTP clients (issue 13, issue 16): a
// chunked body over --max-upload, slow clients, many at once, unknown
// methods in the metrics, a second server on a port in use.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "server_fixture.hpp"

namespace renderq::serve {
namespace {

using namespace testing;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A plain TCP connection to the server, for what httplib's client will not send.
class RawConn {
 public:
  explicit RawConn(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{.tv_sec = 5, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawConn() { ::close(fd_); }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;
  bool ok() const { return ok_; }
  bool send(const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      const ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool readable(std::chrono::milliseconds wait) const {
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
  }
  // Everything until the server closes, or `wait` passes without a byte.
  std::string read_all(std::chrono::milliseconds wait = 5000ms) {
    std::string out;
    char buf[4096];
    while (readable(wait)) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
  // One response with a Content-Length body (keep-alive).
  std::string read_response() {
    std::string out;
    char c;
    while (out.find("\r\n\r\n") == std::string::npos) {
      if (!readable(5000ms) || ::recv(fd_, &c, 1, 0) != 1) return out;
      out.push_back(c);
    }
    std::size_t len = 0;
    if (auto p = out.find("Content-Length: "); p != std::string::npos) len = std::stoul(out.substr(p + 16));
    std::string body(len, '\0');
    std::size_t got = 0;
    while (got < len) {
      if (!readable(5000ms)) break;
      const ssize_t n = ::recv(fd_, body.data() + got, len - got, 0);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    return out + body.substr(0, got);
  }

 private:
  int fd_;
  bool ok_ = false;
};

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

TEST_CASE("a chunked body over --max-upload is answered 413, nothing stored, memory flat", "[serve][limits]") {
  ServerFixture f([](ServeOptions& o) { o.max_upload = 1 << 20; });
  const long before = rss_kib();
  RawConn c(f.server->port());
  REQUIRE(c.ok());
  REQUIRE(c.send("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: model/gltf-binary\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n"));
  // glTF magic first, then 64 KiB chunks until the server answers: up to
  // 256 MiB, which the old server read whole into memory.
  const std::string chunk(64 << 10, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  std::size_t sent = 0;
  while (sent < (std::size_t{256} << 20) && !c.readable(0ms) && c.send(size_line + chunk + "\r\n")) sent += chunk.size();
  const std::string answer = c.read_all();
  INFO("sent " << (sent >> 10) << " KiB; answer: " << answer.substr(0, 300));
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(answer.find("payload_too_large") != std::string::npos);
  CHECK(sent < (std::size_t{256} << 20));
  CHECK(rss_kib() - before < 16 * 1024);
  CHECK(f.job_count() == 0);
  CHECK(f.stray_files() == 0);
  // A chunked body under the limit is read as any other.
  std::string glb = read_all(sample("Box"));
  auto r = f.client->Post(
      "/v1/jobs",
      [&](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= glb.size()) {
          sink.done();
          return true;
        }
        return sink.write(glb.data() + offset, std::min<std::size_t>(glb.size() - offset, 1000));
      },
      "model/gltf-binary");
  REQUIRE(r);
  CHECK(r->status == 202);
}

TEST_CASE("a body on a route that takes none is refused without being read", "[serve][limits]") {
  ServerFixture f;
  RawConn c(f.server->port());
  REQUIRE(c.ok());
  REQUIRE(c.send("DELETE /v1/jobs/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "10000\r\n" + std::string(0x10000, 'x')));
  const std::string answer = c.read_all();
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  RawConn d(f.server->port());
  REQUIRE(d.send("POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\nxx"));
  CHECK(d.read_all().rfind("HTTP/1.1 404", 0) == 0);
}

TEST_CASE("a request the server cannot parse ends its connection: nothing after it runs", "[serve][limits]") {
  ServerFixture f;
  const std::string inner = "POST /v1/queue/pause HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
  for (const std::string& head : {"FOO /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                                       std::to_string(inner.size()) + "\r\n\r\n",
                                   std::string("FOO /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")}) {
    const bool chunked = head.find("chunked") != std::string::npos;
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", inner.size());
    RawConn c(f.server->port());
    REQUIRE(c.ok());
    REQUIRE(c.send(head + (chunked ? size + inner + "\r\n0\r\n\r\n" : inner)));
    const std::string answer = c.read_all();
    CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(answer.find("HTTP/1.1", 1) == std::string::npos);  // one answer, then the connection closed
  }
  auto q = f.open_queue();
  REQUIRE(q);
  CHECK_FALSE(q->store().paused().value());
}

TEST_CASE("a known path with another method is 405 with Allow, framed or not, and an overlong URI 414",
          "[serve][limits]") {
  ServerFixture f;
  for (const char* head : {"PUT /v1/jobs/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  // answered at once, not after 5 s
                           "PUT /v1/jobs/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"}) {
    RawConn c(f.server->port());
    REQUIRE(c.ok());
    REQUIRE(c.send(head));
    const std::string answer = c.read_response();  // the connection stays open
    CHECK(answer.rfind("HTTP/1.1 405", 0) == 0);
    CHECK(answer.find("Allow: GET, DELETE") != std::string::npos);
    CHECK(answer.find("method_not_allowed") != std::string::npos);
  }
  auto longer = f.client->Get("/v1/jobs?name=" + std::string(20000, 'a'));
  REQUIRE(longer);
  CHECK(longer->status == 414);
  CHECK(body_json(longer)["error"]["code"] == "uri_too_long");
}

TEST_CASE("64 slow clients do not stop /healthz, and are cut at the header timeout", "[serve][limits]") {
  ServerFixture f([](ServeOptions& o) {
    o.threads = ServeOptions{}.threads;  // the default must hold
    o.timeouts.header = 3s;
  });
  std::vector<std::unique_ptr<RawConn>> slow;
  for (int i = 0; i < 64; ++i) {
    slow.push_back(std::make_unique<RawConn>(f.server->port()));
    REQUIRE(slow.back()->ok());
    REQUIRE(slow.back()->send("G"));
  }
  const std::string rest = "ET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  Clock::duration worst{};
  for (std::size_t step = 0; step < 3; ++step) {
    for (auto& s : slow) (void)s->send(std::string(1, rest[step]));  // one byte each, every ~1 s
    const Clock::time_point t0 = Clock::now();
    httplib::Client probe("127.0.0.1", f.server->port());
    probe.set_connection_timeout(2, 0);
    probe.set_read_timeout(2, 0);
    auto r = probe.Get("/healthz");
    worst = std::max(worst, Clock::now() - t0);
    REQUIRE(r);
    CHECK(r->status == 200);
    std::this_thread::sleep_for(1s);
  }
  CHECK(worst < 1s);
  // Past the 3 s header deadline every slow connection has been closed.
  std::this_thread::sleep_for(1500ms);
  int closed = 0;
  for (auto& s : slow)
    if (s->readable(2000ms) && s->read_all(100ms).empty()) ++closed;
  CHECK(closed == 64);
}

TEST_CASE("200 concurrent clients are all answered", "[serve][limits]") {
  ServerFixture f([](ServeOptions& o) { o.threads = ServeOptions{}.threads; });
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  std::atomic<bool> go{false};
  for (int i = 0; i < 200; ++i)
    clients.emplace_back([&] {
      while (!go) std::this_thread::yield();
      httplib::Client c("127.0.0.1", f.server->port());
      c.set_connection_timeout(0, 900'000);  // under the first SYN retransmission
      c.set_read_timeout(10, 0);
      auto r = c.Get("/healthz");
      if (r && r->status == 200) ++ok;
    });
  go = true;
  for (auto& t : clients) t.join();
  CHECK(ok == 200);
}

TEST_CASE("unknown methods and paths create no new metrics series", "[serve][limits]") {
  ServerFixture f;
  // The series of renderq_http_requests_total, without their values.
  auto series = [&] {
    auto r = f.client->Get("/metrics");
    REQUIRE(r);
    std::string names;
    for (std::size_t p = 0; (p = r->body.find("renderq_http_requests_total{", p)) != std::string::npos; ++p)
      names += r->body.substr(p, r->body.find('}', p) - p + 1) + "\n";
    return names;
  };
  std::mt19937 rng(7);
  // (Not HEAD: its answer announces a body it does not carry.)
  const char* known[] = {"GET", "PUT", "PATCH", "OPTIONS", "TRACE", "CONNECT", "DELETE", "POST"};
  auto flood = [&](int n) {
    // A connection per request: one the server cannot parse (an unknown
    // method) ends its connection.
    for (int i = 0; i < n; ++i) {
      RawConn c(f.server->port());
      REQUIRE(c.ok());
      std::string method;
      if (rng() % 2) {
        method = known[rng() % std::size(known)];
      } else {
        for (int k = 0; k < 8; ++k) method.push_back(static_cast<char>('A' + rng() % 26));
      }
      const std::string path = "/x" + std::to_string(rng());
      REQUIRE(c.send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"));
      const std::string resp = c.read_response();
      REQUIRE(resp.rfind("HTTP/1.1 ", 0) == 0);
    }
  };
  // Every method once (and an unknown one), then a random flood: the
  // flood must add no series.
  for (std::string method : {"GET", "PUT", "PATCH", "OPTIONS", "TRACE", "CONNECT", "DELETE", "POST", "QWERTY"}) {
    RawConn c(f.server->port());
    {
      REQUIRE(c.send(method + " /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"));
      REQUIRE(c.read_response().rfind("HTTP/1.1 ", 0) == 0);
    }
  }
  flood(500);
  (void)series();  // a scrape counts itself only in the next one
  const std::string warm = series();
  flood(20'000);
  CHECK(series() == warm);
}

TEST_CASE("a second server on a port in use fails to bind", "[serve][limits]") {
  ServerFixture f;
  ServeOptions o;
  o.port = f.server->port();
  o.spool = SpoolOptions{.dir = (f.tmp.path / "spool2").string(), .allow_network_fs = false, .create = true};
  auto second = Server::create(o);
  REQUIRE_FALSE(second);
  CHECK(second.error().code == Errc::Io);
}

TEST_CASE("a POST with no body framing has an empty body, as curl -X POST sends it", "[serve][limits]") {
  ServerFixture f;
  RawConn c(f.server->port());
  REQUIRE(c.ok());
  // Neither Content-Length nor Transfer-Encoding: no body (RFC 9112 6.3),
  // not an unreadable one. The pause route takes no body and answers 200.
  REQUIRE(c.send("POST /v1/queue/pause HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  const std::string answer = c.read_all();
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.find("\"paused\":true") != std::string::npos);
}

}  // namespace
}  // namespace renderq::serve
