// Bad input to the glTF loader: every broken file is a named error, never a
// crash or a silent success. Fixtures are built here from a minimal valid
// triangle, each test changing one thing. Tagged [badinput] and labelled
// badinput: scripts/test.sh also runs these under ASan and UBSan.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gltf/scene.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace gltf_test;
using renderq::Errc;

namespace {

Errc load_error(const Fixture& f) {
  TempDir dir;
  auto scene = f.load(dir);
  if (scene) FAIL("expected an error, the scene loaded");
  INFO(scene.error().message());
  return scene.error().code;
}

}  // namespace

TEST_CASE("the bad-input fixture itself is valid", "[badinput]") {
  TempDir dir;
  auto scene = Fixture().load(dir);
  REQUIRE(scene.has_value());
  CHECK(scene->meshes[0].primitives[0].positions.size() == 3);  // flat normals: de-indexed
}

TEST_CASE("a missing scene file is SceneMissing", "[badinput]") {
  auto scene = renderq::load_gltf("/nonexistent/renderq/scene.gltf");
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::SceneMissing);
}

TEST_CASE("every truncation of a .glb is a named error", "[badinput]") {
  auto glb = read_bytes(sample("Box/glTF-Binary/Box.glb"));
  REQUIRE(glb.size() > 1000);
  TempDir dir;
  for (std::size_t n = 0; n < glb.size(); n += (n < 64 ? 1 : 7)) {
    write_file(dir.path() / "t.glb", glb.data(), n);
    auto scene = renderq::load_gltf((dir.path() / "t.glb").string());
    INFO("truncated to " << n << " bytes");
    REQUIRE_FALSE(scene.has_value());
    CHECK((scene.error().code == Errc::GltfInvalid ||
           scene.error().code == Errc::GltfBufferOutOfRange));
  }
  // A header that claims more bytes than the file holds.
  auto lying = glb;
  lying[8] = 0xFF;
  lying[9] = 0xFF;
  write_file(dir.path() / "lying.glb", lying);
  auto scene = renderq::load_gltf((dir.path() / "lying.glb").string());
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::GltfInvalid);
}

TEST_CASE("a .glb whose BIN chunk length runs past the file is refused", "[badinput]") {
  auto glb = read_bytes(sample("Box/glTF-Binary/Box.glb"));
  std::uint32_t json_len;
  std::memcpy(&json_len, &glb[12], 4);
  std::size_t bin_header = 20 + json_len;
  std::uint32_t bin_len;
  std::memcpy(&bin_len, &glb[bin_header], 4);
  bin_len += 8;  // exactly the off-by-header mistake tinygltf 2.7 accepts
  std::memcpy(&glb[bin_header], &bin_len, 4);
  TempDir dir;
  write_file(dir.path() / "b.glb", glb);
  auto scene = renderq::load_gltf((dir.path() / "b.glb").string());
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::GltfInvalid);
}

TEST_CASE("invalid JSON is GltfInvalid", "[badinput]") {
  TempDir dir;
  for (const char* text : {"", "{", "{\"asset\": {\"version\": \"2.0\"}", "[1, 2]", "null",
                           "{\"asset\": {\"version\": \"1.0\"}}", "{\"meshes\": []}",
                           "{\"asset\": {\"version\": 2}}"}) {
    write_file(dir.path() / "x.gltf", std::string(text));
    auto scene = renderq::load_gltf((dir.path() / "x.gltf").string());
    INFO(text);
    REQUIRE_FALSE(scene.has_value());
    CHECK(scene.error().code == Errc::GltfInvalid);
  }
}

TEST_CASE("wrongly typed fields are GltfInvalid", "[badinput]") {
  Fixture a;
  a.gltf["accessors"][0]["count"] = "three";
  CHECK(load_error(a) == Errc::GltfInvalid);
  Fixture b;
  b.gltf["meshes"][0]["primitives"][0]["mode"] = 9;
  CHECK(load_error(b) == Errc::GltfInvalid);
  Fixture c;
  c.gltf["accessors"][0]["type"] = "VEC7";
  CHECK(load_error(c) == Errc::GltfInvalid);
  Fixture d;
  d.gltf["meshes"][0]["primitives"][0]["material"] = 5;
  CHECK(load_error(d) == Errc::GltfInvalid);
  Fixture e;
  e.gltf["nodes"][0]["children"] = json::array({0});  // a cycle
  CHECK(load_error(e) == Errc::GltfInvalid);
  Fixture f;
  f.gltf["nodes"][0]["translation"] = json::array({1, 2});
  CHECK(load_error(f) == Errc::GltfInvalid);
  Fixture g;
  g.gltf["accessors"][0]["componentType"] = 5124;  // signed int is not a glTF type
  CHECK(load_error(g) == Errc::GltfInvalid);
}

