// The job resource apart from submission: GET /v1/jobs/{id}, GET /v1/jobs,
// DELETE /v1/jobs/{id}, GET /v1/jobs/{id}/output and GET /v1/jobs/{id}/log.
#include <httplib.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/output_format.hpp"
#include "serve/caller.hpp"
#include "serve/context.hpp"
#include "serve/handlers.hpp"
#include "serve/job_json.hpp"

namespace renderq::serve {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kDefaultPage = 50;
constexpr std::int64_t kMaxPage = 1000;
constexpr std::size_t kMaxNameGlob = 256;

// Server paths in a log (the spool or shared folder, the output's and the
// scene's folders) become "<spool>" or "<shared>", "<output>", "<scene>":
// the API never shows where the server keeps files. Longest first, so a
// folder inside another is named by the inner one.
std::string hide_paths(std::string text, const Job& job, const FileArea& files) {
  std::vector<std::pair<std::string, std::string>> names = {
      {files.dir.lexically_normal().string(), files.spool ? "<spool>" : "<shared>"},
      {fs::path(job.spec.output).parent_path().string(), "<output>"},
      {fs::path(job.spec.scene).parent_path().string(), "<scene>"}};
  if (job.exec) names.push_back({job.exec->cwd, "<cwd>"});
  std::erase_if(names, [](const auto& n) { return n.first.size() < 2; });  // "" and "/"
  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [path, name] : names)
    for (std::size_t at = text.find(path); at != std::string::npos; at = text.find(path, at + name.size()))
      text.replace(at, path.size(), name);
  return text;
}

// Whether the server may hand out a file: outputs the server chose live in
// its file area; a job submitted from the command line may have written
// anywhere, and only files under an allowed root are served from those.
bool may_serve(const ServeContext& ctx, const fs::path& file) {
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (ec) return false;
  auto under = [&](const fs::path& dir) {
    auto rel = real.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
  };
  if (under(ctx.files.dir)) return true;
  for (const fs::path& r : ctx.roots)
    if (under(r)) return true;
  return false;
}

std::expected<std::string, ApiError> read_file(const fs::path& path, std::uint64_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return api_fail(404, "not_found", "the file is gone (purged?)");
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::uint64_t>(in.tellg());
  if (offset > size) offset = size;
  in.seekg(static_cast<std::streamoff>(offset));
  std::string data(static_cast<std::size_t>(size - offset), '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}

}  // namespace

Reply get_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  auto job = load_job_for_caller(ctx, **queue, req, "");
  if (!job) return std::unexpected(job.error());
  send_json(res, 200, job_json(*job, ctx.files.dir));
  return {};
}

Reply list_jobs(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  ListQuery q;
  if (req.has_param("state")) {
    std::string text = req.get_param_value("state");
    std::stringstream parts(text);
    std::string part;
    while (std::getline(parts, part, ',')) {
      auto s = parse_state(part);
      if (!s)
        return api_fail(422, "invalid_argument",
                        "query parameter 'state' must list states among queued, running, succeeded, failed, canceled");
      q.states.push_back(*s);
    }
  }
  if (req.has_param("name")) {
    q.name_glob = req.get_param_value("name");
    if (q.name_glob.empty() || q.name_glob.size() > kMaxNameGlob)
      return api_fail(422, "invalid_argument", "query parameter 'name' must be a GLOB of 1 to 256 bytes");
  }
  auto limit = int_param(req, "limit", kMaxPage);
  if (!limit) return std::unexpected(limit.error());
  std::int64_t page = limit->value_or(kDefaultPage);
  if (page < 1) return api_fail(422, "invalid_argument", "query parameter 'limit' must be from 1 to 1000");
  auto cursor = int_param(req, "cursor", std::int64_t{1} << 62);
  if (!cursor) return std::unexpected(cursor.error());
  if (*cursor) q.before = JobId{**cursor};
  // One more than asked tells whether another page exists.
  q.limit = static_cast<int>(page + 1);
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  auto jobs = (*queue)->store().list(q);
  if (!jobs) return api_fail(jobs.error());
  nlohmann::json out = {{"jobs", nlohmann::json::array()}, {"next_cursor", nullptr}};
  std::size_t n = std::min(jobs->size(), static_cast<std::size_t>(page));
  for (std::size_t i = 0; i < n; ++i) out["jobs"].push_back(job_json((*jobs)[i], ctx.files.dir));
  if (jobs->size() > n) out["next_cursor"] = std::to_string((*jobs)[n - 1].id.value);
  send_json(res, 200, out);
  return {};
}

