// Budgets before allocation (issue 13, H1 and M5): the loader sizes a scene
// from what it declares and refuses one over the budget with
// Errc::SceneTooLarge before allocating; referenced files must be regular
// files, never read whole when larger than declared, never waited on.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>

#include "core/memory_budget.hpp"
#include "gltf/document.hpp"
#include "gltf/scene_size.hpp"
#include "gltf/uri.hpp"
#include "test_support.hpp"

using namespace gltf_test;
using renderq::Errc;
using renderq::MemoryBudget;

namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

renderq::LoadOptions with(MemoryBudget& budget) {
  renderq::LoadOptions o;
  o.budget = &budget;
  return o;
}

// The fixture's triangle drawn by one POSITION accessor of `count` vertices
// without a bufferView (zeros): 976 bytes that declare gigabytes.
Fixture accessor_bomb(std::size_t count) {
  Fixture f;
  f.gltf["meshes"][0]["primitives"][0] = {{"attributes", {{"POSITION", 0}}}};
  f.gltf["accessors"] = json::array({{{"componentType", 5126}, {"count", count}, {"type", "VEC3"}}});
  return f;
}

// A buffer URI naming `name` in the scene's folder.
Fixture buffer_named(const std::string& name, std::uint64_t byte_length) {
  Fixture f;
  f.gltf["buffers"][0] = {{"uri", name}, {"byteLength", byte_length}};
  return f;
}

// Loads `f` with a tri.bin that is whatever `make` puts at the uri.
renderq::Result<renderq::Scene> load_scene_only(const TempDir& dir, const Fixture& f, MemoryBudget& budget) {
  write_file(dir.path() / "scene.gltf", f.gltf.dump());
  return renderq::load_gltf((dir.path() / "scene.gltf").string(), with(budget));
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A PNG signature and IHDR saying w x h, nothing after it.
std::vector<std::uint8_t> png_head(std::uint32_t w, std::uint32_t h) {
  std::vector<std::uint8_t> b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  for (std::uint32_t v : {w, h})
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
  for (int v : {8, 6, 0, 0, 0, 0, 0, 0, 0}) b.push_back(static_cast<std::uint8_t>(v));  // depth, RGBA, ..., CRC (unchecked here)
  return b;
}

}  // namespace

TEST_CASE("an accessor without a bufferView counting 2^28/3 is scene_too_large before allocating", "[gltf][budget]") {
  TempDir dir;
  MemoryBudget budget(kGiB);
  auto t0 = std::chrono::steady_clock::now();
  auto scene = accessor_bomb((std::size_t{1} << 28) / 3).load(dir, with(budget));
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::SceneTooLarge);
  CHECK(seconds_since(t0) < 1.0);  // nothing was allocated or zero-filled
  CHECK(budget.in_use() == 0);     // the load gave back what it took
  // The same file with fewer vertices fits.
  auto small = accessor_bomb(3000).load(dir, with(budget));
  CHECK(small.has_value());
}

TEST_CASE("primitive_bytes follows what the readers keep", "[gltf][budget]") {
  TempDir dir;
  const std::uint64_t n = 89478485;
  Fixture f = accessor_bomb(n);
  write_file(dir.path() / "tri.bin", f.bin);
  write_file(dir.path() / "scene.gltf", f.gltf.dump());
  auto doc = renderq::gltf::read_document(dir.path() / "scene.gltf");
  REQUIRE(doc.has_value());
  const json& prim = doc->json["meshes"][0]["primitives"][0];
  // Positions, generated normals and tangents (10 floats) kept, plus tangent
  // generation's corner list and per-vertex sums: 72 bytes a vertex.
  CHECK(renderq::gltf::primitive_bytes(*doc, prim) == 72 * n);
  CHECK(renderq::gltf::accessor_values(*doc, 0) == 3 * n);
  CHECK(renderq::gltf::accessor_values(*doc, 7) == 0);  // no such accessor: the reader names it later

  // Indexed without normals: flat normals give one vertex per corner.
  Fixture g;
  write_file(dir.path() / "tri.bin", g.bin);
  write_file(dir.path() / "scene.gltf", g.gltf.dump());
  auto small = renderq::gltf::read_document(dir.path() / "scene.gltf");
  REQUIRE(small.has_value());
  const std::uint64_t bytes = renderq::gltf::primitive_bytes(*small, small->json["meshes"][0]["primitives"][0]);
  CHECK(bytes >= 3 * 10 * 4 + 3 * 4);  // at least the vertices and indices it keeps
  CHECK(bytes < 1024);
}

