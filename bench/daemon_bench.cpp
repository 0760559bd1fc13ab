// Driver for bench/daemon_bench.sh: measures the daemon from outside, the way
// a submitting script sees it. Subcommands (all print one result line):
//   pickup N SCENE OUTDIR     N jobs one at a time against an idle daemon:
//                             submit -> running latency, median / p99 / max
//   queue N SCENE OUTDIR      N jobs submitted while paused, then resumed:
//                             wall time per job through the queue
//   inproc N SCENE OUTDIR     the same renders in this process, one Renderer
//   rss PID...                summed VmRSS in KiB
//   cpu SECONDS PID...        CPU time used by the pids over SECONDS, in %
// The spool is $RENDERQ_SPOOL. Renders are 64x64, MSAA off.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "render/renderer.hpp"
#include "spool/spool.hpp"

using namespace renderq;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "daemon_bench: %s\n", what.c_str());
  std::exit(1);
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

RenderSpec box_spec(const std::string& scene, const std::string& out) {
  RenderSpec s;
  s.scene = scene;
  s.output = out;
  s.width = s.height = 64;
  s.samples = 1;
  return s;
}

Spool open_spool() {
  SpoolOptions o;
  o.dir = resolve_spool_dir("");
  Result<Spool> s = Spool::open(o);
  if (!s) die(s.error().message());
  return std::move(*s);
}

JobId submit(Spool& spool, const RenderSpec& spec) {
  NewJob j;
  j.spec = spec;
  j.name = "bench";
  Result<JobId> id = spool.store().submit(j);
  if (!id) die(id.error().message());
  spool.wake();
  return *id;
}

JobState state_of(Spool& spool, JobId id) {
  Result<Job> j = spool.store().get(id);
  if (!j) die(j.error().message());
  return j->state;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int pickup(int n, const std::string& scene, const std::string& dir) {
  Spool spool = open_spool();
  std::vector<double> from_call, from_commit;
  for (int i = 0; i < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the daemon is idle again
    RenderSpec spec = box_spec(scene, dir + "/pickup_" + std::to_string(i) + ".png");
    Clock::time_point t0 = Clock::now();
    JobId id = submit(spool, spec);
    Clock::time_point t1 = Clock::now();
    JobState s;
    while ((s = state_of(spool, id)) == JobState::Queued) std::this_thread::sleep_for(std::chrono::microseconds(100));
    from_call.push_back(ms_since(t0));
    from_commit.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t1).count());
    while (!is_finished(s)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      s = state_of(spool, id);
    }
    if (s != JobState::Succeeded) die("pickup job " + std::to_string(id.value) + " did not succeed");
  }
  std::printf("pickup n=%d commit->running median %.2f p99 %.2f max %.2f ms; submit call->running median %.2f p99 %.2f ms\n",
              n, percentile(from_commit, 0.5), percentile(from_commit, 0.99), percentile(from_commit, 1.0),
              percentile(from_call, 0.5), percentile(from_call, 0.99));
  return 0;
}

int queue(int n, const std::string& scene, const std::string& dir) {
  Spool spool = open_spool();
  if (!spool.store().set_paused(true)) die("pause failed");
  std::vector<JobId> ids;
  for (int i = 0; i < n; ++i) ids.push_back(submit(spool, box_spec(scene, dir + "/queue_" + std::to_string(i) + ".png")));
  Clock::time_point t0 = Clock::now();
  if (!spool.store().set_paused(false)) die("resume failed");
  spool.wake();
  for (;;) {
    Result<QueueCounts> c = spool.store().counts();
    if (!c) die(c.error().message());
    if (c->queued == 0 && c->running == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  double total = ms_since(t0);
  for (JobId id : ids)
    if (state_of(spool, id) != JobState::Succeeded) die("queue job " + std::to_string(id.value) + " did not succeed");
  std::printf("queue n=%d total %.1f ms per_job %.3f ms jobs_per_s %.1f\n", n, total, total / n, 1000.0 * n / total);
  return 0;
}

int inproc(int n, const std::string& scene, const std::string& dir) {
  Result<std::unique_ptr<Renderer>> r = Renderer::create(DeviceSelector{});
  if (!r) die(r.error().message());
  // One warm-up render, as the daemon's worker has rendered before the timed jobs too.
  if (!(*r)->render(box_spec(scene, dir + "/inproc_warm.png"))) die("warm-up render failed");
  Clock::time_point t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    Result<RenderReport> rep = (*r)->render(box_spec(scene, dir + "/inproc_" + std::to_string(i) + ".png"));
    if (!rep) die(rep.error().message());
  }
  double total = ms_since(t0);
  std::printf("inproc n=%d total %.1f ms per_job %.3f ms jobs_per_s %.1f\n", n, total, total / n, 1000.0 * n / total);
  return 0;
}

long long rss_kib(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  return 0;
}

long long cpu_ticks(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> f;
  std::string cur;
  for (char c : text.substr(close + 2)) {
    if (c == ' ') { f.push_back(cur); cur.clear(); } else cur += c;
  }
  // After ")": field 3 is state; utime and stime are fields 14 and 15 (index 11, 12 here).
  return f.size() > 12 ? std::atoll(f[11].c_str()) + std::atoll(f[12].c_str()) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 4 && a[0] == "pickup") return pickup(std::stoi(a[1]), a[2], a[3]);
  if (a.size() == 4 && a[0] == "queue") return queue(std::stoi(a[1]), a[2], a[3]);
  if (a.size() == 4 && a[0] == "inproc") return inproc(std::stoi(a[1]), a[2], a[3]);
  if (a.size() >= 2 && a[0] == "rss") {
    long long sum = 0;
    for (std::size_t i = 1; i < a.size(); ++i) sum += rss_kib(a[i]);
    std::printf("rss_kib %lld\n", sum);
    return 0;
  }
  if (a.size() >= 3 && a[0] == "cpu") {
    double secs = std::stod(a[1]);
    long long before = 0, after = 0;
    for (std::size_t i = 2; i < a.size(); ++i) before += cpu_ticks(a[i]);
    std::this_thread::sleep_for(std::chrono::duration<double>(secs));
    for (std::size_t i = 2; i < a.size(); ++i) after += cpu_ticks(a[i]);
    double cpu_s = static_cast<double>(after - before) / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::printf("cpu_s %.3f percent %.3f\n", cpu_s, 100.0 * cpu_s / secs);
    return 0;
  }
  std::fprintf(stderr, "usage: daemon_bench pickup|queue|inproc N SCENE OUTDIR | rss PID... | cpu SECONDS PID...\n");
  return 2;
}
