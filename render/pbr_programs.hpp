// PbrPrograms: the PBR shader (render/shaders/pbr.*) compiled per material
// variant. The generic program decides texture slots, alpha mode, lights and
// tone curve from uniforms at run time; on llvmpipe every branch of it costs
// (SIMD lanes run both sides, and a `discard` anywhere forces the depth test
// after the shader, so hidden fragments are shaded too). A variant fixes
// those choices with #defines, so the compiler drops the unused texture
// lookups, tangent frame, light loop and discard, and for a constant
// material the per-fragment F0 and diffuse colour (issue 12: a 1 M-triangle
// double-sided model drew 2-3x slower than a trivial shader). Variants are
// built on first use and kept; the generic one is built at creation and
// stands in for any variant that fails to build. RENDERQ_PBR_VARIANTS=0 at
// creation draws everything with the generic program (to compare the two).
// A variant must draw the same pixels as the generic program. A material
// extension a material does not use is compiled out of its variant (its
// factor a constant 0); the ones it uses, the extension texture units 8-21
// and the transmission pass's uniforms are read from uniforms as in the
// generic program.
//
// Thread-safety: GL-context bound.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/error.hpp"
#include "render/gl_program.hpp"

namespace renderq {

struct PbrVariant {
  std::uint8_t textures = 0x1f;  // bit per core slot (base, metal-roughness, normal, occlusion, emissive) that may be set
  std::int8_t alpha_mode = -1;   // 0 opaque, 1 mask, 2 blend; -1 = from the uniform
  std::int8_t tonemap = -1;      // 0 PBR Neutral, 1 ACES, 2 none; -1 = from the uniform
  bool lights = true;            // punctual lights may be present
  // Bit per material extension that may be present (PBR_EXT in pbr.frag:
  // 1 anisotropy, 2 iridescence, 4 transmission, 8 sheen, 16 clearcoat,
  // 32 specular-glossiness); one left out reads its factor as a constant 0.
  std::uint8_t extensions = 63;
  // 1: a constant material (no vertex colours, no base colour,
  // metal-roughness or specular textures, not specular-glossiness): diffuse
  // colour, F0 and F90 come from uniforms the CPU computed; 0: computed per
  // fragment; -1 = from the uniform u_const_material.
  std::int8_t const_material = -1;
  // The shading pass of the deferred path (PBR_DEFERRED, render/gl_deferred.hpp)
  // for a G-buffer of this many samples; 0 = not that pass.
  std::int8_t deferred_samples = 0;
  auto operator<=>(const PbrVariant&) const = default;
  // The #define lines this variant compiles with (empty for the generic one).
  std::string defines() const;
};

class PbrPrograms {
 public:
  // Builds the generic program. Errc::ShaderCompile with the driver's log.
  static Result<PbrPrograms> create();

  // The program for `v`, built now if it is new; the generic program when
  // that build fails (it is always correct, only slower).
  GlShaderProgram& get(const PbrVariant& v);
  GlShaderProgram& generic() { return generic_; }
  // The deferred path's G-buffer program (pbr.vert with pbr_gbuffer.frag),
  // built on first use; null when it fails to build.
  GlShaderProgram* gbuffer();
  std::size_t built() const { return variants_.size(); }

 private:
  GlShaderProgram generic_;
  bool variants_enabled_ = true;
  std::map<PbrVariant, GlShaderProgram> variants_;
  std::set<PbrVariant> failed_;
  std::optional<GlShaderProgram> gbuffer_;
  bool gbuffer_failed_ = false;
};

}  // namespace renderq
