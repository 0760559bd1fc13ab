// Samplers, textures and materials of a glTF file.
#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "gltf/parts.hpp"

namespace renderq::gltf {

namespace {

bool valid_filter(int f, bool min) {
  if (f == 9728 || f == 9729) return true;
  return min && f >= 9984 && f <= 9987;
}
bool valid_wrap(int w) { return w == 10497 || w == 33071 || w == 33648; }

// KHR_texture_transform: uv' = T * R * S * uv, with the rotation matrix of
// the extension's specification (counter-clockwise in UV space).
glm::mat3 uv_matrix(glm::vec2 offset, float rotation, glm::vec2 scale) {
  glm::mat3 t(1.0f), r(1.0f), s(1.0f);
  t[2][0] = offset.x;
  t[2][1] = offset.y;
  float c = std::cos(rotation), sn = std::sin(rotation);
  r[0][0] = c;  r[1][0] = sn;
  r[0][1] = -sn; r[1][1] = c;
  s[0][0] = scale.x;
  s[1][1] = scale.y;
  return t * r * s;
}

// Reads a textureInfo (baseColorTexture, normalTexture, ...) into `out`.
void read_texture_ref(JsonReader& r, const Json& mat, const Json* parent, const char* key,
                      const char* scale_key, std::size_t ntextures, const std::string& where,
                      const Warnings& warn, TextureRef& out) {
  if (!parent) return;
  const Json* info = r.object(*parent, key, where);
  if (!info) return;
  std::string w = where + "." + key;
  out.texture = r.index(*info, "index", ntextures, -1, true, w);
  out.texcoord = static_cast<int>(r.count(*info, "texCoord", 0, false, w));
  if (scale_key) out.scale = static_cast<float>(r.number(*info, scale_key, 1.0, w));
  if (const Json* ext = r.object(*info, "extensions", w)) {
    if (const Json* tt = r.object(*ext, "KHR_texture_transform", w)) {
      std::string tw = w + ".KHR_texture_transform";
      auto off = r.numbers(*tt, "offset", 2, {0.0, 0.0}, tw);
      auto sc = r.numbers(*tt, "scale", 2, {1.0, 1.0}, tw);
      double rot = r.number(*tt, "rotation", 0.0, tw);
      if (!r.failed()) {
        out.uv_transform = uv_matrix(glm::vec2(off[0], off[1]), static_cast<float>(rot),
                                     glm::vec2(sc[0], sc[1]));
      }
      if (tt->contains("texCoord"))
        out.texcoord = static_cast<int>(r.count(*tt, "texCoord", 0, false, tw));
    }
  }
  if (!r.failed() && out.texcoord > 1) {
    warn.add(w + " uses TEXCOORD_" + std::to_string(out.texcoord) +
             "; only sets 0 and 1 are read, using 0");
    out.texcoord = 0;
  }
  (void)mat;
}

// The image a texture samples: EXT_texture_webp's source when present (we
// decode WebP), else `source`. KHR_texture_basisu (KTX2) has no decoder in
// Debian: its fallback `source` is used and the skip is logged; without a
// fallback the texture is Errc::UnsupportedTextureFormat.
Result<void> pick_texture_source(JsonReader& r, const Json& tex, std::size_t nimages,
                                 const std::string& where, const Warnings& warn, int& image) {
  const Json* ext = r.object(tex, "extensions", where);
  if (!ext || r.failed()) return {};
  std::string ew = where + ".extensions";
  if (const Json* webp = r.object(*ext, "EXT_texture_webp", ew)) {
    int src = r.index(*webp, "source", nimages, -1, true, ew + ".EXT_texture_webp");
    if (!r.failed()) image = src;
    return {};
  }
  if (r.object(*ext, "KHR_texture_basisu", ew) && !r.failed()) {
    if (image < 0)
      return fail(Errc::UnsupportedTextureFormat,
                  where + " has only a KHR_texture_basisu (KTX2) image, which renderq cannot decode");
    warn.add(where + ": KHR_texture_basisu (KTX2) image ignored, no decoder; using its fallback image");
  }
  return {};
}

float unit(float v) { return glm::clamp(v, 0.0f, 1.0f); }

// The KHR_materials_* extensions that change shading (ior, specular,
// clearcoat), read into `out`'s extension block. Each one's absent values
// are the Material defaults.
void read_material_extensions(JsonReader& r, const Json& ext, std::size_t ntex,
                              const std::string& ew, const Warnings& warn, Material& out) {
  if (const Json* e = r.object(ext, "KHR_materials_ior", ew)) {
    double ior = r.number(*e, "ior", 1.5, ew + ".KHR_materials_ior");
    // The schema allows 0 (a legacy "ideal mirror") and values >= 1.
    if (!r.failed() && !(ior == 0.0 || (ior >= 1.0 && std::isfinite(ior))))
      r.fail(Errc::GltfInvalid, ew + ".KHR_materials_ior.ior " + std::to_string(ior) + " is not 0 or >= 1");
    out.ior = static_cast<float>(ior);
  }
  if (const Json* e = r.object(ext, "KHR_materials_specular", ew)) {
    std::string w = ew + ".KHR_materials_specular";
    out.specular = unit(static_cast<float>(r.number(*e, "specularFactor", 1.0, w)));
    auto c = r.numbers(*e, "specularColorFactor", 3, {1, 1, 1}, w);
    if (!r.failed()) out.specular_color = glm::max(glm::vec3(c[0], c[1], c[2]), glm::vec3(0.0f));
    read_texture_ref(r, *e, e, "specularTexture", nullptr, ntex, w, warn, out.specular_tex);
    read_texture_ref(r, *e, e, "specularColorTexture", nullptr, ntex, w, warn, out.specular_color_tex);
  }
  if (const Json* e = r.object(ext, "KHR_materials_clearcoat", ew)) {
    std::string w = ew + ".KHR_materials_clearcoat";
    out.clearcoat = unit(static_cast<float>(r.number(*e, "clearcoatFactor", 0.0, w)));
    out.clearcoat_roughness = unit(static_cast<float>(r.number(*e, "clearcoatRoughnessFactor", 0.0, w)));
    read_texture_ref(r, *e, e, "clearcoatTexture", nullptr, ntex, w, warn, out.clearcoat_tex);
    read_texture_ref(r, *e, e, "clearcoatRoughnessTexture", nullptr, ntex, w, warn,
                     out.clearcoat_roughness_tex);
    read_texture_ref(r, *e, e, "clearcoatNormalTexture", "scale", ntex, w, warn, out.clearcoat_normal_tex);
  }
  if (const Json* e = r.object(ext, "KHR_materials_sheen", ew)) {
    std::string w = ew + ".KHR_materials_sheen";
    auto c = r.numbers(*e, "sheenColorFactor", 3, {0, 0, 0}, w);
    if (!r.failed()) out.sheen_color = glm::clamp(glm::vec3(c[0], c[1], c[2]), 0.0f, 1.0f);
    out.sheen_roughness = unit(static_cast<float>(r.number(*e, "sheenRoughnessFactor", 0.0, w)));
    read_texture_ref(r, *e, e, "sheenColorTexture", nullptr, ntex, w, warn, out.sheen_color_tex);
    read_texture_ref(r, *e, e, "sheenRoughnessTexture", nullptr, ntex, w, warn, out.sheen_roughness_tex);
  }
  if (const Json* e = r.object(ext, "KHR_materials_transmission", ew)) {
    std::string w = ew + ".KHR_materials_transmission";
    out.transmission = unit(static_cast<float>(r.number(*e, "transmissionFactor", 0.0, w)));
    read_texture_ref(r, *e, e, "transmissionTexture", nullptr, ntex, w, warn, out.transmission_tex);
  }
  if (const Json* e = r.object(ext, "KHR_materials_volume", ew)) {
    std::string w = ew + ".KHR_materials_volume";
    out.thickness = std::max(0.0f, static_cast<float>(r.number(*e, "thicknessFactor", 0.0, w)));
    read_texture_ref(r, *e, e, "thicknessTexture", nullptr, ntex, w, warn, out.thickness_tex);
    double dist = r.number(*e, "attenuationDistance", 0.0, w);
    if (!r.failed() && !(dist >= 0.0 && std::isfinite(dist)))
      r.fail(Errc::GltfInvalid, w + ".attenuationDistance must be positive");
    out.attenuation_distance = static_cast<float>(dist);
    auto c = r.numbers(*e, "attenuationColor", 3, {1, 1, 1}, w);
    if (!r.failed()) out.attenuation_color = glm::clamp(glm::vec3(c[0], c[1], c[2]), 0.0f, 1.0f);
  }
  if (const Json* e = r.object(ext, "KHR_materials_anisotropy", ew)) {
    std::string w = ew + ".KHR_materials_anisotropy";
    out.anisotropy = unit(static_cast<float>(r.number(*e, "anisotropyStrength", 0.0, w)));
    double rot = r.number(*e, "anisotropyRotation", 0.0, w);
    out.anisotropy_rotation = std::isfinite(rot) ? static_cast<float>(rot) : 0.0f;
    read_texture_ref(r, *e, e, "anisotropyTexture", nullptr, ntex, w, warn, out.anisotropy_tex);
  }
  if (const Json* e = r.object(ext, "KHR_materials_iridescence", ew)) {
    std::string w = ew + ".KHR_materials_iridescence";
    out.iridescence = unit(static_cast<float>(r.number(*e, "iridescenceFactor", 0.0, w)));
    out.iridescence_ior = std::max(1.0f, static_cast<float>(r.number(*e, "iridescenceIor", 1.3, w)));
    out.iridescence_thickness_min = std::max(0.0f, static_cast<float>(r.number(*e, "iridescenceThicknessMinimum", 100.0, w)));
    out.iridescence_thickness_max = std::max(0.0f, static_cast<float>(r.number(*e, "iridescenceThicknessMaximum", 400.0, w)));
    read_texture_ref(r, *e, e, "iridescenceTexture", nullptr, ntex, w, warn, out.iridescence_tex);
    read_texture_ref(r, *e, e, "iridescenceThicknessTexture", nullptr, ntex, w, warn, out.iridescence_thickness_tex);
  }
  if (const Json* e = r.object(ext, "KHR_materials_pbrSpecularGlossiness", ew)) {
    // Replaces pbrMetallicRoughness: diffuse is the base colour (metallic 0).
    std::string w = ew + ".KHR_materials_pbrSpecularGlossiness";
    out.specular_glossiness = true;
    out.metallic = 0.0f;
    out.metallic_roughness_tex = TextureRef{};
    auto d = r.numbers(*e, "diffuseFactor", 4, {1, 1, 1, 1}, w);
    if (!r.failed()) out.base_color = glm::vec4(d[0], d[1], d[2], d[3]);
    out.base_color_tex = TextureRef{};
    read_texture_ref(r, *e, e, "diffuseTexture", nullptr, ntex, w, warn, out.base_color_tex);
    auto sp = r.numbers(*e, "specularFactor", 3, {1, 1, 1}, w);
    if (!r.failed()) out.sg_specular = glm::clamp(glm::vec3(sp[0], sp[1], sp[2]), 0.0f, 1.0f);
    out.sg_glossiness = unit(static_cast<float>(r.number(*e, "glossinessFactor", 1.0, w)));
    out.roughness = 1.0f - out.sg_glossiness;
    read_texture_ref(r, *e, e, "specularGlossinessTexture", nullptr, ntex, w, warn, out.sg_tex);
  }
}

}  // namespace

bool material_extension_supported(std::string_view name) {
  // KHR_texture_basisu is "supported" in that a file requiring it loads when
  // every such texture has a fallback, and fails by name when one has not.
  static constexpr std::array<std::string_view, 11> kShaded = {
      "KHR_materials_ior", "KHR_materials_specular", "KHR_materials_clearcoat", "KHR_materials_sheen",
      "KHR_materials_transmission", "KHR_materials_volume", "KHR_materials_anisotropy",
      "KHR_materials_iridescence",
      "KHR_materials_pbrSpecularGlossiness", "EXT_texture_webp", "KHR_texture_basisu"};
  return std::find(kShaded.begin(), kShaded.end(), name) != kShaded.end();
}

Result<void> read_materials(const Document& doc, Scene& scene, const Warnings& warn) {
  JsonReader r;
  const Json& images = array_or_empty(doc.json, "images");
  scene.images.assign(images.size(), Image{});
  for (std::size_t i = 0; i < images.size(); ++i)
    scene.images[i].name = r.string(images[i], "name", "images[" + std::to_string(i) + "]");

  const Json& samplers = array_or_empty(doc.json, "samplers");
  for (std::size_t i = 0; i < samplers.size(); ++i) {
    std::string where = "samplers[" + std::to_string(i) + "]";
    const Json& s = samplers[i];
    Sampler out;
    int mag = static_cast<int>(r.count(s, "magFilter", 0, false, where));
    int min = static_cast<int>(r.count(s, "minFilter", 0, false, where));
    int ws = static_cast<int>(r.count(s, "wrapS", 10497, false, where));
    int wt = static_cast<int>(r.count(s, "wrapT", 10497, false, where));
    // Unknown enums fall back to the defaults rather than reaching GL.
    out.mag_filter = valid_filter(mag, false) ? mag : 0;
    out.min_filter = valid_filter(min, true) ? min : 0;
    out.wrap_s = valid_wrap(ws) ? ws : 10497;
    out.wrap_t = valid_wrap(wt) ? wt : 10497;
    scene.samplers.push_back(out);
  }

  const Json& textures = array_or_empty(doc.json, "textures");
  for (std::size_t i = 0; i < textures.size(); ++i) {
    std::string where = "textures[" + std::to_string(i) + "]";
    Texture t;
    t.image = r.index(textures[i], "source", images.size(), -1, false, where);
    t.sampler = r.index(textures[i], "sampler", samplers.size(), -1, false, where);
    if (auto picked = pick_texture_source(r, textures[i], images.size(), where, warn, t.image); !picked)
      return std::unexpected(picked.error());
    if (!r.failed() && t.image < 0)
      warn.add(where + " has no image source; it is ignored");
    scene.textures.push_back(t);
  }
  if (r.failed()) return std::unexpected(r.error());

  const Json& materials = array_or_empty(doc.json, "materials");
  for (std::size_t i = 0; i < materials.size(); ++i) {
    std::string where = "materials[" + std::to_string(i) + "]";
    const Json& m = materials[i];
    Material out;
    out.name = r.string(m, "name", where);
    const Json* pbr = r.object(m, "pbrMetallicRoughness", where);
    if (pbr) {
      std::string pw = where + ".pbrMetallicRoughness";
      auto bc = r.numbers(*pbr, "baseColorFactor", 4, {1, 1, 1, 1}, pw);
      if (!r.failed()) out.base_color = glm::vec4(bc[0], bc[1], bc[2], bc[3]);
      out.metallic = static_cast<float>(r.number(*pbr, "metallicFactor", 1.0, pw));
      out.roughness = static_cast<float>(r.number(*pbr, "roughnessFactor", 1.0, pw));
    }
    read_texture_ref(r, m, pbr, "baseColorTexture", nullptr, textures.size(),
                     where + ".pbrMetallicRoughness", warn, out.base_color_tex);
    read_texture_ref(r, m, pbr, "metallicRoughnessTexture", nullptr, textures.size(),
                     where + ".pbrMetallicRoughness", warn, out.metallic_roughness_tex);
    read_texture_ref(r, m, &m, "normalTexture", "scale", textures.size(), where, warn,
                     out.normal_tex);
    read_texture_ref(r, m, &m, "occlusionTexture", "strength", textures.size(), where, warn,
                     out.occlusion_tex);
    read_texture_ref(r, m, &m, "emissiveTexture", nullptr, textures.size(), where, warn,
                     out.emissive_tex);
    auto em = r.numbers(m, "emissiveFactor", 3, {0, 0, 0}, where);
    if (!r.failed()) out.emissive = glm::vec3(em[0], em[1], em[2]);
    std::string alpha = r.string(m, "alphaMode", where);
    if (alpha.empty() || alpha == "OPAQUE") out.alpha_mode = AlphaMode::Opaque;
    else if (alpha == "MASK") out.alpha_mode = AlphaMode::Mask;
    else if (alpha == "BLEND") out.alpha_mode = AlphaMode::Blend;
    else if (!r.failed()) r.fail(Errc::GltfInvalid, where + ".alphaMode '" + alpha + "' is unknown");
    out.alpha_cutoff = static_cast<float>(r.number(m, "alphaCutoff", 0.5, where));
    out.double_sided = r.boolean(m, "doubleSided", false, where);
    if (const Json* ext = r.object(m, "extensions", where)) {
      std::string ew = where + ".extensions";
      if (const Json* es = r.object(*ext, "KHR_materials_emissive_strength", ew))
        out.emissive *= static_cast<float>(
            r.number(*es, "emissiveStrength", 1.0, ew + ".KHR_materials_emissive_strength"));
      if (r.object(*ext, "KHR_materials_unlit", ew)) out.unlit = true;
      read_material_extensions(r, *ext, textures.size(), ew, warn, out);
    }
    if (r.failed()) return std::unexpected(r.error());
    out.metallic = glm::clamp(out.metallic, 0.0f, 1.0f);
    out.roughness = glm::clamp(out.roughness, 0.0f, 1.0f);
    // A texture without a decodable source is no texture at all.
    Material::each_texture(out, [&](TextureRef& ref, bool) {
      if (ref.texture >= 0 && scene.textures[static_cast<std::size_t>(ref.texture)].image < 0)
        ref.texture = -1;
    });
    scene.materials.push_back(std::move(out));
  }
  return {};
}

}  // namespace renderq::gltf
