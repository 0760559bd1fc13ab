// What the supervisor removes after a killed worker: only that worker's
// temporary files for that job's outputs (render/atomic_file.cpp names them
// ".<name>.tmp-<pid>-<n>"), and how the daemon's log lines look.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "daemon/daemon_log.hpp"
#include "daemon/temp_outputs.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
namespace fs = std::filesystem;

namespace {

struct Dir : test::TempDir {
  void touch(const std::string& name) const { std::ofstream(path / name) << "x"; }
  bool has(const std::string& name) const { return fs::exists(path / name); }
};

}  // namespace

TEST_CASE("temporary output names are matched exactly", "[daemon][temp_outputs]") {
  CHECK(is_temp_output(".a.png.tmp-42-0", "a.png", 42));
  CHECK(is_temp_output(".a.png.tmp-42-17", "a.png", 42));
  CHECK_FALSE(is_temp_output(".a.png.tmp-421-0", "a.png", 42));  // another pid
  CHECK_FALSE(is_temp_output(".a.png.tmp-42-", "a.png", 42));    // no counter
  CHECK_FALSE(is_temp_output(".a.png.tmp-42-0x", "a.png", 42));
  CHECK_FALSE(is_temp_output(".b.png.tmp-42-0", "a.png", 42));   // another output
  CHECK_FALSE(is_temp_output("a.png.tmp-42-0", "a.png", 42));    // not hidden
  CHECK_FALSE(is_temp_output("a.png", "a.png", 42));
}

TEST_CASE("a killed worker's temporary files of the job's outputs are removed, nothing else",
          "[daemon][temp_outputs]") {
  Dir dir;
  for (const char* name : {".out.png.tmp-42-0", ".out.png.tmp-42-3", ".out.png.tmp-43-0", ".other.png.tmp-42-0",
                           "out.png", ".out.png.tmp-42-0.keep"})
    dir.touch(name);
  RenderSpec spec;
  spec.output = (dir.path / "out.png").string();
  CHECK(remove_temp_outputs(spec, 42) == 2);
  CHECK_FALSE(dir.has(".out.png.tmp-42-0"));
  CHECK_FALSE(dir.has(".out.png.tmp-42-3"));
  CHECK(dir.has(".out.png.tmp-43-0"));     // another process writes that one
  CHECK(dir.has(".other.png.tmp-42-0"));   // not this job's output
  CHECK(dir.has("out.png"));
  CHECK(dir.has(".out.png.tmp-42-0.keep"));
  CHECK(remove_temp_outputs(spec, 42) == 0);
}

TEST_CASE("every frame of an animation is covered, in every folder", "[daemon][temp_outputs]") {
  Dir dir;
  fs::create_directories(dir.path / "f0001");
  dir.touch(".frame_0002.png.tmp-7-0");
  dir.touch("f0001/.img.png.tmp-7-1");
  RenderSpec flat;
  flat.output = (dir.path / "frame.png").string();
  flat.frames = 3;
  CHECK(remove_temp_outputs(flat, 7) == 1);
  CHECK_FALSE(dir.has(".frame_0002.png.tmp-7-0"));
  RenderSpec nested;
  nested.output = (dir.path / "f%04d" / "img.png").string();
  nested.frames = 2;  // f0000/ does not exist: skipped
  CHECK(remove_temp_outputs(nested, 7) == 1);
  CHECK_FALSE(dir.has("f0001/.img.png.tmp-7-1"));
}

TEST_CASE("recovery removes a dead worker's temporary files and the host's staged files of the job's dead attempts",
          "[daemon][temp_outputs][staged]") {
  Dir dir;
  for (const char* name : {".out.png.tmp-42-0", ".out.png.tmp-43-0", ".out.png.stage-5-1-box-42",
                           ".out.png.stage-5-2-box-42", ".out.png.stage-5-2-box-41", ".out.png.stage-5-3-box-42",
                           ".out.png.stage-5-2-other-42", ".out.png.stage-6-1-box-42", "out.png"})
    dir.touch(name);
  RenderSpec spec;
  spec.output = (dir.path / "out.png").string();
  clean_dead_worker_outputs(spec, JobId{5}, 2, "box", 42);
  CHECK_FALSE(dir.has(".out.png.tmp-42-0"));
  CHECK(dir.has(".out.png.tmp-43-0"));                 // another process's write: it may be alive
  CHECK_FALSE(dir.has(".out.png.stage-5-1-box-42"));  // an earlier attempt
  CHECK_FALSE(dir.has(".out.png.stage-5-2-box-42"));  // the attempt that died
  CHECK_FALSE(dir.has(".out.png.stage-5-2-box-41"));  // staged under the pid that claimed it, before a restart
  CHECK(dir.has(".out.png.stage-5-3-box-42"));        // a later attempt
  CHECK(dir.has(".out.png.stage-5-2-other-42"));      // another host's
  CHECK(dir.has(".out.png.stage-6-1-box-42"));        // another job
  CHECK(dir.has("out.png"));
}

TEST_CASE("a job's worker pid counts only on this host", "[daemon][temp_outputs]") {
  CHECK(worker_pid_on("box:1234", "box") == 1234);
  CHECK(worker_pid_on("other:1234", "box") == 0);
  CHECK(worker_pid_on("box:", "box") == 0);
  CHECK(worker_pid_on("box:12x", "box") == 0);
  CHECK(worker_pid_on("", "box") == 0);
}

TEST_CASE("daemon log lines carry a journald priority only in the journal", "[daemon][journal]") {
  CHECK(format_daemon_line(LogLevel::Warning, "worker x killed", true) == "<4>renderq: worker x killed\n");
  CHECK(format_daemon_line(LogLevel::Error, "claim failed", true) == "<3>renderq: claim failed\n");
  CHECK(format_daemon_line(LogLevel::Info, "serving", true) == "<6>renderq: serving\n");
  std::string plain = format_daemon_line(LogLevel::Error, "claim failed", false);
  CHECK(plain.find("renderq-daemon[" + std::to_string(::getpid()) + "]: claim failed\n") != std::string::npos);
  CHECK(plain.front() != '<');
}
