// store_bench: the SQLite spool and a PostgreSQL queue side by side, on the
// same machine in the same run. Run by bench/store_bench.sh, which starts a
// private PostgreSQL server and passes its URL.
//
//   store_bench --pg URL [--jobs N] [--rounds R] [--large N] [--dir D]
//
// claims/s: N queued jobs taken and finished by 1, 4 and 8 claimers, each a
// thread with its own connection (what daemons on separate hosts are to the
// server). pickup: a waiter blocked in poll() on the wake source (SQLite:
// the spool's wake FIFO; PostgreSQL: LISTEN renderq_wake), a submitter
// submits and wakes; the time from before submit() to the waiter's claim
// returning the job, R rounds, p50 and p99. scale (PostgreSQL; the SQLite
// spool's is bench/spool_bench.sh): claim + finish, list --limit 50, list
// --state queued --limit 50 and counts on a queue of 1,000 jobs and one of
// --large (default 1,000,000), all but 300 finished, median of R samples
// each, and the ratio (target: at most 1.5). Prints Markdown tables.
#include <poll.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "spool/pg_store.hpp"
#include "spool/pg_wake.hpp"
#include "spool/spool.hpp"
#include "spool/sqlite_store.hpp"

namespace {

using namespace renderq;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "store_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().message());
  return std::move(*r);
}

NewJob a_job() {
  NewJob j;
  j.spec.scene = "/scenes/box.glb";
  j.spec.output = "/renders/box.png";
  return j;
}

struct Backend {
  std::string name;
  // A new connection to a fresh, empty queue of this backend's kind (made
  // once per measurement by `fresh`, then shared by `connect`).
  std::function<void()> fresh;
  std::function<std::unique_ptr<Store>()> connect;
};

double claims_per_second(const Backend& b, int claimers, int jobs) {
  b.fresh();
  {
    std::unique_ptr<Store> s = b.connect();
    for (int i = 0; i < jobs; ++i) must(s->submit(a_job()), "submit");
  }
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  const auto t0 = Clock::now();
  for (int w = 0; w < claimers; ++w)
    threads.emplace_back([&, w] {
      std::unique_ptr<Store> s = b.connect();
      const Owner me{.host = "bench" + std::to_string(w), .boot_id = "b", .pid = w + 1};
      while (true) {
        std::optional<Job> j = must(s->claim(ClaimRequest{.owner = me, .worker = "w", .device = "d"}), "claim");
        if (!j) break;
        must(s->finish(j->id, me, Outcome{.ok = true}), "finish");
        ++done;
      }
    });
  for (std::thread& t : threads) t.join();
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (done != jobs) die(b.name + ": " + std::to_string(done.load()) + " of " + std::to_string(jobs) + " jobs done");
  return jobs / s;
}

struct Waker {
  std::function<int()> fd;
  std::function<void()> drain;
};

// Milliseconds from submit to the waiter's claim, `rounds` times.
std::vector<double> pickup(const Backend& b, int rounds, const std::function<Waker()>& make_waker,
                           const std::function<void()>& wake) {
  b.fresh();
  std::unique_ptr<Store> submitter = b.connect();
  std::vector<double> ms;
  std::atomic<bool> ready{false};
  std::atomic<std::int64_t> submitted_ns{0};
  std::thread waiter([&] {
    std::unique_ptr<Store> s = b.connect();
    Waker w = make_waker();
    const Owner me{.host = "waiter", .boot_id = "b", .pid = 1};
    for (int r = 0; r < rounds; ++r) {
      ready = true;
      while (true) {
        pollfd p{.fd = w.fd(), .events = POLLIN, .revents = 0};
        ::poll(&p, 1, 1'000);  // the daemon's fallback poll
        w.drain();
        std::optional<Job> j = must(s->claim(ClaimRequest{.owner = me, .worker = "w", .device = "d"}), "claim");
        if (!j) continue;
        const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch());
        ms.push_back(static_cast<double>(now_ns.count() - submitted_ns.load()) / 1e6);
        must(s->finish(j->id, me, Outcome{.ok = true}), "finish");
        break;
      }
    }
  });
  for (int r = 0; r < rounds; ++r) {
    while (!ready.exchange(false)) std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the waiter block in poll()
    submitted_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
    must(submitter->submit(a_job()), "submit");
    wake();
  }
  waiter.join();
  std::sort(ms.begin(), ms.end());
  return ms;
}

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * static_cast<double>(sorted.size())))];
}

