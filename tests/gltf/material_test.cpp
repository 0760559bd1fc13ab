// Material extensions read by gltf/material.cpp, on small generated files:
// every field of each one, their defaults when absent, the extensions list
// check, and bad values as named errors.
#include <catch2/catch.hpp>

#include <webp/encode.h>

#include "test_support.hpp"

using namespace gltf_test;
using renderq::Errc;

namespace {

renderq::Result<renderq::Scene> load_with(Fixture& f, const json& extensions) {
  f.gltf["materials"][0]["extensions"] = extensions;
  json used = json::array();
  for (const auto& [name, value] : extensions.items()) used.push_back(name);
  f.gltf["extensionsUsed"] = used;
  TempDir dir;
  return f.load(dir);
}

}  // namespace

TEST_CASE("a material without extensions has each extension's absent values", "[gltf]") {
  Fixture f;
  TempDir dir;
  auto s = f.load(dir);
  REQUIRE(s.has_value());
  const renderq::Material& m = s->materials[0];
  CHECK(m.ior == 1.5f);
  CHECK(m.specular == 1.0f);
  CHECK(m.specular_color == glm::vec3(1.0f));
  CHECK(m.clearcoat == 0.0f);
  CHECK(m.clearcoat_roughness == 0.0f);
  CHECK(m.clearcoat_tex.texture == -1);
}

TEST_CASE("KHR_materials_ior, specular and clearcoat are read", "[gltf]") {
  Fixture f;
  f.gltf["images"] = json::array({{{"uri", "uv.png"}}});
  f.gltf["textures"] = json::array({{{"source", 0}}});
  TempDir dir;
  write_file(dir.path() / "uv.png", read_bytes(sample("TextureTransformTest/glTF/UV.png")));
  f.gltf["materials"][0]["extensions"] = {
      {"KHR_materials_ior", {{"ior", 1.7}}},
      {"KHR_materials_specular",
       {{"specularFactor", 0.5},
        {"specularColorFactor", {1, 0.5, 0.25}},
        {"specularTexture", {{"index", 0}}},
        {"specularColorTexture", {{"index", 0}, {"texCoord", 1}}}}},
      {"KHR_materials_clearcoat",
       {{"clearcoatFactor", 0.75},
        {"clearcoatRoughnessFactor", 0.25},
        {"clearcoatTexture", {{"index", 0}}},
        {"clearcoatRoughnessTexture", {{"index", 0}}},
        {"clearcoatNormalTexture", {{"index", 0}, {"scale", 0.5}}}}}};
  f.gltf["extensionsUsed"] = {"KHR_materials_ior", "KHR_materials_specular", "KHR_materials_clearcoat"};
  f.gltf["extensionsRequired"] = {"KHR_materials_clearcoat"};
  auto s = f.load(dir);
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  CHECK(s->warnings.empty());
  const renderq::Material& m = s->materials[0];
  CHECK(m.ior == Approx(1.7f));
  CHECK(m.specular == Approx(0.5f));
  CHECK(m.specular_color == glm::vec3(1, 0.5f, 0.25f));
  CHECK(m.specular_tex.texture == 0);
  CHECK(m.specular_color_tex.texture == 0);
  CHECK(m.specular_color_tex.texcoord == 1);
  CHECK(m.clearcoat == Approx(0.75f));
  CHECK(m.clearcoat_roughness == Approx(0.25f));
  CHECK(m.clearcoat_tex.texture == 0);
  CHECK(m.clearcoat_roughness_tex.texture == 0);
  CHECK(m.clearcoat_normal_tex.texture == 0);
  CHECK(m.clearcoat_normal_tex.scale == 0.5f);
  // Every slot's image was decoded.
  CHECK(s->images[0].width > 0);
}

TEST_CASE("out-of-range extension values are clamped or refused by name", "[gltf][badinput]") {
  Fixture a;
  auto s = load_with(a, {{"KHR_materials_specular", {{"specularFactor", 3}}},
                         {"KHR_materials_clearcoat", {{"clearcoatFactor", -1}}}});
  REQUIRE(s.has_value());
  CHECK(s->materials[0].specular == 1.0f);
  CHECK(s->materials[0].clearcoat == 0.0f);

  Fixture b;
  auto bad_ior = load_with(b, {{"KHR_materials_ior", {{"ior", 0.5}}}});
  REQUIRE_FALSE(bad_ior.has_value());
  CHECK(bad_ior.error().code == Errc::GltfInvalid);

  Fixture c;
  auto bad_tex = load_with(c, {{"KHR_materials_clearcoat", {{"clearcoatTexture", {{"index", 4}}}}}});
  REQUIRE_FALSE(bad_tex.has_value());
  CHECK(bad_tex.error().code == Errc::GltfInvalid);

  Fixture d;
  auto bad_type = load_with(d, {{"KHR_materials_specular", {{"specularColorFactor", {1, 1}}}}});
  REQUIRE_FALSE(bad_type.has_value());
  CHECK(bad_type.error().code == Errc::GltfInvalid);
}

