#include "render/output_writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/staged_output.hpp"
#include "render/atomic_file.hpp"
#include "render/encode_jpeg.hpp"
#include "render/encode_png.hpp"

namespace renderq {

RenderSpec embedded_spec(const RenderSpec& spec) {
  auto name = [](const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
  };
  RenderSpec e = spec;
  e.scene = name(spec.scene);
  e.output = name(spec.output);
  e.environment = name(spec.environment);
  return e;
}

Result<std::unique_ptr<OutputWriter>> OutputWriter::create(const RenderSpec& spec, std::string stage) {
  if (auto ok = check_output_format(spec); !ok) return std::unexpected(ok.error());
  auto format = image_format_of(spec.output);
  if (!format) return std::unexpected(format.error());
  auto w = std::unique_ptr<OutputWriter>(new OutputWriter(spec, *format, std::move(stage)));
  if (w->animated_) {
    auto a = WebPAnimation::create(spec.width, spec.height, spec.fps > 0 ? spec.fps : kDefaultFps,
                                   WebPOptions{.quality = spec.quality});
    if (!a) return std::unexpected(a.error());
    w->animation_.emplace(std::move(*a));
  }
  return w;
}

OutputWriter::OutputWriter(const RenderSpec& spec, ImageFormat format, std::string stage)
    : spec_(spec),
      stage_(std::move(stage)),
      format_(format),
      animated_(writes_animation(spec)),
      // Bytes that are not UTF-8 (a spec stored before validate_values
      // refused them) become U+FFFD rather than an exception.
      spec_json_(to_json(embedded_spec(spec))
                     .dump(-1, ' ', /*ensure_ascii=*/true, nlohmann::json::error_handler_t::replace)),
      added_(static_cast<std::size_t>(std::max(spec.frames, 1)), false),
      written_(added_.size(), false) {}

std::string OutputWriter::written_path(int index) const {
  std::string path = frame_path(spec_, index);
  return stage_.empty() ? path : staged_path(path, stage_);
}

Result<void> OutputWriter::write(int index, const std::vector<std::uint8_t>& bytes) const {
  // A staged file needs no temporary name of its own: nobody reads it before
  // the daemon publishes it whole, and a worker killed mid-write leaves a
  // staged name that cleanup knows.
  return stage_.empty() ? write_file_atomic(frame_path(spec_, index), bytes) : write_file(written_path(index), bytes);
}

Result<void> OutputWriter::add_frame(int index, RgbaFrame frame) {
  if (index < 0 || index >= static_cast<int>(added_.size()))
    return fail(Errc::InvalidArgument, "frame " + std::to_string(index) + " is out of range");
  if (!frame_is_consistent(frame) || frame.width != spec_.width || frame.height != spec_.height ||
      frame.depth != spec_.depth)
    return fail(Errc::InvalidArgument, "frame " + std::to_string(index) + " does not match the spec's size or depth");
  {
    std::lock_guard lock(mu_);
    if (added_[static_cast<std::size_t>(index)])
      return fail(Errc::InvalidArgument, "frame " + std::to_string(index) + " added twice");
    added_[static_cast<std::size_t>(index)] = true;
  }
  StraightImage image = to_straight(std::move(frame));
  if (!animated_) return write_still(index, image);

  // Frames go into the animation in order; one that is early waits here.
  std::lock_guard lock(mu_);
  early_.emplace(index, std::move(image));
  for (auto it = early_.find(next_); it != early_.end(); it = early_.find(next_)) {
    if (auto ok = animation_->add(it->second); !ok) return ok;
    early_.erase(it);
    ++next_;
  }
  return {};
}

Result<void> OutputWriter::write_still(int index, const StraightImage& image) {
  Result<std::vector<std::uint8_t>> bytes;
  switch (format_) {
    case ImageFormat::Png:
      bytes = encode_png(image, PngOptions{.level = spec_.png_level, .text_key = std::string(kPngSpecKeyword),
                                           .text = spec_json_});
      break;
    case ImageFormat::Jpeg:
      bytes = encode_jpeg(image, JpegOptions{.quality = spec_.quality ? spec_.quality : kDefaultJpegQuality,
                                             .comment = spec_json_.size() <= 65533 ? spec_json_ : std::string()});
      break;
    case ImageFormat::WebP:
      bytes = encode_webp(image, WebPOptions{.quality = spec_.quality});
      if (bytes) bytes = add_webp_xmp(*bytes, xmp_packet(spec_json_));
      break;
  }
  if (!bytes) return std::unexpected(bytes.error());
  if (auto ok = write(index, *bytes); !ok) return ok;
  std::lock_guard lock(mu_);
  written_[static_cast<std::size_t>(index)] = true;
  return {};
}

Result<std::vector<std::string>> OutputWriter::finish() {
  std::lock_guard lock(mu_);
  if (animated_) {
    if (next_ != static_cast<int>(added_.size()))
      return fail(Errc::ImageEncode, "the animation is missing frame " + std::to_string(next_));
    auto bytes = animation_->finish();
    if (bytes) bytes = add_webp_xmp(*bytes, xmp_packet(spec_json_));
    if (!bytes) return std::unexpected(bytes.error());
    if (auto ok = write(0, *bytes); !ok) return std::unexpected(ok.error());
    return std::vector<std::string>{spec_.output};
  }
  std::vector<std::string> files;
  for (std::size_t i = 0; i < written_.size(); ++i)
    if (written_[i]) files.push_back(frame_path(spec_, static_cast<int>(i)));
  return files;
}

}  // namespace renderq
