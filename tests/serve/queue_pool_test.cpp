#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "serve/queue_pool.hpp"

using namespace renderq;
using namespace renderq::serve;
using namespace std::chrono_literals;

namespace {

// A connection that is never used for queries: the pool only holds it.
class FakeQueue final : public Queue {
 public:
  explicit FakeQueue(int number) : n(number) {}
  int n;
  Store& store() override { throw std::logic_error("not used"); }
  std::string where() const override { return "fake"; }
  void wake() noexcept override {}
  std::unique_ptr<ChangeSource> watch_changes() override { return nullptr; }
  std::string log_name(JobId) const override { return ""; }
  Result<std::int64_t> read_log(JobId, std::int64_t offset, const std::function<void(std::string_view)>&) override {
    return offset;
  }
  Result<void> forget_job(JobId) override { return {}; }
  std::optional<bool> served() override { return std::nullopt; }
};

struct Opener {
  std::atomic<int> opens{0};
  std::atomic<int> failures_left{0};
  QueueOpener fn() {
    return [this]() -> Result<std::unique_ptr<Queue>> {
      if (failures_left.load() > 0) {
        --failures_left;
        return fail(Errc::Io, "server away");
      }
      return std::unique_ptr<Queue>(std::make_unique<FakeQueue>(++opens));
    };
  }
};

int number(const QueuePool::Lease& l) { return static_cast<FakeQueue&>(*l).n; }

}  // namespace

TEST_CASE("a pool reuses a returned connection instead of opening another", "[serve][pool]") {
  Opener o;
  QueuePool pool(o.fn(), 0, 1s);
  { auto a = pool.acquire(); REQUIRE(a); }
  auto b = pool.acquire();
  REQUIRE(b);
  CHECK(number(*b) == 1);
  CHECK(o.opens == 1);
}

TEST_CASE("a bounded pool answers busy once all its connections are lent, then recovers", "[serve][pool]") {
  Opener o;
  QueuePool pool(o.fn(), 2, 50ms);
  auto a = pool.acquire();
  auto b = pool.acquire();
  REQUIRE(a);
  REQUIRE(b);
  auto c = pool.acquire();
  REQUIRE_FALSE(c);
  CHECK(c.error().code == Errc::Busy);
  CHECK(o.opens == 2);
  { auto drop = std::move(*a); }
  auto d = pool.acquire();
  REQUIRE(d);
  CHECK(number(*d) == 1);
  CHECK(o.opens == 2);
}

TEST_CASE("a waiting request gets the connection another one gives back", "[serve][pool]") {
  Opener o;
  QueuePool pool(o.fn(), 1, 10s);
  auto held = pool.acquire();
  REQUIRE(held);
  std::thread giver([lease = std::move(*held)]() mutable {
    std::this_thread::sleep_for(20ms);
    auto drop = std::move(lease);
  });
  auto got = pool.acquire();
  giver.join();
  REQUIRE(got);
  CHECK(number(*got) == 1);
  CHECK(o.opens == 1);
}

TEST_CASE("a failed open does not use up the pool's bound", "[serve][pool]") {
  Opener o;
  o.failures_left = 1;
  QueuePool pool(o.fn(), 1, 50ms);
  auto first = pool.acquire();
  REQUIRE_FALSE(first);
  CHECK(first.error().code == Errc::Io);
  auto second = pool.acquire();
  REQUIRE(second);
  CHECK(o.opens == 1);
}

TEST_CASE("an adopted connection is lent before any new one opens, and counts toward the bound", "[serve][pool]") {
  Opener o;
  QueuePool pool(o.fn(), 1, 50ms);
  pool.adopt(std::make_unique<FakeQueue>(99));
  auto a = pool.acquire();
  REQUIRE(a);
  CHECK(number(*a) == 99);
  CHECK(o.opens == 0);
  auto b = pool.acquire();
  REQUIRE_FALSE(b);
  CHECK(b.error().code == Errc::Busy);
}
