#include "serve/server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "serve/auth.hpp"
#include "serve/caller.hpp"
#include "serve/body_reader.hpp"
#include "serve/connection_guard.hpp"
#include "serve/file_sweep.hpp"
#include "serve/job_json.hpp"
#include "serve/paths.hpp"
#include "serve/routes.hpp"
#include "spool/spool_queue.hpp"

namespace renderq::serve {

namespace fs = std::filesystem;

namespace {

// Tells the sweeper of a PostgreSQL queue's shared folder
// (serve/file_sweep.hpp) that run() returned.
struct SweepSignal {
  std::mutex mu;
  std::condition_variable cv;
  bool serving = false;
};

}  // namespace

struct Server::Impl {
  explicit Impl(ConnectionTimeouts timeouts) : http(timeouts) {}
  std::unique_ptr<ServeContext> ctx;
  GuardedServer http;
  bool loopback = true;
  int port = 0;
  int listen_fd = -1;  // the listening socket, seen as the library creates it
  SweepSignal sweep;
};

namespace {

// The library listens with a backlog of 5: a burst of connections beyond it
// had SYNs dropped and waited for the client's retransmission (1 s, 3 s...);
// 39 of 200 concurrent requests timed out. The kernel caps this at
// net.core.somaxconn.
constexpr int kListenBacklog = 4096;

// Leftovers younger than this may still be in use (serve/file_sweep.hpp).
constexpr std::chrono::seconds kSweepAge = std::chrono::hours(1);
// How often a shared folder is swept for purged jobs' folders.
constexpr std::chrono::minutes kSweepEvery{10};

void write_error(httplib::Response& res, const ApiError& e) {
  res.status = e.status;
  if (e.status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"renderq\"");
  if (e.status == 503) res.set_header("Retry-After", "1");
  res.set_content(error_body(e), "application/json");
}

// 405 with an Allow header when the path exists under another method, else 404.
ApiError no_route(const httplib::Request& req, httplib::Response& res) {
  bool other_method = false;
  if (!find_route(req.method, req.path, &other_method) && other_method) {
    std::string allow;
    for (const Route& r : routes())
      if (find_route(method_name(r.method), req.path) == &r) allow += (allow.empty() ? "" : ", ") + std::string(method_name(r.method));
    res.set_header("Allow", allow);
    return {405, "method_not_allowed", req.method.substr(0, 16) + " is not allowed here (use " + allow + ")", ""};
  }
  return {404, "route_not_found", "no such resource", ""};
}

// Answers the library's own errors (unknown route, body too large, bad
// request line) in the API's JSON shape.
void library_error(const httplib::Request& req, httplib::Response& res) {
  switch (res.status) {
    case 404:
      write_error(res, no_route(req, res));
      return;
    case 413:
      write_error(res, {413, "payload_too_large", "the request body is larger than this server accepts (--max-upload)", ""});
      return;
    case 400:
      write_error(res, {400, "bad_request", "the request could not be read (bad HTTP or a bad multipart body)", ""});
      return;
    case 414:
      write_error(res, {414, "uri_too_long", "the request's path and query are longer than this server reads", ""});
      return;
    default:
      write_error(res, {res.status, "http_" + std::to_string(res.status), "request failed", ""});
  }
}

// A PostgreSQL queue's shared folder, swept at start and then every
// kSweepEvery until the server stops.
void sweep_while_serving(ServeContext& ctx, SweepSignal& sig) {
  std::unique_lock lock(sig.mu);
  while (sig.serving) {
    lock.unlock();
    if (auto queue = ctx.pool.acquire()) sweep_purged_job_dirs(**queue, ctx.files.dir, kSweepAge);
    sweep_stale_uploads(ctx.files.dir, kSweepAge);
    lock.lock();
    sig.cv.wait_for(lock, kSweepEvery, [&sig] { return !sig.serving; });
  }
}

QueueOpener spool_opener(SpoolOptions options) {
  return [options]() -> Result<std::unique_ptr<Queue>> {
    auto spool = Spool::open(options);
    if (!spool) return std::unexpected(spool.error());
    return std::unique_ptr<Queue>(std::make_unique<SpoolQueue>(std::move(*spool)));
  };
}

// Where the served queue's files go: its spool folder, or the shared folder
// a PostgreSQL queue needs.
Result<FileArea> files_of(Queue& queue, const std::string& shared_dir) {
  if (Spool* spool = queue.spool()) {
    if (!shared_dir.empty())
      return fail(Errc::InvalidArgument, "--shared-dir is for a PostgreSQL queue; the spool " + spool->dir().string() +
                                             " keeps uploads and outputs in its own folder");
    std::error_code ec;
    fs::path dir = fs::canonical(spool->dir(), ec);
    if (ec) return fail(Errc::Io, "cannot resolve the spool folder " + spool->dir().string());
    return FileArea{.dir = dir, .spool = true, .group = false};
  }
  Result<FileArea> area = shared_file_area(shared_dir);
  if (!area) return area;
  Result<std::string> id = queue.identity();
  if (!id) return std::unexpected(id.error());
  if (Result<void> mine = claim_shared_dir(*area, *id); !mine) return std::unexpected(mine.error());
  return area;
}

// Whether the request says a body follows (a length, or any transfer coding).
bool announces_body(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  const std::string length = req.get_header_value("Content-Length");
  return !length.empty() && length != "0";
}

// The checks in front of every route, before any body is read: the Host and
// Origin, the body's announced size, then the token. An answer, or nothing.
std::optional<ApiError> refuse_early(const ServeContext& ctx, bool loopback, const httplib::Request& req,
                                     httplib::Response& res) {
  std::string host = req.get_header_value("Host");
  if (loopback && req.has_header("Host") && !host_is_loopback(host))
    return ApiError{403, "host_not_allowed", "this server answers only to loopback host names", ""};
  bool unsafe = req.method != "GET" && req.method != "HEAD";
  if (unsafe && req.has_header("Origin") && !origin_matches(req.get_header_value("Origin"), host))
    return ApiError{403, "cross_origin", "requests from other web origins are refused", ""};
  const Route* route = find_route(req.method, req.path);
  if (announces_body(req)) {
    // Only an upload route reads a body; on any other the library would
    // read it whole into memory (a chunked one without limit).
    if (!route) return no_route(req, res);
    if (route->method != Method::Post)
      return ApiError{413, "payload_too_large", "this resource takes no request body", ""};
    const std::string length = req.get_header_value("Content-Length");
    if (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) > ctx.options.max_upload)
      return ApiError{413, "payload_too_large", "the request body is larger than this server accepts (--max-upload)", ""};
  }
  if (route && route->needs_token && !ctx.options.token.empty() &&
      !bearer_matches(req.get_header_value("Authorization"), ctx.options.token))
    return ApiError{401, "unauthorized", "a valid 'Authorization: Bearer <token>' header is required", ""};
  if (route && route->needs_token)
    if (std::optional<ApiError> refused = refuse_caller(ctx, req)) return refused;
  return std::nullopt;
}

}  // namespace

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

int Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& h = impl_->ctx->options.host;
  std::string host = h.find(':') != std::string::npos ? "[" + h + "]" : h;
  return "http://" + host + ":" + std::to_string(impl_->port) + "/";
}

Result<void> Server::run() {
  Impl& im = *impl_;
  std::thread sweeper;
  if (!im.ctx->files.spool) {
    {
      std::lock_guard lock(im.sweep.mu);
      im.sweep.serving = true;
    }
    sweeper = std::thread([&im] { sweep_while_serving(*im.ctx, im.sweep); });
  }
  const bool listened = im.http.listen_after_bind();
  if (sweeper.joinable()) {
    {
      std::lock_guard lock(im.sweep.mu);
      im.sweep.serving = false;
    }
    im.sweep.cv.notify_all();
    sweeper.join();
  }
  if (!listened) return fail(Errc::Io, "the HTTP listener stopped with an error");
  return {};
}

void Server::stop() {
  if (impl_ && impl_->http.is_running()) impl_->http.stop();
}

Result<std::unique_ptr<Server>> Server::create(ServeOptions options) {
  // Phase 1: refuse an exposed server without a token.
  bool loopback = is_loopback_address(options.host);
  if (!loopback && options.token.empty())
    return fail(Errc::PermissionDenied,
                "listening on " + options.host + " (not loopback) needs --token-file: refusing to serve without a token");
  // Phase 2: the allowed roots, the queue and where files go, checked once
  // up front (serve/file_area.hpp).
  auto roots = canonical_roots(options.allow_roots);
  if (!roots) return std::unexpected(roots.error());
  // Later connections to a spool join the queue the first one opened (or
  // created).
  SpoolOptions later = options.spool;
  later.create = false;
  QueueOpener open = options.open_queue ? options.open_queue : spool_opener(later);
  Result<std::unique_ptr<Queue>> first = options.open_queue ? open() : spool_opener(options.spool)();
  if (!first) return std::unexpected(first.error());
  Result<FileArea> files = files_of(**first, options.shared_dir);
  if (!files) return std::unexpected(files.error());
  sweep_stale_uploads(files->dir, kSweepAge);

  auto impl = std::make_unique<Impl>(options.timeouts);
  impl->loopback = loopback;
  impl->ctx = std::make_unique<ServeContext>(std::move(options), std::move(*roots), std::move(*files), std::move(open));
  impl->ctx->pool.adopt(std::move(*first));
  ServeContext* ctx = impl->ctx.get();
  GuardedServer& http = impl->http;

  // Phase 3: the library's settings. Threads start as connections come
  // (connection_guard.hpp); each connection has a deadline per phase.
  std::size_t threads = static_cast<std::size_t>(std::max(1, ctx->options.threads));
  http.new_task_queue = [threads] { return new GrowingPool(threads); };
  http.set_payload_max_length(ctx->options.max_upload);
  http.set_keep_alive_max_count(1000);
  http.set_keep_alive_timeout(
      std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(ctx->options.timeouts.keep_alive).count()));
  http.set_tcp_nodelay(true);
  // SO_REUSEADDR only (a restart binds while old connections linger in
  // TIME_WAIT), not the library's default SO_REUSEPORT, with which a second
  // server bound the same port and took half of the requests.
  int* listen_fd = &impl->listen_fd;
  http.set_socket_options([listen_fd](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listen_fd = sock;
  });

  // Phase 4: checks in front of every route, before any body is read.
  http.set_pre_routing_handler([ctx, loopback](const httplib::Request& req, httplib::Response& res) {
    GuardedServer::headers_read();
    std::optional<ApiError> refused = refuse_early(*ctx, loopback, req, res);
    // No route for this method and path: answered now, before the library
    // waits for a body (a PUT without framing it reads until the client
    // closes). HEAD is answered by the GET routes.
    if (!refused && !find_route(req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method), req.path))
      refused = no_route(req, res);
    if (!refused) return httplib::Server::HandlerResponse::Unhandled;
    // The body it announced was not read: its bytes are no next request.
    if (announces_body(req)) GuardedServer::close_after_response();
    write_error(res, *refused);
    return httplib::Server::HandlerResponse::Handled;
  });

  // Phase 5: the routes, exactly as the table lists them. The upload route
  // reads its body itself, counting bytes as they arrive (body_reader.hpp).
  for (const Route& route : routes()) {
    const Route* r = &route;
    auto handler = [ctx, r](const httplib::Request& req, httplib::Response& res) {
      GuardedServer::handling();
      Reply reply = r->handler(*ctx, req, res);
      if (!reply) write_error(res, reply.error());
    };
    auto reading_handler = [ctx, r](const httplib::Request& req, httplib::Response& res,
                                    const httplib::ContentReader& reader) {
      auto full = read_body_limited(req, reader, ctx->options.max_upload);
      GuardedServer::handling();
      if (!full) {
        GuardedServer::close_after_response();  // the rest of the body is unread
        write_error(res, full.error());
        return;
      }
      Reply reply = r->handler(*ctx, *full, res);
      if (!reply) write_error(res, reply.error());
    };
    std::string pattern = route_regex(route.path);
    switch (route.method) {
      case Method::Get: http.Get(pattern, handler); break;
      case Method::Post: http.Post(pattern, reading_handler); break;
      case Method::Delete: http.Delete(pattern, handler); break;
    }
  }
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    // The library's own 400 (a bad request line, headers or body framing):
    // the connection's remaining bytes are not a request.
    if (res.status == 400) GuardedServer::close_after_response();
    if (res.body.empty()) library_error(req, res);
    // The library then cuts the body to a Range header's bytes, errors too;
    // only a served file is cut (get_output), never an error's JSON. The
    // request is the library's, on its stack, read again only for this answer.
    const_cast<httplib::Request&>(req).ranges.clear();
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unexpected error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    write_error(res, {500, "internal", what, ""});
  });
  // Counted before the response is written (cpp-httplib runs the post-routing
  // handler after the error handler, the logger only after the write), so a
  // client that got its answer sees it in the next GET /metrics.
  http.set_post_routing_handler([ctx](const httplib::Request& req, httplib::Response& res) {
    const Route* route = find_route(req.method, req.path);
    ctx->counters.count(req.method, route ? std::string(route->path) : "other", res.status);
  });
  http.set_logger([ctx](const httplib::Request& req, const httplib::Response& res) {
    if (ctx->options.access_log)
      std::fprintf(stderr, "renderq: %s %s %s %d\n", req.remote_addr.c_str(), req.method.c_str(), req.path.c_str(),
                   res.status);
  });

  // Phase 6: bind (port 0 = any free port).
  const std::string& host = ctx->options.host;
  int port = ctx->options.port;
  if (port == 0) {
    port = http.bind_to_any_port(host);
    if (port < 0) return fail(Errc::Io, "cannot listen on " + host);
  } else if (!http.bind_to_port(host, port)) {
    return fail(Errc::Io, "cannot listen on " + host + ":" + std::to_string(port) +
                              " (the port is in use, or the address is not one of this machine's)");
  }
  // Listening again only changes the backlog.
  if (impl->listen_fd >= 0) ::listen(impl->listen_fd, kListenBacklog);
  impl->port = port;
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace renderq::serve
