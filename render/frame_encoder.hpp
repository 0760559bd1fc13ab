// FrameEncoder: one thread that hands frames to an OutputWriter, so a frame
// is converted, encoded and written while the GL thread draws the next one.
//
// Thread-safety: submit() and wait() from one thread (the GL thread); the
// work runs on the encoder's.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "render/frame.hpp"
#include "render/output_writer.hpp"

namespace renderq {

class FrameEncoder {
 public:
  struct Done {
    int index = 0;
    double ms = 0;  // convert + encode + write
    Result<void> result;
  };

  FrameEncoder();
  ~FrameEncoder();  // finishes queued work, then joins
  FrameEncoder(const FrameEncoder&) = delete;
  FrameEncoder& operator=(const FrameEncoder&) = delete;

  // REQUIRES: `writer` outlives the next wait().
  void submit(OutputWriter& writer, int index, RgbaFrame frame);
  // Blocks until every submitted frame is handed over; returns their
  // outcomes in submission order and forgets them.
  std::vector<Done> wait();

 private:
  struct Job {
    OutputWriter* writer;
    int index;
    RgbaFrame frame;
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
