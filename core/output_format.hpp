// Output formats: which image format an output path asks for (by its
// extension) and whether that format can hold what a RenderSpec asks
// (alpha, 16 bits, one animated file). validate_values() runs these checks,
// so `renderq render`, `submit`, the HTTP API and the store refuse the same
// specs with the same codes.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "core/render_spec.hpp"

namespace renderq {

enum class ImageFormat { Png, Jpeg, WebP };

std::string_view image_format_name(ImageFormat f) noexcept;  // "png", "jpeg", "webp"
std::string_view image_format_mime(ImageFormat f) noexcept;  // "image/png", ...

// Defaults for the options whose zero value means "the format's default".
inline constexpr int kDefaultJpegQuality = 90;
inline constexpr int kDefaultFps = 25;  // 40 ms per frame: exact in WebP's millisecond timestamps

// The format named by the extension of `path`'s file name, compared without
// case: .png, .jpg or .jpeg, .webp. Errc::OutputFormatUnknown for any other
// extension or none ("x.exr", "x", "dir/.png").
Result<ImageFormat> image_format_of(std::string_view path);

// Whether `spec` writes one animated file for all its frames rather than one
// file per frame: a .webp output with frames > 1 and no %d field.
bool writes_animation(const RenderSpec& spec);

// Checks the output's extension and that its format can hold what `spec`
// asks for: Errc::OutputFormatUnknown (see image_format_of);
// Errc::OutputFormatUnsupported for a JPEG with a transparent background (no
// alpha channel: a --background colour is needed) and for depth 16 outside
// PNG. Tuning options a format has no use for (quality for PNG, png_level
// for JPEG and WebP, fps for anything but an animation) are ignored, so one
// config file serves every format.
Result<void> check_output_format(const RenderSpec& spec);

}  // namespace renderq
