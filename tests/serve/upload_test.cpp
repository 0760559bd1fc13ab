#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include "serve/upload.hpp"

using namespace renderq;
using namespace renderq::serve;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A .glb holding `json` (padded to 4 bytes) and no binary chunk.
std::string make_glb(std::string json) {
  while (json.size() % 4) json.push_back(' ');
  std::string out = "glTF";
  auto put = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  put(2);
  put(static_cast<std::uint32_t>(12 + 8 + json.size()));
  put(static_cast<std::uint32_t>(json.size()));
  put(0x4E4F534A);
  return out + json;
}

}  // namespace

TEST_CASE("check_glb accepts the sample models", "[serve][upload]") {
  for (const char* name : {"Box", "BoxVertexColors", "MetalRoughSpheresNoTextures", "TextureCoordinateTest"}) {
    std::string path = std::string(RENDERQ_SAMPLES_DIR) + "/" + name + "/glTF-Binary/" + name + ".glb";
    INFO(path);
    CHECK(check_glb(read_all(path)));
  }
}

TEST_CASE("check_glb names what is wrong with a bad upload", "[serve][upload]") {
  std::string box = read_all(std::string(RENDERQ_SAMPLES_DIR) + "/Box/glTF-Binary/Box.glb");
  REQUIRE(box.size() > 100);
  CHECK(check_glb("").error().code == Errc::SceneNotGltf);
  CHECK(check_glb("\x89PNG\r\n\x1a\n0000000000000000").error().code == Errc::SceneNotGltf);
  CHECK(check_glb(R"({"asset":{"version":"2.0"}})").error().code == Errc::SceneNotGltf);  // .gltf JSON
  CHECK(check_glb(box.substr(0, box.size() / 2)).error().code == Errc::GltfInvalid);     // truncated
  CHECK(check_glb(box.substr(0, 16)).error().code == Errc::GltfInvalid);
  CHECK(check_glb(box + "extra").error().code == Errc::GltfInvalid);
  std::string v1 = box;
  v1[4] = 1;
  CHECK(check_glb(v1).error().code == Errc::GltfInvalid);
  CHECK(check_glb(make_glb("{not json")).error().code == Errc::GltfInvalid);
  CHECK(check_glb(make_glb(R"({"no":"asset"})")).error().code == Errc::GltfInvalid);
  CHECK(check_glb(make_glb(R"({"asset":{"version":"2.0"}})")));
  CHECK(check_glb(make_glb(R"({"asset":{"version":"2.0"},"buffers":[{"uri":"../../other/scene.bin","byteLength":4}]})"))
            .error()
            .code == Errc::GltfUriEscapes);
  CHECK(check_glb(make_glb(R"({"asset":{"version":"2.0"},"images":[{"uri":"/etc/passwd"}]})")).error().code ==
        Errc::GltfUriEscapes);
  CHECK(check_glb(make_glb(R"({"asset":{"version":"2.0"},"buffers":[{"uri":"data:application/octet-stream;base64,AAAA","byteLength":3}]})")));
}
