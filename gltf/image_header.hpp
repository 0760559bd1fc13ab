// Image dimensions read from the header alone (PNG IHDR, JPEG SOFn, WebP
// VP8/VP8L/VP8X), so the loader can size what decoding will allocate, and
// refuse it, before any decoder runs.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

#include "core/error.hpp"

namespace renderq {

struct ImageHeader {
  int width = 0, height = 0;
};

// The dimensions `bytes` declare. Errc::ImageDecode when the format is not
// PNG, JPEG or WebP, the header is truncated or malformed, or a side is 0
// or over kMaxImageSide (gltf/image_decode.hpp) or the pixels over 2^28.
Result<ImageHeader> read_image_header(std::span<const std::uint8_t> bytes);

// Bytes decoding allocates for such an image: RGBA8 plus the decoder's row
// pointers.
std::uint64_t decoded_image_bytes(const ImageHeader& header);

}  // namespace renderq
