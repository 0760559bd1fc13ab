// renderq submit SCENE -o OUT [render options] [--priority P] [--after ID]...
//   [--timeout DUR] [--retries N] [--name S] [--json]
// renderq submit --exec [--cwd DIR] [--env K=V]... [--env-all] [queue options] -- CMD ARG...
//
// Validates everything it can before touching the spool (values, then the
// files), stores the job in one durable commit, wakes the daemons and prints
// only the id, so `id=$(renderq submit ...)` works. It never waits for a
// render: its cost is one SQLite commit and one write to the wake FIFO.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/batch_submit.hpp"
#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/job_format.hpp"
#include "cli/option_rules.hpp"
#include "cli/queue_notes.hpp"
#include "cli/render_options.hpp"
#include "core/duration.hpp"
#include "core/device_caps.hpp"
#include "core/exec_spec.hpp"
#include "core/exec_template.hpp"
#include "core/input_file.hpp"
#include "core/scene_probe.hpp"
#include "core/time_spec.hpp"

namespace renderq {

namespace {

struct SubmitOptions {
  RenderOptionValues render;
  int priority = 0;
  std::vector<std::string> after;  // as typed: ids, or comma lists of them
  std::string timeout;
  int retries = 0;
  std::string name;
  bool json = false;
  // The positional words: the scene, or with --exec the command and its
  // arguments. --env is the render's environment map, or with --exec K=V.
  std::vector<std::string> words;
  std::vector<std::string> envs;
  bool exec = false;
  std::string cwd;
  bool env_all = false;
  bool envs_given = false;  // --env on the command line (not a render.env default)
  std::string batch;        // --batch FILE|-: JSON Lines, one job each
  std::string template_name;  // --template NAME: the words are its NAME=VALUE parameters
  bool hold = false;
  std::string not_before;
  std::vector<std::string> labels;
  // The first render-only option typed on the command line (a config
  // default does not count): a command job refuses it.
  std::string render_option_given;
};

Result<ExecSpec> to_exec_spec(const SubmitOptions& o) {
  if (o.words.empty()) return fail(Errc::InvalidArgument, "--exec needs a command: renderq submit --exec -- CMD ARG...");
  if (!o.render.output.empty()) return fail(Errc::InvalidArgument, "--exec takes no --output");
  if (!o.render_option_given.empty())
    return fail(Errc::InvalidArgument, o.render_option_given + " is a render option: --exec takes none");
  return resolve_exec(ExecRequest{.argv = o.words,
                                  .cwd = o.cwd,
                                  .env_pairs = o.envs_given ? o.envs : std::vector<std::string>{},
                                  .env_all = o.env_all},
                      environ);
}

// --template NAME key=value...: a command job from a config template.
Result<ExecSpec> to_template_spec(const SubmitOptions& o, const Config& config) {
  const ExecTemplate* t = config.find_template(o.template_name);
  if (!t) {
    std::string names;
    for (const ExecTemplate& each : config.templates()) names += (names.empty() ? "" : ", ") + each.name;
    return fail(Errc::InvalidArgument, "no template '" + o.template_name + "' in the config" +
                                           (names.empty() ? " (it defines none)" : " (it has " + names + ")"));
  }
  if (o.exec || !o.render.output.empty() || !o.render_option_given.empty() || !o.cwd.empty() || o.env_all ||
      o.envs_given)
    return fail(Errc::InvalidArgument, "--template takes only NAME=VALUE parameters and the job options");
  std::map<std::string, nlohmann::json> values;
  for (const std::string& w : o.words) {
    const std::size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0)
      return fail(Errc::InvalidArgument, "template parameters are NAME=VALUE: '" + w + "'");
    values[w.substr(0, eq)] = w.substr(eq + 1);
  }
  auto argv = instantiate(*t, values, [](const std::string& param, const std::string& value) -> Result<std::string> {
    std::error_code ec;
    const std::string path = std::filesystem::absolute(value, ec).lexically_normal().string();
    if (auto head = read_file_head(path, 0); ec || !head)
      return fail(Errc::SceneMissing, "parameter '" + param + "': '" + value + "' is not a readable regular file");
    return path;
  });
  if (!argv) return std::unexpected(argv.error());
  return resolve_exec(ExecRequest{.argv = std::move(*argv), .cwd = t->cwd}, environ);
}

Result<NewJob> to_new_job(SubmitOptions o, const Config& config) {
  NewJob job;
  if (!o.template_name.empty()) {
    auto exec = to_template_spec(o, config);
    if (!exec) return std::unexpected(exec.error());
    job.exec = std::move(*exec);
  } else if (o.exec) {
    auto exec = to_exec_spec(o);
    if (!exec) return std::unexpected(exec.error());
    job.exec = std::move(*exec);
  } else {
    if (o.words.empty()) return fail(Errc::InvalidArgument, "a SCENE is required (or --exec -- CMD ARG...)");
    if (o.words.size() > 1)
      return fail(Errc::InvalidArgument, "unexpected argument '" + o.words[1] +
                                             "': one SCENE only (for a command: --exec -- CMD ARG...)");
    o.render.scene = o.words.front();
    if (o.render.output.empty()) return fail(Errc::InvalidArgument, "--output is required");
    if (o.envs.size() > 1) return fail(Errc::InvalidArgument, "--env names one .hdr environment for a render");
    if (!o.envs.empty()) o.render.environment = o.envs.front();
    if (o.env_all || !o.cwd.empty()) return fail(Errc::InvalidArgument, "--cwd and --env-all need --exec");
    auto spec = to_spec(o.render);
    if (!spec) return std::unexpected(spec.error());
    if (auto ok = validate_files(*spec); !ok) return std::unexpected(ok.error());
    if (auto ok = probe_scene(*spec); !ok) return std::unexpected(ok.error());
    job.spec = std::move(*spec);
  }
  job.name = o.name;
  job.priority = o.priority;
  if (o.retries < 0 || o.retries > kMaxRetries)
    return fail(Errc::InvalidArgument,
                "--retries " + std::to_string(o.retries) + " is out of range (0.." + std::to_string(kMaxRetries) + ")");
  job.max_attempts = 1 + o.retries;
  if (!o.timeout.empty()) {
    auto t = parse_duration(o.timeout);
    if (!t) return std::unexpected(t.error());
    if (t->count() <= 0) return fail(Errc::BadDuration, "--timeout must be longer than 0: '" + o.timeout + "'");
    job.timeout_ms = t->count();
  }
  if (auto ok = check_job_name("--name", o.name); !ok) return std::unexpected(ok.error());
  for (const std::string& text : o.after) {
    auto ids = parse_job_id_list(text);
    if (!ids) return std::unexpected(Error{ids.error().code, "--after: " + ids.error().detail});
    job.after.insert(job.after.end(), ids->begin(), ids->end());
  }
  job.held = o.hold;
  if (!o.not_before.empty()) {
    auto t = parse_time_spec(o.not_before, now_unix_ms());
    if (!t) return std::unexpected(t.error());
    job.not_before_ms = *t;
  }
  for (const std::string& text : o.labels) {
    auto label = parse_label(text);
    if (!label) return std::unexpected(label.error());
    job.labels[label->first] = label->second;
  }
  // The checks every store makes, made before the spool is opened.
  if (auto ok = check_new_jobs(std::span<const NewJob>(&job, 1), nullptr); !ok) return std::unexpected(ok.error());
  return job;
}

// What the spool's daemon recorded about its devices (core/device_caps):
// a render no device can do is refused now, not failed later.
Result<void> check_devices(Queue& queue, const NewJob& job) {
  if (job.exec || !queue.spool()) return {};
  if (auto caps = read_device_caps(queue.spool()->dir())) return check_device_caps(job.spec, *caps);
  return {};
}

// --batch: every line checked first, then one transaction, one id per line.
int run_batch(const Context& ctx, const SubmitOptions& o) {
  Result<BatchJobs> batch;
  if (o.batch == "-") {
    batch = read_batch(std::cin, "<stdin>", environ);
  } else {
    // An ifstream opens a folder and fails only at the first read, as an I/O error.
    std::error_code ec;
    if (std::filesystem::is_directory(o.batch, ec))
      return report(Error{Errc::InvalidArgument, "the batch file '" + o.batch + "' is a folder"});
    std::ifstream in(o.batch);
    if (!in) return report(Error{Errc::InvalidArgument, "cannot open the batch file '" + o.batch + "'"});
    batch = read_batch(in, o.batch, environ);
  }
  if (!batch) return report(batch.error());
  auto opened = ctx.open_queue(true);
  if (!opened) return report(opened.error());
  Queue* spool = opened->get();
  if (spool->created()) diag("created a new spool at " + spool->where());
  std::size_t failed = 0;
  for (std::size_t i = 0; i < batch->jobs.size(); ++i)
    if (auto ok = check_devices(*spool, batch->jobs[i]); !ok)
      return report(Error{ok.error().code, (o.batch == "-" ? std::string("<stdin>") : o.batch) + ":" +
                                               std::to_string(batch->lines[i]) + ": " + ok.error().message()});
  auto ids = spool->store().submit_batch(batch->jobs, &failed);
  if (!ids) {
    const std::string where =
        failed < batch->lines.size() ? (o.batch == "-" ? "<stdin>" : o.batch) + ":" + std::to_string(batch->lines[failed]) + ": "
                                     : "";
    return report_store_error(*spool, Error{ids.error().code, where + ids.error().message()});
  }
  spool->wake();
  std::string out;
  out.reserve(ids->size() * 8);
  if (o.json) {
    for (JobId id : *ids) {
      auto stored = spool->store().get(id);
      if (!stored) return report_store_error(*spool, stored.error());
      out += json_text(job_to_json(*stored));
      out += '\n';
    }
  } else {
    for (JobId id : *ids) {
      out += std::to_string(id.value);
      out += '\n';
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  print_queue_notes(*spool);
  return code(Exit::Ok);
}

// The options that describe one job cannot be mixed with --batch, whose
// lines describe every job.
Result<void> check_batch_alone(const CLI::App& cmd) {
  for (const CLI::Option* opt : cmd.get_options()) {
    if (opt->count() == 0) continue;
    const std::string& name = opt->get_name();
    if (name == "--batch" || name == "--json" || name == "--help") continue;
    return fail(Errc::InvalidArgument, "--batch takes every job from its lines; '" + name +
                                           "' cannot be given with it (put it in each line's JSON)");
  }
  return {};
}

int run_submit(const Context& ctx, const SubmitOptions& o) {
  // Phase 1: validate; nothing touches the spool before this passes.
  auto job = to_new_job(o, ctx.config);
  if (!job) return report(job.error());
  // Phase 2: one durable commit, then wake the daemons.
  auto opened = ctx.open_queue(true);
  if (!opened) return report(opened.error());
  Queue* spool = opened->get();
  if (spool->created()) diag("created a new spool at " + spool->where());
  if (auto ok = check_devices(*spool, *job); !ok) return report(ok.error());
  auto id = spool->store().submit(*job);
  if (!id) return report_store_error(*spool, id.error());
  spool->wake();
  // Phase 3: print. A job whose dependency already failed is stored failed.
  if (o.json || !job->after.empty()) {
    auto stored = spool->store().get(*id);
    if (!stored) return report_store_error(*spool, stored.error());
    if (stored->state == JobState::Failed)
      diag("job " + std::to_string(id->value) + " failed at once: " + stored->error_message);
    if (o.json) {
      std::puts(json_text(job_to_json(*stored)).c_str());
      std::fflush(stdout);
      print_queue_notes(*spool);
      return code(Exit::Ok);
    }
  }
  std::printf("%lld\n", static_cast<long long>(id->value));
  std::fflush(stdout);
  print_queue_notes(*spool);
  return code(Exit::Ok);
}

}  // namespace

void add_submit(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand("submit", "Queue a render job (or a command, --exec) and print its id");
  add_render_options(*cmd, o->render);
  // Every render option but those a command job shares (--env) or refuses
  // on its own (--output), and the SCENE, which becomes the command's words.
  auto render_only = std::make_shared<std::vector<std::string>>();
  for (const CLI::Option* opt : cmd->get_options()) {
    const std::string& name = opt->get_name();
    if (!opt->get_positional() && name != "--help" && name != "--env" && name != "--output")
      render_only->push_back(name);
  }
  // The render's SCENE and --env are taken over so that a command job can
  // use the positionals and --env K=V; to_new_job gives them back to a render.
  cmd->remove_option(cmd->get_option("scene"));
  cmd->remove_option(cmd->get_option("--env"));
  cmd->get_option("--output")->required(false);
  cmd->add_option("scene", o->words, "glTF 2.0 scene (.gltf or .glb); with --exec: -- CMD ARG...")
      ->type_name("SCENE");
  CLI::Option* env = cmd->add_option("--env", o->envs,
                  "Equirectangular Radiance .hdr environment (default: built-in studio); with --exec: "
                  "NAME=VALUE for the command (repeatable)")
      ->type_name("HDR|K=V");
  cmd->add_option("--template", o->template_name,
                  "Queue a command from the config's [templates.NAME]: --template NAME PARAM=VALUE...")
      ->type_name("NAME");
  cmd->add_flag("--exec", o->exec, "Queue a command instead of a render: --exec [options] -- CMD ARG...");
  cmd->add_option("--cwd", o->cwd, "With --exec: the command's working folder (default: the current one)")
      ->type_name("DIR");
  cmd->add_flag("--env-all", o->env_all,
                "With --exec: pass the whole environment (default: PATH HOME USER LANG LC_* TZ and each --env)");
  cmd->add_option("--priority", o->priority, "Higher runs first (default 0)")->type_name("P");
  // One value per --after (not CLI11's greedy list, which took the SCENE
  // after it); commas are split by parse_job_id_list, which refuses "1,,2".
  cmd->add_option("--after", o->after, "Run only after job ID succeeded (repeatable or comma-separated)")
      ->expected(1)
      ->allow_extra_args(false)
      ->take_all()
      ->type_name("ID");
  cmd->add_option("--timeout", o->timeout, "Fail an attempt that runs longer, e.g. 90s, 10m")->type_name("DUR");
  cmd->add_option("--retries", o->retries, "Extra attempts after a worker crash or lost lease (default 0)")
      ->type_name("N");
  cmd->add_option("--name", o->name, "A label shown by list and status")->type_name("S");
  cmd->add_flag("--json", o->json, "Print the stored job as one JSON object instead of the id");
  cmd->add_flag("--hold", o->hold, "Store the job held: it runs only after `renderq release ID`");
  cmd->add_option("--not-before", o->not_before,
                  "Do not start before TIME: +10m, 18:30, 2026-12-24, 2026-12-24T18:30[+01:00]")
      ->type_name("TIME");
  cmd->add_option("--label", o->labels, "A label NAME=VALUE to filter by (list --label; repeatable)")
      ->type_name("K=V");
  cmd->add_option("--batch", o->batch,
                  "Queue every job of a JSON Lines file ('-' = stdin) in one transaction; prints one id per line")
      ->type_name("FILE");
  cmd->callback([&ctx, o, env, cmd, render_only] {
    o->envs_given = env->count() > 0;
    for (const CLI::Option* opt : cmd->parse_order())
      if (o->render_option_given.empty() &&
          std::find(render_only->begin(), render_only->end(), opt->get_name()) != render_only->end())
        o->render_option_given = opt->get_name();
    if (!o->batch.empty()) {
      if (auto alone = check_batch_alone(*cmd); !alone) {
        ctx.exit_code = report(alone.error());
        return;
      }
      ctx.exit_code = run_batch(ctx, *o);
      return;
    }
    ctx.exit_code = run_submit(ctx, *o);
  });
}

}  // namespace renderq
