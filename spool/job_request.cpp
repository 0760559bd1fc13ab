#include "spool/job_request.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "core/duration.hpp"
#include "core/time_spec.hpp"

namespace renderq {

namespace {

constexpr std::size_t kMaxAfter = 100;

Error invalid(const std::string& message) { return Error{Errc::InvalidArgument, message}; }

Result<std::string> string_field(const nlohmann::json& doc, const char* key) {
  if (!doc[key].is_string()) return std::unexpected(invalid(std::string("field '") + key + "' must be a string"));
  return doc[key].get<std::string>();
}

Result<ExecRequest> exec_from_json(const nlohmann::json& e) {
  if (!e.is_object()) return std::unexpected(invalid("field 'exec' must be an object"));
  ExecRequest r;
  for (const auto& [key, value] : e.items()) {
    if (key == "argv") {
      if (!value.is_array() || value.empty())
        return std::unexpected(invalid("field 'exec.argv' must be a non-empty array of strings"));
      for (const auto& a : value) {
        if (!a.is_string()) return std::unexpected(invalid("field 'exec.argv' must be a non-empty array of strings"));
        r.argv.push_back(a.get<std::string>());
      }
    } else if (key == "cwd") {
      if (!value.is_string()) return std::unexpected(invalid("field 'exec.cwd' must be a string"));
      r.cwd = value.get<std::string>();
    } else if (key == "env") {
      if (!value.is_object()) return std::unexpected(invalid("field 'exec.env' must be an object of strings"));
      for (const auto& [name, v] : value.items()) {
        if (!v.is_string() || name.empty() || name.find('=') != std::string::npos)
          return std::unexpected(invalid("field 'exec.env' must map names without '=' to strings"));
        r.env_pairs.push_back(name + "=" + v.get<std::string>());
      }
    } else if (key == "env_all") {
      if (!value.is_boolean()) return std::unexpected(invalid("field 'exec.env_all' must be true or false"));
      r.env_all = value.get<bool>();
    } else {
      return std::unexpected(invalid("unknown field 'exec." + key.substr(0, 64) + "'"));
    }
  }
  if (r.argv.empty()) return std::unexpected(invalid("field 'exec.argv' is required"));
  return r;
}

}  // namespace

Result<JobRequest> job_request_from_json(const nlohmann::json& doc, const JobRequestRules& rules) {
  if (!doc.is_object()) return std::unexpected(invalid("the job request must be a JSON object"));
  for (const auto& [key, value] : doc.items())
    if (key != "spec" && key != "name" && key != "priority" && key != "retries" && key != "timeout" &&
        key != "after" && key != "hold" && key != "not_before" && key != "labels" &&
        !(key == "exec" && rules.exec_allowed) && !((key == "template" || key == "params") && rules.templates_allowed))
      return std::unexpected(invalid(key == "exec" ? "field 'exec' is not accepted here: commands are never taken over HTTP"
                                                   : "unknown field '" + key.substr(0, 64) + "'"));
  JobRequest out;
  NewJob& nj = out.job;
  if (doc.contains("template") || doc.contains("params")) {
    if (!rules.templates_allowed) return std::unexpected(invalid("field 'template' is not accepted here"));
    if (doc.contains("spec") || doc.contains("exec"))
      return std::unexpected(invalid("a job has one of 'spec' (a render), 'exec' or 'template' (a command)"));
    if (!doc.contains("template") || !doc["template"].is_string())
      return std::unexpected(invalid("field 'template' must name a template of the server's config"));
    TemplateRequest t{.name = doc["template"].get<std::string>()};
    if (doc.contains("params")) {
      if (!doc["params"].is_object()) return std::unexpected(invalid("field 'params' must be an object"));
      for (const auto& [k, v] : doc["params"].items()) {
        if (!v.is_string() && !v.is_number_integer())
          return std::unexpected(invalid("field 'params." + k.substr(0, 64) + "' must be a string or an integer"));
        t.params[k] = v;
      }
    }
    out.templ = std::move(t);
  } else if (doc.contains("exec")) {
    if (doc.contains("spec")) return std::unexpected(invalid("a job has either 'spec' (a render) or 'exec' (a command)"));
    auto exec = exec_from_json(doc["exec"]);
    if (!exec) return std::unexpected(exec.error());
    out.exec = std::move(*exec);
  } else {
    nlohmann::json spec = doc.contains("spec") ? doc["spec"] : nlohmann::json::object();
    if (!spec.is_object()) return std::unexpected(invalid("field 'spec' must be an object"));
    if (!rules.client_output && spec.contains("output"))
      return std::unexpected(invalid("field 'spec.output' is not accepted: the server chooses where outputs go"));
    if (rules.client_output && !spec.contains("output")) return std::unexpected(invalid("field 'spec.output' is required"));
    if (rules.upload && spec.contains("scene"))
      return std::unexpected(invalid("field 'spec.scene' must be absent when the scene is uploaded"));
    if (!rules.upload && !spec.contains("scene"))
      return std::unexpected(invalid(rules.client_output ? "field 'spec.scene' is required"
                                                         : "field 'spec.scene' is required unless the scene is uploaded"));
    auto parsed = spec_from_json(spec);
    if (!parsed) return std::unexpected(parsed.error());
    nj.spec = std::move(*parsed);
  }
  if (doc.contains("name")) {
    auto name = string_field(doc, "name");
    if (!name) return std::unexpected(name.error());
    if (auto ok = check_job_name("field 'name'", *name); !ok) return std::unexpected(ok.error());
    nj.name = std::move(*name);
  }
  if (doc.contains("priority")) {
    const auto& p = doc["priority"];
    if (!p.is_number_integer() || p.get<long long>() < -kMaxPriority || p.get<long long>() > kMaxPriority)
      return std::unexpected(invalid("field 'priority' must be an integer from -1000 to 1000"));
    nj.priority = p.get<int>();
  }
  if (doc.contains("retries")) {
    const auto& r = doc["retries"];
    if (!r.is_number_integer() || r.get<long long>() < 0 || r.get<long long>() > kMaxRetries)
      return std::unexpected(invalid("field 'retries' must be an integer from 0 to 100"));
    nj.max_attempts = 1 + r.get<int>();
  }
  if (doc.contains("timeout")) {
    if (!doc["timeout"].is_string()) return std::unexpected(invalid("field 'timeout' must be a duration string like \"10m\""));
    auto d = parse_duration(doc["timeout"].get<std::string>());
    if (!d) return std::unexpected(d.error());
    if (d->count() <= 0) return std::unexpected(invalid("field 'timeout' must be positive"));
    nj.timeout_ms = d->count();
  }
  if (doc.contains("after")) {
    const auto& a = doc["after"];
    if (!a.is_array() || a.size() > kMaxAfter) return std::unexpected(invalid("field 'after' must be an array of at most 100 job ids"));
    for (const auto& id : a) {
      if (!id.is_number_integer() || id.get<long long>() < 1) return std::unexpected(invalid("field 'after' must hold job ids"));
      nj.after.push_back(JobId{id.get<std::int64_t>()});
    }
  }
  if (doc.contains("hold")) {
    if (!doc["hold"].is_boolean()) return std::unexpected(invalid("field 'hold' must be true or false"));
    nj.held = doc["hold"].get<bool>();
  }
  if (doc.contains("not_before")) {
    if (!doc["not_before"].is_string())
      return std::unexpected(invalid("field 'not_before' must be a time string like \"+10m\" or \"2026-12-24T18:30Z\""));
    auto t = parse_time_spec(doc["not_before"].get<std::string>(), now_unix_ms());
    if (!t) return std::unexpected(Error{t.error().code, "field 'not_before': " + t.error().detail});
    nj.not_before_ms = *t;
  }
  if (doc.contains("labels")) {
    const auto& l = doc["labels"];
    if (!l.is_object()) return std::unexpected(invalid("field 'labels' must be an object of strings"));
    for (const auto& [k, v] : l.items()) {
      if (!v.is_string()) return std::unexpected(invalid("field 'labels' must be an object of strings"));
      nj.labels[k] = v.get<std::string>();
    }
    if (auto ok = check_labels(nj.labels); !ok) return std::unexpected(ok.error());
  }
  return out;
}

}  // namespace renderq
