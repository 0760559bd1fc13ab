// The built-in neutral studio environment (the default lighting when a job
// names no --env): a neutral grey gradient (brighter above, darker floor)
// with a large soft overhead area light and two side softboxes, all
// achromatic so base colours render true. Generated procedurally, so no
// binary asset ships with renderq, and deterministically: the same bytes on
// every run, which keeps its disk-cache key and golden images stable.
//
// Thread-safety: pure function.
#pragma once

#include "render/hdr_image.hpp"

namespace renderq {

// Bump when the look changes (it is part of the IBL disk-cache key).
inline constexpr int kStudioEnvironmentVersion = 1;

// An equirectangular image of width 2*height (same layout as read_hdr_file:
// row 0 = +Y, u = atan2(z, x) / 2pi + 0.5). REQUIRES: height >= 2.
HdrImage make_studio_environment(int height = 256);

// The studio's radiance in direction (x, y, z) (normalised), exposed so tests
// can check the image against the definition.
void studio_radiance(float x, float y, float z, float out[3]);

}  // namespace renderq