TEST_CASE("KHR_materials_pbrSpecularGlossiness replaces metallic-roughness", "[gltf]") {
  Fixture f;
  f.gltf["images"] = json::array({{{"uri", "uv.png"}}});
  f.gltf["textures"] = json::array({{{"source", 0}}});
  TempDir dir;
  write_file(dir.path() / "uv.png", read_bytes(sample("TextureTransformTest/glTF/UV.png")));
  f.gltf["materials"][0]["pbrMetallicRoughness"]["metallicRoughnessTexture"] = {{"index", 0}};
  f.gltf["materials"][0]["extensions"] = {
      {"KHR_materials_pbrSpecularGlossiness",
       {{"diffuseFactor", {0.5, 0.25, 1, 0.5}},
        {"diffuseTexture", {{"index", 0}}},
        {"specularFactor", {0.1, 0.2, 0.3}},
        {"glossinessFactor", 0.75},
        {"specularGlossinessTexture", {{"index", 0}}}}}};
  f.gltf["extensionsUsed"] = {"KHR_materials_pbrSpecularGlossiness"};
  f.gltf["extensionsRequired"] = {"KHR_materials_pbrSpecularGlossiness"};
  auto s = f.load(dir);
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  const renderq::Material& m = s->materials[0];
  CHECK(m.specular_glossiness);
  CHECK(m.base_color == glm::vec4(0.5f, 0.25f, 1, 0.5f));
  CHECK(m.base_color_tex.texture == 0);
  CHECK(m.metallic == 0.0f);
  CHECK(m.metallic_roughness_tex.texture == -1);
  CHECK(m.sg_specular == glm::vec3(0.1f, 0.2f, 0.3f));
  CHECK(m.sg_glossiness == Approx(0.75f));
  CHECK(m.roughness == Approx(0.25f));
  CHECK(m.sg_tex.texture == 0);
}

TEST_CASE("EXT_texture_webp's source is preferred over the fallback", "[gltf]") {
  Fixture f;
  TempDir dir;
  write_file(dir.path() / "uv.png", read_bytes(sample("TextureTransformTest/glTF/UV.png")));
  std::uint8_t* webp = nullptr;
  std::vector<std::uint8_t> px(4 * 2 * 4, 255);
  std::size_t n = WebPEncodeLosslessRGBA(px.data(), 4, 2, 16, &webp);
  REQUIRE(n > 0);
  write_file(dir.path() / "tex.webp", webp, n);
  WebPFree(webp);
  f.gltf["images"] = json::array({{{"uri", "uv.png"}}, {{"uri", "tex.webp"}}});
  f.gltf["textures"] = json::array({{{"source", 0}, {"extensions", {{"EXT_texture_webp", {{"source", 1}}}}}}});
  f.gltf["materials"][0]["pbrMetallicRoughness"]["baseColorTexture"] = {{"index", 0}};
  f.gltf["extensionsUsed"] = {"EXT_texture_webp"};
  auto s = f.load(dir);
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  CHECK(s->warnings.empty());
  CHECK(s->textures[0].image == 1);
  CHECK(s->images[1].width == 4);
  CHECK(s->images[0].width == 0);  // the fallback is not decoded
}

TEST_CASE("KHR_texture_basisu uses the fallback image, or fails by name", "[gltf][badinput]") {
  Fixture f;
  TempDir dir;
  write_file(dir.path() / "uv.png", read_bytes(sample("TextureTransformTest/glTF/UV.png")));
  write_file(dir.path() / "tex.ktx2", std::string("\xABKTX 20\xBB\r\n\x1A\n"));
  f.gltf["images"] = json::array({{{"uri", "uv.png"}}, {{"uri", "tex.ktx2"}, {"mimeType", "image/ktx2"}}});
  f.gltf["textures"] = json::array({{{"source", 0}, {"extensions", {{"KHR_texture_basisu", {{"source", 1}}}}}}});
  f.gltf["materials"][0]["pbrMetallicRoughness"]["baseColorTexture"] = {{"index", 0}};
  f.gltf["extensionsUsed"] = {"KHR_texture_basisu"};
  std::vector<std::string> logged;
  renderq::LoadOptions options;
  options.log = [&](std::string_view line) { logged.emplace_back(line); };
  {
    auto s = f.load(dir, options);
    INFO((s ? "" : s.error().message()));
    REQUIRE(s.has_value());
    CHECK(s->textures[0].image == 0);
    CHECK(s->images[0].width > 0);
    REQUIRE(s->warnings.size() == 1);
    CHECK(s->warnings[0].find("KHR_texture_basisu") != std::string::npos);
    CHECK(logged == s->warnings);
  }
  // No fallback: the file requires the extension, and renderq cannot decode it.
  f.gltf["textures"][0].erase("source");
  f.gltf["extensionsRequired"] = {"KHR_texture_basisu"};
  auto s = f.load(dir);
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == Errc::UnsupportedTextureFormat);
}

