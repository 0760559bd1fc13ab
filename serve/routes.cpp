#include "serve/routes.hpp"

#include <regex>
#include <vector>

#include "serve/handlers.hpp"

namespace renderq::serve {

namespace {

constexpr Route kRoutes[] = {
    {Method::Get, "/", false, get_page, "The live queue page (HTML)"},
    {Method::Get, "/healthz", false, get_healthz, "Liveness: the server answers and the spool opens"},
    {Method::Get, "/openapi.json", false, get_openapi, "This API's OpenAPI 3 description"},
    {Method::Get, "/metrics", true, get_metrics, "Prometheus metrics"},
    {Method::Post, "/v1/jobs", true, submit_job, "Submit a render job"},
    {Method::Get, "/v1/jobs", true, list_jobs, "List jobs, newest first, paginated"},
    {Method::Get, "/v1/jobs/{id}", true, get_job, "One job's status"},
    {Method::Delete, "/v1/jobs/{id}", true, cancel_job, "Cancel a job"},
    {Method::Post, "/v1/jobs/{id}/hold", true, hold_job, "Hold a queued job"},
    {Method::Post, "/v1/jobs/{id}/release", true, release_job, "Release a held job"},
    {Method::Post, "/v1/jobs/{id}/priority", true, set_job_priority, "Change a queued job's priority"},
    {Method::Post, "/v1/jobs/{id}/retry", true, retry_job, "Put a failed or canceled job back in the queue"},
    {Method::Get, "/v1/queue", true, get_queue, "The queue: paused or not, jobs by state"},
    {Method::Post, "/v1/queue/pause", true, pause_queue, "Pause the queue: no job starts until resumed"},
    {Method::Post, "/v1/queue/resume", true, resume_queue, "Resume the queue and wake the daemons"},
    {Method::Get, "/v1/jobs/{id}/output", true, get_output, "The rendered PNG"},
    {Method::Get, "/v1/jobs/{id}/log", true, get_log, "The job's log (text)"},
};

struct Compiled {
  const Route* route;
  std::regex re;
};

const std::vector<Compiled>& compiled() {
  static const std::vector<Compiled> c = [] {
    std::vector<Compiled> v;
    for (const Route& r : kRoutes) v.push_back({&r, std::regex(route_regex(r.path))});
    return v;
  }();
  return c;
}

}  // namespace

std::string_view method_name(Method m) noexcept {
  switch (m) {
    case Method::Get: return "GET";
    case Method::Post: return "POST";
    case Method::Delete: return "DELETE";
  }
  return "GET";
}

std::span<const Route> routes() { return kRoutes; }

std::string route_regex(std::string_view path) {
  std::string out = "^";
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      std::size_t close = path.find('}', i);
      out += "([0-9]{1,18})";
      i = close;
      continue;
    }
    if (std::string_view(".+*?()[]^$|\\").find(path[i]) != std::string_view::npos) out.push_back('\\');
    out.push_back(path[i]);
  }
  return out + "$";
}

const Route* find_route(std::string_view method, std::string_view path, bool* path_exists) {
  if (path_exists) *path_exists = false;
  std::string p(path);
  for (const Compiled& c : compiled()) {
    if (!std::regex_match(p, c.re)) continue;
    if (method_name(c.route->method) == method || (method == "HEAD" && c.route->method == Method::Get))
      return c.route;
    if (path_exists) *path_exists = true;
  }
  return nullptr;
}

}  // namespace renderq::serve
