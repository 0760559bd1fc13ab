#include "render/gl_framebuffer.hpp"

#include <algorithm>
#include <string>

namespace renderq {

std::uint64_t frame_memory_bytes(int width, int height, int samples, int depth) {
  std::uint64_t pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  const std::uint64_t colour = depth == 16 ? 8 : 4;  // bytes per pixel
  std::uint64_t ms = samples > 1 ? pixels * static_cast<std::uint64_t>(samples) * (colour + 4) : pixels * 4;  // colour + depth
  return ms + pixels * colour /* resolve */ + pixels * colour * 2 /* read-back + encoder copy */;
}

Result<void> check_frame(int width, int height, int samples, const DeviceInfo& device, std::uint64_t budget,
                         int depth) {
  if (samples < 1 || samples > device.max_samples)
    return fail(Errc::SamplesOutOfRange, std::to_string(samples) + " samples requested; " + device.renderer +
                                             " allows 1 to " + std::to_string(device.max_samples));
  GLint max_rb = 0, viewport[2] = {0, 0};
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_rb);
  glGetIntegerv(GL_MAX_VIEWPORT_DIMS, viewport);
  int max_w = std::min(max_rb, viewport[0]), max_h = std::min(max_rb, viewport[1]);
  if (width < 1 || height < 1 || width > max_w || height > max_h)
    return fail(Errc::SizeOutOfRange, std::to_string(width) + "x" + std::to_string(height) + " is outside what " +
                                          device.renderer + " can draw (1x1 to " + std::to_string(max_w) + "x" +
                                          std::to_string(max_h) + ")");
  std::uint64_t pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  std::uint64_t one_rb = pixels * static_cast<std::uint64_t>(samples) * (depth == 16 ? 8 : 4);
  std::uint64_t total = frame_memory_bytes(width, height, samples, depth);
  if (one_rb > kMaxRenderbufferBytes || total > budget)
    return fail(Errc::OutOfMemoryBudget, std::to_string(width) + "x" + std::to_string(height) + " at " +
                                             std::to_string(samples) + "x needs " + std::to_string(total >> 20) +
                                             " MiB of framebuffers (budget " + std::to_string(budget >> 20) +
                                             " MiB, at most 2 GiB per buffer)");
  return {};
}

Result<GlFrameTarget> GlFrameTarget::create(int width, int height, int samples, const DeviceInfo& device, int depth) {
  if (auto ok = check_frame(width, height, samples, device, kFrameMemoryBudget, depth); !ok)
    return std::unexpected(ok.error());
  GlFrameTarget t;
  t.width_ = width;
  t.height_ = height;
  t.samples_ = samples;
  t.bits_ = depth;
  const GLenum colour_format = depth == 16 ? GL_RGBA16 : GL_SRGB8_ALPHA8;
  t.color_ = make_renderbuffer();
  glNamedRenderbufferStorage(t.color_.get(), colour_format, width, height);
  t.resolve_fbo_ = make_framebuffer();
  glNamedFramebufferRenderbuffer(t.resolve_fbo_.get(), GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, t.color_.get());
  t.depth_ = make_renderbuffer();
  if (samples > 1) {
    t.color_ms_ = make_renderbuffer();
    glNamedRenderbufferStorageMultisample(t.color_ms_.get(), samples, colour_format, width, height);
    glNamedRenderbufferStorageMultisample(t.depth_.get(), samples, GL_DEPTH24_STENCIL8, width, height);
    t.draw_fbo_ = make_framebuffer();
    glNamedFramebufferRenderbuffer(t.draw_fbo_.get(), GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, t.color_ms_.get());
    glNamedFramebufferRenderbuffer(t.draw_fbo_.get(), GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, t.depth_.get());
  } else {
    glNamedRenderbufferStorage(t.depth_.get(), GL_DEPTH24_STENCIL8, width, height);
    glNamedFramebufferRenderbuffer(t.resolve_fbo_.get(), GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, t.depth_.get());
  }
  for (GLuint fbo : {t.resolve_fbo_.get(), t.draw_fbo_.get()}) {
    if (fbo == 0) continue;
    GLenum status = glCheckNamedFramebufferStatus(fbo, GL_FRAMEBUFFER);
    if (status != GL_FRAMEBUFFER_COMPLETE)
      return fail(Errc::FramebufferIncomplete, "framebuffer " + std::to_string(width) + "x" + std::to_string(height) +
                                                   " at " + std::to_string(samples) + "x incomplete (status 0x" +
                                                   [&] {
                                                     char buf[16];
                                                     std::snprintf(buf, sizeof buf, "%04X", status);
                                                     return std::string(buf);
                                                   }() + ")");
  }
  return t;
}

void GlFrameTarget::bind_for_draw() const {
  glBindFramebuffer(GL_FRAMEBUFFER, samples_ > 1 ? draw_fbo_.get() : resolve_fbo_.get());
  glViewport(0, 0, width_, height_);
}

void GlFrameTarget::resolve() const {
  if (samples_ <= 1) return;
  glEnable(GL_FRAMEBUFFER_SRGB);
  glBlitNamedFramebuffer(draw_fbo_.get(), resolve_fbo_.get(), 0, 0, width_, height_, 0, 0, width_, height_,
                         GL_COLOR_BUFFER_BIT, GL_NEAREST);
}

void GlFrameTarget::read_rgba(std::span<std::uint8_t> out) const {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, resolve_fbo_.get());
  glNamedFramebufferReadBuffer(resolve_fbo_.get(), GL_COLOR_ATTACHMENT0);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glReadnPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, static_cast<GLsizei>(out.size()), out.data());
}

void GlFrameTarget::read_rgba16(std::span<std::uint16_t> out) const {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, resolve_fbo_.get());
  glNamedFramebufferReadBuffer(resolve_fbo_.get(), GL_COLOR_ATTACHMENT0);
  glPixelStorei(GL_PACK_ALIGNMENT, 2);
  glReadnPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_SHORT, static_cast<GLsizei>(out.size_bytes()), out.data());
}

void GlFrameTarget::read_rgba_into_bound_pack_buffer() const {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, resolve_fbo_.get());
  glNamedFramebufferReadBuffer(resolve_fbo_.get(), GL_COLOR_ATTACHMENT0);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glReadnPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, width_ * height_ * 4, nullptr);
}

}  // namespace renderq
