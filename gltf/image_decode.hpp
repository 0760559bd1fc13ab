// Decoding PNG (libpng), JPEG (libjpeg-turbo) and WebP (libwebp) into RGBA8. Colour values
// are passed through untouched (no gAMA/iCCP conversion): glTF defines the
// transfer function per texture slot, not per file. 16-bit PNGs are reduced
// to 8 bits, grey and palette images expanded, missing alpha set to 255.
//
// Thread-safety: reentrant; images may be decoded on several threads at once.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/error.hpp"
#include "gltf/scene.hpp"

namespace renderq {

// The largest image accepted, checked from the header before any
// allocation: 16384 on a side (the smallest GL_MAX_TEXTURE_SIZE we meet) and
// at most 2^28 pixels.
inline constexpr int kMaxImageSide = 16384;

// Decodes PNG, JPEG or WebP, recognised by their signatures (the glTF mimeType is
// only a hint). Errc::ImageDecode for anything else, a corrupt or truncated
// file, or an image over the limits. `max_pixels` lowers the limit to what
// the caller sized from the header (gltf/image_header.hpp), so a decoder
// that reads other dimensions than the header parser can never allocate
// more than was charged.
Result<Image> decode_image(std::span<const std::uint8_t> bytes, std::uint64_t max_pixels = std::uint64_t{1} << 28);

}  // namespace renderq
