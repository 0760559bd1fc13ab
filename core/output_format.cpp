#include "core/output_format.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace renderq {

std::string_view image_format_name(ImageFormat f) noexcept {
  switch (f) {
    case ImageFormat::Png: return "png";
    case ImageFormat::Jpeg: return "jpeg";
    case ImageFormat::WebP: return "webp";
  }
  return "png";
}

std::string_view image_format_mime(ImageFormat f) noexcept {
  switch (f) {
    case ImageFormat::Png: return "image/png";
    case ImageFormat::Jpeg: return "image/jpeg";
    case ImageFormat::WebP: return "image/webp";
  }
  return "application/octet-stream";
}

Result<ImageFormat> image_format_of(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  std::size_t dot = name.rfind('.');
  // A leading dot starts a hidden file's name, not an extension (as std::filesystem::path sees it).
  std::string ext = dot == std::string_view::npos || dot == 0 ? std::string() : std::string(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == "png") return ImageFormat::Png;
  if (ext == "jpg" || ext == "jpeg") return ImageFormat::Jpeg;
  if (ext == "webp") return ImageFormat::WebP;
  return fail(Errc::OutputFormatUnknown,
              "output '" + std::string(path) + "' " +
                  (ext.empty() ? std::string("has no extension") : "has the unknown extension '." + ext + "'") +
                  ": use .png, .jpg (or .jpeg) or .webp");
}

bool writes_animation(const RenderSpec& spec) {
  auto f = image_format_of(spec.output);
  return f && *f == ImageFormat::WebP && spec.frames > 1 && spec.output.find('%') == std::string::npos;
}

Result<void> check_output_format(const RenderSpec& spec) {
  auto format = image_format_of(spec.output);
  if (!format) return std::unexpected(format.error());
  if (spec.depth == 16 && *format != ImageFormat::Png)
    return fail(Errc::OutputFormatUnsupported, "--depth 16 needs a .png output: " + std::string(image_format_name(*format)) +
                                                   " holds 8 bits per channel");
  if (*format == ImageFormat::Jpeg && !spec.background)
    return fail(Errc::OutputFormatUnsupported,
                "JPEG has no alpha channel and the background is transparent: give --background COLOR "
                "(e.g. --background '#ffffff'), or write .png or .webp");
  return {};
}

}  // namespace renderq
