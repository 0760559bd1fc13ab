// JPEG encoding with libjpeg-turbo: 8-bit RGB from RGBA (alpha is dropped:
// check_output_format refuses a JPEG whose background is transparent),
// 4:2:0 chroma, baseline, quality 1..100, and an optional COM marker.
//
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "render/frame.hpp"

namespace renderq {

struct JpegOptions {
  int quality = 90;     // 1..100
  std::string comment;  // COM marker, at most 65533 bytes; "" = none
};

// The JPEG file's bytes. Errc::ImageEncode for an inconsistent or 16-bit
// image, a bad quality or comment, or a libjpeg error.
Result<std::vector<std::uint8_t>> encode_jpeg(const StraightImage& image, const JpegOptions& options);

}  // namespace renderq
