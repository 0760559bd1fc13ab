// ServeOptions (what `renderq serve` is told) and ServeContext (what every
// request handler shares: the options, the allowed roots, the pool of store
// connections, the per-client quota and the request counters).
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
#include "serve/limits.hpp"
#include "serve/metrics.hpp"
#include "serve/spool_pool.hpp"
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
  SpoolOptions spool;
  bool access_log = false;                  // one line per request on stderr
  std::vector<ExecTemplate> templates;      // the config's [templates.NAME]: the only commands taken
};

struct ServeContext {
  explicit ServeContext(ServeOptions o, std::vector<std::filesystem::path> r, std::filesystem::path dir)
      : options(std::move(o)),
        roots(std::move(r)),
        spool_dir(std::move(dir)),
        pool(SpoolOptions{.dir = spool_dir.string(),
                          .allow_network_fs = options.spool.allow_network_fs,
                          .create = false}),
        quota(options.max_queued_per_client),
        scene_memory(options.max_scene_memory) {}

  const ServeOptions options;
  const std::vector<std::filesystem::path> roots;  // canonical
  const std::filesystem::path spool_dir;           // canonical
  SpoolPool pool;
  ClientQuota quota;
  HttpCounters counters;
  // What upload checks take their loader memory from, all of them together:
  // many threads cannot each take a whole budget (core/memory_budget.hpp).
  MemoryBudget scene_memory;
};

}  // namespace renderq::serve
