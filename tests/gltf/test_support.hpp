// Shared by the glTF loader tests: a private temporary folder, file
// helpers, and a minimal valid one-triangle scene to break one thing at a time.
#pragma once

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <meshoptimizer.h>
#include <nlohmann/json.hpp>

#include "gltf/scene.hpp"

namespace gltf_test {

namespace fs = std::filesystem;
using nlohmann::json;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/renderq-gltf-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline void write_file(const fs::path& p, const void* data, std::size_t n) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
}
inline void write_file(const fs::path& p, const std::string& s) { write_file(p, s.data(), s.size()); }
inline void write_file(const fs::path& p, const std::vector<std::uint8_t>& v) {
  write_file(p, v.data(), v.size());
}

inline std::vector<std::uint8_t> read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

inline std::string sample(const std::string& rel) { return std::string(RENDERQ_SAMPLES_DIR) + "/" + rel; }

// A sample that must load; the test fails with the loader's message otherwise.
inline renderq::Scene load_ok(const std::string& rel, const renderq::LoadOptions& options = {}) {
  auto scene = renderq::load_gltf(sample(rel), options);
  INFO(rel << ": " << (scene ? "" : scene.error().message()));
  REQUIRE(scene.has_value());
  return std::move(*scene);
}

// A valid one-triangle scene: positions (36 bytes) then uint16 indices
// (6 bytes + 2 padding) in tri.bin.
struct Fixture {
  json gltf;
  std::vector<std::uint8_t> bin;

  Fixture() {
    float pos[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    std::uint16_t idx[4] = {0, 1, 2, 0};
    bin.resize(44);
    std::memcpy(bin.data(), pos, 36);
    std::memcpy(bin.data() + 36, idx, 8);
    gltf = json::parse(R"({
      "asset": {"version": "2.0"},
      "scene": 0,
      "scenes": [{"nodes": [0]}],
      "nodes": [{"mesh": 0}],
      "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1, "material": 0}]}],
      "materials": [{"pbrMetallicRoughness": {"baseColorFactor": [1, 0, 0, 1]}}],
      "accessors": [
        {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3"},
        {"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR"}
      ],
      "bufferViews": [
        {"buffer": 0, "byteOffset": 0, "byteLength": 36},
        {"buffer": 0, "byteOffset": 36, "byteLength": 6}
      ],
      "buffers": [{"uri": "tri.bin", "byteLength": 44}]
    })");
  }

  // Adds a base-colour texture whose image has the given uri.
  void add_texture(const std::string& uri) {
    gltf["images"] = json::array({{{"uri", uri}}});
    gltf["textures"] = json::array({{{"source", 0}}});
    gltf["materials"][0]["pbrMetallicRoughness"]["baseColorTexture"] = {{"index", 0}};
  }

  renderq::Result<renderq::Scene> load(const TempDir& dir,
                                       const renderq::LoadOptions& options = {}) const {
    write_file(dir.path() / "tri.bin", bin);
    write_file(dir.path() / "scene.gltf", gltf.dump());
    return renderq::load_gltf((dir.path() / "scene.gltf").string(), options);
  }
};

// The fixture's triangle with EXT_meshopt_compression: positions
// (ATTRIBUTES, stride 12) and indices (TRIANGLES, stride 2) encoded with
// meshoptimizer into tri.bin; buffer 0 is the fallback, without data.
inline Fixture meshopt_fixture() {
  Fixture f;
  float pos[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
  unsigned int idx[3] = {0, 1, 2};
  std::vector<std::uint8_t> v(meshopt_encodeVertexBufferBound(3, 12));
  v.resize(meshopt_encodeVertexBuffer(v.data(), v.size(), pos, 3, 12));
  std::vector<std::uint8_t> i(meshopt_encodeIndexBufferBound(3, 3));
  i.resize(meshopt_encodeIndexBuffer(i.data(), i.size(), idx, 3));
  std::size_t ioff = (v.size() + 3) / 4 * 4;
  f.bin.assign(ioff + i.size(), 0);
  std::memcpy(f.bin.data(), v.data(), v.size());
  std::memcpy(f.bin.data() + ioff, i.data(), i.size());
  f.gltf["extensionsUsed"] = json::array({"EXT_meshopt_compression"});
  f.gltf["extensionsRequired"] = json::array({"EXT_meshopt_compression"});
  f.gltf["buffers"] = json::array(
      {{{"byteLength", 44}, {"extensions", {{"EXT_meshopt_compression", {{"fallback", true}}}}}},
       {{"uri", "tri.bin"}, {"byteLength", f.bin.size()}}});
  f.gltf["bufferViews"][0]["byteStride"] = 12;
  f.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"] = {
      {"buffer", 1}, {"byteOffset", 0}, {"byteLength", v.size()}, {"byteStride", 12}, {"count", 3},
      {"mode", "ATTRIBUTES"}};
  f.gltf["bufferViews"][1]["extensions"]["EXT_meshopt_compression"] = {
      {"buffer", 1}, {"byteOffset", ioff}, {"byteLength", i.size()}, {"byteStride", 2}, {"count", 3},
      {"mode", "TRIANGLES"}};
  return f;
}

}  // namespace gltf_test
