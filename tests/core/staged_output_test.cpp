#include <catch2/catch.hpp>

#include "core/staged_output.hpp"

using namespace renderq;

TEST_CASE("a staged name sits beside its output, hidden, and says job, attempt, host and pid", "[staged]") {
  const std::string tag = stage_tag(12, 3, "render-01.lan", 4567);
  CHECK(tag == "12-3-render-01.lan-4567");
  CHECK(staged_path("/out/f_0001.png", tag) == "/out/.f_0001.png.stage-12-3-render-01.lan-4567");
  CHECK(staged_path("x.png", tag) == ".x.png.stage-12-3-render-01.lan-4567");
  // A host name that is not one file-name component cannot escape the folder.
  CHECK(stage_tag(1, 1, "a/b c", 2) == "1-1-a_b_c-2");
}

TEST_CASE("staged_tag_of reads back the tag of its output's staged files only", "[staged]") {
  const std::optional<StageTag> t = staged_tag_of(".f.png.stage-12-3-render-01.lan-4567", "f.png");
  REQUIRE(t);
  CHECK(*t == StageTag{.job = 12, .attempt = 3, .host = "render-01.lan", .pid = 4567});
  CHECK(!staged_tag_of(".f.png.stage-12-3-h-4567", "g.png"));      // another output
  CHECK(!staged_tag_of(".f.png.tmp-4567-0", "f.png"));             // a temporary file, not staged
  CHECK(!staged_tag_of("f.png.stage-12-3-h-4567", "f.png"));       // not hidden
  CHECK(!staged_tag_of(".f.png.stage-12-3-4567", "f.png"));        // no host
  CHECK(!staged_tag_of(".f.png.stage-12-3-h-", "f.png"));          // no pid
  CHECK(!staged_tag_of(".f.png.stage-x-3-h-1", "f.png"));          // job not a number
  CHECK(!staged_tag_of(".f.png.stage-1-3-h-1x", "f.png"));         // pid not a number
  CHECK(!staged_tag_of(".f.png.stage-1-99999999999-h-1", "f.png")); // attempt out of range
  CHECK(!staged_tag_of(".f.png.stage-1-2-h_-1", "").has_value());
  for (const auto& [job, attempt, host, pid] :
       {std::tuple{1LL, 1, "a", 2LL}, std::tuple{9007199254740993LL, 7, "h-1-2", 99999LL}}) {
    const std::string name = staged_path("/o/x.webp", stage_tag(job, attempt, host, pid)).substr(3);
    CHECK(staged_tag_of(name, "x.webp") == StageTag{.job = job, .attempt = attempt, .host = host, .pid = pid});
  }
}

TEST_CASE("output_files lists every frame, or the one file", "[staged]") {
  RenderSpec s;
  s.output = "/o/x.png";
  CHECK(output_files(s) == std::vector<std::string>{"/o/x.png"});
  s.frames = 3;
  s.output = "/o/f_%02d.png";
  CHECK(output_files(s) == std::vector<std::string>{"/o/f_00.png", "/o/f_01.png", "/o/f_02.png"});
  s.output = "/o/spin.webp";  // an animation: one file
  CHECK(output_files(s) == std::vector<std::string>{"/o/spin.webp"});
  s.output = "";  // a command job's placeholder spec
  CHECK(output_files(s).empty());
}

// A one-frame job whose output has a frame field once wrote a file named
// "one_%04d.png" literally while the renderer reported the same name: the
// field is frame 0's, whatever the frame count, for the writer and the store.
TEST_CASE("output_files fills a one-frame job's frame field like the writer does", "[staged]") {
  RenderSpec s;
  s.output = "/o/one_%04d.png";
  CHECK(output_files(s) == std::vector<std::string>{"/o/one_0000.png"});
  CHECK(output_files(s).front() == frame_path(s, 0));
  s.output = "/o/one_%04d.webp";  // one frame is no animation
  CHECK(output_files(s) == std::vector<std::string>{"/o/one_0000.webp"});
  s.output = "/o/50%off.png";  // not a frame field: the name as given
  CHECK(output_files(s) == std::vector<std::string>{"/o/50%off.png"});
}
