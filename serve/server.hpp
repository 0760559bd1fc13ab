// Server: `renderq serve`'s HTTP server. It binds the listen address,
// registers exactly the routes of routes.hpp, and puts the same checks in
// front of each: Host and Origin checks, the bearer token, body limits, and
// one JSON error shape for every failure (the library's own 404/413/400
// included).
//
// Thread-safety: create() and run() from one thread; stop() from any
// thread (not from a signal handler). Requests are served on `threads`
// worker threads.
#pragma once

#include <memory>
#include <string>

#include "core/error.hpp"
#include "serve/context.hpp"

namespace renderq::serve {

class Server {
 public:
  // Checks the options and binds. Errc::PermissionDenied for a
  // non-loopback address without a token; Errc::InvalidArgument for a bad
  // --allow-root, a PostgreSQL queue without a usable --shared-dir, or
  // --shared-dir with a spool; the queue's errors (Spool::open,
  // PgQueue::open); Errc::Io when the address cannot be bound. Nothing is
  // served until run(); on a PostgreSQL queue run() also sweeps the shared
  // folder (serve/file_sweep.hpp).
  static Result<std::unique_ptr<Server>> create(ServeOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;          // the bound port (useful with port 0)
  std::string url() const;   // "http://127.0.0.1:8080/"

  // Serves until stop(). Errc::Io when the listener fails.
  Result<void> run();
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renderq::serve
