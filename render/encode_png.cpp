#include "render/encode_png.hpp"

#include <libdeflate.h>

#include <array>
#include <cstring>
#include <memory>

namespace renderq {
namespace {

struct CompressorFree {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
using Compressor = std::unique_ptr<libdeflate_compressor, CompressorFree>;

}  // namespace

int libdeflate_level(int level) { return level == 0 ? 0 : level + 1; }

namespace {

// Allocating a compressor costs up to a few hundred kB of tables: keep one
// per level and thread.
libdeflate_compressor* compressor_for(int level) {
  thread_local std::array<Compressor, 10> cache;
  auto& slot = cache[static_cast<std::size_t>(level)];
  if (!slot) slot.reset(libdeflate_alloc_compressor(libdeflate_level(level)));
  return slot.get();
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void put_chunk(std::vector<std::uint8_t>& out, const char (&type)[5], const std::uint8_t* data, std::size_t size) {
  put_u32(out, static_cast<std::uint32_t>(size));
  const std::size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  if (size) out.insert(out.end(), data, data + size);
  put_u32(out, libdeflate_crc32(0, out.data() + start, size + 4));
}

void put_chunk(std::vector<std::uint8_t>& out, const char (&type)[5], const std::vector<std::uint8_t>& data) {
  put_chunk(out, type, data.data(), data.size());
}

std::vector<std::uint8_t> be32s(std::initializer_list<std::uint32_t> values) {
  std::vector<std::uint8_t> v;
  for (std::uint32_t x : values) put_u32(v, x);
  return v;
}

// Work buffers kept per thread between frames: fresh ones cost a page fault
// per 4 kB and zeroing, about a fifth of a level-1 encode at 1024². Buffers
// of a frame larger than this are freed after it.
constexpr std::size_t kKeptBuffer = std::size_t{64} << 20;

struct Buffers {
  std::vector<std::uint8_t> raw, z;
  ~Buffers() = default;
  void trim() {
    if (raw.capacity() > kKeptBuffer) raw = {};
    if (z.capacity() > kKeptBuffer) z = {};
  }
};

Buffers& buffers() {
  thread_local Buffers b;
  return b;
}

// Each row: its filter byte, then the row's bytes (16-bit samples big-endian),
// SUB-filtered (each byte minus the one a pixel to its left) unless level 0.
void filter_rows(const StraightImage& img, bool sub, std::vector<std::uint8_t>& raw) {
  const std::size_t bpp = img.depth == 16 ? 8 : 4;
  const std::size_t row = static_cast<std::size_t>(img.width) * bpp;
  raw.resize(static_cast<std::size_t>(img.height) * (row + 1));
  std::vector<std::uint8_t> be(img.depth == 16 ? row : 0);
  for (std::size_t y = 0; y < static_cast<std::size_t>(img.height); ++y) {
    const std::uint8_t* src;
    if (img.depth == 16) {
      const std::uint16_t* s16 = img.rgba16.data() + y * static_cast<std::size_t>(img.width) * 4;
      for (std::size_t i = 0; i < row / 2; ++i) {
        be[2 * i] = static_cast<std::uint8_t>(s16[i] >> 8);
        be[2 * i + 1] = static_cast<std::uint8_t>(s16[i]);
      }
      src = be.data();
    } else {
      src = img.rgba8.data() + y * row;
    }
    std::uint8_t* dst = raw.data() + y * (row + 1);
    dst[0] = sub ? 1 : 0;
    ++dst;
    if (!sub) {
      std::memcpy(dst, src, row);
      continue;
    }
    std::memcpy(dst, src, bpp);
    for (std::size_t x = bpp; x < row; ++x) dst[x] = static_cast<std::uint8_t>(src[x] - src[x - bpp]);
  }
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_png(const StraightImage& img, const PngOptions& o) {
  const std::size_t n = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4;
  if (img.width <= 0 || img.height <= 0 || (img.depth == 8 && img.rgba8.size() != n) ||
      (img.depth == 16 && img.rgba16.size() != n) || (img.depth != 8 && img.depth != 16))
    return fail(Errc::PngEncode, "image size does not match its pixels");
  if (o.level < 0 || o.level > 9) return fail(Errc::PngEncode, "PNG level must be 0..9");
  if (o.text_key.size() > 79 || o.text_key.find('\0') != std::string::npos ||
      o.text.find('\0') != std::string::npos)
    return fail(Errc::PngEncode, "PNG text keyword must be 1..79 characters and text must hold no NUL");

  libdeflate_compressor* c = compressor_for(o.level);
  if (!c) return fail(Errc::PngEncode, "out of memory for the PNG compressor");
  Buffers& buf = buffers();
  std::vector<std::uint8_t>& raw = buf.raw;
  std::vector<std::uint8_t>& z = buf.z;
  filter_rows(img, o.level > 0, raw);
  z.resize(libdeflate_zlib_compress_bound(c, raw.size()));
  const std::size_t zsize = libdeflate_zlib_compress(c, raw.data(), raw.size(), z.data(), z.size());
  if (zsize == 0) {
    buf.trim();
    return fail(Errc::PngEncode, "libdeflate could not compress the image");
  }

  std::vector<std::uint8_t> out;
  out.reserve(zsize + o.text.size() + 256);
  static constexpr std::uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  out.insert(out.end(), std::begin(kSignature), std::end(kSignature));
  std::vector<std::uint8_t> ihdr = be32s({static_cast<std::uint32_t>(img.width), static_cast<std::uint32_t>(img.height)});
  ihdr.insert(ihdr.end(), {static_cast<std::uint8_t>(img.depth), 6 /* RGBA */, 0, 0, 0 /* no interlace */});
  put_chunk(out, "IHDR", ihdr);
  put_chunk(out, "sRGB", std::vector<std::uint8_t>{0 /* perceptual */});
  put_chunk(out, "gAMA", be32s({45455}));
  put_chunk(out, "cHRM", be32s({31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000}));
  if (!o.text_key.empty()) {
    std::vector<std::uint8_t> text(o.text_key.begin(), o.text_key.end());
    text.push_back(0);
    text.insert(text.end(), o.text.begin(), o.text.end());
    put_chunk(out, "tEXt", text);
  }
  // A chunk holds at most 2^31 - 1 bytes; only a huge 16-bit image needs more than one.
  constexpr std::size_t kMaxChunk = std::size_t{1} << 30;
  for (std::size_t at = 0; at < zsize; at += kMaxChunk)
    put_chunk(out, "IDAT", z.data() + at, std::min(kMaxChunk, zsize - at));
  put_chunk(out, "IEND", nullptr, 0);
  buf.trim();
  return out;
}

}  // namespace renderq
