// The job request: the JSON form of one job shared by POST /v1/jobs and
// `submit --batch`.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "spool/job_request.hpp"

using namespace renderq;
using nlohmann::json;

namespace {

Errc error_of(const json& doc, JobRequestRules rules = {.client_output = true, .exec_allowed = true}) {
  auto r = job_request_from_json(doc, rules);
  REQUIRE_FALSE(r.has_value());
  return r.error().code;
}

}  // namespace

TEST_CASE("a full render request fills every field", "[job_request]") {
  const json doc = json::parse(R"({"spec": {"scene": "/s.glb", "output": "/o.png", "width": 64, "height": 32},
      "name": "n", "priority": -7, "retries": 2, "timeout": "90s", "after": [3, 4]})");
  const JobRequest r = job_request_from_json(doc, {.client_output = true}).value();
  CHECK(r.job.spec.scene == "/s.glb");
  CHECK(r.job.spec.output == "/o.png");
  CHECK(r.job.spec.width == 64);
  CHECK(r.job.spec.height == 32);
  CHECK(r.job.name == "n");
  CHECK(r.job.priority == -7);
  CHECK(r.job.max_attempts == 3);
  CHECK(r.job.timeout_ms == 90'000);
  CHECK(r.job.after == std::vector<JobId>{JobId{3}, JobId{4}});
  CHECK_FALSE(r.exec.has_value());
}

TEST_CASE("a command request keeps argv, cwd and env as asked", "[job_request]") {
  const json doc = json::parse(R"({"exec": {"argv": ["blender", "-b"], "cwd": "w", "env": {"A": "1"}, "env_all": true}})");
  const JobRequest r = job_request_from_json(doc, {.exec_allowed = true}).value();
  REQUIRE(r.exec.has_value());
  CHECK(r.exec->argv == std::vector<std::string>{"blender", "-b"});
  CHECK(r.exec->cwd == "w");
  CHECK(r.exec->env_pairs == std::vector<std::string>{"A=1"});
  CHECK(r.exec->env_all);
}

TEST_CASE("the rules decide where scene, output and exec may appear", "[job_request]") {
  const json with_output = json::parse(R"({"spec": {"scene": "/s.glb", "output": "/o.png"}})");
  const json without_output = json::parse(R"({"spec": {"scene": "/s.glb"}})");
  CHECK(error_of(with_output, {}) == Errc::InvalidArgument);           // the server chooses outputs
  CHECK(job_request_from_json(without_output, {}).has_value());
  CHECK(error_of(without_output) == Errc::InvalidArgument);            // the CLI needs one
  CHECK(error_of(with_output, {.upload = true, .client_output = true}) == Errc::InvalidArgument);
  CHECK(job_request_from_json(json::parse(R"({})"), {.upload = true}).has_value());
  CHECK(error_of(json::parse(R"({"exec": {"argv": ["true"]}})"), {}) == Errc::InvalidArgument);  // never over HTTP
}

TEST_CASE("bad fields are named errors", "[job_request]") {
  const std::string spec = R"("spec": {"scene": "/s.glb", "output": "/o.png"})";
  for (const std::string bad : {R"(, "priority": 1001)", R"(, "priority": "high")", R"(, "retries": -1)",
                                R"(, "retries": 101)", R"(, "after": [0])", R"(, "after": 5)", R"(, "name": 3)",
                                R"(, "name": "a\u0001b")", R"(, "colour": "red")", R"(, "timeout": 90)"}) {
    CAPTURE(bad);
    CHECK(error_of(json::parse("{" + spec + bad + "}")) == Errc::InvalidArgument);
  }
  CHECK(error_of(json::parse("{" + spec + R"(, "timeout": "soon"})")) == Errc::BadDuration);
  CHECK(error_of(json::parse("{" + spec + R"(, "name": ")" + std::string(201, 'x') + "\"}")) == Errc::InvalidArgument);
  CHECK(error_of(json::parse(R"([1, 2])")) == Errc::InvalidArgument);
  CHECK(error_of(json::parse(R"({"exec": {"argv": []}})")) == Errc::InvalidArgument);
  CHECK(error_of(json::parse(R"({"exec": {"argv": [1]}})")) == Errc::InvalidArgument);
  CHECK(error_of(json::parse(R"({"exec": {"argv": ["x"], "env": {"A=B": "1"}}})")) == Errc::InvalidArgument);
  CHECK(error_of(json::parse(R"({"exec": {"argv": ["x"], "shell": true}})")) == Errc::InvalidArgument);
  CHECK(error_of(json::parse(R"({"exec": {"argv": ["x"]}, "spec": {}})")) == Errc::InvalidArgument);
}
