// The worker process: `renderq daemon --worker-fd 3 [--worker-device N]`,
// started by the supervisor, one per device. It owns the EGL context and the
// renderer's caches, renders one job at a time as the supervisor sends them
// over fd 3 (daemon/protocol.hpp), appends what happens to the job's log,
// and exits on EOF. It never touches the database.
//
// It ignores SIGINT and SIGHUP (a terminal's Ctrl-C is for the supervisor,
// which decides what happens to running jobs) and lives in its own process
// group; the kernel kills it if the supervisor dies (PR_SET_PDEATHSIG).
//
// Thread-safety: runs on the process's main thread, which owns the context.
#pragma once

#include <cstdint>
#include <optional>

namespace renderq {

struct WorkerOptions {
  int fd = 3;                        // the socket to the supervisor
  std::optional<int> device_index;   // EGL device; nullopt = the renderer's default choice
  bool probe = false;                // only list the devices (a Devices message) and exit
  std::uint64_t max_scene_memory = 0;  // the renderer's scene memory budget; 0 = default_scene_memory()
  int encoder_threads = 0;             // the renderer's encoder threads; 0 = default_encoder_threads()
};

// Returns the process exit status: 0 after EOF, 1 when no context could be made.
int run_worker(const WorkerOptions& options);

}  // namespace renderq
