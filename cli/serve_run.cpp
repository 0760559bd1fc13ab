// run_serve for renderq-full: parse the listen address and sizes, read the
// token, bind, print the URL on stdout, serve until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <thread>
#include <tuple>

#include "cli/serve_args.hpp"
#include "core/byte_size.hpp"
#include "core/duration.hpp"
#include "serve/auth.hpp"
#include "serve/server.hpp"

namespace renderq {

namespace {

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80"; a bare port means loopback.
Result<std::pair<std::string, int>> parse_listen(const std::string& text) {
  std::string host = "127.0.0.1", port_text = text;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find("]:");
    if (close == std::string::npos) return fail(Errc::InvalidArgument, "bad --listen '" + text + "' (use [ADDR]:PORT)");
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else if (std::size_t colon = text.rfind(':'); colon != std::string::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.empty()) return fail(Errc::InvalidArgument, "bad --listen '" + text + "' (name the address: HOST:PORT)");
  }
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535)
    return fail(Errc::InvalidArgument, "bad port in --listen '" + text + "'");
  return std::pair{host, port};
}

// "64M", "512K", "1G", "1000" (bytes).

}  // namespace

int run_serve(const ServeArgs& args, Context& ctx) {
  auto listen = parse_listen(args.listen);
  if (!listen) return report(listen.error());
  // One byte-size grammar for every SIZE option (core/byte_size.hpp).
  auto max_upload = parse_byte_size(args.max_upload);
  if (!max_upload || *max_upload == 0 || *max_upload > (std::int64_t{1} << 40))
    return report(Error{Errc::InvalidArgument, "bad --max-upload '" + args.max_upload + "' (use a size from 1 to 1T, e.g. 64M or 1.5G)"});
  serve::ServeOptions opt;
  opt.host = listen->first;
  opt.port = listen->second;
  opt.allow_roots = args.allow_roots;
  opt.max_upload = static_cast<std::size_t>(*max_upload);
  if (!args.max_scene_memory.empty()) {
    auto bytes = parse_byte_size(args.max_scene_memory);
    if (!bytes || *bytes == 0) {
      diag("bad --max-scene-memory '" + args.max_scene_memory + "' (use a size like 2G)");
      return code(Exit::Usage);
    }
    opt.max_scene_memory = static_cast<std::uint64_t>(*bytes);
  }
  opt.json = serve::JsonLimits{.max_bytes = args.max_json, .max_depth = args.max_json_depth};
  opt.max_queued_per_client = args.max_queued;
  if (args.threads < 1) {
    diag("bad --threads " + std::to_string(args.threads) + " (use 1 or more)");
    return code(Exit::Usage);
  }
  opt.threads = args.threads;
  for (auto [text, flag, out] : {std::tuple{&args.header_timeout, "--header-timeout", &opt.timeouts.header},
                                 std::tuple{&args.body_timeout, "--body-timeout", &opt.timeouts.body}}) {
    auto d = parse_duration(*text);
    if (!d || d->count() <= 0) {
      diag(std::string("bad ") + flag + " '" + *text + "' (use a positive duration, e.g. 10s)");
      return code(Exit::Usage);
    }
    *out = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  }
  opt.access_log = args.access_log;
  opt.templates = ctx.config.templates();
  // The queue: a spool folder (uploads and outputs in it), or a PostgreSQL
  // database with a folder every daemon host mounts (serve/file_area.hpp).
  Result<StoreChoice> queue = ctx.store_choice();
  if (!queue) return report(queue.error());
  if (queue->pg) {
    if (!ctx.open_pg) return report(Error{Errc::Unsupported, "this renderq cannot open a PostgreSQL queue"});
    if (args.store_connections < 1) {
      diag("bad --store-connections " + std::to_string(args.store_connections) + " (use 1 or more)");
      return code(Exit::Usage);
    }
    opt.open_queue = [&ctx, url = queue->text] { return ctx.open_pg(ctx, url); };
    opt.max_store_connections = static_cast<std::size_t>(args.store_connections);
  }
  opt.shared_dir = args.shared_dir;
  opt.spool = SpoolOptions{.dir = queue->text, .allow_network_fs = ctx.force, .create = true};
  if (!args.token_file.empty()) {
    auto token = serve::load_token(args.token_file);
    if (!token) {
      diag(token.error().message());
      return code(Exit::Usage);
    }
    opt.token = *token;
  }

  // SIGINT and SIGTERM are taken by one thread with sigtimedwait; block them
  // before any other thread exists so that none of them is interrupted.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto server = serve::Server::create(opt);
  if (!server && server.error().code == Errc::PermissionDenied) {
    diag(server.error().message());  // off loopback without a token: a usage error
    return code(Exit::Usage);
  }
  if (!server) return report(server.error());
  std::printf("%s\n", (*server)->url().c_str());
  std::fflush(stdout);

  std::atomic<bool> done{false};
  std::thread waiter([&] {
    timespec tick{0, 200'000'000};
    while (!done.load()) {
      if (sigtimedwait(&stop_signals, nullptr, &tick) > 0) {
        // A signal that comes before the listener runs would be lost by a
        // single stop(): repeat until run() has returned.
        while (!done.load()) {
          (*server)->stop();
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return;
      }
    }
  });
  auto ran = (*server)->run();
  done = true;
  waiter.join();
  if (!ran) return report(ran.error());
  return code(Exit::Ok);
}

}  // namespace renderq
