// The scene probe submit runs: the checks hold for JSON of any size a
// renderer would load, not only for small files.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

#include "core/scene_probe.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
using nlohmann::json;

namespace {

// A glTF with two named cameras, two scenes, a .bin beside it and a
// data: buffer of `padding` bytes, so its JSON is as large as asked.
json document(std::size_t padding) {
  return json{
      {"asset", {{"version", "2.0"}}},
      {"scenes", json::array({json::object(), json::object()})},
      {"cameras", json::array({{{"name", "front"}, {"type", "perspective"}},
                               {{"name", "top"}, {"type", "perspective"}}})},
      {"buffers", json::array({{{"uri", "mesh.bin"}, {"byteLength", 16}},
                               {{"uri", "data:application/octet-stream;base64," + std::string(padding, 'A')},
                                {"byteLength", padding / 4 * 3}}})},
      {"extras", {{"note", std::string(padding / 2, 'x')}}},
  };
}

void write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string glb(const std::string& json_text) {
  std::string chunk = json_text;
  while (chunk.size() % 4 != 0) chunk.push_back(' ');
  auto u32 = [](std::uint32_t v) {
    std::string b(4, '\0');
    std::memcpy(b.data(), &v, 4);
    return b;
  };
  return "glTF" + u32(2) + u32(static_cast<std::uint32_t>(20 + chunk.size())) +
         u32(static_cast<std::uint32_t>(chunk.size())) + u32(0x4E4F534A) + chunk;
}

Errc probe(const RenderSpec& s) {
  auto r = probe_scene(s);
  return r ? Errc{} : r.error().code;
}

}  // namespace

// A .gltf over 16 MiB once skipped every check: a missing .bin, --scene 7,
// --camera nope, even JSON that does not parse were all accepted.
TEST_CASE("a .gltf larger than kMaxProbeJson is checked like a small one", "[probe]") {
  test::TempDir dir;
  for (std::size_t padding : {std::size_t{1000}, kMaxProbeJson + (1u << 20)}) {
    INFO("padding " << padding);
    const std::string text = document(padding).dump();
    REQUIRE((padding < 2000 || text.size() > kMaxProbeJson));
    RenderSpec s;
    s.scene = (dir.path / "scene.gltf").string();
    write(s.scene, text);
    std::filesystem::remove(dir.path / "mesh.bin");
    CHECK(probe(s) == Errc::SceneMissing);
    write(dir.path / "mesh.bin", std::string(16, '\0'));
    CHECK(probe(s) == Errc{});
    s.scene_index = 7;
    CHECK(probe(s) == Errc::GltfSceneNotFound);
    s.scene_index = 1;
    s.camera = "nope";
    CHECK(probe(s) == Errc::CameraNotFound);
    s.camera = "top";
    CHECK(probe(s) == Errc{});
    s.camera = "2";
    CHECK(probe(s) == Errc::CameraNotFound);
    write(s.scene, text.substr(0, text.size() - 1));  // cut short: does not parse
    CHECK(probe(s) == Errc::SceneNotGltf);
  }
}

TEST_CASE("a .glb whose JSON chunk is larger than kMaxProbeJson is checked too", "[probe]") {
  test::TempDir dir;
  write(dir.path / "mesh.bin", std::string(16, '\0'));
  RenderSpec s;
  s.scene = (dir.path / "scene.glb").string();
  write(s.scene, glb(document(kMaxProbeJson + (1u << 20)).dump()));
  CHECK(probe(s) == Errc{});
  s.camera = "nope";
  CHECK(probe(s) == Errc::CameraNotFound);
  s.camera = "front";
  s.scene_index = 2;
  CHECK(probe(s) == Errc::GltfSceneNotFound);
}