TEST_CASE("an accessor past its buffer view is GltfBufferOutOfRange", "[badinput]") {
  Fixture a;
  a.gltf["accessors"][0]["byteOffset"] = 4;
  CHECK(load_error(a) == Errc::GltfBufferOutOfRange);
  Fixture b;
  b.gltf["accessors"][0]["count"] = 4;
  CHECK(load_error(b) == Errc::GltfBufferOutOfRange);
  Fixture c;
  c.gltf["bufferViews"][0]["byteLength"] = 100;  // past the 44-byte buffer
  CHECK(load_error(c) == Errc::GltfBufferOutOfRange);
  Fixture d;
  d.gltf["accessors"][0]["byteOffset"] = 18446744073709551615ull;  // overflow attempt
  CHECK(load_error(d) == Errc::GltfInvalid);
  Fixture e;
  e.gltf["bufferViews"][0]["byteStride"] = 8;  // smaller than a VEC3 of floats
  CHECK(load_error(e) == Errc::GltfInvalid);
  Fixture f;
  f.gltf["accessors"][0].erase("bufferView");
  f.gltf["accessors"][0]["count"] = 4000000000ull;  // terabytes of zeros
  CHECK(load_error(f) == Errc::SceneTooLarge);       // refused from its declared size, before reading
}

TEST_CASE("a buffer shorter than its byteLength is GltfBufferOutOfRange", "[badinput]") {
  Fixture a;
  a.bin.resize(20);
  CHECK(load_error(a) == Errc::GltfBufferOutOfRange);
  Fixture b;
  b.gltf["buffers"][0]["uri"] = "data:application/octet-stream;base64,AAAA";
  CHECK(load_error(b) == Errc::GltfBufferOutOfRange);
  Fixture c;
  c.gltf["buffers"][0]["uri"] = "gone.bin";
  CHECK(load_error(c) == Errc::NotFound);
  Fixture d;
  d.gltf["buffers"][0].erase("uri");
  CHECK(load_error(d) == Errc::GltfInvalid);
}

TEST_CASE("an index past the vertex count is GltfInvalid", "[badinput]") {
  Fixture a;
  std::uint16_t seven = 7;
  std::memcpy(a.bin.data() + 38, &seven, 2);
  CHECK(load_error(a) == Errc::GltfInvalid);
  Fixture b;
  b.gltf["accessors"][1]["componentType"] = 5126;  // float indices
  CHECK(load_error(b) == Errc::GltfInvalid);
}

TEST_CASE("sparse accessors are checked too", "[badinput]") {
  // Sparse: replace vertex 5 (past the count of 3), values from view 0.
  Fixture a;
  a.gltf["bufferViews"].push_back({{"buffer", 0}, {"byteOffset", 40}, {"byteLength", 2}});
  a.bin[40] = 5;
  a.bin[41] = 0;
  a.gltf["accessors"][0]["sparse"] = {
      {"count", 1},
      {"indices", {{"bufferView", 2}, {"componentType", 5123}}},
      {"values", {{"bufferView", 0}}}};
  CHECK(load_error(a) == Errc::GltfInvalid);
  Fixture b = a;
  b.bin[40] = 1;  // in range now: loads, and vertex 1 becomes vertex 0's value
  TempDir dir;
  auto scene = b.load(dir);
  REQUIRE(scene.has_value());
  CHECK(scene->meshes[0].primitives[0].positions[1] == glm::vec3(0, 0, 0));
  Fixture c = a;
  c.gltf["accessors"][0]["sparse"]["count"] = 50;  // more than the accessor's count
  CHECK(load_error(c) == Errc::GltfInvalid);
}

TEST_CASE("NaN or infinite positions are GltfInvalid", "[badinput]") {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    Fixture a;
    std::memcpy(a.bin.data() + 16, &bad, 4);
    CHECK(load_error(a) == Errc::GltfInvalid);
  }
}

