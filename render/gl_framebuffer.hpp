// GlFrameTarget: the off-screen framebuffers one image is drawn into: an
// MSAA GL_SRGB8_ALPHA8 + depth framebuffer and a single-sample sRGB resolve
// target that is read back. Sizes are checked against the device's limits
// and a memory budget before anything is allocated, and completeness is
// checked after (llvmpipe reports an over-large renderbuffer only there).
// A target is reused for every frame and job of the same size and samples:
// MSAA allocation is slow on llvmpipe (about 1 s at 4096²).
//
// Thread-safety: GL-context bound.
#pragma once

#include <cstdint>
#include <span>

#include "core/error.hpp"
#include "render/gl_handles.hpp"
#include "render/renderer.hpp"

namespace renderq {

// Framebuffers and read-back buffers may take this much memory together.
inline constexpr std::uint64_t kFrameMemoryBudget = std::uint64_t{4} << 30;
// No single renderbuffer may reach this size (llvmpipe fails at 2 GiB).
inline constexpr std::uint64_t kMaxRenderbufferBytes = (std::uint64_t{2} << 30) - 1;

// Bytes a width x height frame with `samples` needs: MSAA colour + depth,
// the resolve target and two CPU copies (read-back and encoding); colour
// takes twice the bytes at 16 bits per channel (`depth` 16).
std::uint64_t frame_memory_bytes(int width, int height, int samples, int depth = 8);

// Errc::SamplesOutOfRange above device.max_samples; Errc::SizeOutOfRange
// beyond the renderbuffer and viewport limits; Errc::OutOfMemoryBudget past
// `budget` or a renderbuffer over kMaxRenderbufferBytes. Needs the context
// current (reads GL limits).
Result<void> check_frame(int width, int height, int samples, const DeviceInfo& device,
                         std::uint64_t budget = kFrameMemoryBudget, int depth = 8);

class GlFrameTarget {
 public:
  // Runs check_frame first. Errc::FramebufferIncomplete if the driver refuses.
  // `depth` (bits per channel) 16 makes both colour buffers GL_RGBA16: linear values (no sRGB
  // encoding on write), read back with read_rgba16, for 16-bit PNGs.
  static Result<GlFrameTarget> create(int width, int height, int samples, const DeviceInfo& device, int depth = 8);

  int bits() const { return bits_; }  // per colour channel: 8 or 16
  int width() const { return width_; }
  int height() const { return height_; }
  int samples() const { return samples_; }

  // Binds the draw framebuffer and sets the viewport.
  void bind_for_draw() const;
  // MSAA -> single sample, with GL_FRAMEBUFFER_SRGB on so the average is taken
  // of linear values (a half-covered white edge reads 187, not 128).
  void resolve() const;
  // Reads the resolved image, rows bottom to top, into `out` (width*height*4).
  void read_rgba(std::span<std::uint8_t> out) const;
  // The same from a depth-16 target: linear, rows bottom to top (width*height*4).
  void read_rgba16(std::span<std::uint16_t> out) const;
  // The same read into the buffer bound to GL_PIXEL_PACK_BUFFER (offset 0),
  // which returns without waiting for the device (render/gl_readback).
  void read_rgba_into_bound_pack_buffer() const;

 private:
  int width_ = 0, height_ = 0, samples_ = 1, bits_ = 8;
  GlFramebuffer draw_fbo_, resolve_fbo_;
  GlRenderbuffer color_ms_, depth_, color_;
};

}  // namespace renderq
