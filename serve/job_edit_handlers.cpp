// POST /v1/jobs/{id}/hold, /release and /priority ({"priority": P}): the
// CLI's hold, release and priority (cli/cmd_edit.cpp) over HTTP. A queued
// job answers 200 with the job; any other state 409, an unknown id 404.
#include <httplib.h>

#include "serve/caller.hpp"
#include "serve/context.hpp"
#include "serve/handlers.hpp"
#include "serve/job_json.hpp"
#include "serve/limits.hpp"

namespace renderq::serve {

namespace {

Reply apply_edit(ServeContext& ctx, const httplib::Request& req, httplib::Response& res, const JobEdit& edit) {
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  auto before = load_job_for_caller(ctx, **queue, req, "change");
  if (!before) return std::unexpected(before.error());
  const JobId id = before->id;
  Store& store = (*queue)->store();
  if (auto r = store.edit(id, edit); !r) return refusal_about_job(r.error(), **queue, id);
  if (!(edit.held && *edit.held)) (*queue)->wake();
  auto job = store.get(id);
  if (!job) return api_fail(job.error());
  send_json(res, 200, job_json(*job, ctx.files.dir));
  return {};
}

}  // namespace

Reply hold_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  return apply_edit(ctx, req, res, JobEdit{.held = true});
}

Reply release_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  return apply_edit(ctx, req, res, JobEdit{.held = false});
}

Reply set_job_priority(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto doc = parse_json_limited(req.body, ctx.options.json, "the priority request");
  if (!doc) return std::unexpected(doc.error());
  if (!doc->is_object() || doc->size() != 1 || !doc->contains("priority"))
    return api_fail(422, "invalid_argument", "send {\"priority\": P}");
  const auto& p = (*doc)["priority"];
  if (!p.is_number_integer() || p.get<long long>() < -kMaxPriority || p.get<long long>() > kMaxPriority)
    return api_fail(422, "invalid_argument", "field 'priority' must be an integer from -1000 to 1000");
  return apply_edit(ctx, req, res, JobEdit{.priority = p.get<int>()});
}

}  // namespace renderq::serve
