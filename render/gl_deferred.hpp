// GlDeferredTarget: what the deferred path of draw_frame (render/gl_draw.hpp)
// draws into. On llvmpipe a fragment shader runs on whole 2x2 quads, eight
// pixels at a time, for every triangle that touches them, so a mesh of 1-2
// pixel triangles pays the PBR shader several times per pixel it shows (a
// 1 M-triangle model at 1024² 4x spent 200 of its 450 ms CPU per frame in
// the PBR shader, where a constant-colour shader drew the same triangles in
// 245 ms). The deferred path draws the triangles once with a two-line shader
// into an MSAA G-buffer (per sample: the normal, turned to face the viewer,
// and the draw's slot), then shades each pixel once per surface it shows
// in a full-screen pass (pbr.frag with PBR_DEFERRED) that writes the
// resolved colour. It is taken only where it draws what the forward pass
// draws (gl_draw.cpp: deferred_plan) and where triangles are small.
//
// Thread-safety: GL-context bound.
#pragma once

#include <cstdint>
#include <span>

#include "core/error.hpp"
#include "render/gl_handles.hpp"

namespace renderq {

class GlDeferredTarget {
 public:
  // When draw_frame takes the deferred path: Auto where the scene allows it
  // and its triangles are small (gl_draw.cpp), Always where it allows it,
  // Never. Read from RENDERQ_DEFERRED (0 = Never, 1 = Always) at
  // construction, to compare the two paths; else Auto on a `software`
  // device (llvmpipe, where it was measured) and Never on others.
  enum class Mode { Never, Auto, Always };
  explicit GlDeferredTarget(bool software);
  Mode mode() const { return mode_; }

  // Texels per material row of the material table (base colour, diffuse
  // colour + roughness, F0 + unlit, F90, emissive; render/shaders/pbr.frag).
  static constexpr int kMaterialTexels = 5;
  static constexpr int kMaxSlots = 16384;  // draws per frame (rows of the table)
  // The G-buffer may take this much memory (RGBA32F + depth per sample).
  static constexpr std::uint64_t kMaxBytes = std::uint64_t{512} << 20;

  // (Re)creates the G-buffer for this size and sample count (samples >= 2);
  // kept while they stay the same. Errc::OutOfMemoryBudget past kMaxBytes,
  // Errc::FramebufferIncomplete when the driver refuses.
  Result<void> ensure(int width, int height, int samples);
  // Uploads the material table: `rows` x kMaterialTexels RGBA floats.
  void set_materials(std::span<const float> texels, int rows);

  GLuint framebuffer() const { return fbo_.get(); }
  GLuint gbuffer() const { return gbuffer_.get(); }
  GLuint materials() const { return materials_.get(); }
  GLuint vertex_array() const { return vao_.get(); }  // empty: the full-screen triangle needs none
  int samples() const { return samples_; }

 private:
  Mode mode_ = Mode::Auto;
  int width_ = 0, height_ = 0, samples_ = 0, material_rows_ = 0;
  GlFramebuffer fbo_;
  GlTexture gbuffer_, materials_;
  GlRenderbuffer depth_;
  GlVertexArray vao_;
};

}  // namespace renderq