TEST_CASE("KHR_materials_sheen is read", "[gltf]") {
  Fixture f;
  f.gltf["images"] = json::array({{{"uri", "uv.png"}}});
  f.gltf["textures"] = json::array({{{"source", 0}}});
  TempDir dir;
  write_file(dir.path() / "uv.png", read_bytes(sample("TextureTransformTest/glTF/UV.png")));
  f.gltf["materials"][0]["extensions"] = {
      {"KHR_materials_sheen",
       {{"sheenColorFactor", {1, 0.5, 2}},
        {"sheenRoughnessFactor", 0.25},
        {"sheenColorTexture", {{"index", 0}}},
        {"sheenRoughnessTexture", {{"index", 0}}}}}};
  f.gltf["extensionsUsed"] = {"KHR_materials_sheen"};
  auto s = f.load(dir);
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  CHECK(s->warnings.empty());
  const renderq::Material& m = s->materials[0];
  CHECK(m.sheen_color == glm::vec3(1, 0.5f, 1));  // clamped to [0, 1]
  CHECK(m.sheen_roughness == Approx(0.25f));
  CHECK(m.sheen_color_tex.texture == 0);
  CHECK(m.sheen_roughness_tex.texture == 0);
}

TEST_CASE("KHR_materials_transmission and KHR_materials_volume are read", "[gltf]") {
  Fixture f;
  auto s = load_with(f, {{"KHR_materials_transmission", {{"transmissionFactor", 0.75}}},
                         {"KHR_materials_volume",
                          {{"thicknessFactor", 2},
                           {"attenuationDistance", 0.5},
                           {"attenuationColor", {1, 0.5, 0.25}}}}});
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  CHECK(s->warnings.empty());
  const renderq::Material& m = s->materials[0];
  CHECK(m.transmission == Approx(0.75f));
  CHECK(m.thickness == Approx(2.0f));
  CHECK(m.attenuation_distance == Approx(0.5f));
  CHECK(m.attenuation_color == glm::vec3(1, 0.5f, 0.25f));

  Fixture b;
  auto bad = load_with(b, {{"KHR_materials_volume", {{"attenuationDistance", -1}}}});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == Errc::GltfInvalid);
}

TEST_CASE("AttenuationTest's transmission and volume are read, none ignored", "[gltf]") {
  std::vector<std::string> logged;
  renderq::LoadOptions options;
  options.log = [&](std::string_view line) { logged.emplace_back(line); };
  auto s = renderq::load_gltf(sample("AttenuationTest/glTF-Binary/AttenuationTest.glb"), options);
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  CHECK(logged.empty());
  int transmissive = 0, absorbing = 0;
  for (const renderq::Material& m : s->materials) {
    if (m.transmission > 0.0f) ++transmissive;
    if (m.attenuation_distance > 0.0f && m.thickness > 0.0f) ++absorbing;
  }
  CHECK(transmissive > 0);
  CHECK(absorbing > 0);
}

TEST_CASE("KHR_materials_anisotropy is read", "[gltf]") {
  Fixture f;
  auto s = load_with(f, {{"KHR_materials_anisotropy", {{"anisotropyStrength", 0.5}, {"anisotropyRotation", 1.25}}}});
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  CHECK(s->warnings.empty());
  CHECK(s->materials[0].anisotropy == Approx(0.5f));
  CHECK(s->materials[0].anisotropy_rotation == Approx(1.25f));
  CHECK(s->materials[0].anisotropy_tex.texture == -1);
}

TEST_CASE("AnisotropyStrengthTest's anisotropy is read, nothing ignored", "[gltf]") {
  std::vector<std::string> logged;
  renderq::LoadOptions options;
  options.log = [&](std::string_view line) { logged.emplace_back(line); };
  auto s = renderq::load_gltf(sample("AnisotropyStrengthTest/glTF-Binary/AnisotropyStrengthTest.glb"), options);
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  CHECK(logged.empty());
  int anisotropic = 0;
  for (const renderq::Material& m : s->materials)
    if (m.anisotropy > 0.0f) ++anisotropic;
  CHECK(anisotropic > 0);
}

TEST_CASE("KHR_materials_iridescence is read", "[gltf]") {
  Fixture f;
  auto s = load_with(f, {{"KHR_materials_iridescence",
                          {{"iridescenceFactor", 0.5},
                           {"iridescenceIor", 1.8},
                           {"iridescenceThicknessMinimum", 50},
                           {"iridescenceThicknessMaximum", 250}}}});
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  CHECK(s->warnings.empty());
  const renderq::Material& m = s->materials[0];
  CHECK(m.iridescence == Approx(0.5f));
  CHECK(m.iridescence_ior == Approx(1.8f));
  CHECK(m.iridescence_thickness_min == Approx(50.0f));
  CHECK(m.iridescence_thickness_max == Approx(250.0f));
}
