// The request handlers, one group per resource: jobs (job_submit.cpp for
// POST /v1/jobs, job_edit_handlers.cpp for hold/release/priority,
// queue_handlers.cpp for retry and the queue's pause state, job_handlers.cpp
// for the rest) and the server itself (system_handlers.cpp: the page,
// /healthz, /metrics). Each answers through `res` or returns an ApiError that
// the router renders.
//
// Thread-safety: called concurrently from the HTTP worker threads; each
// takes its own queue connection from ctx.pool.
#pragma once

#include "serve/routes.hpp"

namespace renderq::serve {

Reply submit_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply get_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply list_jobs(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply cancel_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply hold_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply release_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply retry_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply get_queue(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply pause_queue(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply resume_queue(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply set_job_priority(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply get_output(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply get_log(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply get_page(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply get_healthz(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply get_openapi(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);
Reply get_metrics(ServeContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace renderq::serve
