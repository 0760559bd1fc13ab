// The server's own resources: the queue page at "/", GET /healthz and
// GET /metrics.
#include <httplib.h>

#include "serve/context.hpp"
#include "serve/handlers.hpp"
#include "serve/job_json.hpp"
#include "serve/page.hpp"

namespace renderq {
std::string_view openapi_document() noexcept;  // cmake/embed_text.cmake: docs/openapi.json
}  // namespace renderq

namespace renderq::serve {

Reply get_page(ServeContext&, const httplib::Request&, httplib::Response& res) {
  res.status = 200;
  res.set_header("Content-Security-Policy", std::string(queue_page_csp()));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Cache-Control", "no-cache");
  res.set_content(std::string(queue_page_html()), "text/html; charset=utf-8");
  return {};
}

Reply get_healthz(ServeContext& ctx, const httplib::Request&, httplib::Response& res) {
  // Healthy means a request could be served: a connection opens and reads.
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(503, "spool_unavailable", queue.error().message());
  auto counts = (*queue)->store().counts();
  if (!counts) return api_fail(503, "spool_unavailable", counts.error().message());
  send_json(res, 200, {{"status", "ok"}, {"version", RENDERQ_VERSION}, {"api", "v1"}});
  return {};
}

Reply get_openapi(ServeContext&, const httplib::Request&, httplib::Response& res) {
  res.status = 200;
  res.set_content(std::string(openapi_document()), "application/json");
  return {};
}

Reply get_metrics(ServeContext& ctx, const httplib::Request&, httplib::Response& res) {
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  Store& store = (*queue)->store();
  auto counts = store.counts();
  if (!counts) return api_fail(counts.error());
  auto paused = store.paused();
  if (!paused) return api_fail(paused.error());
  ListQuery finished_jobs;
  finished_jobs.states = {JobState::Succeeded, JobState::Failed};
  auto finished = store.list(finished_jobs);
  if (!finished) return api_fail(finished.error());
  res.status = 200;
  res.set_content(render_queue_metrics(*counts, *paused, *finished) + ctx.counters.render(),
                  "text/plain; version=0.0.4; charset=utf-8");
  return {};
}

}  // namespace renderq::serve