// A fresh PostgreSQL schema with `jobs` jobs, all but `queued` finished
// (one in 20 failed), filled by one INSERT ... SELECT.
std::unique_ptr<Store> filled_pg(const std::string& base, const std::string& schema, std::int64_t jobs,
                                 std::int64_t queued) {
  auto c = must(PgConn::connect(base), "connect");
  c->exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  const std::string url = base + "&options=-csearch_path%3D" + schema;
  auto store = must(PgStore::open(url), "open PostgreSQL");
  const std::string spec = to_json(a_job().spec).dump();
  std::string quoted;
  for (char ch : spec) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
  const std::string finished = std::to_string(jobs - queued);
  auto f = must(PgConn::connect(url), "connect");
  f->exec("INSERT INTO jobs (state, spec, created_ms, finished_ms, attempts) "
          "SELECT CASE WHEN g > " + finished + " THEN 'queued' WHEN g % 20 = 0 THEN 'failed' ELSE 'succeeded' END, '" +
          quoted + "', g, CASE WHEN g > " + finished + " THEN NULL ELSE g END, CASE WHEN g > " + finished +
          " THEN 0 ELSE 1 END FROM generate_series(1, " + std::to_string(jobs) + ") AS g; ANALYZE jobs");
  return store;
}

double median_ms(const std::function<void()>& op, int samples) {
  std::vector<double> ms;
  for (int i = 0; i < samples; ++i) {
    const auto t0 = Clock::now();
    op();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

void scale(const std::string& base, std::int64_t large, int samples) {
  std::printf("\n## PostgreSQL with 1,000 vs %lld jobs (300 queued, the rest finished; median of %d, ms)\n\n",
              static_cast<long long>(large), samples);
  const auto t0 = Clock::now();
  std::unique_ptr<Store> small = filled_pg(base, "scale_small", 1'000, 300);
  std::unique_ptr<Store> big = filled_pg(base, "scale_large", large, 300);
  std::printf("(filled in %.1f s)\n\n", std::chrono::duration<double>(Clock::now() - t0).count());
  std::printf("| operation | 1,000 jobs | %lld jobs | ratio |\n|---|---:|---:|---:|\n", static_cast<long long>(large));
  const Owner me{.host = "bench", .boot_id = "b", .pid = 1};
  const auto claim_finish = [&](Store& s) {
    return [&s, &me] {
      std::optional<Job> j = must(s.claim(ClaimRequest{.owner = me, .worker = "w", .device = "d"}), "claim");
      if (!j) die("scale: the queue ran dry");
      must(s.finish(j->id, me, Outcome{.ok = true}), "finish");
    };
  };
  const std::vector<std::pair<const char*, std::function<std::function<void()>(Store&)>>> ops = {
      {"claim + finish", claim_finish},
      {"list --limit 50", [](Store& s) { return [&s] { must(s.list(ListQuery{.limit = 50}), "list"); }; }},
      {"list --state queued --limit 50",
       [](Store& s) {
         return [&s] { must(s.list(ListQuery{.states = {JobState::Queued}, .limit = 50}), "list"); };
       }},
      {"counts", [](Store& s) { return [&s] { must(s.counts(), "counts"); }; }},
  };
  const int n = std::min(samples, 250);  // claim uses up queued jobs
  for (const auto& [name, make] : ops) {
    // Alternate the two queues in rounds, so load changes hit both alike.
    std::vector<double> a, b;
    for (int round = 0; round < 5; ++round) {
      a.push_back(median_ms(make(*small), n / 5));
      b.push_back(median_ms(make(*big), n / 5));
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::printf("| %s | %.3f | %.3f | %.2f |\n", name, a[2], b[2], b[2] / a[2]);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string pg_base, dir = std::filesystem::temp_directory_path().string();
  int jobs = 2'000, rounds = 200;
  std::int64_t large = 1'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--pg") pg_base = argv[i + 1];
    else if (a == "--jobs") jobs = std::atoi(argv[i + 1]);
    else if (a == "--rounds") rounds = std::atoi(argv[i + 1]);
    else if (a == "--dir") dir = argv[i + 1];
    else if (a == "--large") large = std::atoll(argv[i + 1]);
    else die("unknown option " + a);
  }
  if (pg_base.empty()) die("--pg URL is required (bench/store_bench.sh starts a server)");

  std::string templ = (std::filesystem::path(dir) / "renderq-store-bench-XXXXXX").string();
  if (!::mkdtemp(templ.data())) die("mkdtemp failed");
  const std::filesystem::path root = templ;
  int generation = 0;
  std::filesystem::path spool_dir;
  std::optional<Spool> spool;  // the fresh spool: its folder, database and wake FIFO
  std::string pg_url;

  const Backend sqlite{
      .name = "SQLite spool",
      .fresh =
          [&] {
            spool_dir = root / ("spool" + std::to_string(++generation));
            spool.reset();
            spool.emplace(must(Spool::open(SpoolOptions{.dir = spool_dir.string(), .create = true}), "spool"));
          },
      .connect = [&]() -> std::unique_ptr<Store> {
        return must(SqliteStore::open(spool_dir / "queue.db", false), "open SQLite");
      }};
  const Backend postgres{
      .name = "PostgreSQL",
      .fresh =
          [&] {
            const std::string schema = "bench" + std::to_string(++generation);
            auto c = must(PgConn::connect(pg_base), "connect");
            c->exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
            pg_url = pg_base + "&options=-csearch_path%3D" + schema;
          },
      .connect = [&]() -> std::unique_ptr<Store> { return must(PgStore::open(pg_url), "open PostgreSQL"); }};

  std::printf("## claims per second (%d jobs, claim + finish each)\n\n", jobs);
  std::printf("| claimers | SQLite spool | PostgreSQL | PostgreSQL / SQLite |\n|---:|---:|---:|---:|\n");
  for (int n : {1, 4, 8}) {
    const double s = claims_per_second(sqlite, n, jobs);
    const double p = claims_per_second(postgres, n, jobs);
    std::printf("| %d | %.0f | %.0f | %.2f |\n", n, s, p, p / s);
    std::fflush(stdout);
  }

  std::printf("\n## pickup latency, submit to claim (%d rounds, ms)\n\n", rounds);
  std::printf("| store | wake source | p50 | p99 | max |\n|---|---|---:|---:|---:|\n");
  {
    const std::vector<double> ms = pickup(
        sqlite, rounds,
        [&]() -> Waker {
          auto l = std::make_shared<WakeListener>(must(WakeListener::open(spool_dir), "wake FIFO"));
          return Waker{.fd = [l] { return l->fd(); }, .drain = [l] { l->drain(); }};
        },
        [&] { spool->wake(); });
    std::printf("| SQLite spool | wake.fifo | %.2f | %.2f | %.2f |\n", quantile(ms, 0.5), quantile(ms, 0.99),
                ms.empty() ? 0 : ms.back());
    std::fflush(stdout);
  }
  {
    const std::vector<double> ms = pickup(
        postgres, rounds,
        [&]() -> Waker {
          auto l = std::make_shared<PgWakeListener>(must(PgWakeListener::open(pg_url), "LISTEN"));
          return Waker{.fd = [l] { return l->fd(); }, .drain = [l] { (void)l->drain(); }};
        },
        [] {});  // submit NOTIFYs in its own transaction
    std::printf("| PostgreSQL | LISTEN/NOTIFY | %.2f | %.2f | %.2f |\n", quantile(ms, 0.5), quantile(ms, 0.99),
                ms.empty() ? 0 : ms.back());
  }
  scale(pg_base, large, rounds);
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
  return 0;
}