TEST_CASE("a deforming mesh is charged once per node that draws it", "[gltf][budget]") {
  TempDir dir;
  Fixture f = accessor_bomb(1'000'000);
  f.gltf["accessors"].push_back({{"componentType", 5126}, {"count", 1'000'000}, {"type", "VEC3"}});
  f.gltf["meshes"][0]["primitives"][0]["targets"] = json::array({{{"POSITION", 1}}});
  write_file(dir.path() / "tri.bin", f.bin);
  write_file(dir.path() / "scene.gltf", f.gltf.dump());
  auto doc = renderq::gltf::read_document(dir.path() / "scene.gltf");
  REQUIRE(doc.has_value());
  const std::uint64_t one = renderq::gltf::primitive_bytes(*doc, doc->json["meshes"][0]["primitives"][0]);
  MemoryBudget fits_one(one + (1 << 20));
  {
    renderq::BudgetLease lease(fits_one);
    CHECK(renderq::gltf::charge_geometry(*doc, lease).has_value());
  }
  doc->json["nodes"] = json::array({{{"mesh", 0}}, {{"mesh", 0}}, {{"mesh", 0}}});
  renderq::BudgetLease lease(fits_one);
  auto charged = renderq::gltf::charge_geometry(*doc, lease);
  REQUIRE_FALSE(charged.has_value());
  CHECK(charged.error().code == Errc::SceneTooLarge);
}

TEST_CASE("instances without a bufferView are charged before they are read", "[gltf][budget]") {
  TempDir dir;
  Fixture f;
  f.gltf["accessors"].push_back({{"componentType", 5126}, {"count", 1 << 20}, {"type", "VEC3"}});
  f.gltf["nodes"][0]["extensions"]["EXT_mesh_gpu_instancing"] = {{"attributes", {{"TRANSLATION", 2}}}};
  f.gltf["extensionsUsed"] = json::array({"EXT_mesh_gpu_instancing"});
  MemoryBudget budget(64 << 20);
  auto scene = f.load(dir, with(budget));
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::SceneTooLarge);
}

TEST_CASE("three images whose headers say 16384x16384 are scene_too_large before decoding", "[gltf][budget]") {
  TempDir dir;
  Fixture f;
  std::vector<std::uint8_t> bin = f.bin;
  json images = json::array(), textures = json::array();
  for (int i = 0; i < 3; ++i) {
    std::vector<std::uint8_t> png = png_head(16384, 16384);
    while (bin.size() % 4) bin.push_back(0);
    f.gltf["bufferViews"].push_back({{"buffer", 0}, {"byteOffset", bin.size()}, {"byteLength", png.size()}});
    bin.insert(bin.end(), png.begin(), png.end());
    images.push_back({{"bufferView", 2 + i}, {"mimeType", "image/png"}});
    textures.push_back({{"source", i}});
  }
  f.bin = bin;
  f.gltf["buffers"][0]["byteLength"] = bin.size();
  f.gltf["images"] = images;
  f.gltf["textures"] = textures;
  auto& m = f.gltf["materials"][0];
  m["pbrMetallicRoughness"]["baseColorTexture"] = {{"index", 0}};
  m["pbrMetallicRoughness"]["metallicRoughnessTexture"] = {{"index", 1}};
  m["emissiveTexture"] = {{"index", 2}};
  MemoryBudget budget(2 * kGiB);  // two would fit, three do not
  auto t0 = std::chrono::steady_clock::now();
  auto scene = f.load(dir, with(budget));
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::SceneTooLarge);
  CHECK(seconds_since(t0) < 1.0);
}

TEST_CASE("a buffer uri to a 3 GiB sparse file is refused before reading", "[gltf][budget]") {
  TempDir dir;
  {
    int fd = ::open((dir.path() / "big.bin").c_str(), O_CREAT | O_WRONLY, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, static_cast<off_t>(3 * kGiB)) == 0);
    ::close(fd);
  }
  MemoryBudget budget(kGiB);
  auto t0 = std::chrono::steady_clock::now();
  auto scene = load_scene_only(dir, buffer_named("big.bin", 3 * kGiB), budget);
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::SceneTooLarge);
  CHECK(seconds_since(t0) < 1.0);
  // Declaring only what it uses, the same file costs those bytes: only they are read.
  auto small = load_scene_only(dir, buffer_named("big.bin", 44), budget);
  CHECK(small.has_value());
}

