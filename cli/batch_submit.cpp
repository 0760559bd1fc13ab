#include "cli/batch_submit.hpp"

#include <filesystem>
#include <map>
#include <tuple>
#include <nlohmann/json.hpp>

#include "core/exec_spec.hpp"
#include "core/render_spec.hpp"
#include "core/scene_probe.hpp"
#include "spool/job_request.hpp"

namespace renderq {

namespace {

// A line longer than this is not a job request but a mistake (a binary
// file given as the batch): refused before it is parsed.
constexpr std::size_t kMaxLineBytes = 1 << 20;
// More jobs than this in one transaction holds the spool's write lock for
// seconds; split such batches.
constexpr std::size_t kMaxJobs = 1'000'000;

Result<std::string> absolute(const std::string& path, const char* field) {
  std::error_code ec;
  std::string out = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec || path.empty()) return fail(Errc::InvalidArgument, std::string("bad path in field '") + field + "': '" + path + "'");
  return out;
}

// probe_scene's verdict per (scene, --scene, --camera): a batch of ten
// thousand renders of one scene reads its JSON once, not ten thousand times.
using ProbeCache = std::map<std::tuple<std::string, int, std::string>, Result<void>>;

// One parsed request made into a job that can be stored as it is.
Result<NewJob> to_job(const nlohmann::json& doc, char** environ, ProbeCache& probed) {
  auto request = job_request_from_json(doc, JobRequestRules{.client_output = true, .exec_allowed = true});
  if (!request) return std::unexpected(request.error());
  NewJob job = std::move(request->job);
  if (request->exec) {
    auto exec = resolve_exec(*request->exec, environ);
    if (!exec) return std::unexpected(exec.error());
    job.exec = std::move(*exec);
    return job;
  }
  RenderSpec& s = job.spec;
  auto scene = absolute(s.scene, "spec.scene");
  if (!scene) return std::unexpected(scene.error());
  s.scene = *scene;
  auto output = absolute(s.output, "spec.output");
  if (!output) return std::unexpected(output.error());
  s.output = *output;
  if (!s.environment.empty()) {
    auto env = absolute(s.environment, "spec.environment");
    if (!env) return std::unexpected(env.error());
    s.environment = *env;
  }
  if (auto ok = validate_values(s); !ok) return std::unexpected(ok.error());
  if (auto ok = validate_files(s); !ok) return std::unexpected(ok.error());
  const auto key = std::make_tuple(s.scene, s.scene_index, s.camera);
  auto it = probed.find(key);
  if (it == probed.end()) it = probed.emplace(key, probe_scene(s)).first;
  if (!it->second) return std::unexpected(it->second.error());
  return job;
}

}  // namespace

Result<BatchJobs> read_batch(std::istream& in, const std::string& source, char** environ) {
  BatchJobs out;
  ProbeCache probed;
  std::string line;
  std::size_t number = 0;
  auto at = [&](const Error& e) {
    return fail(e.code, source + ":" + std::to_string(number) + ": " + e.message());
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.size() > kMaxLineBytes)
      return at(Error{Errc::InvalidArgument, "line is longer than " + std::to_string(kMaxLineBytes) + " bytes"});
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (out.jobs.size() == kMaxJobs)
      return at(Error{Errc::InvalidArgument, "more than " + std::to_string(kMaxJobs) + " jobs in one batch"});
    nlohmann::json doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded()) return at(Error{Errc::InvalidArgument, "not a JSON object"});
    auto job = to_job(doc, environ, probed);
    if (!job) return at(job.error());
    out.jobs.push_back(std::move(*job));
    out.lines.push_back(number);
  }
  if (in.bad()) return fail(Errc::Io, "cannot read " + source);
  if (out.jobs.empty()) return fail(Errc::InvalidArgument, source + ": no jobs (one JSON object per line)");
  return out;
}

}  // namespace renderq
