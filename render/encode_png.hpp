// PNG encoding with libdeflate: RGBA, 8 or 16 bits per channel, the SUB
// filter on every row (level 0: no filter), one zlib stream, sRGB + gAMA +
// cHRM chunks (as libpng's png_set_sRGB_gAMA_and_cHRM writes them) and an
// optional tEXt chunk. libdeflate compresses the whole image in one call, so
// it needs the filtered image and the output in memory; bench/encode_bench
// compares it with libpng at the same level.
//
// Thread-safety: reentrant (each thread keeps its own compressors and work
// buffers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "render/frame.hpp"

namespace renderq {

// The tEXt keyword under which renderq stores the RenderSpec's JSON.
inline constexpr std::string_view kPngSpecKeyword = "renderq";

// The libdeflate level used for zlib-scale `level` 0..9: one higher (0 stays
// 0). libdeflate at level N+1 compresses smaller than zlib at N and, from
// N = 1, faster (bench/encode_bench.sh; its own level 1 is slower than its 2).
int libdeflate_level(int level);

struct PngOptions {
  int level = 1;         // 0..9 on zlib's scale (see libdeflate_level)
  std::string text_key;  // tEXt keyword, 1..79 Latin-1 characters; "" = no text chunk
  std::string text;      // Latin-1 without NUL (JSON dumped with ensure_ascii is)
};

// The PNG file's bytes. Errc::PngEncode for an inconsistent image, a bad
// level, keyword or text.
Result<std::vector<std::uint8_t>> encode_png(const StraightImage& image, const PngOptions& options);

}  // namespace renderq
