#include "render/hdr_image.hpp"

#include <algorithm>
#include <cmath>
#include <new>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "core/byte_size.hpp"
#include "core/input_file.hpp"

namespace renderq {
namespace {

// A bounds-checked reader over the file's bytes.
class Cursor {
 public:
  explicit Cursor(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool at_end() const { return pos_ >= bytes_.size(); }
  std::size_t left() const { return bytes_.size() - pos_; }
  std::size_t pos() const { return pos_; }
  std::uint8_t peek(std::size_t ahead = 0) const { return bytes_[pos_ + ahead]; }
  std::uint8_t next() { return bytes_[pos_++]; }
  // One header line without its '\n'; false at the end of the data or when
  // the line is unreasonably long (binary garbage).
  bool line(std::string& out) {
    out.clear();
    while (pos_ < bytes_.size()) {
      const char c = static_cast<char>(bytes_[pos_++]);
      if (c == '\n') return true;
      if (out.size() > 4096) return false;
      out.push_back(c);
    }
    return false;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

std::unexpected<Error> bad(const std::string& what, const std::string& why) {
  return fail(Errc::EnvironmentInvalid, what + ": " + why);
}

// Parses "-Y <h> +X <w>" (the only orientation in practical use).
bool parse_resolution(const std::string& line, int& width, int& height) {
  char ysign = 0, xsign = 0, yaxis = 0, xaxis = 0;
  long h = 0, w = 0;
  char tail = 0;
  const int n = std::sscanf(line.c_str(), "%c%c %ld %c%c %ld %c", &ysign, &yaxis, &h, &xsign,
                            &xaxis, &w, &tail);
  if (n != 6 || ysign != '-' || yaxis != 'Y' || xsign != '+' || xaxis != 'X') return false;
  if (h < 1 || w < 1 || h > kHdrMaxDimension || w > kHdrMaxDimension) return false;
  width = static_cast<int>(w);
  height = static_cast<int>(h);
  return true;
}

// Decodes one new-style RLE scanline (after its 4-byte marker) into
// `rgbe` (width * 4 bytes): four planes, each a sequence of runs
// (count > 128: repeat the next byte count-128 times) and literals.
Result<void> decode_rle_scanline(Cursor& in, int width, std::uint8_t* rgbe, const std::string& what,
                                 int row) {
  for (int plane = 0; plane < 4; ++plane) {
    int x = 0;
    while (x < width) {
      if (in.at_end()) return bad(what, "truncated in RLE scanline " + std::to_string(row));
      int count = in.next();
      if (count > 128) {
        count -= 128;
        if (x + count > width) {
          return bad(what, "RLE run overflows scanline " + std::to_string(row));
        }
        if (in.at_end()) return bad(what, "truncated in RLE scanline " + std::to_string(row));
        const std::uint8_t value = in.next();
        for (int i = 0; i < count; ++i) rgbe[(x++) * 4 + plane] = value;
      } else {
        if (count == 0 || x + count > width) {
          return bad(what, "bad RLE literal in scanline " + std::to_string(row));
        }
        if (in.left() < static_cast<std::size_t>(count)) {
          return bad(what, "truncated in RLE scanline " + std::to_string(row));
        }
        for (int i = 0; i < count; ++i) rgbe[(x++) * 4 + plane] = in.next();
      }
    }
  }
  return {};
}

}  // namespace

void rgbe_to_float(const std::uint8_t rgbe[4], float out[3]) {
  if (rgbe[3] == 0) {
    out[0] = out[1] = out[2] = 0.0f;
    return;
  }
  const float f = std::ldexp(1.0f, static_cast<int>(rgbe[3]) - (128 + 8));
  for (int c = 0; c < 3; ++c) out[c] = (static_cast<float>(rgbe[c]) + 0.5f) * f;
}

void float_to_rgbe(const float in[3], std::uint8_t out[4]) {
  const float v = std::max({in[0], in[1], in[2]});
  if (!(v > 1e-32f)) {
    out[0] = out[1] = out[2] = out[3] = 0;
    return;
  }
  int e = 0;
  const float m = std::frexp(v, &e) * 256.0f / v;  // v = frac * 2^e, frac in [0.5, 1)
  for (int c = 0; c < 3; ++c) {
    out[c] = static_cast<std::uint8_t>(std::clamp(std::max(in[c], 0.0f) * m, 0.0f, 255.0f));
  }
  out[3] = static_cast<std::uint8_t>(std::clamp(e + 128, 0, 255));
}

std::vector<std::uint8_t> encode_hdr(const HdrImage& image) {
  const std::string head = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y " +
                           std::to_string(image.height) + " +X " + std::to_string(image.width) + "\n";
  std::vector<std::uint8_t> out(head.begin(), head.end());
  const auto w = static_cast<std::size_t>(image.width);
  std::vector<std::uint8_t> scan(w * 4);
  for (std::size_t y = 0; y < static_cast<std::size_t>(image.height); ++y) {
    for (std::size_t x = 0; x < w; ++x) float_to_rgbe(&image.rgb[(y * w + x) * 3], &scan[x * 4]);
    if (w < 8 || w >= 32768) {
      out.insert(out.end(), scan.begin(), scan.end());
      continue;
    }
    out.insert(out.end(), {2, 2, static_cast<std::uint8_t>(w >> 8), static_cast<std::uint8_t>(w & 0xff)});
    for (std::size_t c = 0; c < 4; ++c) {
      std::size_t x = 0;
      while (x < w) {
        // A run of at least 3 equal bytes, else a literal up to the next run.
        std::size_t run = 1;
        while (x + run < w && run < 127 && scan[(x + run) * 4 + c] == scan[x * 4 + c]) ++run;
        if (run >= 3) {
          out.push_back(static_cast<std::uint8_t>(128 + run));
          out.push_back(scan[x * 4 + c]);
          x += run;
          continue;
        }
        std::size_t end = x;
        while (end < w && end - x < 128 &&
               !(end + 2 < w && scan[end * 4 + c] == scan[(end + 1) * 4 + c] &&
                 scan[end * 4 + c] == scan[(end + 2) * 4 + c])) {
          ++end;
        }
        out.push_back(static_cast<std::uint8_t>(end - x));
        for (; x < end; ++x) out.push_back(scan[x * 4 + c]);
      }
    }
  }
  return out;
}

Result<HdrImage> decode_hdr(std::span<const std::uint8_t> bytes, const std::string& what, std::uint64_t max_bytes) {
  Cursor in(bytes);
  std::string line;
  if (!in.line(line) || (line != "#?RADIANCE" && line != "#?RGBE")) {
    return bad(what, "not a Radiance .hdr file (no #?RADIANCE signature)");
  }
  // Header variables up to the blank line.
  bool format_ok = true;  // FORMAT is optional; Radiance assumes RGBE
  for (;;) {
    if (!in.line(line)) return bad(what, "truncated header");
    if (line.empty()) break;
    if (line.starts_with("FORMAT=")) {
      format_ok = line == "FORMAT=32-bit_rle_rgbe";
      if (!format_ok) return bad(what, "unsupported " + line + " (only 32-bit_rle_rgbe)");
    }
  }
  if (!in.line(line)) return bad(what, "truncated before the resolution line");
  HdrImage image;
  if (!parse_resolution(line, image.width, image.height)) {
    return bad(what, "unsupported resolution line '" + line.substr(0, 64) +
                         "' (expected -Y H +X W, each 1.." + std::to_string(kHdrMaxDimension) + ")");
  }
  const auto w = static_cast<std::size_t>(image.width);
  const auto h = static_cast<std::size_t>(image.height);
  if (w * h > kHdrMaxPixels) return bad(what, "image too large");
  const std::uint64_t need = std::uint64_t{w} * h * 3 * sizeof(float) + w * 4;
  if (max_bytes != 0 && need > max_bytes)
    return fail(Errc::SceneTooLarge, what + ": " + std::to_string(w) + "x" + std::to_string(h) + " needs " +
                                         format_bytes(need) + " decoded, over the scene memory budget of " +
                                         format_bytes(max_bytes) + " (--max-scene-memory)");
  // Even a perfectly compressed scanline needs a marker and one run per 127
  // pixels per plane: refuse sizes the data cannot hold before allocating.
  const std::size_t min_row = w >= 8 ? 4 + 8 * ((w + 126) / 127) : w * 4;
  if (in.left() / h < min_row) return bad(what, "truncated (too little data for the resolution)");
  std::vector<std::uint8_t> scan;
  try {
    image.rgb.resize(w * h * 3);
    scan.resize(w * 4);
  } catch (const std::bad_alloc&) {
    return fail(Errc::OutOfMemory, what + ": out of memory for " + std::to_string(w) + "x" + std::to_string(h) +
                                       " decoded (" + format_bytes(need) + ")");
  }
  for (std::size_t y = 0; y < h; ++y) {
    const int row = static_cast<int>(y);
    // New-style RLE: a 2,2,hi,lo marker, only for widths 8..32767.
    if (w >= 8 && w < 32768 && in.left() >= 4 && in.peek(0) == 2 && in.peek(1) == 2 &&
        (in.peek(2) & 0x80) == 0) {
      const std::size_t marked = (std::size_t{in.peek(2)} << 8) | in.peek(3);
      if (marked != w) return bad(what, "RLE scanline " + std::to_string(row) + " has wrong width");
      for (int i = 0; i < 4; ++i) in.next();
      if (auto r = decode_rle_scanline(in, image.width, scan.data(), what, row); !r) {
        return std::unexpected(r.error());
      }
    } else {
      // Flat scanline (a file may mix flat and RLE lines).
      if (in.left() < w * 4) return bad(what, "truncated at scanline " + std::to_string(row));
      for (std::size_t i = 0; i < w * 4; ++i) scan[i] = in.next();
      for (std::size_t x = 0; x < w; ++x) {
        if (scan[x * 4] == 1 && scan[x * 4 + 1] == 1 && scan[x * 4 + 2] == 1) {
          return bad(what, "old-style RLE scanlines are not supported");
        }
      }
    }
    float* out = image.rgb.data() + y * w * 3;
    for (std::size_t x = 0; x < w; ++x) rgbe_to_float(&scan[x * 4], out + x * 3);
  }
  return image;
}

Result<std::vector<std::uint8_t>> read_environment_bytes(const std::filesystem::path& path, std::uint64_t max_bytes) {
  auto file = open_input_file(path.string());
  if (!file) {
    const InputFileError& e = file.error();
    return fail(Errc::EnvironmentInvalid, e.problem == InputProblem::NotRegular
                                              ? path.string() + " is " + e.detail + ", not a file"
                                              : path.string() + ": " + e.detail);
  }
  if (max_bytes != 0 && file->size > max_bytes)
    return fail(Errc::SceneTooLarge, "environment " + path.string() + " is " + format_bytes(file->size) +
                                         ", over the scene memory budget of " + format_bytes(max_bytes) +
                                         " (--max-scene-memory)");
  auto bytes = read_input_file(*file, file->size);
  if (!bytes) return fail(Errc::EnvironmentInvalid, path.string() + ": " + bytes.error().detail);
  return std::move(*bytes);
}

Result<HdrImage> read_hdr_file(const std::filesystem::path& path) {
  auto bytes = read_environment_bytes(path);
  if (!bytes) return std::unexpected(bytes.error());
  return decode_hdr(*bytes, path.string());
}

}  // namespace renderq
