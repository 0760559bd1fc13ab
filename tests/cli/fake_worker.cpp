// A stand-in for the daemon in the black-box CLI tests: claims and finishes
// jobs through the real spool library, so `wait`, `cancel` and `purge` can be
// tested on succeeded, failed and running jobs without rendering anything.
//
//   fake_worker SPOOL claim                  claim the next job, print its id
//   fake_worker SPOOL finish ID ok|fail      end the attempt of a claimed job
//   fake_worker SPOOL run ok|fail            claim the next job and end it
//
// Every claim uses one fixed owner, so a later `finish` holds the lease.
// Exit 0 on success, 1 on any error (printed on stderr), 3 when nothing
// was eligible to claim.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "spool/spool.hpp"

namespace {

using namespace renderq;

const Owner kOwner{.host = "fake-worker", .boot_id = "fake-boot", .pid = 1};

int die(const Error& e) {
  std::fprintf(stderr, "fake_worker: %s\n", e.message().c_str());
  return 1;
}

Outcome outcome(std::string_view how) {
  if (how == "ok") return Outcome{.ok = true, .error_code = {}, .error_message = {}, .retryable = false};
  return Outcome{.ok = false, .error_code = "internal", .error_message = "the fake worker was told to fail",
                 .retryable = false};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fake_worker SPOOL claim|finish ID ok|fail|run ok|fail\n");
    return 2;
  }
  SpoolOptions options;
  options.dir = argv[1];
  options.create = false;
  auto spool = Spool::open(options);
  if (!spool) return die(spool.error());
  Store& store = spool->store();
  std::string_view verb = argv[2];
  if (verb == "claim" || verb == "run") {
    ClaimRequest req;
    req.owner = kOwner;
    req.worker = "fake-worker:1";
    req.device = "none";
    req.lease_ms = 3'600'000;
    auto job = store.claim(req);
    if (!job) return die(job.error());
    if (!*job) return 3;
    JobId id = (*job)->id;
    if (verb == "run") {
      if (argc < 4) return 2;
      auto end = store.finish(id, kOwner, outcome(argv[3]));
      if (!end) return die(end.error());
    }
    std::printf("%lld\n", static_cast<long long>(id.value));
    return 0;
  }
  if (verb == "finish" && argc >= 5) {
    auto end = store.finish(JobId{std::atoll(argv[3])}, kOwner, outcome(argv[4]));
    if (!end) return die(end.error());
    return 0;
  }
  std::fprintf(stderr, "fake_worker: unknown verb\n");
  return 2;
}
