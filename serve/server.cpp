#include "serve/server.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "serve/auth.hpp"
#include "serve/job_json.hpp"
#include "serve/paths.hpp"
#include "serve/routes.hpp"

namespace renderq::serve {

namespace fs = std::filesystem;

struct Server::Impl {
  std::unique_ptr<ServeContext> ctx;
  httplib::Server http;
  bool loopback = true;
  int port = 0;
};

namespace {

void write_error(httplib::Response& res, const ApiError& e) {
  res.status = e.status;
  if (e.status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"renderq\"");
  if (e.status == 503) res.set_header("Retry-After", "1");
  res.set_content(error_body(e), "application/json");
}

// Answers the library's own errors (unknown route, body too large, bad
// request line) in the API's JSON shape.
void library_error(const httplib::Request& req, httplib::Response& res) {
  switch (res.status) {
    case 404: {
      bool other_method = false;
      if (!find_route(req.method, req.path, &other_method) && other_method) {
        std::string allow;
        for (const Route& r : routes())
          if (find_route(method_name(r.method), req.path) == &r) allow += (allow.empty() ? "" : ", ") + std::string(method_name(r.method));
        res.set_header("Allow", allow);
        write_error(res, {405, "method_not_allowed", req.method + " is not allowed here (use " + allow + ")", ""});
      } else {
        write_error(res, {404, "route_not_found", "no such resource", ""});
      }
      return;
    }
    case 413:
      write_error(res, {413, "payload_too_large", "the request body is larger than this server accepts (--max-upload)", ""});
      return;
    case 400:
      write_error(res, {400, "bad_request", "the request could not be read (bad HTTP or a bad multipart body)", ""});
      return;
    default:
      write_error(res, {res.status, "http_" + std::to_string(res.status), "request failed", ""});
  }
}

// Removes staged uploads left behind by a server that died mid-request; a
// young one may belong to another server on the same spool.
void sweep_stale_uploads(const fs::path& spool_dir) {
  std::error_code ec;
  auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& entry : fs::directory_iterator(spool_dir / "uploads", ec)) {
    if (entry.path().filename().string().rfind("upload-", 0) != 0) continue;
    if (entry.last_write_time(ec) < cutoff) fs::remove(entry.path(), ec);
  }
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
  if (!impl_->http.listen_after_bind()) return fail(Errc::Io, "the HTTP listener stopped with an error");
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
  // Phase 2: the allowed roots and the spool, checked once up front.
  auto roots = canonical_roots(options.allow_roots);
  if (!roots) return std::unexpected(roots.error());
  auto spool = Spool::open(options.spool);
  if (!spool) return std::unexpected(spool.error());
  std::error_code ec;
  fs::path spool_dir = fs::canonical(spool->dir(), ec);
  if (ec) return fail(Errc::Io, "cannot resolve the spool folder " + spool->dir().string());
  sweep_stale_uploads(spool_dir);

  auto impl = std::make_unique<Impl>();
  impl->loopback = loopback;
  impl->ctx = std::make_unique<ServeContext>(std::move(options), std::move(*roots), spool_dir);
  ServeContext* ctx = impl->ctx.get();
  httplib::Server& http = impl->http;

  // Phase 3: the library's settings.
  std::size_t threads = static_cast<std::size_t>(std::max(1, ctx->options.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(ctx->options.max_upload);
  http.set_keep_alive_max_count(1000);
  http.set_tcp_nodelay(true);

  // Phase 4: checks in front of every route, before any body is read.
  http.set_pre_routing_handler([ctx, loopback](const httplib::Request& req, httplib::Response& res) {
    std::string host = req.get_header_value("Host");
    if (loopback && req.has_header("Host") && !host_is_loopback(host)) {
      write_error(res, {403, "host_not_allowed", "this server answers only to loopback host names", ""});
      return httplib::Server::HandlerResponse::Handled;
    }
    bool unsafe = req.method != "GET" && req.method != "HEAD";
    if (unsafe && req.has_header("Origin") && !origin_matches(req.get_header_value("Origin"), host)) {
      write_error(res, {403, "cross_origin", "requests from other web origins are refused", ""});
      return httplib::Server::HandlerResponse::Handled;
    }
    const Route* route = find_route(req.method, req.path);
    if (route && route->needs_token && !ctx->options.token.empty() &&
        !bearer_matches(req.get_header_value("Authorization"), ctx->options.token)) {
      write_error(res, {401, "unauthorized", "a valid 'Authorization: Bearer <token>' header is required", ""});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Phase 5: the routes, exactly as the table lists them.
  for (const Route& route : routes()) {
    const Route* r = &route;
    auto handler = [ctx, r](const httplib::Request& req, httplib::Response& res) {
      Reply reply = r->handler(*ctx, req, res);
      if (!reply) write_error(res, reply.error());
    };
    std::string pattern = route_regex(route.path);
    switch (route.method) {
      case Method::Get: http.Get(pattern, handler); break;
      case Method::Post: http.Post(pattern, handler); break;
      case Method::Delete: http.Delete(pattern, handler); break;
    }
  }
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.body.empty()) library_error(req, res);
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
    return fail(Errc::Io, "cannot listen on " + host + ":" + std::to_string(port) + " (in use, or not an address here)");
  }
  impl->port = port;
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace renderq::serve
