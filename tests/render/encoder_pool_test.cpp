#include <catch2/catch.hpp>
#include <sched.h>

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "render/encoder_pool.hpp"

using namespace renderq;

TEST_CASE("every submitted task completes exactly once, with its index", "[encoder_pool]") {
  EncoderPool pool(3);
  CHECK(pool.threads() == 3);
  std::atomic<int> ran{0};
  for (int i = 0; i < 40; ++i)
    pool.submit(i, [&ran, i]() -> Result<void> {
      std::this_thread::sleep_for(std::chrono::microseconds((i * 37) % 500));
      ++ran;
      if (i == 7) return fail(Errc::PngEncode, "frame 7");
      return {};
    });
  std::vector<EncoderPool::Done> done = pool.poll();
  for (auto& d : pool.wait_all()) done.push_back(std::move(d));
  CHECK(ran == 40);
  CHECK(pool.outstanding() == 0);
  REQUIRE(done.size() == 40);
  std::set<int> seen;
  for (const auto& d : done) {
    CHECK(seen.insert(d.index).second);
    CHECK(d.ms >= 0);
    if (d.index == 7) {
      REQUIRE_FALSE(d.result);
      CHECK(d.result.error().code == Errc::PngEncode);
    } else {
      CHECK(d.result);
    }
  }
  CHECK(*seen.begin() == 0);
  CHECK(*seen.rbegin() == 39);
  CHECK(pool.wait_all().empty());
}

TEST_CASE("wait_any returns at once when nothing is outstanding", "[encoder_pool]") {
  EncoderPool pool(1);
  CHECK(pool.wait_any().empty());
  pool.submit(0, [] { return Result<void>{}; });
  std::size_t got = 0;
  while (got < 1) got += pool.wait_any().size();
  CHECK(pool.outstanding() == 0);
}

TEST_CASE("drop_queued forgets tasks no thread started, running ones finish", "[encoder_pool]") {
  EncoderPool pool(1);
  std::atomic<bool> release{false};
  std::atomic<int> ran{0};
  pool.submit(0, [&]() -> Result<void> {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++ran;
    return {};
  });
  // Let the only thread take task 0 before queuing the rest.
  while (pool.outstanding() != 1) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int i = 1; i < 5; ++i)
    pool.submit(i, [&]() -> Result<void> {
      ++ran;
      return {};
    });
  std::vector<int> dropped = pool.drop_queued();
  std::sort(dropped.begin(), dropped.end());
  CHECK(dropped == std::vector<int>{1, 2, 3, 4});
  release = true;
  auto done = pool.wait_all();
  REQUIRE(done.size() == 1);
  CHECK(done[0].index == 0);
  CHECK(ran == 1);
}

TEST_CASE("a task that throws fails its frame, not the pool", "[encoder_pool]") {
  EncoderPool pool(2);
  pool.submit(0, []() -> Result<void> { throw std::runtime_error("boom"); });
  pool.submit(1, [] { return Result<void>{}; });
  auto done = pool.wait_all();
  REQUIRE(done.size() == 2);
  for (const auto& d : done) CHECK(bool(d.result) == (d.index == 1));
}

TEST_CASE("InOrderFrames counts only the complete prefix", "[encoder_pool]") {
  InOrderFrames f(5);
  CHECK(f.in_order() == 0);
  CHECK_FALSE(f.complete(2));
  CHECK(f.in_order() == 0);
  CHECK(f.complete(0));
  CHECK(f.in_order() == 1);
  CHECK_FALSE(f.complete(2));  // twice changes nothing
  CHECK(f.complete(1));
  CHECK(f.in_order() == 3);
  CHECK_FALSE(f.complete(7));
  CHECK_FALSE(f.complete(-1));
  CHECK_FALSE(f.complete(4));
  CHECK(f.complete(3));
  CHECK(f.in_order() == 5);
}

TEST_CASE("encoder threads follow RENDERQ_ENCODER_THREADS, else the machine", "[encoder_pool]") {
  const char* old = std::getenv("RENDERQ_ENCODER_THREADS");
  std::string saved = old ? old : "";
  ::setenv("RENDERQ_ENCODER_THREADS", "5", 1);
  CHECK(default_encoder_threads() == 5);
  for (const char* bad : {"0", "-2", "x", "3x", "1000"}) {
    ::setenv("RENDERQ_ENCODER_THREADS", bad, 1);
    int n = default_encoder_threads();
    CHECK(n >= 1);
    CHECK(n <= 16);
  }
  ::setenv("RENDERQ_ENCODER_THREADS", "5", 1);
  CHECK(default_encoder_threads(3) == 5);  // the variable is each worker's, however many share
  ::unsetenv("RENDERQ_ENCODER_THREADS");
  const int cpus = usable_cpus();
  CHECK(default_encoder_threads() == std::clamp(cpus, 1, 16));
  CHECK(default_encoder_threads(2) == std::clamp(cpus / 2, 1, 16));
  CHECK(default_encoder_threads(1000) == 1);
  if (old) ::setenv("RENDERQ_ENCODER_THREADS", saved.c_str(), 1);
}

TEST_CASE("usable CPUs are the affinity mask's, not the machine's", "[encoder_pool]") {
  // On Linux the mask is per thread: pin this one to its first CPU, then restore.
  cpu_set_t saved;
  REQUIRE(::sched_getaffinity(0, sizeof saved, &saved) == 0);
  CHECK(usable_cpus() == CPU_COUNT(&saved));
  int first = 0;
  while (!CPU_ISSET(first, &saved)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  REQUIRE(::sched_setaffinity(0, sizeof one, &one) == 0);
  const int pinned = usable_cpus();
  const char* old = std::getenv("RENDERQ_ENCODER_THREADS");
  std::string saved_env = old ? old : "";
  ::unsetenv("RENDERQ_ENCODER_THREADS");
  const int threads = default_encoder_threads();
  if (old) ::setenv("RENDERQ_ENCODER_THREADS", saved_env.c_str(), 1);
  REQUIRE(::sched_setaffinity(0, sizeof saved, &saved) == 0);
  CHECK(pinned == 1);
  CHECK(threads == 1);
}
