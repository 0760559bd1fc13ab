// `renderq serve`: the HTTP API and the live queue page over the queue.
// This file declares the options; cli/serve_args.hpp says which run_serve
// runs them (the server itself, or renderq-full with the same command line).
#include <memory>

#include "cli/commands.hpp"
#include "cli/serve_args.hpp"

namespace renderq {

void add_serve(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API and the live queue page");
  cmd->add_option("--listen", args->listen, "Address and port (default 127.0.0.1:8080; port 0 picks a free one)")
      ->type_name("HOST:PORT");
  cmd->add_option("--token-file", args->token_file, "File holding the bearer token (required off loopback)")
      ->type_name("FILE");
  cmd->add_option("--allow-root", args->allow_roots, "Folder whose scenes clients may name by path (repeatable)")
      ->type_name("DIR");
  cmd->add_option("--shared-dir", args->shared_dir,
                  "PostgreSQL queue: folder every daemon host mounts at this path, for uploads and outputs")
      ->type_name("DIR");
  cmd->add_option("--store-connections", args->store_connections,
                  "PostgreSQL queue: most database connections held (default 16)")
      ->type_name("N");
  cmd->add_option("--max-upload", args->max_upload, "Largest request body (default 64M)")->type_name("SIZE");
  cmd->add_option("--max-scene-memory", args->max_scene_memory,
                  "Memory all uploads being checked at once may need (default: half the memory, up to 64G)")
      ->type_name("SIZE");
  cmd->add_option("--max-json", args->max_json, "Largest JSON job request in bytes (default 65536)")->type_name("N");
  cmd->add_option("--max-json-depth", args->max_json_depth, "Deepest JSON nesting (default 16)")->type_name("N");
  cmd->add_option("--max-queued", args->max_queued, "Queued jobs one client may hold (default 100)")->type_name("N");
  cmd->add_option("--threads", args->threads, "Most connections served at once; threads start as needed (default 256)")
      ->type_name("N");
  cmd->add_option("--header-timeout", args->header_timeout, "Close a connection whose request headers take longer (default 10s)")
      ->type_name("DUR");
  cmd->add_option("--body-timeout", args->body_timeout, "Close a connection whose request body takes longer (default 2m)")
      ->type_name("DUR");
  cmd->add_flag("--access-log", args->access_log, "Log each request on stderr");
  cmd->callback([args, &ctx] { ctx.exit_code = run_serve(*args, ctx); });
}

}  // namespace renderq
