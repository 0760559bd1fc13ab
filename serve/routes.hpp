// The route table: every HTTP route the server has, in one place. The server
// registers exactly these (server.cpp), and a test checks docs/openapi.json
// against the same table, so the documentation cannot drift from the code.
//
// Paths are written as OpenAPI templates ("/v1/jobs/{id}"); route_regex()
// turns them into the patterns the HTTP library matches.
//
// Thread-safety: immutable data.
#pragma once

#include <expected>
#include <span>
#include <string>
#include <string_view>

#include "serve/api_error.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace renderq::serve {

struct ServeContext;

enum class Method { Get, Post, Delete };
std::string_view method_name(Method m) noexcept;  // "GET", ...

using Handler = Reply (*)(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);

struct Route {
  Method method;
  std::string_view path;   // OpenAPI path template
  bool needs_token;        // false only where nothing about the queue is revealed
  Handler handler;
  std::string_view summary;
};

std::span<const Route> routes();

// "^/v1/jobs/([0-9]{1,18})$" for "/v1/jobs/{id}": every {param} is a job id.
std::string route_regex(std::string_view path_template);

// The route for a method and concrete path, or nullptr. `path_exists` is set
// when some route has this path under another method (405, not 404).
const Route* find_route(std::string_view method, std::string_view path, bool* path_exists = nullptr);

}  // namespace renderq::serve
