// Samplers, textures and materials of a glTF file.
#include <cmath>

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

}  // namespace

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
    if (!r.failed() && t.image < 0)
      warn.add(where + " has no PNG/JPEG source (an extension-only image?); it is ignored");
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
    }
    if (r.failed()) return std::unexpected(r.error());
    out.metallic = glm::clamp(out.metallic, 0.0f, 1.0f);
    out.roughness = glm::clamp(out.roughness, 0.0f, 1.0f);
    // A texture without a decodable source is no texture at all.
    for (TextureRef* ref : {&out.base_color_tex, &out.metallic_roughness_tex, &out.normal_tex,
                            &out.occlusion_tex, &out.emissive_tex}) {
      if (ref->texture >= 0 && scene.textures[static_cast<std::size_t>(ref->texture)].image < 0)
        ref->texture = -1;
    }
    scene.materials.push_back(std::move(out));
  }
  return {};
}

}  // namespace renderq::gltf
