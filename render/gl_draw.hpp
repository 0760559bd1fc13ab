// Drawing one frame of a GlScene: clears to the background, draws opaque and
// masked primitives, then transmissive ones (which read an image of the
// opaque ones, drawn first into a GlTransmissionTarget), then blended ones
// sorted back to front, with the PBR program (render/shaders/pbr.*). A
// frame of only opaque constant materials without textures, extensions or
// punctual lights, whose triangles are small, is drawn deferred instead on
// a software device (render/gl_deferred.hpp). Culling follows each material's
// doubleSided, except that a closed double-sided opaque primitive seen from
// outside has its back faces culled too (culls_back_faces); a
// negative-determinant instance flips the front face.
//
// Thread-safety: GL-context bound.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "core/render_spec.hpp"
#include "render/camera.hpp"
#include "render/gl_deferred.hpp"
#include "render/pbr_programs.hpp"
#include "render/gl_scene.hpp"
#include "render/ibl.hpp"

namespace renderq {

// The off-screen colour target transmissive materials see through (as the
// Khronos glTF Sample Renderer does it): the opaque primitives drawn first
// into a square linear RGBA16F texture with a full mipmap chain, sampled at
// the refracted point with a level chosen by roughness. Made on first use.
class GlTransmissionTarget {
 public:
  static constexpr int kSize = 512;
  // Creates the texture and framebuffer once; Errc::FramebufferIncomplete.
  Result<void> ensure();
  GLuint framebuffer() const { return fbo_.get(); }
  GLuint texture() const { return color_.get(); }

 private:
  GlFramebuffer fbo_;
  GlTexture color_;
  GlRenderbuffer depth_;
};

struct DrawSettings {
  View view;
  ToneMap tonemap = ToneMap::PbrNeutral;
  double exposure_ev = 0.0;
  std::optional<std::array<std::uint8_t, 3>> background;  // nullopt = transparent
  const IblTextures* ibl = nullptr;  // the environment's lighting; required
  int image_height = 0;  // for the point size
  // Where transmissive primitives' background is drawn; null = they see only
  // the environment.
  GlTransmissionTarget* transmission = nullptr;
  // Where the deferred path draws its G-buffer (render/gl_deferred.hpp);
  // null = always forward.
  GlDeferredTarget* deferred = nullptr;
};

// Whether `prim`, drawn with `m` under `mvp` (projection * view * world),
// has its back faces culled: always for a single-sided material; for a
// double-sided one only when the primitive is closed (GlPrimitive::closed),
// the material opaque and its bounds wholly beyond the near plane (no view
// ray starts inside it), so its own front faces hide every back face.
bool culls_back_faces(const GlPrimitive& prim, const Material& m, const glm::mat4& mvp);

// Sets the context state the program relies on (generic attribute values for
// missing attributes); call once after making the context current.
void init_draw_state();

// Draws with `programs`' variant for each material (render/pbr_programs.hpp).
void draw_frame(PbrPrograms& programs, const GlScene& gpu, const Scene& scene, const DrawSettings& s);

}  // namespace renderq