TEST_CASE("a scene with nothing to draw is GltfNoGeometry", "[badinput]") {
  Fixture a;
  a.gltf["accessors"][1]["count"] = 2;  // two indices: not one triangle
  CHECK(load_error(a) == Errc::GltfNoGeometry);
  Fixture b;
  b.gltf["nodes"][0].erase("mesh");
  CHECK(load_error(b) == Errc::GltfNoGeometry);
  Fixture c;
  c.gltf["meshes"][0]["primitives"][0]["attributes"] = json::object();  // no POSITION
  CHECK(load_error(c) == Errc::GltfNoGeometry);
  Fixture d;
  d.gltf["scenes"][0]["nodes"] = json::array();
  CHECK(load_error(d) == Errc::GltfNoGeometry);
}

TEST_CASE("a missing image is ImageDecode", "[badinput]") {
  Fixture a;
  a.add_texture("missing.png");
  CHECK(load_error(a) == Errc::ImageDecode);
}

TEST_CASE("an undecodable image is ImageDecode", "[badinput]") {
  TempDir dir;
  write_file(dir.path() / "bad.png", std::string("\x89PNG\r\n\x1a\nthis is not a png"));
  write_file(dir.path() / "text.png", std::string("hello"));
  auto uv = read_bytes(sample("TextureTransformTest/glTF/UV.png"));
  write_file(dir.path() / "half.png", uv.data(), uv.size() / 2);
  for (const char* name : {"bad.png", "text.png", "half.png"}) {
    Fixture a;
    a.add_texture(name);
    auto scene = a.load(dir);
    INFO(name);
    REQUIRE_FALSE(scene.has_value());
    CHECK(scene.error().code == Errc::ImageDecode);
  }
  Fixture b;
  b.add_texture("data:image/png;base64,iVBORw0KGgo=");  // signature only
  CHECK(load_error(b) == Errc::ImageDecode);
}

TEST_CASE("images load from a data URI and from a file", "[badinput]") {
  TempDir dir;
  auto uv = read_bytes(sample("TextureTransformTest/glTF/UV.png"));
  write_file(dir.path() / "img" / "uv.png", uv);
  Fixture a;
  a.add_texture("img/uv%2Epng");
  auto scene = a.load(dir);
  REQUIRE(scene.has_value());
  CHECK(scene->images[0].width == 256);
  CHECK(scene->materials[0].base_color_tex.texture == 0);
}

TEST_CASE("URIs escaping the scene's folder are GltfUriEscapes", "[badinput]") {
  for (const char* uri : {"../../etc/passwd", "/etc/passwd", "%2e%2e/%2e%2e/etc/passwd",
                          "file:///etc/passwd", "..%2F..%2Fetc%2Fpasswd"}) {
    INFO(uri);
    Fixture a;
    a.gltf["buffers"][0]["uri"] = uri;
    CHECK(load_error(a) == Errc::GltfUriEscapes);
    Fixture b;
    b.add_texture(uri);
    CHECK(load_error(b) == Errc::GltfUriEscapes);
  }
}

TEST_CASE("a required extension renderq lacks is GltfUnsupportedExtension", "[badinput]") {
  Fixture a;
  a.gltf["extensionsUsed"] = json::array({"EXT_lights_image_based"});
  a.gltf["extensionsRequired"] = json::array({"EXT_lights_image_based"});
  CHECK(load_error(a) == Errc::GltfUnsupportedExtension);
}

TEST_CASE("an optional unknown extension is skipped and reported", "[badinput]") {
  Fixture a;
  a.gltf["extensionsUsed"] = json::array({"KHR_materials_dispersion", "KHR_texture_transform"});
  std::vector<std::string> logged;
  renderq::LoadOptions options;
  options.log = [&](std::string_view s) { logged.emplace_back(s); };
  TempDir dir;
  auto scene = a.load(dir, options);
  REQUIRE(scene.has_value());
  REQUIRE(scene->warnings.size() == 1);
  CHECK(scene->warnings[0].find("KHR_materials_dispersion") != std::string::npos);
  CHECK(logged == scene->warnings);
}

