#include <catch2/catch.hpp>

#include <fstream>

#include "serve/file_sweep.hpp"
#include "spool/spool_queue.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
using namespace renderq::serve;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

void age(const fs::path& p) { fs::last_write_time(p, fs::file_time_type::clock::now() - 2h); }

fs::path job_folder(const fs::path& files, std::int64_t id) {
  fs::path d = files / "jobs" / std::to_string(id);
  fs::create_directories(d);
  std::ofstream(d / "output.png") << "png";
  return d;
}

// A spool in a temporary folder, and the files area beside it.
struct SweepFixture {
  renderq::test::TempDir tmp;
  SpoolQueue queue{Spool::open(SpoolOptions{.dir = (tmp.path / "spool").string()}).value()};
  fs::path files = tmp.path / "shared";

  JobId submit() {
    NewJob nj;
    nj.spec.scene = "/scenes/box.glb";
    nj.spec.output = "/renders/box.png";
    return queue.store().submit(nj).value();
  }
};

}  // namespace

TEST_CASE("the sweep removes old folders of jobs the queue no longer has, and nothing else", "[serve][sweep]") {
  SweepFixture f;
  const fs::path& files = f.files;
  const fs::path kept = job_folder(files, f.submit().value);      // its job exists
  const fs::path purged = job_folder(files, 500);                 // no job 500, old
  const fs::path young = job_folder(files, 501);                  // no job 501, young: a submit in flight
  const fs::path other = files / "jobs" / "notes";                // not a job folder
  fs::create_directories(other);
  for (const fs::path& p : {kept, purged, other}) age(p);
  CHECK(sweep_purged_job_dirs(f.queue, files, 1h) == 1);
  CHECK(fs::exists(kept / "output.png"));
  CHECK_FALSE(fs::exists(purged));
  CHECK(fs::exists(young / "output.png"));
  CHECK(fs::exists(other));
}

TEST_CASE("the sweep asks the store in batches and settles every folder, the last partial batch too",
          "[serve][sweep]") {
  SweepFixture f;
  std::vector<JobId> live;
  for (int i = 0; i < 3; ++i) live.push_back(f.submit());
  const fs::path& files = f.files;
  const std::size_t gone = 2 * kSweepBatch + 7;
  for (std::int64_t id = 1; id <= static_cast<std::int64_t>(gone + live.size()); ++id) age(job_folder(files, id));
  const fs::path padded = files / "jobs" / "0042";  // not how renderq names job 42's folder
  fs::create_directories(padded);
  age(padded);
  CHECK(sweep_purged_job_dirs(f.queue, files, 1h) == gone);
  for (JobId id : live) CHECK(fs::exists(files / "jobs" / std::to_string(id.value) / "output.png"));
  CHECK_FALSE(fs::exists(files / "jobs" / std::to_string(gone + live.size())));
  CHECK(fs::exists(padded));
}

TEST_CASE("the sweep removes only old staged uploads", "[serve][sweep]") {
  renderq::test::TempDir tmp;
  fs::create_directories(tmp.path / "uploads");
  for (const char* name : {"upload-old", "upload-new", "keep-old"}) std::ofstream(tmp.path / "uploads" / name) << "x";
  age(tmp.path / "uploads" / "upload-old");
  age(tmp.path / "uploads" / "keep-old");
  CHECK(sweep_stale_uploads(tmp.path, 1h) == 1);
  CHECK_FALSE(fs::exists(tmp.path / "uploads" / "upload-old"));
  CHECK(fs::exists(tmp.path / "uploads" / "upload-new"));
  CHECK(fs::exists(tmp.path / "uploads" / "keep-old"));
}
