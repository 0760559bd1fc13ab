#include "cli/config_apply.hpp"

#include <cstring>
#include <string_view>

namespace renderq {

namespace {

// Which commands a key feeds. "" = an option of the root app; "*" = any
// subcommand with that flag. `--timeout` is scoped to submit because
// `wait --timeout` means something else.
struct Scope {
  std::string_view key;
  std::string_view commands;  // space-separated
};

constexpr Scope kScopes[] = {
    {"spool.dir", ""},
    {"spool.store", ""},
    {"device.render", "render preview"},
    {"daemon.devices", "daemon"},
    {"timeouts.job", "submit"},
    {"timeouts.default", "daemon"},
    {"timeouts.lease", "daemon"},
    {"timeouts.grace", "daemon"},
    {"submit.retries", "submit"},
    {"submit.priority", "submit"},
    // The machine's budget: for the processes that load scenes. A job's own
    // (submit --max-scene-memory) is only what its submitter typed.
    {"render.max_scene_memory", "render preview daemon serve"},
};
constexpr std::string_view kRenderCommands = "render submit preview";

std::string_view scope_of(std::string_view key) {
  for (const Scope& s : kScopes)
    if (s.key == key) return s.commands;
  return kRenderCommands;  // every render.* key
}

bool in_scope(std::string_view commands, std::string_view name) {
  if (commands == "*") return true;
  std::size_t pos = 0;
  while (pos < commands.size()) {
    std::size_t end = commands.find(' ', pos);
    if (end == std::string_view::npos) end = commands.size();
    if (commands.substr(pos, end - pos) == name) return true;
    pos = end + 1;
  }
  return false;
}

// The options a key feeds: the root's, or the matching subcommands'.
template <typename Fn>
void for_each_target(CLI::App& app, const ConfigKey& key, Fn&& fn) {
  const std::string flag(key.flag);
  const std::string_view commands = scope_of(key.name);
  if (commands.empty()) {
    if (CLI::Option* o = app.get_option_no_throw(flag)) fn(app, *o);
    return;
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (!in_scope(commands, sub->get_name())) continue;
    if (CLI::Option* o = sub->get_option_no_throw(flag)) fn(*sub, *o);
  }
}

}  // namespace

std::string find_config_flag(int argc, const char* const* argv) {
  std::string found;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if (a == "--config" && i + 1 < argc) found = argv[++i];
    else if (a.starts_with("--config=")) found = std::string(a.substr(9));
  }
  return found;
}

Result<void> load_config_defaults(CLI::App& app, Context& ctx, int argc, const char* const* argv) {
  auto config = Config::load(ConfigLoadOptions{.explicit_path = find_config_flag(argc, argv), .env = {}});
  if (!config) return std::unexpected(config.error());
  ctx.config = std::move(*config);
  for (const ConfigValue& v : ctx.config.values()) {
    if (v.text.empty() || v.key->flag.empty() || v.source == ConfigSource::Default) continue;
    Result<void> result;
    for_each_target(app, *v.key, [&](CLI::App&, CLI::Option& o) {
      if (!result) return;
      try {
        o.run_callback_for_default()->default_val(v.text);
      } catch (const CLI::Error& e) {
        std::string where = v.source == ConfigSource::File ? v.origin : std::string(v.key->env);
        result = fail(Errc::ConfigInvalid, where + ": " + std::string(v.key->name) + ": '" + v.text +
                                               "' is not a valid value for " + std::string(v.key->flag) + ": " +
                                               e.what());
      }
    });
    if (!result) return result;
  }
  return {};
}

void note_config_flags(CLI::App& app, Context& ctx) {
  for (const ConfigValue& v : ctx.config.values()) {
    if (v.key->flag.empty()) continue;
    for_each_target(app, *v.key, [&](CLI::App& owner, CLI::Option& o) {
      if (o.count() == 0 || (&owner != &app && !owner.parsed())) return;
      std::string text = o.as<std::string>();
      (void)ctx.config.set_from_flag(v.key->name, text);
    });
  }
}

}  // namespace renderq
