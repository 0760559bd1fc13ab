// spool_bench: store latency of claim, list --limit 50, list --state queued
// --limit 50, counts and status (get) on a queue of 1,000 and one of 1,000,000 jobs,
// mostly finished, with the same number of queued jobs in both, so the
// difference is what finished jobs cost. Run by bench/spool_bench.sh.
//
//   spool_bench [--small N] [--large N] [--queued Q] [--samples K] [--dir D]
//
// Both queues are filled first (one INSERT ... SELECT in one transaction),
// then every operation runs in alternating rounds on the two, so a change in
// machine load hits both columns alike. Prints a Markdown table: median and
// p95 per queue and the ratio of the medians (target: at most 1.5).
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spool/owner.hpp"
#include "spool/spool.hpp"
#include "spool/sqlite_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::int64_t small = 1'000, large = 1'000'000, queued = 300;
  int samples = 200;
  std::string dir;
};

struct Queue {
  std::int64_t jobs = 0;
  std::filesystem::path dir;
  std::unique_ptr<renderq::Spool> spool;
  double fill_s = 0, db_mb = 0;
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "spool_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(renderq::Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().message());
  return std::move(*r);
}

// Fills a fresh spool with `jobs` jobs: all but the last `queued` finished
// (one in 20 failed, the rest succeeded), in one statement.
Queue make_queue(const std::filesystem::path& dir, std::int64_t jobs, std::int64_t queued) {
  Queue q{.jobs = jobs, .dir = dir};
  q.spool = std::make_unique<renderq::Spool>(must(renderq::Spool::open({.dir = dir.string()}), "open spool"));
  renderq::RenderSpec spec;
  spec.scene = "/data/scenes/DamagedHelmet/glTF-Binary/DamagedHelmet.glb";
  spec.output = "/data/renders/helmet/frame.png";
  const auto t0 = Clock::now();
  auto& db = dynamic_cast<renderq::SqliteStore&>(q.spool->store()).connection().db();
  try {
    db.exec("BEGIN IMMEDIATE");
    SQLite::Statement fill(db, R"(
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :jobs)
      INSERT INTO jobs (state, name, spec, priority, created_ms, started_ms, finished_ms, attempts,
                        max_attempts, error_code, error_message, worker, device)
      SELECT CASE WHEN i > :jobs - :queued THEN 'queued'
                  WHEN i % 20 = 0 THEN 'failed' ELSE 'succeeded' END,
             'bench ' || i, :spec, i % 3, :t0 + i * 10,
             CASE WHEN i > :jobs - :queued THEN NULL ELSE :t0 + i * 10 + 1 END,
             CASE WHEN i > :jobs - :queued THEN NULL ELSE :t0 + i * 10 + 5 END,
             CASE WHEN i > :jobs - :queued THEN 0 ELSE 1 END, 1,
             CASE WHEN i % 20 = 0 AND i <= :jobs - :queued THEN 'gltf_invalid' ELSE '' END,
             '', 'bench:1', 'llvmpipe'
      FROM n)");
    fill.bind(":jobs", jobs);
    fill.bind(":queued", queued);
    fill.bind(":spec", renderq::to_json(spec).dump());
    fill.bind(":t0", renderq::SqliteStore::system_now_ms() - jobs * 10);
    fill.exec();
    db.exec("COMMIT");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const std::exception& e) {
    die(std::string("fill: ") + e.what());
  }
  q.fill_s = std::chrono::duration<double>(Clock::now() - t0).count();
  q.db_mb = static_cast<double>(std::filesystem::file_size(dir / "queue.db")) / 1e6;
  return q;
}

struct Stats {
  double median_us = 0, p95_us = 0;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto at = [&](double p) { return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5))]; };
  return Stats{.median_us = at(0.5), .p95_us = at(0.95)};
}

double time_us(const std::function<void()>& op) {
  const auto t0 = Clock::now();
  op();
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--small") o.small = std::stoll(next());
    else if (a == "--large") o.large = std::stoll(next());
    else if (a == "--queued") o.queued = std::stoll(next());
    else if (a == "--samples") o.samples = std::stoi(next());
    else if (a == "--dir") o.dir = next();
    else die("unknown option " + a);
  }
  if (o.queued < o.samples) die("--queued must be at least --samples (each claim takes one job)");
  if (o.small < o.queued || o.large < o.queued) die("queues must hold at least --queued jobs");

  std::string base = o.dir.empty() ? (std::filesystem::temp_directory_path() / "spool-bench-XXXXXX").string()
                                   : o.dir + "/spool-bench-XXXXXX";
  if (!::mkdtemp(base.data())) die("cannot create a temporary folder in " + base);
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(p, ec);
    }
  } cleanup{base};

  Queue q[2] = {make_queue(std::filesystem::path(base) / "small", o.small, o.queued),
                make_queue(std::filesystem::path(base) / "large", o.large, o.queued)};
  for (const Queue& x : q)
    std::printf("filled %lld jobs (%lld queued) in %.1f s, queue.db %.0f MB\n", static_cast<long long>(x.jobs),
                static_cast<long long>(o.queued), x.fill_s, x.db_mb);

  const renderq::Owner me = renderq::current_owner();
  std::mt19937_64 rng(42);
  struct Op {
    const char* name;
    std::function<void(Queue&)> run;
  };
  const Op ops[] = {
      {"status (get one job)",
       [&](Queue& x) {
         const auto id = renderq::JobId{std::uniform_int_distribution<std::int64_t>(1, x.jobs)(rng)};
         must(x.spool->store().get(id), "get");
       }},
      {"list --limit 50", [&](Queue& x) { must(x.spool->store().list({.limit = 50}), "list"); }},
      {"list --state queued --limit 50",
       [&](Queue& x) { must(x.spool->store().list({.states = {renderq::JobState::Queued}, .limit = 50}), "list"); }},
      {"counts (jobs per state)", [&](Queue& x) { must(x.spool->store().counts(), "counts"); }},
      {"claim",
       [&](Queue& x) {
         auto job = must(x.spool->store().claim({.owner = me, .worker = "bench", .lease_ms = 60'000}), "claim");
         if (!job) die("claim found no job");
       }},
  };

  std::printf("\n| operation (store call) | %lld jobs median | p95 | %lld jobs median | p95 | ratio of medians |\n",
              static_cast<long long>(o.small), static_cast<long long>(o.large));
  std::printf("|---|---|---|---|---|---|\n");
  bool within = true;
  for (const Op& op : ops) {
    std::vector<double> t[2];
    for (int i = 0; i < 5; ++i)  // warm-up, uncounted
      for (Queue& x : q)
        if (std::strcmp(op.name, "claim") != 0) op.run(x);
    for (int i = 0; i < o.samples; ++i)
      for (int k = 0; k < 2; ++k) t[k].push_back(time_us([&] { op.run(q[k]); }));
    const Stats a = stats(t[0]), b = stats(t[1]);
    const double ratio = b.median_us / a.median_us;
    within = within && ratio <= 1.5;
    std::printf("| %s | %.0f µs | %.0f µs | %.0f µs | %.0f µs | %.2f× |\n", op.name, a.median_us, a.p95_us,
                b.median_us, b.p95_us, ratio);
  }
  std::printf("\ntarget: every ratio at most 1.5×: %s\n", within ? "met" : "NOT met");
  return 0;
}
