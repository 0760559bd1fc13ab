// The supervisor <-> worker protocol: one JSON object per line over a Unix
// socketpair (fd 3 in the worker). Every message carries "v" so that a
// worker from another build is refused instead of misread (tmux's
// PROTOCOL_VERSION).
//
//   worker -> supervisor   ready | start_failed | devices | progress | done
//   supervisor -> worker   job
//
// The worker never touches the database: the supervisor claims, renews and
// finishes jobs, the worker only renders. A worker's death therefore never
// leaves a half-written row, only a job the supervisor still holds.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/render_spec.hpp"

namespace renderq::wire {

inline constexpr int kVersion = 1;

struct Ready {            // the worker made its GL context
  int index = -1;         // EGL device index, -1 = chosen automatically
  std::string device;     // GL_RENDERER
  bool software = false;
  int cuda_id = -1;       // EGL_CUDA_DEVICE_NV, -1 = none (command jobs' CUDA_VISIBLE_DEVICES)
  int max_samples = 0;    // GL_MAX_SAMPLES (submit's check, core/device_caps.hpp); 0 = unknown
};
struct StartFailed {      // the worker could not make a context; it exits next
  std::string code;       // errc_name
  std::string message;
};
struct DeviceEntry {
  int index = -1;
  std::string device;
  bool software = false;
};
struct Devices {          // answer of a probe worker (--worker-probe)
  std::vector<DeviceEntry> devices;
};
struct Progress {
  std::int64_t id = 0;
  int done = 0, total = 0;
};
struct Done {             // the end of one job
  std::int64_t id = 0;
  bool ok = false;
  std::string code{};     // errc_name when !ok
  std::string message{};
  bool retryable = false; // e.g. context lost: worth another attempt elsewhere
  bool restart = false;   // the worker is unusable and exits after this message
  // The worker's resident memory as it sent this, in bytes (0 = unknown):
  // for --max-worker-rss, since the supervisor may not see a worker that
  // runs as another user under ProtectProc=invisible.
  std::int64_t rss = 0;
};
struct JobRequest {       // supervisor -> worker
  std::int64_t id = 0;
  std::string name;
  std::string log_path;   // the job's log, for the worker to append to
  RenderSpec spec;
  std::string stage;      // the attempt's stage tag (core/staged_output.hpp); "" = write the final paths
};

using Message = std::variant<Ready, StartFailed, Devices, Progress, Done, JobRequest>;

// One line of JSON, with the trailing '\n'.
std::string encode(const Message& m);

// Errc::InvalidArgument for malformed JSON, an unknown type, or another
// protocol version (named in the detail).
Result<Message> decode(std::string_view line);

// Splits a byte stream into lines.
class LineBuffer {
 public:
  void append(std::string_view bytes) { buf_.append(bytes); }
  // The next complete line without its '\n', or nullopt.
  std::optional<std::string> next_line();
  std::size_t pending() const { return buf_.size(); }

 private:
  std::string buf_;
};

}  // namespace renderq::wire
