// PNG output: RGBA8 with straight alpha, written to a temporary file in the
// target's folder and renamed over the target, so no reader ever sees half an
// image. PngEncoder runs the conversion and encoding on its own thread, so a
// frame is encoded while the GL thread draws the next one.
//
// Thread-safety: write_png_atomic is reentrant. PngEncoder: submit() and
// wait() from one thread (the GL thread); the work runs on the encoder's.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace renderq {

struct RgbaFrame {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 4
  bool bottom_up = false;            // rows bottom to top, as glReadPixels gives them
  bool premultiplied = false;        // sRGB colour premultiplied in linear space
};

// Encodes `frame` (zlib `level` 0..9; level >= 1 uses the SUB filter, which
// measured fastest at equal size) and renames it to `path`. Errc::PngEncode,
// Errc::OutputNotWritable. The frame is taken by value: it is converted in place.
Result<void> write_png_atomic(const std::string& path, RgbaFrame frame, int level);

class PngEncoder {
 public:
  struct Done {
    std::string path;
    double ms = 0;  // unpremultiply + encode + write
    Result<void> result;
  };

  PngEncoder();
  ~PngEncoder();  // finishes queued work, then joins
  PngEncoder(const PngEncoder&) = delete;
  PngEncoder& operator=(const PngEncoder&) = delete;

  void submit(std::string path, RgbaFrame frame, int level);
  // Blocks until every submitted frame is written; returns their outcomes in
  // submission order and forgets them.
  std::vector<Done> wait();

 private:
  struct Job {
    std::string path;
    RgbaFrame frame;
    int level;
  };
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  std::vector<Done> done_;
  std::size_t pending_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace renderq
