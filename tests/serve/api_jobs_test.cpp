// The job resource and the server's own endpoints against a real server:
// status codes and bodies of GET, list with pagination, DELETE, output,
// log, /healthz, /metrics and the page. Jobs are moved through their states
// with the Store API, as a daemon would, so no renderer is needed here.
#include <catch2/catch.hpp>
#include <unistd.h>

#include "core/duration.hpp"
#include "tests/serve/server_fixture.hpp"

using namespace renderq;
using namespace renderq::serve;
using namespace renderq::serve::testing;
using nlohmann::json;

namespace {

std::int64_t submit(ServerFixture& f, const json& extra = json::object()) {
  auto r = f.client->Post("/v1/jobs", job_request({{"scene", (f.root / "Box.glb").string()}}, extra), "application/json");
  if (!r || r->status != 202) throw std::runtime_error("submit failed: " + (r ? r->body : std::string("no answer")));
  return body_json(r)["id"];
}

const Owner kOwner{.host = "test", .boot_id = "boot", .pid = 4242};

// Claims the next job as a worker would; returns it.
Job claim(Queue& s) {
  auto j = s.store().claim(ClaimRequest{.owner = kOwner, .worker = "test:4242", .device = "fake", .lease_ms = 60'000, .now_ms = 0});
  if (!j || !*j) throw std::runtime_error("claim failed");
  return **j;
}

// A small valid PNG (1x1) written where the job's output goes.
void write_png(const std::string& path) {
  static const unsigned char png[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49,
                                      0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
                                      0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44,
                                      0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00,
                                      0x01, 0xff, 0x56, 0xc7, 0x2f, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
                                      0x44, 0xae, 0x42, 0x60, 0x82};
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(png), sizeof png);
}

}  // namespace

TEST_CASE("GET /v1/jobs/{id} answers 200 with the job, 404 for others", "[serve][api]") {
  ServerFixture f;
  std::int64_t id = submit(f, {{"name", "first"}});
  auto r = f.client->Get("/v1/jobs/" + std::to_string(id));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  json j = body_json(r);
  CHECK(j["id"] == id);
  CHECK(j["state"] == "queued");
  CHECK(j["name"] == "first");
  CHECK(j["progress"]["done"] == 0);
  CHECK(j["error"].is_null());
  for (const std::string path : {"/v1/jobs/999", "/v1/jobs/999/output", "/v1/jobs/999/log", "/v1/jobs/99999999999999999999",
                                 "/v1/jobs/abc", "/v1/jobs/0"}) {
    INFO(path);
    auto m = f.client->Get(path);
    REQUIRE(m);
    CHECK(m->status == 404);
    CHECK((error_code(m) == "job_not_found" || error_code(m) == "route_not_found"));
  }
  auto d = f.client->Delete("/v1/jobs/999");
  REQUIRE(d);
  CHECK(d->status == 404);
  CHECK(error_code(d) == "job_not_found");
}

TEST_CASE("GET /v1/jobs pages through jobs newest first and filters by state", "[serve][api]") {
  ServerFixture f;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(submit(f));
  REQUIRE(f.client->Delete("/v1/jobs/" + std::to_string(ids[1]))->status == 200);

  std::vector<std::int64_t> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = f.client->Get("/v1/jobs?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    json j = body_json(r);
    CHECK(j["jobs"].size() <= 2);
    for (const auto& job : j["jobs"]) seen.push_back(job["id"]);
    if (j["next_cursor"].is_null()) break;
    cursor = j["next_cursor"];
  }
  CHECK(seen == std::vector<std::int64_t>{ids[4], ids[3], ids[2], ids[1], ids[0]});

  auto canceled = f.client->Get("/v1/jobs?state=canceled");
  REQUIRE(canceled);
  REQUIRE(body_json(canceled)["jobs"].size() == 1);
  CHECK(body_json(canceled)["jobs"][0]["id"] == ids[1]);
  auto both = f.client->Get("/v1/jobs?state=queued,canceled&limit=1000");
  REQUIRE(both);
  CHECK(body_json(both)["jobs"].size() == 5);
  CHECK(body_json(both)["next_cursor"].is_null());

  for (const char* bad : {"/v1/jobs?state=done", "/v1/jobs?limit=0", "/v1/jobs?limit=1001", "/v1/jobs?limit=-1",
                          "/v1/jobs?limit=ten", "/v1/jobs?cursor=../../x", "/v1/jobs?state=../../etc"}) {
    INFO(bad);
    auto r = f.client->Get(bad);
    REQUIRE(r);
    CHECK(r->status == 422);
    CHECK(error_code(r) == "invalid_argument");
  }
}

TEST_CASE("GET /v1/jobs?name= keeps the jobs whose name matches a GLOB", "[serve][api]") {
  ServerFixture f;
  std::int64_t a = submit(f, {{"name", "shot-010"}});
  submit(f, {{"name", "preview"}});
  std::int64_t c = submit(f, {{"name", "shot-011"}});
  json j = body_json(f.client->Get("/v1/jobs?name=shot-*"));
  REQUIRE(j["jobs"].size() == 2);
  CHECK(j["jobs"][0]["id"] == c);
  CHECK(j["jobs"][1]["id"] == a);
  CHECK(body_json(f.client->Get("/v1/jobs?name=Shot-*"))["jobs"].empty());
  CHECK(body_json(f.client->Get("/v1/jobs?name=shot-01%3F&state=queued"))["jobs"].size() == 2);
  for (const std::string& bad : {std::string("/v1/jobs?name="), "/v1/jobs?name=" + std::string(257, 'x')}) {
    auto r = f.client->Get(bad);
    REQUIRE(r);
    CHECK(r->status == 422);
    CHECK(error_code(r) == "invalid_argument");
  }
}

TEST_CASE("DELETE /v1/jobs/{id}: 200 for queued, 202 for running, 409 once finished", "[serve][api]") {
  ServerFixture f;
  std::int64_t running = submit(f);
  std::int64_t queued = submit(f);
  auto queue = f.open_queue();
  Queue& s = *queue;
  REQUIRE(claim(s).id.value == running);

  auto q = f.client->Delete("/v1/jobs/" + std::to_string(queued));
  REQUIRE(q);
  CHECK(q->status == 200);
  CHECK(body_json(q)["state"] == "canceled");

  auto r = f.client->Delete("/v1/jobs/" + std::to_string(running));
  REQUIRE(r);
  CHECK(r->status == 202);
  CHECK(body_json(r)["state"] == "running");
  CHECK(body_json(r)["cancel_requested"] == true);

  // Canceling a canceled job again succeeds, as `renderq cancel` does.
  auto again = f.client->Delete("/v1/jobs/" + std::to_string(queued));
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(body_json(again)["state"] == "canceled");
}

TEST_CASE("POST /v1/jobs/{id}/retry: 200 for failed or canceled jobs, 409 otherwise, 404 unknown", "[serve][api]") {
  ServerFixture f;
  std::int64_t failed = submit(f);
  std::int64_t canceled = submit(f);
  std::int64_t queued = submit(f);
  auto queue = f.open_queue();
  Queue& s = *queue;
  Job job = claim(s);
  REQUIRE(job.id.value == failed);
  REQUIRE(s.store().finish(job.id, kOwner, Outcome{.ok = false, .error_code = "gltf_invalid", .error_message = "x", .retryable = false}));
  REQUIRE(f.client->Delete("/v1/jobs/" + std::to_string(canceled))->status == 200);

  for (std::int64_t id : {failed, canceled}) {
    INFO(id);
    auto r = f.client->Post("/v1/jobs/" + std::to_string(id) + "/retry", "", "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(body_json(r)["state"] == "queued");
    CHECK(body_json(r)["id"] == id);
  }
  auto busy = f.client->Post("/v1/jobs/" + std::to_string(queued) + "/retry", "", "application/json");
  REQUIRE(busy);
  CHECK(busy->status == 409);
  auto unknown = f.client->Post("/v1/jobs/999/retry", "", "application/json");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
}

TEST_CASE("GET /v1/queue counts jobs by state, POST /v1/queue/pause and /resume set the pause state", "[serve][api]") {
  ServerFixture f;
  submit(f);
  std::int64_t second = submit(f);
  REQUIRE(f.client->Delete("/v1/jobs/" + std::to_string(second))->status == 200);
  auto q = f.client->Get("/v1/queue");
  REQUIRE(q);
  CHECK(q->status == 200);
  json j = body_json(q);
  CHECK(j["paused"] == false);
  CHECK(j["served"] == false);  // no daemon here (serve_e2e checks true with one)
  CHECK(j["counts"] == json{{"queued", 1}, {"running", 0}, {"succeeded", 0}, {"failed", 0}, {"canceled", 1}});

  auto p = f.client->Post("/v1/queue/pause", "", "application/json");
  REQUIRE(p);
  CHECK(p->status == 200);
  CHECK(body_json(p)["paused"] == true);
  CHECK(body_json(f.client->Get("/v1/queue"))["paused"] == true);
  CHECK(*f.open_queue()->store().paused());

  auto r = f.client->Post("/v1/queue/resume", "", "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(body_json(r)["paused"] == false);
  CHECK_FALSE(*f.open_queue()->store().paused());
}

TEST_CASE("hold, release and priority change a queued job, any other state is 409 naming it", "[serve][api]") {
  ServerFixture f;
  const std::string url = "/v1/jobs/" + std::to_string(submit(f));
  auto held = f.client->Post(url + "/hold", "", "application/json");
  REQUIRE(held);
  CHECK(held->status == 200);
  CHECK(body_json(held)["held"] == true);
  auto prio = f.client->Post(url + "/priority", R"({"priority": 7})", "application/json");
  REQUIRE(prio);
  CHECK(prio->status == 200);
  CHECK(body_json(prio)["priority"] == 7);
  auto released = f.client->Post(url + "/release", "", "application/json");
  REQUIRE(released);
  CHECK(body_json(released)["held"] == false);
  REQUIRE(f.client->Delete(url)->status == 200);  // canceled
  for (const char* action : {"/hold", "/release", "/retry"}) {
    auto r = f.client->Post(url + action, "", "application/json");
    REQUIRE(r);
    if (std::string(action) == "/retry") {
      CHECK(r->status == 200);  // a canceled job may be retried; it is queued again
      continue;
    }
    CHECK(r->status == 409);
    CHECK(error_code(r) == "job_state_conflict");
    CHECK(body_json(r)["error"]["state"] == "canceled");
  }
  auto again = f.client->Post(url + "/retry", "", "application/json");  // queued now
  REQUIRE(again);
  CHECK(again->status == 409);
  CHECK(body_json(again)["error"]["state"] == "queued");
}

TEST_CASE("GET /v1/jobs/{id}/output: 409 with the state until it succeeded, then the PNG", "[serve][api]") {
  ServerFixture f;
  std::int64_t id = submit(f);
  std::string url = "/v1/jobs/" + std::to_string(id) + "/output";
  auto queued = f.client->Get(url);
  REQUIRE(queued);
  CHECK(queued->status == 409);
  CHECK(error_code(queued) == "output_not_ready");
  CHECK(body_json(queued)["error"]["state"] == "queued");

  auto queue = f.open_queue();
  Queue& s = *queue;
  Job job = claim(s);
  REQUIRE(s.store().set_progress(job.id, kOwner, 0, 1));
  auto running = f.client->Get(url);
  REQUIRE(running);
  CHECK(running->status == 409);
  CHECK(body_json(running)["error"]["state"] == "running");
  CHECK(body_json(f.client->Get("/v1/jobs/" + std::to_string(id)))["progress"]["total"] == 1);

  write_png(job.spec.output);
  REQUIRE(s.store().finish(job.id, kOwner, Outcome{.ok = true, .error_code = "", .error_message = "", .retryable = false}));
  auto done = f.client->Get(url);
  REQUIRE(done);
  CHECK(done->status == 200);
  CHECK(done->get_header_value("Content-Type") == "image/png");
  CHECK(done->body == read_all(job.spec.output));
  auto frame0 = f.client->Get(url + "?frame=0");
  REQUIRE(frame0);
  CHECK(frame0->status == 200);
  auto frame1 = f.client->Get(url + "?frame=1");
  REQUIRE(frame1);
  CHECK(frame1->status == 404);
  auto bad = f.client->Get(url + "?frame=x");
  REQUIRE(bad);
  CHECK(bad->status == 422);

  // Ranges: 206 with the bytes asked for; past the end 416 with the JSON
  // error and the size; an error's JSON is never cut to a range.
  const std::string png = read_all(job.spec.output);
  auto part = f.client->Get(url, {{"Range", "bytes=0-9"}});
  REQUIRE(part);
  CHECK(part->status == 206);
  CHECK(part->body == png.substr(0, 10));
  CHECK(part->get_header_value("Content-Range") == "bytes 0-9/" + std::to_string(png.size()));
  auto tail = f.client->Get(url, {{"Range", "bytes=-4"}});
  REQUIRE(tail);
  CHECK(tail->status == 206);
  CHECK(tail->body == png.substr(png.size() - 4));
  auto past = f.client->Get(url, {{"Range", "bytes=" + std::to_string(png.size() + 10) + "-"}});
  REQUIRE(past);
  CHECK(past->status == 416);
  CHECK(error_code(past) == "range_not_satisfiable");
  CHECK(past->get_header_value("Content-Range") == "bytes */" + std::to_string(png.size()));
  auto missing = f.client->Get("/v1/jobs/999999", {{"Range", "bytes=0-3"}});
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(error_code(missing) == "job_not_found");

  // Gone from disk (purged by hand): 404, not a crash.
  fs::remove(job.spec.output);
  auto gone = f.client->Get(url);
  REQUIRE(gone);
  CHECK(gone->status == 404);
}

TEST_CASE("a failed job shows its error, its output is 409", "[serve][api]") {
  ServerFixture f;
  std::int64_t id = submit(f);
  auto queue = f.open_queue();
  Queue& s = *queue;
  Job job = claim(s);
  REQUIRE(s.store().finish(job.id, kOwner,
                           Outcome{.ok = false, .error_code = "gltf_invalid", .error_message = "bad accessor", .retryable = false}));
  json j = body_json(f.client->Get("/v1/jobs/" + std::to_string(id)));
  CHECK(j["state"] == "failed");
  CHECK(j["error"]["code"] == "gltf_invalid");
  auto out = f.client->Get("/v1/jobs/" + std::to_string(id) + "/output");
  REQUIRE(out);
  CHECK(out->status == 409);
  CHECK(body_json(out)["error"]["state"] == "failed");
}

TEST_CASE("GET /v1/jobs/{id}/log: empty before the job runs, then the log, from an offset", "[serve][api]") {
  ServerFixture f;
  std::int64_t id = submit(f);
  std::string url = "/v1/jobs/" + std::to_string(id) + "/log";
  auto empty = f.client->Get(url);
  REQUIRE(empty);
  CHECK(empty->status == 200);
  CHECK(empty->body.empty());
  const std::string first = "loading scene\nrendering 1/1\n";
  f.append_log(JobId{id}, first);
  auto log = f.client->Get(url);
  REQUIRE(log);
  CHECK(log->status == 200);
  CHECK(log->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  CHECK(log->body == first);
  CHECK(f.client->Get(url + "?offset=14")->body == "rendering 1/1\n");
  CHECK(f.client->Get(url + "?offset=9999")->body.empty());
  CHECK(f.client->Get(url + "?offset=-3")->status == 422);

  // Server paths are hidden; the next offset counts the stored bytes.
  const Job job = f.open_queue()->store().get(JobId{id}).value();
  const std::string more = "scene " + job.spec.scene + "\nwrote " + job.spec.output + "\nfiles " +
                           f.files_dir.string() + "/jobs\n";
  f.append_log(JobId{id}, more);
  auto hidden = f.client->Get(url + "?offset=" + std::to_string(first.size()));
  REQUIRE(hidden);
  CHECK(hidden->body.find(f.files_dir.string()) == std::string::npos);
  CHECK(hidden->body.find(job.spec.output) == std::string::npos);
  CHECK(hidden->body.find("wrote <") != std::string::npos);
  CHECK(hidden->body.find(f.pg ? "<shared>/jobs" : "<spool>/jobs") != std::string::npos);
  CHECK(hidden->get_header_value("X-Log-Next-Offset") == std::to_string(first.size() + more.size()));
}

TEST_CASE("GET /healthz, GET / and unknown routes", "[serve][api]") {
  ServerFixture f;
  auto h = f.client->Get("/healthz");
  REQUIRE(h);
  CHECK(h->status == 200);
  CHECK(body_json(h)["status"] == "ok");

  auto page = f.client->Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->get_header_value("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
  CHECK(page->body.find("/v1/jobs") != std::string::npos);
  // No external resources: no absolute URLs at all.
  CHECK(page->body.find("http://") == std::string::npos);
  CHECK(page->body.find("https://") == std::string::npos);
  CHECK(page->body.find("//cdn") == std::string::npos);

  auto missing = f.client->Get("/v2/jobs");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(error_code(missing) == "route_not_found");
  auto wrong_method = f.client->Put("/v1/jobs", "{}", "application/json");
  REQUIRE(wrong_method);
  CHECK(wrong_method->status == 405);
  CHECK(error_code(wrong_method) == "method_not_allowed");
  CHECK(wrong_method->get_header_value("Allow") == "POST, GET");
}

TEST_CASE("GET /metrics reports jobs by state, queue depth, workers busy and render durations", "[serve][api]") {
  ServerFixture f;
  for (int i = 0; i < 3; ++i) submit(f);
  auto queue = f.open_queue();
  Queue& s = *queue;
  Job a = claim(s);
  REQUIRE(s.store().finish(a.id, kOwner, Outcome{.ok = true, .error_code = "", .error_message = "", .retryable = false}));
  claim(s);  // one running
  auto r = f.client->Get("/metrics");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  const std::string& m = r->body;
  CHECK(m.find("renderq_jobs{state=\"queued\"} 1\n") != std::string::npos);
  CHECK(m.find("renderq_jobs{state=\"running\"} 1\n") != std::string::npos);
  CHECK(m.find("renderq_jobs{state=\"succeeded\"} 1\n") != std::string::npos);
  CHECK(m.find("renderq_queue_depth 1\n") != std::string::npos);
  CHECK(m.find("renderq_workers_busy 1\n") != std::string::npos);
  CHECK(m.find("# TYPE renderq_render_duration_seconds histogram") != std::string::npos);
  CHECK(m.find("renderq_render_duration_seconds_count{outcome=\"succeeded\"} 1\n") != std::string::npos);
  CHECK(m.find("renderq_render_duration_seconds_bucket{outcome=\"succeeded\",le=\"+Inf\"} 1\n") != std::string::npos);
  CHECK(m.find("renderq_http_requests_total{method=\"POST\",route=\"/v1/jobs\",code=\"202\"} 3\n") != std::string::npos);
}
