// StagedOutputs: publishing an attempt's staged files onto their final names
// (a prefix, retried, or failing whole) and removing what was not published.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "daemon/staged_outputs.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
namespace fs = std::filesystem;

namespace {

struct Seq : test::TempDir {
  RenderSpec spec;
  explicit Seq(int frames) {
    spec.output = (path / "f_%03d.png").string();
    spec.frames = frames;
  }
  fs::path final_of(int i) const { return path / ("f_" + std::string(i < 10 ? "00" : i < 100 ? "0" : "") + std::to_string(i) + ".png"); }
  fs::path staged_of(int i, const std::string& tag = "3-1-h-9") const { return staged_path(final_of(i).string(), tag); }
  void stage(int i, const std::string& tag = "3-1-h-9") const { std::ofstream(staged_of(i, tag)) << "frame " << i; }
  std::string read(const fs::path& p) const {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

}  // namespace

TEST_CASE("publish renames a prefix of the frames, in place of what was there", "[daemon][staged]") {
  Seq s(4);
  for (int i = 0; i < 4; ++i) s.stage(i);
  std::ofstream(s.final_of(0)) << "an older render";
  StagedOutputs out(s.spec, "3-1-h-9");
  CHECK(out.files() == 4);
  REQUIRE(out.publish(2));
  CHECK(s.read(s.final_of(0)) == "frame 0");
  CHECK(s.read(s.final_of(1)) == "frame 1");
  CHECK_FALSE(fs::exists(s.final_of(2)));
  CHECK(out.remove_unpublished() == 2);
  CHECK_FALSE(fs::exists(s.staged_of(2)));
  CHECK_FALSE(fs::exists(s.staged_of(3)));
  CHECK(fs::exists(s.final_of(1)));  // published files are not staged files
}

TEST_CASE("a publish retried after a failed commit skips what it already published", "[daemon][staged]") {
  Seq s(2);
  s.stage(0);
  s.stage(1);
  StagedOutputs out(s.spec, "3-1-h-9");
  REQUIRE(out.publish(2));
  REQUIRE(out.publish(2));  // the staged names are gone, and that is fine
  CHECK(s.read(s.final_of(1)) == "frame 1");
}

TEST_CASE("a publish that cannot finish removes what it published and names the file", "[daemon][staged]") {
  Seq s(3);
  s.stage(0);
  s.stage(2);  // frame 1 is missing
  StagedOutputs out(s.spec, "3-1-h-9");
  Result<void> r = out.publish(3);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::OutputNotWritable);
  CHECK(r.error().detail.find("f_001.png") != std::string::npos);
  CHECK_FALSE(fs::exists(s.final_of(0)));  // no partial sequence
  CHECK(out.remove_unpublished() == 1);    // frame 2's staged file
  CHECK(fs::is_empty(s.path));
}

TEST_CASE("a long sequence removes its few staged files by listing, and only its own", "[daemon][staged]") {
  Seq s(1000);
  for (int i = 0; i < 3; ++i) s.stage(i);
  s.stage(0, "3-2-h-9");  // another attempt's
  StagedOutputs out(s.spec, "3-1-h-9");
  CHECK(out.remove_unpublished() == 3);
  CHECK(fs::exists(s.staged_of(0, "3-2-h-9")));
}

TEST_CASE("remove_staged asks about each staged file of the outputs", "[daemon][staged]") {
  Seq s(2);
  s.stage(0, "3-1-h-9");
  s.stage(1, "3-2-other.host-10");
  std::ofstream(s.path / ".f_000.png.tmp-9-0") << "x";
  std::ofstream(s.path / ".g.png.stage-3-1-h-9") << "x";
  CHECK(remove_staged(s.spec, [](const StageTag& t) { return t.host == "other.host" && t.attempt == 2; }) == 1);
  CHECK(fs::exists(s.staged_of(0, "3-1-h-9")));
  CHECK(remove_staged(s.spec, [](const StageTag&) { return true; }) == 1);
  CHECK(fs::exists(s.path / ".f_000.png.tmp-9-0"));
  CHECK(fs::exists(s.path / ".g.png.stage-3-1-h-9"));
}
