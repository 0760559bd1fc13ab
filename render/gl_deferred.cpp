#include "render/gl_deferred.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace renderq {

GlDeferredTarget::GlDeferredTarget(bool software) {
  const char* env = std::getenv("RENDERQ_DEFERRED");
  const std::string_view v = env != nullptr ? env : "";
  mode_ = v == "0" ? Mode::Never : v == "1" ? Mode::Always : software ? Mode::Auto : Mode::Never;
}

Result<void> GlDeferredTarget::ensure(int width, int height, int samples) {
  if (fbo_.get() != 0 && width == width_ && height == height_ && samples == samples_) return {};
  fbo_ = GlFramebuffer();
  gbuffer_ = GlTexture();
  depth_ = GlRenderbuffer();
  width_ = height_ = samples_ = 0;
  if (width <= 0 || height <= 0 || samples < 2) return fail(Errc::SizeOutOfRange, "deferred target needs MSAA");
  const std::uint64_t bytes = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) *
                              static_cast<std::uint64_t>(samples) * (16 + 4);
  if (bytes > kMaxBytes) return fail(Errc::OutOfMemoryBudget, "deferred G-buffer would take too much memory");
  gbuffer_ = make_texture(GL_TEXTURE_2D_MULTISAMPLE);
  glTextureStorage2DMultisample(gbuffer_.get(), samples, GL_RGBA32F, width, height, GL_TRUE);
  depth_ = make_renderbuffer();
  glNamedRenderbufferStorageMultisample(depth_.get(), samples, GL_DEPTH24_STENCIL8, width, height);
  fbo_ = make_framebuffer();
  glNamedFramebufferTexture(fbo_.get(), GL_COLOR_ATTACHMENT0, gbuffer_.get(), 0);
  glNamedFramebufferRenderbuffer(fbo_.get(), GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, depth_.get());
  if (glCheckNamedFramebufferStatus(fbo_.get(), GL_DRAW_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    fbo_ = GlFramebuffer();
    return fail(Errc::FramebufferIncomplete, "deferred G-buffer is incomplete");
  }
  if (vao_.get() == 0) vao_ = make_vertex_array();
  width_ = width;
  height_ = height;
  samples_ = samples;
  return {};
}

void GlDeferredTarget::set_materials(std::span<const float> texels, int rows) {
  if (materials_.get() == 0 || rows > material_rows_) {
    material_rows_ = std::max(rows, 64);
    materials_ = make_texture(GL_TEXTURE_2D);
    glTextureStorage2D(materials_.get(), 1, GL_RGBA32F, kMaterialTexels, material_rows_);
    glTextureParameteri(materials_.get(), GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTextureParameteri(materials_.get(), GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  }
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTextureSubImage2D(materials_.get(), 0, 0, 0, kMaterialTexels, rows, GL_RGBA, GL_FLOAT, texels.data());
}

}  // namespace renderq
