// ServiceNotifier speaks systemd's notify protocol: a test binds the unix
// datagram socket systemd would, points NOTIFY_SOCKET at it and reads what
// arrives. Also the journald line format.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "core/journal_log.hpp"
#include "core/sd_notify.hpp"

namespace fs = std::filesystem;
using renderq::ServiceNotifier;

namespace {

// A stand-in for systemd's notify socket, removed afterwards.
struct FakeSystemd {
  fs::path dir;
  int fd = -1;
  FakeSystemd() {
    std::string tmpl = (fs::temp_directory_path() / "renderq-notify-XXXXXX").string();
    dir = mkdtemp(tmpl.data());
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = (dir / "notify").string();
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    setenv("NOTIFY_SOCKET", path.c_str(), 1);
  }
  ~FakeSystemd() {
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    close(fd);
    fs::remove_all(dir);
  }
  // The next datagram, or "" when none is waiting.
  std::string next() {
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }
};

}  // namespace

TEST_CASE("ready, status and stopping reach the notify socket", "[sd_notify]") {
  FakeSystemd systemd;
  ServiceNotifier n = ServiceNotifier::from_environment();
  REQUIRE(n.active());
  CHECK_FALSE(n.watchdog_interval());
  CHECK(n.ready(renderq::queue_status_text(3, 1)));
  CHECK(systemd.next() == "READY=1\nSTATUS=3 queued, 1 running");
  CHECK(n.status(renderq::queue_status_text(0, 0)));
  CHECK(systemd.next() == "STATUS=0 queued, 0 running");
  CHECK_FALSE(n.watchdog_tick());  // no watchdog configured: nothing sent
  CHECK(n.stopping("shutting down"));
  CHECK(systemd.next() == "STOPPING=1\nSTATUS=shutting down");
  CHECK(systemd.next().empty());
}

TEST_CASE("watchdog pings at half the interval", "[sd_notify]") {
  FakeSystemd systemd;
  setenv("WATCHDOG_USEC", "2000000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  ServiceNotifier n = ServiceNotifier::from_environment();
  REQUIRE(n.watchdog_interval() == std::chrono::seconds(2));
  n.ready("0 queued, 0 running");
  auto t0 = ServiceNotifier::Clock::now();  // after ready(), which counts as a ping
  (void)systemd.next();
  CHECK_FALSE(n.watchdog_tick(t0 + std::chrono::milliseconds(500)));
  CHECK(systemd.next().empty());
  CHECK(n.until_next_ping(t0 + std::chrono::milliseconds(500)) <= std::chrono::milliseconds(500));
  CHECK(n.watchdog_tick(t0 + std::chrono::milliseconds(1001)));
  CHECK(systemd.next() == "WATCHDOG=1");
  CHECK_FALSE(n.watchdog_tick(t0 + std::chrono::milliseconds(1500)));
}

TEST_CASE("a watchdog meant for another pid is ignored", "[sd_notify]") {
  FakeSystemd systemd;
  setenv("WATCHDOG_USEC", "2000000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid() + 1).c_str(), 1);
  CHECK_FALSE(ServiceNotifier::from_environment().watchdog_interval());
}

TEST_CASE("without NOTIFY_SOCKET the notifier is a no-op", "[sd_notify]") {
  unsetenv("NOTIFY_SOCKET");
  ServiceNotifier n = ServiceNotifier::from_environment();
  CHECK_FALSE(n.active());
  CHECK_FALSE(n.ready("x"));
}

TEST_CASE("journald lines carry a priority prefix on every line", "[journal]") {
  using renderq::LogLevel;
  CHECK(renderq::format_log_line(LogLevel::Error, "job 3 failed", false) == "renderq: job 3 failed\n");
  CHECK(renderq::format_log_line(LogLevel::Error, "job 3 failed", true) == "<3>renderq: job 3 failed\n");
  CHECK(renderq::format_log_line(LogLevel::Info, "a\nb", true) == "<6>renderq: a\n<6>renderq: b\n");
}
