// The pipelined frame loop (renderer.cpp's draw_frames with render/gl_readback
// and render/encoder_pool): every frame written exactly once, progress only
// for frames already on disk and in order, and a failure in the middle
// leaves no temporary file. Runs on the machine's EGL device (llvmpipe in CI).
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <set>
#include <string>

#include "render/renderer.hpp"
#include "tests/render/image_util.hpp"
#include "tests/render/test_scenes.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace renderq;
using namespace renderq::test;

namespace {

Renderer& pipeline_renderer() {
  static std::unique_ptr<Renderer> r = [] {
    static TempDir cache;
    ::setenv("RENDERQ_CACHE_DIR", cache.path.c_str(), 1);
    // More encoders than cores, so frames really finish out of order.
    ::setenv("RENDERQ_ENCODER_THREADS", "4", 1);
    auto made = Renderer::create(DeviceSelector{});
    ::unsetenv("RENDERQ_ENCODER_THREADS");
    if (!made) FAIL("no renderer: " << made.error().message());
    return std::move(*made);
  }();
  return *r;
}

RenderSpec turntable(const fs::path& out, int frames) {
  RenderSpec s;
  s.scene = "/in-memory.glb";
  s.output = out.string();
  s.width = s.height = 48;
  s.samples = 4;
  s.frames = frames;
  s.turntable = true;
  return s;
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("pipelined frames: each written once, progress only for frames on disk, in order", "[render][pipeline]") {
  TempDir dir;
  Scene scene = scene_of({box(glm::vec3(1.0f, 0.5f, 0.25f))}, dielectric(glm::vec3(0.5f), 0.5f));
  RenderSpec s = turntable(dir.path / "spin.png", 24);
  std::vector<int> seen;
  auto r = pipeline_renderer().render_scene(scene, s, {}, [&](int done, int total) {
    CHECK(total == 24);
    seen.push_back(done);
    // Reported means written: frames 0..done-1 exist, complete PNGs.
    for (int i = 0; i < done; ++i) CHECK(fs::exists(frame_path(s, i)));
  });
  REQUIRE(r);
  std::vector<int> want;
  for (int i = 1; i <= 24; ++i) want.push_back(i);
  CHECK(seen == want);
  REQUIRE(r->outputs.size() == 24);
  std::set<std::string> outputs(r->outputs.begin(), r->outputs.end());
  CHECK(outputs.size() == 24);
  for (int i = 0; i < 24; ++i) {
    CHECK(outputs.contains(frame_path(s, i)));
    CHECK(read_png(frame_path(s, i)));
  }
  CHECK(names_in(dir.path).size() == 24);  // no temporary file
  CHECK(r->times.frames == 24);
  CHECK(r->times.encoder_threads == 4);
  CHECK(r->times.draw > 0);
  CHECK(r->times.encode > 0);
}

TEST_CASE("pipelined frames match the frame drawn alone", "[render][pipeline]") {
  TempDir dir;
  Scene scene = scene_of({box(glm::vec3(1.0f, 0.5f, 0.25f))}, dielectric(glm::vec3(0.8f, 0.3f, 0.2f), 0.4f));
  RenderSpec s = turntable(dir.path / "t.png", 5);
  REQUIRE(pipeline_renderer().render_scene(scene, s, {}));
  // Frame 3 alone, through the same pipeline with one frame in flight.
  RenderSpec one = s;
  one.frames = 1;
  one.turntable = false;
  one.orbit.yaw_deg = 30.0 + 360.0 * 3 / 5;
  one.output = (dir.path / "alone.png").string();
  REQUIRE(pipeline_renderer().render_scene(scene, one, {}));
  auto a = read_png(frame_path(s, 3));
  auto b = read_png(one.output);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->rgba == b->rgba);
}

TEST_CASE("a failure mid-pipeline leaves no temporary file and none of the frames it wrote", "[render][pipeline]") {
  TempDir dir;
  Scene scene = scene_of({box(glm::vec3(1.0f, 0.5f, 0.25f))}, dielectric(glm::vec3(0.5f), 0.5f));
  RenderSpec s = turntable(dir.path / "f.png", 16);
  // Frame 6's output is a folder: renaming onto it fails.
  fs::create_directory(frame_path(s, 6));
  int reported = 0;
  auto r = pipeline_renderer().render_scene(scene, s, {}, [&](int done, int) { reported = done; });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::OutputNotWritable);
  CHECK(reported <= 6);
  // A failed job keeps no partial sequence (issue 13): only the folder stays.
  CHECK(names_in(dir.path) == std::set<std::string>{fs::path(frame_path(s, 6)).filename().string()});
  // The renderer is still usable, and the ring starts clean.
  RenderSpec again = turntable(dir.path / "g.png", 3);
  auto ok = pipeline_renderer().render_scene(scene, again, {});
  REQUIRE(ok);
  CHECK(ok->outputs.size() == 3);
}

TEST_CASE("a second job on the same textures from another file neither decodes nor uploads them", "[render][texture_cache]") {
  TempDir dir;
  const fs::path src = fs::path(RENDERQ_SAMPLES_DIR) / "NormalTangentTest/glTF-Binary/NormalTangentTest.glb";
  // Two copies: the scene cache (keyed by path) misses, the content cache must not.
  fs::copy_file(src, dir.path / "a.glb");
  fs::copy_file(src, dir.path / "b.glb");
  RenderSpec s = turntable(dir.path / "a.png", 1);
  s.turntable = false;
  s.scene = (dir.path / "a.glb").string();
  auto first = pipeline_renderer().render(s);
  REQUIRE(first);
  CHECK(first->times.textures_cached == 0);
  s.scene = (dir.path / "b.glb").string();
  s.output = (dir.path / "b.png").string();
  auto second = pipeline_renderer().render(s);
  REQUIRE(second);
  CHECK(second->times.textures_cached == 3);  // base colour (sRGB), metal-roughness + occlusion, normal
  // Same pixels either way.
  auto a = read_png((dir.path / "a.png").string());
  auto b = read_png((dir.path / "b.png").string());
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->rgba == b->rgba);
}