Reply cancel_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  auto before = load_job_for_caller(ctx, **queue, req, "cancel");
  if (!before) return std::unexpected(before.error());
  const JobId id = before->id;
  Store& store = (*queue)->store();
  auto result = store.cancel(id);
  if (!result) return api_fail(result.error());
  if (*result == CancelResult::CancelRequested) (*queue)->wake();
  auto job = store.get(id);
  if (!job) return api_fail(job.error());
  switch (*result) {
    case CancelResult::Canceled:
      send_json(res, 200, job_json(*job, ctx.files.dir));
      return {};
    case CancelResult::CancelRequested:
      // The daemon stops it; the job shows cancel_requested until then.
      send_json(res, 202, job_json(*job, ctx.files.dir));
      return {};
    case CancelResult::AlreadyFinished: {
      // Canceled already: what was asked holds (as `renderq cancel` says).
      if (job->state == JobState::Canceled) {
        send_json(res, 200, job_json(*job, ctx.files.dir));
        return {};
      }
      std::string state(state_name(job->state));
      return std::unexpected(ApiError{409, "job_state_conflict", "job " + std::to_string(id.value) +
                                                                     " already finished (" + state + ")",
                                      state});
    }
  }
  return api_fail(500, "internal", "unknown cancel result");
}

Reply get_output(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  // The connection goes back before the file is read.
  auto job = [&]() -> std::expected<Job, ApiError> {
    auto queue = ctx.pool.acquire();
    if (!queue) return api_fail(queue.error());
    return load_job_for_caller(ctx, **queue, req, "read the output of");
  }();
  if (!job) return std::unexpected(job.error());
  auto frame = int_param(req, "frame", RenderSpec::kMaxFrames);
  if (!frame) return std::unexpected(frame.error());
  std::string state(state_name(job->state));
  if (job->state != JobState::Succeeded)
    return std::unexpected(ApiError{409, "output_not_ready",
                                    "job " + std::to_string(job->id.value) + " is " + state + ", not succeeded",
                                    state});
  int index = static_cast<int>(frame->value_or(0));
  if (index >= job->spec.frames)
    return api_fail(404, "not_found",
                    "job " + std::to_string(job->id.value) + " has " + std::to_string(job->spec.frames) + " frame(s)");
  fs::path file = frame_path(job->spec, index);
  std::error_code ec;
  if (!fs::exists(file, ec)) return api_fail(404, "not_found", "the output file is gone (purged?)");
  if (!may_serve(ctx, file))
    return api_fail(403, "permission_denied", std::string("this job's output lies outside the ") + (ctx.files.spool ? "spool" : "shared folder") + " and the allowed roots");
  auto data = read_file(file, 0);
  if (!data) return std::unexpected(data.error());
  // Range requests: the library cuts the body (one range, or a multipart
  // answer for several); the status is ours to set. A range that starts
  // past the end cannot be served (RFC 9110 15.5.17).
  const auto size = static_cast<std::int64_t>(data->size());
  for (const auto& [first, last] : req.ranges) {
    const bool suffix = first < 0;
    if ((!suffix && first >= size) || (suffix && last == 0) || (!suffix && last >= 0 && last < first)) {
      res.set_header("Content-Range", "bytes */" + std::to_string(size));
      return api_fail(416, "range_not_satisfiable",
                      "the range asked for lies outside the output's " + std::to_string(size) + " bytes");
    }
  }
  res.status = req.ranges.empty() ? 200 : 206;
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Cache-Control", "no-cache");
  auto format = image_format_of(file.string());  // refused at submit unless known
  res.set_content(std::move(*data), std::string(format ? image_format_mime(*format) : "application/octet-stream"));
  return {};
}

Reply get_log(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  auto job = load_job_for_caller(ctx, **queue, req, "read the log of");
  if (!job) return std::unexpected(job.error());
  auto offset = int_param(req, "offset", std::int64_t{1} << 62);
  if (!offset) return std::unexpected(offset.error());
  // No log yet (the job has not started) reads as an empty log.
  std::string text;
  auto read = (*queue)->read_log(job->id, offset->value_or(0), [&](std::string_view piece) { text += piece; });
  if (!read) return api_fail(read.error());
  // offset counts bytes of the stored log; hide_paths changes lengths, so
  // the next offset is sent for clients that follow the log.
  res.set_header("X-Log-Next-Offset", std::to_string(offset->value_or(0) + static_cast<std::int64_t>(text.size())));
  res.status = 200;
  res.set_content(hide_paths(std::move(text), *job, ctx.files), "text/plain; charset=utf-8");
  return {};
}

}  // namespace renderq::serve
