#include "serve/job_json.hpp"

#include <httplib.h>

#include <charconv>

#include "spool/job_json.hpp"

namespace renderq::serve {

std::string job_url(JobId id) { return "/v1/jobs/" + std::to_string(id.value); }

namespace {

bool inside(const std::filesystem::path& p, const std::filesystem::path& dir) {
  auto rel = p.lexically_normal().lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

nlohmann::json job_json(const Job& job, const std::filesystem::path& files_dir) {
  nlohmann::json j = job_to_json(job);  // spool/job_json.hpp: the CLI's form too
  nlohmann::json& spec = j["spec"];
  spec.erase("output");
  if (inside(job.spec.scene, files_dir)) spec["scene"] = "upload";
  // A command's environment may hold secrets (--env-all): names only.
  if (j["exec"].is_object() && j["exec"].contains("env")) {
    nlohmann::json names = nlohmann::json::array();
    for (const auto& [name, value] : j["exec"]["env"].items()) names.push_back(name);
    j["exec"].erase("env");
    j["exec"]["env_names"] = names;
  }
  const std::string self = job_url(job.id);
  j["links"] = {{"self", self}, {"output", self + "/output"}, {"log", self + "/log"}};
  return j;
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(json_text(body) + "\n",
                  "application/json");
}

std::expected<JobId, ApiError> job_id_param(const httplib::Request& req) {
  std::string text = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0)
    return api_fail(404, "job_not_found", "no job " + text);
  return JobId{v};
}

std::expected<std::optional<std::int64_t>, ApiError> int_param(const httplib::Request& req, const char* name,
                                                               std::int64_t max) {
  if (!req.has_param(name)) return std::optional<std::int64_t>{};
  std::string text = req.get_param_value(name);
  std::int64_t v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0 || v > max)
    return api_fail(422, "invalid_argument",
                    std::string("query parameter '") + name + "' must be an integer from 0 to " + std::to_string(max));
  return std::optional<std::int64_t>{v};
}

}  // namespace renderq::serve
