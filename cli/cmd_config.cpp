// renderq config [--json]
//
// Prints every setting's effective value and where it came from (default,
// the config file and line, an environment variable, or a flag), in TOML
// form so that `renderq config > config.toml` is a valid starting file.
// First it says which queue the commands use (spool.store or spool.dir,
// whichever was set at the higher level) and where that choice came from.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.hpp"
#include "cli/config_apply.hpp"

namespace renderq {

namespace {

bool is_bare(ConfigType t) { return t == ConfigType::Int || t == ConfigType::Float || t == ConfigType::Bool; }

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

nlohmann::json json_value(const ConfigValue& v) {
  if (v.text.empty()) return nullptr;
  switch (v.key->type) {
    case ConfigType::Int: return std::stoll(v.text);
    case ConfigType::Float: return std::stod(v.text);
    case ConfigType::Bool: return v.text == "true";
    default: return v.text;
  }
}

std::string origin_text(const ConfigValue& v) {
  if (v.source == ConfigSource::Default) return "default";
  return std::string(config_source_name(v.source)) + " " + v.origin;
}

int run_config(CLI::App& root, Context& ctx, bool json) {
  note_config_flags(root, ctx);
  std::vector<ConfigValue> values = ctx.config.values();
  for (ConfigValue& v : values) {  // show where the spool really is, not ""
    if (v.key->name == "spool.dir" && v.text.empty()) v.text = resolve_spool_dir("");
    if (v.key->name == "spool.store") v.text = redact_url(v.text);  // never print a password
  }
  Result<StoreChoice> queue = ctx.store_choice();
  if (!queue) return report(queue.error());
  const std::string queue_kind = queue->pg ? "postgresql" : "spool";
  const std::string queue_where = queue->pg ? redact_url(queue->text) : queue->text;
  const ConfigValue queue_from{.key = nullptr, .text = "", .source = queue->source, .origin = queue->origin};
  if (json) {
    nlohmann::json settings = nlohmann::json::array();
    for (const ConfigValue& v : values)
      settings.push_back({{"key", v.key->name},
                          {"value", json_value(v)},
                          {"source", config_source_name(v.source)},
                          {"origin", v.origin},
                          {"env", v.key->env},
                          {"flag", v.key->flag}});
    nlohmann::json doc = {{"version", 1},
                          {"file", ctx.config.path()},
                          {"file_found", ctx.config.file_found()},
                          {"queue", {{"kind", queue_kind}, {"store", queue_where},
                                     {"source", config_source_name(queue->source)}, {"origin", queue->origin}}},
                          {"settings", settings}};
    std::puts(doc.dump().c_str());
    return code(Exit::Ok);
  }
  std::printf("# config file: %s%s\n", ctx.config.path().c_str(), ctx.config.file_found() ? "" : " (not found)");
  std::printf("# queue: %s %s  # %s\n", queue_kind.c_str(), queue_where.c_str(), origin_text(queue_from).c_str());
  std::string section;
  for (const ConfigValue& v : values) {
    std::string_view name = v.key->name;
    std::string_view sec = name.substr(0, name.find('.'));
    if (sec != section) {
      section = sec;
      std::printf("\n[%s]\n", section.c_str());
    }
    std::string key(name.substr(name.find('.') + 1));
    std::string value = is_bare(v.key->type) && !v.text.empty() ? v.text : toml_string(v.text);
    std::printf("%s = %s  # %s\n", key.c_str(), value.c_str(), origin_text(v).c_str());
  }
  return code(Exit::Ok);
}

}  // namespace

void add_config(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("config", "Print the effective settings and where each came from");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print one JSON document");
  cmd->callback([&app, &ctx, json] { ctx.exit_code = run_config(app, ctx, *json); });
}

}  // namespace renderq
