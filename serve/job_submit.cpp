// POST /v1/jobs: turns a client's request into a stored job, or a 4xx that
// names the problem with nothing stored. Phases: read the body by content
// type -> parse the job request -> check every client string -> check and
// stage an upload -> take a quota ticket -> store the job, placing files
// in its folder inside the store's transaction -> wake the daemons -> 202.
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <unistd.h>
#include <optional>

#include "core/exec_spec.hpp"
#include "core/exec_template.hpp"
#include "spool/job_request.hpp"
#include "serve/context.hpp"
#include "serve/handlers.hpp"
#include "serve/job_json.hpp"
#include "serve/paths.hpp"
#include "serve/upload.hpp"

namespace renderq::serve {

namespace fs = std::filesystem;

namespace {

// What the body carried: a job request (JSON text, maybe empty) and, for an
// upload, the scene's bytes.
struct Body {
  std::string job_text;
  std::optional<std::string_view> scene;
};

std::string media_type(const httplib::Request& req) {
  std::string t = req.get_header_value("Content-Type");
  t = t.substr(0, t.find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return t;
}

std::expected<Body, ApiError> read_body(const httplib::Request& req) {
  std::string type = media_type(req);
  if (type == "application/json") return Body{req.body, std::nullopt};
  if (type == "model/gltf-binary" || type == "application/octet-stream") {
    // The job request rides in the query string (?job=<url-encoded JSON>).
    return Body{req.has_param("job") ? req.get_param_value("job") : std::string(), std::string_view(req.body)};
  }
  if (type == "multipart/form-data") {
    Body b;
    for (const auto& [name, part] : req.files) {
      if (name == "scene") {
        if (b.scene) return api_fail(422, "invalid_argument", "multipart body has more than one 'scene' part");
        b.scene = std::string_view(part.content);
      } else if (name == "job") {
        if (!b.job_text.empty()) return api_fail(422, "invalid_argument", "multipart body has more than one 'job' part");
        b.job_text = part.content;
      } else {
        return api_fail(422, "invalid_argument",
                        "multipart part '" + name.substr(0, 64) + "' is unknown (use 'scene' and 'job')");
      }
    }
    if (!b.scene) return api_fail(422, "invalid_argument", "multipart body has no 'scene' part");
    return b;
  }
  return api_fail(415, "unsupported_media_type",
                  "send application/json, model/gltf-binary or multipart/form-data, not '" + type.substr(0, 64) + "'");
}


// Fills `nj` from the job request document (spool/job_request.hpp, the
// parser `submit --batch` uses too). `upload` says whether the scene comes
// in the body (then spec.scene must be absent). Commands are never taken.
Reply parse_job_request(const nlohmann::json& doc, bool upload, NewJob& nj, std::optional<TemplateRequest>& templ) {
  auto request = job_request_from_json(doc, JobRequestRules{.upload = upload, .templates_allowed = true});
  if (!request) return api_fail(request.error());
  nj = std::move(request->job);
  templ = std::move(request->templ);
  if (templ && upload) return api_fail(422, "invalid_argument", "a template job takes its files from the allowed roots, not an upload");
  return {};
}

// A command job from one of the config's templates: the parameters checked
// by type, files resolved under the allowed roots, substituted as whole
// values into the template's argv (never a shell), run with the server's
// safe environment.
Reply template_job(const ServeContext& ctx, const TemplateRequest& req, NewJob& nj) {
  auto it = std::find_if(ctx.options.templates.begin(), ctx.options.templates.end(),
                         [&](const ExecTemplate& t) { return t.name == req.name; });
  if (it == ctx.options.templates.end())
    return api_fail(422, "invalid_argument", "no template '" + req.name.substr(0, 64) + "' on this server");
  // A parameter value outside the roots is a bad value of the template's
  // parameter (422 like every other), where a spec's path is a 403.
  auto argv = instantiate(*it, req.params, [&](const std::string& param, const std::string& value) -> Result<std::string> {
    auto path = resolve_allowed("params." + param, value, ctx.roots, Errc::SceneMissing);
    if (!path && path.error().code == Errc::PermissionDenied)
      return fail(Errc::InvalidArgument, path.error().detail);
    return path;
  });
  if (!argv) return api_fail(argv.error());
  auto exec = resolve_exec(ExecRequest{.argv = std::move(*argv), .cwd = it->cwd.empty() ? "/" : it->cwd}, environ);
  if (!exec) return api_fail(exec.error());
  nj.exec = std::move(*exec);
  return {};
}

// Every client string in the spec that could name a file is resolved under
// the allowed roots; the labels are held to a plain form.
Reply check_client_strings(const ServeContext& ctx, bool upload, NewJob& nj) {
  if (auto r = check_label("name", nj.name); !r) return api_fail(r.error());
  if (auto r = check_label("spec.camera", nj.spec.camera); !r) return api_fail(r.error());
  if (!upload) {
    auto scene = resolve_allowed("spec.scene", nj.spec.scene, ctx.roots, Errc::SceneMissing);
    if (!scene) return api_fail(scene.error());
    nj.spec.scene = *scene;
  }
  if (!nj.spec.environment.empty()) {
    auto env = resolve_allowed("spec.environment", nj.spec.environment, ctx.roots, Errc::EnvironmentInvalid);
    if (!env) return api_fail(env.error());
    nj.spec.environment = *env;
  }
  return {};
}

// Removes a staged upload unless it was moved into a job folder.
struct StagedFile {
  fs::path path;
  ~StagedFile() {
    std::error_code ec;
    if (!path.empty()) fs::remove(path, ec);
  }
};

}  // namespace

Reply submit_job(ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  // Phase 1: the body, by content type.
  auto body = read_body(req);
  if (!body) return std::unexpected(body.error());
  bool upload = body->scene.has_value();

  // Phase 2: the job request.
  nlohmann::json doc = nlohmann::json::object();
  if (!body->job_text.empty() || !upload) {
    auto parsed = parse_json_limited(body->job_text, ctx.options.json, "the job request");
    if (!parsed) return std::unexpected(parsed.error());
    doc = std::move(*parsed);
  }
  NewJob nj;
  std::optional<TemplateRequest> templ;
  if (auto r = parse_job_request(doc, upload, nj, templ); !r) return r;

  // Phase 3: a template's command (no files to place); or a render's client
  // strings, then its values (the output is ours to choose; a placeholder
  // stands in until the id is known).
  if (templ) {
    if (auto r = check_label("name", nj.name); !r) return api_fail(r.error());
    if (auto r = template_job(ctx, *templ, nj); !r) return r;
  } else {
    if (auto r = check_client_strings(ctx, upload, nj); !r) return r;
    nj.spec.output = (ctx.files.dir / "jobs" / "output.png").string();
    if (auto r = validate_values(nj.spec); !r) return api_fail(r.error());
  }

  // Phase 4: an upload is checked, staged and checked again by the loader.
  auto queue = ctx.pool.acquire();
  if (!queue) return api_fail(queue.error());
  StagedFile staged;
  if (upload) {
    if (auto r = check_glb(*body->scene); !r) return api_fail(r.error());
    auto path = stage_upload(ctx.files.dir, *body->scene, ctx.files.upload_mode());
    if (!path) return api_fail(path.error());
    staged.path = *path;
    if (auto r = check_scene_file(staged.path, ctx.scene_memory); !r) return api_fail(r.error());
    nj.spec.scene = staged.path.string();  // until it moves into the job's folder
  }

  // Phase 5: the client's quota of queued jobs.
  Store& store = (*queue)->store();
  auto ticket = ctx.quota.admit(req.remote_addr, [&](JobId id) {
    auto j = store.get(id);
    return j && j->state == JobState::Queued;
  });
  if (!ticket) return std::unexpected(ticket.error());

  // Phase 6: store it; a render's files go into the job's folder inside the
  // transaction (the store calls place_files for renders only).
  std::optional<JobId> placed;
  nj.place_files = [&](JobId id, RenderSpec& spec) -> Result<void> {
    auto dir = ctx.files.make_job_dir(id);
    if (!dir) return std::unexpected(dir.error());
    placed = id;
    if (!staged.path.empty()) {
      fs::path scene = *dir / "scene.glb";
      std::error_code ec;
      fs::rename(staged.path, scene, ec);
      if (ec) return fail(Errc::Io, "cannot move the upload into " + dir->string() + ": " + ec.message());
      staged.path.clear();
      spec.scene = scene.string();
    }
    spec.output = (*dir / "output.png").string();
    return validate_files(spec);
  };
  auto id = store.submit(nj);
  if (!id) {
    std::error_code ec;
    if (placed) fs::remove_all(ctx.files.job_dir(*placed), ec);
    return api_fail(id.error());
  }
  ticket->commit(*id);
  (*queue)->wake();

  // Phase 7: 202 with where to look.
  auto job = store.get(*id);
  if (!job) return api_fail(job.error());
  res.set_header("Location", job_url(*id));
  send_json(res, 202, job_json(*job, ctx.files.dir));
  return {};
}

}  // namespace renderq::serve