TEST_CASE("a FIFO or a character device as buffer uri is refused at once", "[gltf][budget]") {
  TempDir dir;
  MemoryBudget budget(kGiB);
  REQUIRE(::mkfifo((dir.path() / "fifo.bin").c_str(), 0600) == 0);
  auto t0 = std::chrono::steady_clock::now();
  auto fifo = load_scene_only(dir, buffer_named("fifo.bin", 44), budget);
  REQUIRE_FALSE(fifo.has_value());
  CHECK(fifo.error().code == Errc::GltfInvalid);
  CHECK(seconds_since(t0) < 1.0);

  // The loader reads referenced files through gltf::read_file: /dev/zero
  // itself (outside any scene folder) and, as root, one made in the folder.
  auto zero = renderq::gltf::read_file("/dev/zero");
  REQUIRE_FALSE(zero.has_value());
  CHECK(zero.error().code == Errc::GltfInvalid);
  if (::geteuid() == 0) {
    REQUIRE(::mknod((dir.path() / "zero.bin").c_str(), S_IFCHR | 0600, makedev(1, 5)) == 0);
    auto dev = load_scene_only(dir, buffer_named("zero.bin", 44), budget);
    REQUIRE_FALSE(dev.has_value());
    CHECK(dev.error().code == Errc::GltfInvalid);
  }
  // A folder, too.
  std::filesystem::create_directory(dir.path() / "folder.bin");
  auto folder = load_scene_only(dir, buffer_named("folder.bin", 44), budget);
  REQUIRE_FALSE(folder.has_value());
  CHECK(folder.error().code == Errc::GltfInvalid);
}

TEST_CASE("a symlink inside the scene's folder still works as a buffer uri", "[gltf][budget]") {
  TempDir dir;
  Fixture f = buffer_named("link.bin", 44);
  write_file(dir.path() / "tri.bin", f.bin);
  std::filesystem::create_symlink("tri.bin", dir.path() / "link.bin");
  MemoryBudget budget(kGiB);
  auto scene = load_scene_only(dir, f, budget);
  INFO((scene ? "" : scene.error().message()));
  CHECK(scene.has_value());
}

TEST_CASE("a FIFO as the scene itself is refused at once", "[gltf][budget]") {
  TempDir dir;
  REQUIRE(::mkfifo((dir.path() / "scene.gltf").c_str(), 0600) == 0);
  auto scene = renderq::load_gltf((dir.path() / "scene.gltf").string());
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::SceneNotGltf);
}

TEST_CASE("a shared budget held by other loads answers busy, not scene_too_large", "[gltf][budget]") {
  TempDir dir;
  MemoryBudget budget(1 << 20);
  renderq::BudgetLease other(budget);
  REQUIRE(other.charge((1 << 20) - 100, "another upload").has_value());
  auto scene = Fixture().load(dir, with(budget));
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::Busy);
}

TEST_CASE("samples load within a budget of a few times their size", "[gltf][budget]") {
  MemoryBudget budget(64 << 20);
  load_ok("Box/glTF-Binary/Box.glb", with(budget));
  load_ok("TextureCoordinateTest/glTF-Binary/TextureCoordinateTest.glb", with(budget));
  load_ok("SimpleInstancing/glTF-Binary/SimpleInstancing.glb", with(budget));
  load_ok("AnimatedMorphSphere/glTF-Binary/AnimatedMorphSphere.glb", with(budget));
  CHECK(budget.in_use() == 0);
}

TEST_CASE("an image uri that is a FIFO is refused at once, a 3 GiB one before reading", "[gltf][budget]") {
  TempDir dir;
  MemoryBudget budget(kGiB);
  REQUIRE(::mkfifo((dir.path() / "fifo.png").c_str(), 0600) == 0);
  Fixture f;
  f.add_texture("fifo.png");
  auto t0 = std::chrono::steady_clock::now();
  auto fifo = f.load(dir, with(budget));
  REQUIRE_FALSE(fifo.has_value());
  CHECK(fifo.error().code == Errc::ImageDecode);
  CHECK(seconds_since(t0) < 1.0);

  int fd = ::open((dir.path() / "big.png").c_str(), O_CREAT | O_WRONLY, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, static_cast<off_t>(3 * kGiB)) == 0);
  ::close(fd);
  Fixture g;
  g.add_texture("big.png");
  auto big = g.load(dir, with(budget));
  REQUIRE_FALSE(big.has_value());
  CHECK(big.error().code == Errc::SceneTooLarge);
}
