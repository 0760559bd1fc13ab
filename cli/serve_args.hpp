// ServeArgs: the options of `renderq serve`, as cli/cmd_serve.cpp declares
// them, and run_serve, which serves with them.
//
// Only renderq-full has `serve` (cli/command_table.hpp): the HTTP server
// (cpp-httplib with OpenSSL) stays out of the renderq people type.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace renderq {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string token_file;
  std::vector<std::string> allow_roots;
  std::string shared_dir;        // PostgreSQL: where uploads and outputs go
  int store_connections = 16;    // PostgreSQL: connections held at most
  std::string max_upload = "64M";
  std::string max_scene_memory;  // "" = default_scene_memory()
  std::size_t max_json = 64 * 1024;
  int max_json_depth = 16;
  int max_queued = 100;
  int threads = 256;
  std::string header_timeout = "10s";
  std::string body_timeout = "2m";
  bool access_log = false;
};

// Serves until SIGINT or SIGTERM and returns the exit code. Usage errors
// (a bad --listen, --max-upload or token file, a PostgreSQL queue without
// --shared-dir) return Exit::Usage.
int run_serve(const ServeArgs& args, Context& ctx);

}  // namespace renderq
