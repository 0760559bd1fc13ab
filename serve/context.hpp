// ServeOptions (what `renderq serve` is told) and ServeContext (what every
// request handler shares: the options, the allowed roots, where uploads and
// outputs go, the pool of queue connections, the per-client quota and the
// request counters).
//
// The queue is a spool folder or a PostgreSQL database. Uploads and the
// outputs the server chooses go into <files>/jobs/<id>/: the spool folder
// itself, or for PostgreSQL the --shared-dir that every daemon host mounts
// at the same path (the daemon that renders a job may be on another host).
//
// Thread-safety: ServeContext is shared by all worker threads; its members
// are immutable after start or internally synchronised.
#pragma once

#include "core/exec_template.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/memory_budget.hpp"
#include "serve/file_area.hpp"
#include "serve/limits.hpp"
#include "serve/metrics.hpp"
#include "serve/queue_pool.hpp"
#include "spool/spool.hpp"

namespace renderq::serve {

// Deadlines per connection phase (serve/connection_guard.hpp).
struct ConnectionTimeouts {
  std::chrono::milliseconds keep_alive{5'000};  // idle before a request's first byte
  std::chrono::milliseconds header{10'000};     // request line and headers, from their first byte
  std::chrono::milliseconds body{120'000};      // the whole request body
};

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                          // 0 = any free port
  std::string token;                        // "" = no token (loopback only)
  std::vector<std::string> allow_roots;     // folders whose files may be named by path
  std::size_t max_upload = 64u << 20;       // bytes of one request body
  std::uint64_t max_scene_memory = 0;       // loader budget shared by concurrent upload checks; 0 = default
  JsonLimits json;                          // JSON documents from clients
  int max_queued_per_client = 100;
  int threads = 256;                        // connections served at once (threads start as needed)
  ConnectionTimeouts timeouts;
  SpoolOptions spool;                       // the spool served, unless open_queue is set
  QueueOpener open_queue;                   // another queue (PostgreSQL); null = the spool above
  std::string shared_dir;                   // PostgreSQL: the folder for uploads and outputs
  std::size_t max_store_connections = 16;   // PostgreSQL: connections held at most
  std::chrono::milliseconds store_wait{10'000};  // for a free one, then 503 busy
  bool access_log = false;                  // one line per request on stderr
  std::vector<ExecTemplate> templates;      // the config's [templates.NAME]: the only commands taken
};

struct ServeContext {
  ServeContext(ServeOptions o, std::vector<std::filesystem::path> r, FileArea f, QueueOpener open)
      : options(std::move(o)),
        roots(std::move(r)),
        files(std::move(f)),
        pool(std::move(open), files.spool ? 0 : options.max_store_connections, options.store_wait),
        quota(options.max_queued_per_client),
        scene_memory(options.max_scene_memory) {}

  const ServeOptions options;
  const std::vector<std::filesystem::path> roots;  // canonical
  const FileArea files;
  QueuePool pool;
  ClientQuota quota;
  HttpCounters counters;
  // What upload checks take their loader memory from, all of them together:
  // many threads cannot each take a whole budget (core/memory_budget.hpp).
  MemoryBudget scene_memory;
};

}  // namespace renderq::serve
