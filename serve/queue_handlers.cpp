// POST /v1/jobs/{id}/retry (the CLI's retry: a failed or canceled job back in
// the queue with a fresh attempt budget; 409 in any other state), and the
// queue itself: GET /v1/queue (paused or not, jobs by state) and
// POST /v1/queue/pause and /resume (the CLI's pause and resume; resume wakes
// the daemons as cmd_resume does).
#include <httplib.h>

#include "serve/caller.hpp"
#include "serve/context.hpp"
#include "serve/handlers.hpp"
#include "serve/job_json.hpp"

namespace renderq::serve {

namespace {

// The queue as GET /v1/queue shows it: paused, counts by state, and whether
// a daemon serves it (the CLI's queue notes ask the same: the spool's
// daemon lock, or PostgreSQL's daemon registry; null when unknown).
Reply send_queue(Queue& queue, httplib::Response& res) {
  Store& store = queue.store();
  auto paused = store.paused();
  if (!paused) return api_fail(paused.error());
  auto counts = store.counts();
  if (!counts) return api_fail(counts.error());
  const std::optional<bool> served = queue.served();
  send_json(res, 200,
            {{"paused", *paused},
             {"served", served ? nlohmann::json(*served) : nlohmann::json(nullptr)},
             {"counts",
              {{"queued", counts->queued},
               {"running", counts->running},
               {"succeeded", counts->succeeded},
               {"failed", counts->failed},
               {"canceled", counts->canceled}}}});
  return {};
}

Reply set_paused(ServeContext& ctx, httplib::Response& res, bool paused) {
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  Store& store = (*queue)->store();
  if (auto r = store.set_paused(paused); !r) return api_fail(r.error());
  if (!paused) (*queue)->wake();
  return send_queue(**queue, res);
}

}  // namespace

Reply retry_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  auto before = load_job_for_caller(ctx, **queue, req, "retry");
  if (!before) return std::unexpected(before.error());
  const JobId id = before->id;
  Store& store = (*queue)->store();
  if (auto r = store.retry(id); !r) return refusal_about_job(r.error(), **queue, id);
  (*queue)->wake();
  auto job = store.get(id);
  if (!job) return api_fail(job.error());
  send_json(res, 200, job_json(*job, ctx.files.dir));
  return {};
}

Reply get_queue(ServeContext& ctx, const httplib::Request&, httplib::Response& res) {
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  return send_queue(**queue, res);
}

Reply pause_queue(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (auto refused = refuse_unless_admin(ctx, req, "pause")) return std::unexpected(*refused);
  return set_paused(ctx, res, true);
}

Reply resume_queue(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (auto refused = refuse_unless_admin(ctx, req, "resume")) return std::unexpected(*refused);
  return set_paused(ctx, res, false);
}

}  // namespace renderq::serve