TEST_CASE("corrupting bytes of a .glb never crashes the loader", "[badinput]") {
  // Deterministic pseudo-random single-byte corruptions across the whole
  // file: each load either succeeds or fails with a code, never crashes
  // (ASan/UBSan make out-of-bounds reads fatal in the sanitizer build).
  auto glb = read_bytes(sample("BoxVertexColors/glTF-Binary/BoxVertexColors.glb"));
  TempDir dir;
  std::uint32_t state = 12345;
  int failures = 0;
  for (int i = 0; i < 300; ++i) {
    auto bytes = glb;
    state = state * 1664525u + 1013904223u;
    std::size_t at = state % bytes.size();
    bytes[at] = static_cast<std::uint8_t>(state >> 24);
    write_file(dir.path() / "c.glb", bytes);
    auto scene = renderq::load_gltf((dir.path() / "c.glb").string());
    if (!scene) ++failures;
  }
  CHECK(failures > 0);
}

TEST_CASE("every fixture in tests/data/bad fails with the code expected.tsv names", "[badinput]") {
  fs::path dir = fs::path(RENDERQ_SOURCE_DIR) / "tests" / "data" / "bad";
  std::ifstream manifest(dir / "expected.tsv");
  REQUIRE(manifest.good());
  std::vector<std::string> listed;
  std::string line;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    std::string file = line.substr(0, tab), want = line.substr(tab + 1);
    listed.push_back(file);
    auto scene = renderq::load_gltf((dir / file).string());
    INFO(file);
    REQUIRE_FALSE(scene.has_value());
    CHECK(renderq::errc_name(scene.error().code) == want);
  }
  // Every scene file in the folder has an expectation.
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string ext = entry.path().extension().string();
    if (ext != ".gltf" && ext != ".glb") continue;
    INFO(entry.path().filename().string());
    CHECK(std::find(listed.begin(), listed.end(), entry.path().filename().string()) !=
          listed.end());
  }
  CHECK(listed.size() >= 11);
}

TEST_CASE("numbers beyond float range are GltfInvalid", "[badinput]") {
  Fixture a;
  a.gltf["nodes"][0]["scale"] = json::array({1e300, 1, 1});
  CHECK(load_error(a) == Errc::GltfInvalid);
  Fixture b;
  b.gltf["materials"][0]["pbrMetallicRoughness"]["metallicFactor"] = -1e39;
  CHECK(load_error(b) == Errc::GltfInvalid);
}

// --- Geometry and animation decoders (issue 11) ---

TEST_CASE("a truncated or corrupt Draco stream is GltfInvalid", "[badinput]") {
  auto gltf = json::parse(read_bytes(sample("Box/glTF-Draco/Box.gltf")));
  auto bin = read_bytes(sample("Box/glTF-Draco/Box.bin"));
  TempDir dir;
  write_file(dir.path() / "Box.bin", bin);
  std::size_t full = gltf["bufferViews"][0]["byteLength"].get<std::size_t>();
  REQUIRE(gltf["meshes"][0]["primitives"][0]["extensions"]["KHR_draco_mesh_compression"]["bufferView"] == 0);
  for (std::size_t n = 0; n < full; ++n) {
    auto cut = gltf;
    cut["bufferViews"][0]["byteLength"] = n;
    write_file(dir.path() / "t.gltf", cut.dump());
    auto scene = renderq::load_gltf((dir.path() / "t.gltf").string());
    INFO("Draco stream cut to " << n << " of " << full << " bytes");
    REQUIRE_FALSE(scene.has_value());
    CHECK(scene.error().code == Errc::GltfInvalid);
  }
  // Flipped bytes: decoded or refused, never a crash.
  std::uint32_t state = 7;
  for (int round = 0; round < 200; ++round) {
    auto bytes = bin;
    state = state * 1664525u + 1013904223u;
    bytes[state % full] = static_cast<std::uint8_t>(state >> 24);
    write_file(dir.path() / "Box.bin", bytes);
    write_file(dir.path() / "t.gltf", gltf.dump());
    auto scene = renderq::load_gltf((dir.path() / "t.gltf").string());
    if (!scene) CHECK(scene.error().code == Errc::GltfInvalid);
  }
  // An attribute id the stream lacks.
  write_file(dir.path() / "Box.bin", bin);
  auto lacking = gltf;
  lacking["meshes"][0]["primitives"][0]["extensions"]["KHR_draco_mesh_compression"]["attributes"]["NORMAL"] = 9;
  write_file(dir.path() / "t.gltf", lacking.dump());
  auto scene = renderq::load_gltf((dir.path() / "t.gltf").string());
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::GltfInvalid);
}

