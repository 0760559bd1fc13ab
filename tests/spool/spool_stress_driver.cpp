// Test-only driver for concurrency_test.cpp: one process that either submits
// jobs or claims and finishes them, against a spool shared with others.
//
//   spool_stress_driver submit SPOOL N        prints each new id on a line
//   spool_stress_driver claim SPOOL DONEFILE  prints each id it claimed and
//       finished; exits once DONEFILE exists and the queue is empty
//
// Any error goes to stderr with exit status 1: the test fails on it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "spool/owner.hpp"
#include "spool/spool.hpp"

namespace {

int die(const renderq::Error& e) {
  std::fprintf(stderr, "spool_stress_driver[%d]: %s: %s\n", static_cast<int>(::getpid()),
               std::string(renderq::errc_name(e.code)).c_str(), e.message().c_str());
  return 1;
}

int submit(renderq::Spool& spool, int n) {
  renderq::NewJob job;
  job.spec.scene = "/scenes/stress.glb";
  job.spec.output = "/renders/stress.png";
  for (int i = 0; i < n; ++i) {
    job.name = "stress " + std::to_string(::getpid()) + "/" + std::to_string(i);
    renderq::Result<renderq::JobId> id = spool.store().submit(job);
    if (!id) return die(id.error());
    std::printf("%lld\n", static_cast<long long>(id->value));
    spool.wake();
  }
  return 0;
}

int claim(renderq::Spool& spool, const std::filesystem::path& done_file) {
  const renderq::Owner me = renderq::current_owner();
  bool submitters_done = false;
  for (;;) {
    auto job = spool.store().claim(renderq::ClaimRequest{.owner = me, .worker = "stress", .lease_ms = 60'000});
    if (!job) return die(job.error());
    if (*job) {
      auto end = spool.store().finish((*job)->id, me, renderq::Outcome{.ok = true});
      if (!end) return die(end.error());
      std::printf("%lld\n", static_cast<long long>((*job)->id.value));
      continue;
    }
    // Empty queue: done only if the submitters had all finished before this
    // claim looked (so no job can still arrive).
    if (submitters_done) return 0;
    submitters_done = std::filesystem::exists(done_file);
    if (!submitters_done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

int main(int argc, char** argv) {
  ::alarm(300);  // never outlive a stuck test
  if (argc != 4) {
    std::fputs("usage: spool_stress_driver submit SPOOL N | claim SPOOL DONEFILE\n", stderr);
    return 2;
  }
  const std::string mode = argv[1];
  renderq::Result<renderq::Spool> spool = renderq::Spool::open(renderq::SpoolOptions{.dir = argv[2]});
  if (!spool) return die(spool.error());
  if (mode == "submit") return submit(*spool, std::atoi(argv[3]));
  if (mode == "claim") return claim(*spool, argv[3]);
  std::fputs("spool_stress_driver: unknown mode\n", stderr);
  return 2;
}
