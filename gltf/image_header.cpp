#include "gltf/image_header.hpp"

#include <cstring>
#include <string>

#include <webp/decode.h>

#include "gltf/image_decode.hpp"

namespace renderq {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
}
std::uint32_t be16(const std::uint8_t* p) { return std::uint32_t{p[0]} << 8 | std::uint32_t{p[1]}; }

Result<ImageHeader> checked(const char* format, std::uint64_t w, std::uint64_t h) {
  if (w == 0 || h == 0 || w > kMaxImageSide || h > kMaxImageSide || w * h > (std::uint64_t{1} << 28))
    return fail(Errc::ImageDecode, std::string(format) + ": " + std::to_string(w) + "x" + std::to_string(h) +
                                       " is empty or larger than 16384 on a side or 2^28 pixels");
  return ImageHeader{static_cast<int>(w), static_cast<int>(h)};
}

// The first SOFn segment's size. Markers: FF xx; SOI, RSTn and TEM stand
// alone; every other segment has a 16-bit length that includes itself.
Result<ImageHeader> jpeg_header(std::span<const std::uint8_t> b) {
  std::size_t pos = 2;  // after SOI
  while (pos + 4 <= b.size()) {
    if (b[pos] != 0xFF) return fail(Errc::ImageDecode, "JPEG: no marker where one belongs");
    const std::uint8_t marker = b[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      pos += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // EOI or scan data before any frame header
    const std::size_t len = be16(&b[pos + 2]);
    if (len < 2) return fail(Errc::ImageDecode, "JPEG: segment length below 2");
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (len < 7 || pos + 2 + 7 > b.size()) break;
      return checked("JPEG", be16(&b[pos + 7]), be16(&b[pos + 5]));  // height, then width
    }
    pos += 2 + len;
  }
  return fail(Errc::ImageDecode, "JPEG: no frame header (SOFn) before the image data");
}

}  // namespace

Result<ImageHeader> read_image_header(std::span<const std::uint8_t> b) {
  static constexpr std::uint8_t kPngSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (b.size() >= 8 && std::memcmp(b.data(), kPngSig, 8) == 0) {
    if (b.size() < 24 || std::memcmp(b.data() + 12, "IHDR", 4) != 0)
      return fail(Errc::ImageDecode, "PNG: no IHDR chunk first");
    return checked("PNG", be32(b.data() + 16), be32(b.data() + 20));
  }
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return jpeg_header(b);
  if (b.size() >= 12 && std::memcmp(b.data(), "RIFF", 4) == 0 && std::memcmp(b.data() + 8, "WEBP", 4) == 0) {
    int w = 0, h = 0;
    if (!WebPGetInfo(b.data(), b.size(), &w, &h)) return fail(Errc::ImageDecode, "WebP: cannot read the header");
    return checked("WebP", static_cast<std::uint64_t>(w), static_cast<std::uint64_t>(h));
  }
  return fail(Errc::ImageDecode, "not a PNG, JPEG or WebP image");
}

std::uint64_t decoded_image_bytes(const ImageHeader& h) {
  const auto w = static_cast<std::uint64_t>(h.width), rows = static_cast<std::uint64_t>(h.height);
  return w * rows * 4 + rows * sizeof(void*);
}

}  // namespace renderq
