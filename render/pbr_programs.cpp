#include "render/pbr_programs.hpp"

#include <cstdlib>
#include <string_view>

#include "render/shaders/pbr_shaders.hpp"

namespace renderq {

std::string PbrVariant::defines() const {
  if (*this == PbrVariant{}) return {};
  return "#define PBR_TEXTURES " + std::to_string(textures) + "\n#define PBR_ALPHA_MODE " + std::to_string(alpha_mode) +
         "\n#define PBR_TONEMAP " + std::to_string(tonemap) + "\n#define PBR_LIGHTS " + (lights ? "1" : "0") +
         "\n#define PBR_EXT " + std::to_string(extensions) + "\n#define PBR_CONST_MATERIAL " +
         std::to_string(const_material) + "\n" + (deferred_samples > 0 ? "#define PBR_DEFERRED " + std::to_string(deferred_samples) + "\n" : "");
}

Result<PbrPrograms> PbrPrograms::create() {
  auto generic = GlShaderProgram::build(shaders::pbr_vert, shaders::pbr_frag);
  if (!generic) return std::unexpected(generic.error());
  PbrPrograms p;
  p.generic_ = std::move(*generic);
  const char* env = std::getenv("RENDERQ_PBR_VARIANTS");
  p.variants_enabled_ = !(env != nullptr && std::string_view(env) == "0");
  return p;
}

GlShaderProgram& PbrPrograms::get(const PbrVariant& v) {
  if (!variants_enabled_ || v == PbrVariant{} || failed_.contains(v)) return generic_;
  if (auto it = variants_.find(v); it != variants_.end()) return it->second;
  auto built = GlShaderProgram::build(shaders::pbr_vert, shaders::pbr_frag, v.defines());
  if (!built) {
    failed_.insert(v);
    return generic_;
  }
  return variants_.emplace(v, std::move(*built)).first->second;
}

GlShaderProgram* PbrPrograms::gbuffer() {
  if (gbuffer_) return &*gbuffer_;
  if (gbuffer_failed_) return nullptr;
  auto built = GlShaderProgram::build(shaders::pbr_vert, shaders::pbr_gbuffer_frag);
  if (!built) {
    gbuffer_failed_ = true;
    return nullptr;
  }
  gbuffer_.emplace(std::move(*built));
  return &*gbuffer_;
}

}  // namespace renderq
