// The HTTP server's connection handling, made safe against slow clients:
// deadlines per request phase, and worker threads started on demand.
//
// cpp-httplib 0.11 times out each recv() separately (5 s), so a client that
// sends a header byte every 2 s holds a thread for hours, and its fixed pool
// queues every later connection behind such clients. GuardedServer serves
// each connection through its own Stream, whose reads fail once the phase's
// deadline has passed:
//   waiting for a request (at accept, after each response): keep_alive, then
//   the request line and headers: header (from the first byte)
//   the body (headers_read(), from the pre-routing handler): body
//   the handler running (handling()): none, the server is working
// GrowingPool serves connections with a thread started whenever none is
// idle, up to a maximum, so a burst of slow clients gets threads of its own
// while /healthz still finds one.
//
// Thread-safety: the phase functions act on the calling thread's connection
// (no-ops on a thread that serves none); GrowingPool is synchronised.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "serve/context.hpp"

namespace renderq::serve {

class GuardedServer final : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionTimeouts timeouts) : timeouts_(timeouts) {}

  // Phase marks for the calling thread's connection.
  static void headers_read();
  static void handling();
  // The connection ends after this response (for a request answered
  // without reading the body it announced: its bytes are no request); what
  // the client still sends is read and dropped for a moment first, so the
  // answer reaches it.
  static void close_after_response();
  // A number unique to the calling thread's connection (0 on a thread that
  // serves none): what is learnt of a connection's peer is kept under it.
  static std::uint64_t connection_serial();

 private:
  bool process_and_close_socket(socket_t sock) override;
  const ConnectionTimeouts timeouts_;
};

// httplib's TaskQueue with a thread started whenever a task finds none
// idle, at most max_threads (they then stay); tasks beyond that wait in order.
class GrowingPool final : public httplib::TaskQueue {
 public:
  explicit GrowingPool(std::size_t max_threads) : max_threads_(max_threads) {}
  ~GrowingPool() override;
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  void work();
  const std::size_t max_threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t idle_threads_ = 0;
  bool shutdown_ = false;
};

}  // namespace renderq::serve
