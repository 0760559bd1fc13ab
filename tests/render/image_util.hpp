// Test helpers for images: PNG reading, pixel access, and the render-fidelity
// metric of model-viewer: per-pixel YIQ colour difference (pixelmatch's
// formula), RMS over the pixels either image covers, in dB.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace renderq::test {

struct Png {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba;  // rows top to bottom, straight alpha
  const std::uint8_t* at(int x, int y) const { return &rgba[(static_cast<std::size_t>(y) * width + x) * 4]; }
};

Result<Png> read_png(const std::string& path);

// RMS YIQ difference in dB (20 log10 of the RMS of the normalised YIQ delta)
// over pixels covered (alpha > 0) in either image, both blended over white
// first. -inf for identical images. Writes a diff image (red where they
// differ) to diff_path when it is not empty.
double yiq_rms_db(const Png& a, const Png& b, const std::string& diff_path = {});

}  // namespace renderq::test