TEST_CASE("a meshopt stream with a wrong count or cut short is GltfInvalid", "[badinput]") {
  {
    // Count 4096 where 3 were encoded (byteLength agrees). A few more
    // vertices than encoded can decode as zeros from the stream's padding
    // (the format cannot tell); thousands cannot.
    Fixture f = meshopt_fixture();
    f.gltf["bufferViews"][0]["byteLength"] = 4096 * 12;
    f.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"]["count"] = 4096;
    CHECK(load_error(f) == Errc::GltfInvalid);
  }
  {
    Fixture f = meshopt_fixture();  // count x byteStride unlike the view's byteLength
    f.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"]["count"] = 2;
    CHECK(load_error(f) == Errc::GltfInvalid);
  }
  {
    Fixture f = meshopt_fixture();  // the index stream's count is wrong
    f.gltf["bufferViews"][1]["byteLength"] = 12;
    f.gltf["bufferViews"][1]["extensions"]["EXT_meshopt_compression"]["count"] = 6;
    CHECK(load_error(f) == Errc::GltfInvalid);
  }
  {
    Fixture f = meshopt_fixture();  // a stream past its buffer
    f.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"]["byteLength"] = 4096;
    CHECK(load_error(f) == Errc::GltfBufferOutOfRange);
  }
  {
    Fixture f = meshopt_fixture();  // unknown mode and filter, a filter the stride forbids
    f.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"]["mode"] = "VERTICES";
    CHECK(load_error(f) == Errc::GltfInvalid);
    Fixture g = meshopt_fixture();
    g.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"]["filter"] = "QUATERNION";
    CHECK(load_error(g) == Errc::GltfInvalid);
  }
  for (std::size_t n = 0; n < 16; ++n) {  // every short stream
    Fixture f = meshopt_fixture();
    f.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"]["byteLength"] = n;
    INFO("stream cut to " << n << " bytes");
    CHECK(load_error(f) == Errc::GltfInvalid);
  }
  Fixture f = meshopt_fixture();  // a plain view pointing into the empty fallback buffer
  f.gltf["bufferViews"][1].erase("extensions");
  CHECK(load_error(f) == Errc::GltfBufferOutOfRange);
}

TEST_CASE("a morph target accessor of the wrong length is GltfInvalid", "[badinput]") {
  Fixture f;
  f.gltf["accessors"].push_back({{"bufferView", 0}, {"componentType", 5126}, {"count", 2}, {"type", "VEC3"}});
  f.gltf["meshes"][0]["primitives"][0]["targets"] = json::array({{{"POSITION", 2}}});
  CHECK(load_error(f) == Errc::GltfInvalid);
  Fixture g;  // mesh weights that do not match the target count
  g.gltf["accessors"].push_back({{"bufferView", 0}, {"componentType", 5126}, {"count", 3}, {"type", "VEC3"}});
  g.gltf["meshes"][0]["primitives"][0]["targets"] = json::array({{{"POSITION", 2}}});
  g.gltf["meshes"][0]["weights"] = json::array({0.5, 0.5});
  CHECK(load_error(g) == Errc::GltfInvalid);
}

namespace {

// The fixture with one animation: times from accessor `input`, translations
// from accessor `output`, both over the fixture's buffer.
Fixture animated(json input, json output, const char* interpolation = "LINEAR") {
  Fixture f;
  f.gltf["accessors"].push_back(std::move(input));   // 2
  f.gltf["accessors"].push_back(std::move(output));  // 3
  f.gltf["animations"] = json::array(
      {{{"samplers", {{{"input", 2}, {"output", 3}, {"interpolation", interpolation}}}},
        {"channels", {{{"sampler", 0}, {"target", {{"node", 0}, {"path", "translation"}}}}}}}});
  return f;
}

}  // namespace

TEST_CASE("an animation sampler whose input and output counts disagree is GltfInvalid", "[badinput]") {
  // Positions as keyframe times: 0, 0, 0 (non-decreasing) over view 0.
  json times = {{"bufferView", 0}, {"componentType", 5126}, {"count", 3}, {"type", "SCALAR"}};
  json two = {{"bufferView", 0}, {"componentType", 5126}, {"count", 2}, {"type", "VEC3"}};
  json three = {{"bufferView", 0}, {"componentType", 5126}, {"count", 3}, {"type", "VEC3"}};
  CHECK(load_error(animated(times, two)) == Errc::GltfInvalid);
  CHECK(load_error(animated(times, three, "CUBICSPLINE")) == Errc::GltfInvalid);  // needs 9
  CHECK(load_error(animated(times, three, "BOUNCE")) == Errc::GltfInvalid);
  TempDir dir;
  CHECK(animated(times, three).load(dir).has_value());  // the same with matching counts loads
}

