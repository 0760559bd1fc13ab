// The event loop: ready descriptors call their handlers in watch order,
// signals arrive through the signalfd, a deadline ends a quiet turn, and
// watches last one turn.
#include <catch2/catch.hpp>

#include <csignal>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/unique_fd.hpp"
#include "daemon/event_loop.hpp"

using namespace renderq;
using std::chrono::milliseconds;

namespace {

struct Pipe {
  UniqueFd read, write;
  Pipe() {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    read.reset(p[0]);
    write.reset(p[1]);
  }
  void put() const { REQUIRE(::write(write.get(), "x", 1) == 1); }
};

EventLoop open_loop() {
  Result<EventLoop> loop = EventLoop::open({SIGUSR1});
  REQUIRE(loop);
  return std::move(*loop);
}

const auto no_signal = [](int) { FAIL("no signal expected"); };

}  // namespace

TEST_CASE("ready descriptors call their handlers in watch order, quiet ones do not", "[daemon][event_loop]") {
  EventLoop loop = open_loop();
  Pipe a, b, quiet;
  a.put();
  b.put();
  std::vector<std::string> calls;
  loop.watch(b.read.get(), [&] { calls.push_back("b"); });
  loop.watch(quiet.read.get(), [&] { calls.push_back("quiet"); });
  loop.watch(-1, [&] { calls.push_back("ignored"); });
  loop.watch(a.read.get(), [&] { calls.push_back("a"); });
  loop.run_once(no_signal);
  CHECK(calls == std::vector<std::string>{"b", "a"});
}

TEST_CASE("watches and deadlines last one turn", "[daemon][event_loop]") {
  EventLoop loop = open_loop();
  Pipe p;
  p.put();
  int calls = 0;
  loop.watch(p.read.get(), [&] { ++calls; });
  loop.run_once(no_signal);
  CHECK(calls == 1);
  // Still readable, but no longer watched: the turn ends at its deadline.
  loop.wake_by(SteadyClock::now() + milliseconds(20));
  auto start = SteadyClock::now();
  loop.run_once(no_signal);
  CHECK(calls == 1);
  CHECK(SteadyClock::now() - start >= milliseconds(20));
}

TEST_CASE("the earliest deadline ends a quiet turn", "[daemon][event_loop]") {
  EventLoop loop = open_loop();
  Pipe quiet;
  bool called = false;
  loop.watch(quiet.read.get(), [&] { called = true; });
  auto start = SteadyClock::now();
  loop.wake_by(start + std::chrono::seconds(30));
  loop.wake_by(start + milliseconds(10));
  loop.wake_by(start + std::chrono::seconds(20));
  loop.run_once(no_signal);
  CHECK_FALSE(called);
  CHECK(SteadyClock::now() - start >= milliseconds(10));
  CHECK(SteadyClock::now() - start < std::chrono::seconds(20));
}

TEST_CASE("a blocked signal is delivered through the loop", "[daemon][event_loop]") {
  EventLoop loop = open_loop();
  REQUIRE(::kill(::getpid(), SIGUSR1) == 0);  // blocked: stays pending for the signalfd
  std::vector<int> signals;
  loop.wake_by(SteadyClock::now() + std::chrono::seconds(30));
  loop.run_once([&](int signo) { signals.push_back(signo); });
  CHECK(signals == std::vector<int>{SIGUSR1});
}
