// OutputWriter: what the renderer hands its frames to. Made from a
// RenderSpec, it picks the encoder by the output's extension
// (core/output_format.hpp: encode_png, encode_jpeg, encode_webp) and writes
// each file atomically (render/atomic_file.hpp). Still formats write frame
// i's file when it is added; a .webp animation collects the frames and
// writes its one file in finish(). Every file carries the spec's JSON (PNG:
// tEXt keyword "renderq"; JPEG: a COM marker; WebP: an XMP packet's
// renderq:spec), so an image says how it was made;
// paths in it are file names only (embedded_spec), so an image served over
// HTTP shows no server folders. With a stage tag (a daemon's worker), each
// file goes to its staged name instead (core/staged_output.hpp), written in
// place, for the daemon to publish once the store accepts the attempt.
//
// Thread-safety: add_frame may be called from several threads at once, for
// different indices and in any order (an animation keeps early frames until
// their predecessors arrive); finish() once, after every add_frame returned.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/output_format.hpp"
#include "core/render_spec.hpp"
#include "render/encode_webp.hpp"
#include "render/frame.hpp"

namespace renderq {

// `spec` as an image carries it: scene, output and environment reduced to
// their file names; every other value as it is.
RenderSpec embedded_spec(const RenderSpec& spec);

class OutputWriter {
 public:
  // check_output_format's errors (Errc::OutputFormatUnknown,
  // Errc::OutputFormatUnsupported).
  // `stage`: "" writes the final paths atomically; a tag writes
  // staged_path(final path, stage).
  static Result<std::unique_ptr<OutputWriter>> create(const RenderSpec& spec, std::string stage = {});

  ImageFormat format() const { return format_; }

  // Where frame `index`'s bytes go: frame_path(spec, index), or its staged
  // name. An animation's every index gives its one file.
  std::string written_path(int index) const;

  // Converts and encodes frame `index` (0 <= index < spec.frames) and, for
  // still formats, writes written_path(index). Errc::PngEncode,
  // Errc::ImageEncode, Errc::OutputNotWritable; Errc::InvalidArgument for an
  // index out of range, added twice, or a frame of the wrong size or depth.
  Result<void> add_frame(int index, RgbaFrame frame);

  // Writes the animation, if any, and returns the files written, in frame
  // order, by their final paths (frame_path). Errc::ImageEncode when frames
  // are missing from an animation.
  Result<std::vector<std::string>> finish();

 private:
  explicit OutputWriter(const RenderSpec& spec, ImageFormat format, std::string stage);
  Result<void> write_still(int index, const StraightImage& image);
  Result<void> write(int index, const std::vector<std::uint8_t>& bytes) const;

  RenderSpec spec_;
  std::string stage_;  // "" = final paths
  ImageFormat format_;
  bool animated_;
  std::string spec_json_;  // ASCII JSON of embedded_spec(spec_): the tEXt chunk, the COM marker

  std::mutex mu_;
  std::vector<bool> added_;
  std::vector<bool> written_;           // still files renamed into place
  std::optional<WebPAnimation> animation_;
  std::map<int, StraightImage> early_;  // animation frames waiting for their predecessors
  int next_ = 0;                        // the animation's next frame
};

}  // namespace renderq
