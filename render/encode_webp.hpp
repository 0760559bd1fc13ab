// WebP encoding with libwebp: one still image (lossless by default, lossy
// with a quality) or one animation of many frames (WebPAnimEncoder from
// libwebpmux), 8-bit RGBA with alpha, optionally with an XMP packet.
//
// Thread-safety: encode_webp is reentrant; a WebPAnimation is used by one
// thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "render/frame.hpp"

struct WebPAnimEncoder;

namespace renderq {

struct WebPOptions {
  int quality = 0;  // 0 = lossless (exact, also under alpha 0); 1..100 = lossy
};

// The effort level of lossless encoding (WebPConfigLosslessPreset 0..9):
// bench/encode_bench measured 1 as the speed/size knee (see there).
inline constexpr int kWebPLosslessLevel = 1;

// The .webp file's bytes. Errc::ImageEncode for a 16-bit or inconsistent
// image, a bad quality, or libwebp's error.
Result<std::vector<std::uint8_t>> encode_webp(const StraightImage& image, const WebPOptions& options);

// `webp` with `xmp` (an XMP packet) added as its "XMP " chunk (the file
// becomes extended format: VP8X). Errc::ImageEncode when libwebpmux refuses.
Result<std::vector<std::uint8_t>> add_webp_xmp(const std::vector<std::uint8_t>& webp, const std::string& xmp);

// An XMP packet holding `text` as the property renderq:spec.
std::string xmp_packet(const std::string& text);

// An animated WebP assembled frame by frame: frame i is shown from
// i * 1000 / fps ms (rounded), the animation loops forever.
class WebPAnimation {
 public:
  // Errc::ImageEncode for bad sizes, fps or quality.
  static Result<WebPAnimation> create(int width, int height, double fps, const WebPOptions& options);
  WebPAnimation(WebPAnimation&&) noexcept;
  WebPAnimation& operator=(WebPAnimation&&) noexcept;
  ~WebPAnimation();

  // Adds the next frame. REQUIRES: frames in order; each image the
  // animation's size, 8-bit. Errc::ImageEncode.
  Result<void> add(const StraightImage& image);
  // The file's bytes after the last frame; the animation is spent after.
  // Errc::ImageEncode without frames or on libwebp's error.
  Result<std::vector<std::uint8_t>> finish();

 private:
  WebPAnimation() = default;
  struct EncoderFree {
    void operator()(WebPAnimEncoder* e) const;
  };
  std::unique_ptr<WebPAnimEncoder, EncoderFree> enc_;
  int width_ = 0, height_ = 0, quality_ = 0, frames_ = 0;
  double fps_ = 0;
};

}  // namespace renderq