TEST_CASE("NaN or decreasing keyframes are GltfInvalid", "[badinput]") {
  json three = {{"bufferView", 0}, {"componentType", 5126}, {"count", 3}, {"type", "VEC3"}};
  Fixture f = animated({{"bufferView", 2}, {"componentType", 5126}, {"count", 3}, {"type", "SCALAR"}}, three);
  float nan_times[3] = {0, std::numeric_limits<float>::quiet_NaN(), 1};
  std::size_t at = f.bin.size();
  f.bin.resize(at + 12);
  std::memcpy(f.bin.data() + at, nan_times, 12);
  f.gltf["buffers"][0]["byteLength"] = f.bin.size();
  f.gltf["bufferViews"].push_back({{"buffer", 0}, {"byteOffset", at}, {"byteLength", 12}});
  CHECK(load_error(f) == Errc::GltfInvalid);
  float down[3] = {1, 0.5f, 2};
  std::memcpy(f.bin.data() + at, down, 12);
  CHECK(load_error(f) == Errc::GltfInvalid);
  // NaN in the values rather than the times (one keyframe, one value).
  Fixture g = animated({{"bufferView", 0}, {"componentType", 5126}, {"count", 1}, {"type", "SCALAR"}},
                       {{"bufferView", 2}, {"componentType", 5126}, {"count", 1}, {"type", "VEC3"}});
  g.bin.resize(at + 12);
  std::memcpy(g.bin.data() + at, nan_times, 12);
  g.gltf["buffers"][0]["byteLength"] = g.bin.size();
  g.gltf["bufferViews"].push_back({{"buffer", 0}, {"byteOffset", at}, {"byteLength", 12}});
  CHECK(load_error(g) == Errc::GltfInvalid);
}

TEST_CASE("skins and instancing with bad indices or counts are GltfInvalid", "[badinput]") {
  Fixture f;  // a joint that is no node
  f.gltf["skins"] = json::array({{{"joints", {7}}}});
  f.gltf["nodes"][0]["skin"] = 0;
  CHECK(load_error(f) == Errc::GltfInvalid);
  Fixture g;  // instancing attributes with different counts
  g.gltf["nodes"][0]["extensions"]["EXT_mesh_gpu_instancing"]["attributes"] = {{"TRANSLATION", 0}, {"SCALE", 2}};
  g.gltf["accessors"].push_back({{"bufferView", 0}, {"componentType", 5126}, {"count", 2}, {"type", "VEC3"}});
  CHECK(load_error(g) == Errc::GltfInvalid);
  Fixture many;  // millions of instances from an accessor without a bufferView
  many.gltf["nodes"][0]["extensions"]["EXT_mesh_gpu_instancing"]["attributes"] = {{"TRANSLATION", 2}};
  many.gltf["accessors"].push_back({{"componentType", 5126}, {"count", 5000000}, {"type", "VEC3"}});
  CHECK(load_error(many) == Errc::GltfInvalid);
  Fixture huge = meshopt_fixture();  // a huge view from a tiny meshopt stream
  huge.gltf["bufferViews"][0]["byteLength"] = 12 << 20;
  huge.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"]["count"] = 1 << 20;
  CHECK(load_error(huge) == Errc::GltfInvalid);
  Fixture h;  // a JOINTS_0 index past the skin's joints
  h.gltf["skins"] = json::array({{{"joints", {0}}}});
  h.gltf["nodes"][0]["skin"] = 0;
  // Joints from the bytes of the positions 1, 0, 0: (0, 0, 128, 63), ...
  h.gltf["accessors"].push_back(
      {{"bufferView", 0}, {"byteOffset", 12}, {"componentType", 5121}, {"count", 3}, {"type", "VEC4"}});
  h.gltf["accessors"].push_back(
      {{"bufferView", 0}, {"componentType", 5121}, {"normalized", true}, {"count", 3}, {"type", "VEC4"}});
  h.gltf["meshes"][0]["primitives"][0]["attributes"]["JOINTS_0"] = 2;
  h.gltf["meshes"][0]["primitives"][0]["attributes"]["WEIGHTS_0"] = 3;
  CHECK(load_error(h) == Errc::GltfInvalid);
}
