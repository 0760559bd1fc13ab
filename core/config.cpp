#include "core/config.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <toml++/toml.h>

#include "core/byte_size.hpp"
#include "core/duration.hpp"
#include "core/render_spec.hpp"

namespace renderq {

namespace {

using T = ConfigType;

// The one table of keys. `commands` lives in cli/config_apply.cpp, next to
// the options it feeds; here only what the file and environment need.
constexpr ConfigKey kKeys[] = {
    {"spool.dir", T::Path, "RENDERQ_SPOOL", "--spool", "", "Spool folder (default: $XDG_STATE_HOME/renderq)"},
    {"spool.store", T::String, "RENDERQ_STORE", "--store", "", "The queue: a postgresql:// URL, or a spool folder (default: spool.dir)"},
    {"device.render", T::Int, "RENDERQ_DEVICE", "--device", "", "EGL device index for render and preview (default: first GPU)"},
    {"daemon.devices", T::String, "RENDERQ_DAEMON_DEVICES", "--devices", "all", "EGL devices the daemon uses: all or 0,1,..."},
    {"timeouts.job", T::Duration, "RENDERQ_JOB_TIMEOUT", "--timeout", "", "Per-attempt timeout stored with submitted jobs"},
    {"timeouts.default", T::Duration, "", "--default-timeout", "1h", "Daemon: timeout of jobs that set none (0 = none)"},
    {"timeouts.lease", T::Duration, "", "--lease", "30s", "Daemon: lease length"},
    {"timeouts.grace", T::Duration, "", "--grace", "30s", "Daemon: how long running jobs may finish on SIGTERM"},
    {"submit.retries", T::Int, "", "--retries", "0", "Default extra attempts of submitted jobs"},
    {"submit.priority", T::Int, "", "--priority", "0", "Default priority of submitted jobs"},
    {"render.size", T::Size, "RENDERQ_SIZE", "--size", "1024x1024", "Image size WxH"},
    {"render.samples", T::Int, "RENDERQ_SAMPLES", "--samples", "4", "MSAA samples"},
    {"render.tonemap", T::ToneMap, "RENDERQ_TONEMAP", "--tonemap", "pbr-neutral", "Tone mapping"},
    {"render.exposure", T::Float, "RENDERQ_EXPOSURE", "--exposure", "0", "Exposure in EV"},
    {"render.background", T::Color, "RENDERQ_BACKGROUND", "--background", "transparent", "Background colour"},
    {"render.env", T::Path, "RENDERQ_ENV", "--env", "", "Radiance .hdr environment (default: built-in studio)"},
    {"render.fov", T::Float, "", "--fov", "", "Vertical field of view in degrees (default: auto)"},
    {"render.png_level", T::Int, "", "--png-level", "1", "PNG compression level 0-9"},
    {"render.quality", T::Int, "", "--quality", "", "JPEG/WebP quality 1-100 (default: JPEG 90, WebP lossless)"},
    {"render.fps", T::Float, "", "--fps", "", "Frames per second: --animate's sampling, an animated .webp's display (default 25)"},
    {"render.max_scene_memory", T::Bytes, "RENDERQ_MAX_SCENE_MEMORY", "--max-scene-memory", "",
     "Most memory one scene may need: render, preview, daemon workers, serve's upload checks (default: half the memory, up to 64G)"},
};

std::string type_word(ConfigType t) {
  switch (t) {
    case T::String: return "a string";
    case T::Path: return "a path string";
    case T::Int: return "an integer";
    case T::Float: return "a number";
    case T::Bool: return "true or false";
    case T::Duration: return "a duration string like \"90s\" or seconds";
    case T::Size: return "a size string like \"1920x1080\"";
    case T::Color: return "a colour string like \"#336699\" or \"transparent\"";
    case T::ToneMap: return "a tone mapping name";
    case T::Bytes: return "a byte size string like \"4G\" or bytes";
  }
  return "a value";
}

std::string format_double(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::to_string(v);
}

// Expands "~/" and makes a relative path absolute against `base`.
std::string absolute_path(std::string_view text, const std::filesystem::path& base, const EnvFn& env) {
  namespace fs = std::filesystem;
  fs::path p{std::string(text)};
  if (text == "~" || text.starts_with("~/")) {
    auto home = env("HOME");
    if (home && !home->empty()) p = fs::path(*home) / std::string(text.substr(text.size() > 1 ? 2 : 1));
  }
  if (p.is_relative()) p = base / p;
  return p.lexically_normal().string();
}

Error invalid(std::string detail) { return Error{Errc::ConfigInvalid, std::move(detail)}; }

std::string line_of(const toml::node& n, const std::string& path) {
  return path + ":" + std::to_string(n.source().begin.line);
}

// Turns a TOML node into the text check_config_text() understands.
Result<std::string> node_text(const ConfigKey& key, const toml::node& n) {
  switch (key.type) {
    case T::Int:
      if (auto v = n.value_exact<std::int64_t>()) return std::to_string(*v);
      break;
    case T::Float:
      if (n.is_integer() || n.is_floating_point()) return format_double(*n.value<double>());
      break;
    case T::Bool:
      if (auto v = n.value_exact<bool>()) return std::string(*v ? "true" : "false");
      break;
    case T::Duration:
    case T::Bytes:
      if (auto v = n.value_exact<std::int64_t>()) return std::to_string(*v);
      [[fallthrough]];
    case T::String:
    case T::Path:
    case T::Size:
    case T::Color:
    case T::ToneMap:
      if (auto v = n.value_exact<std::string>()) return *v;
      break;
  }
  return std::unexpected(invalid("must be " + type_word(key.type)));
}

}  // namespace

std::span<const ConfigKey> config_keys() { return kKeys; }

const ConfigKey* find_config_key(std::string_view name) {
  for (const ConfigKey& k : kKeys)
    if (k.name == name) return &k;
  return nullptr;
}

std::string_view config_source_name(ConfigSource s) noexcept {
  switch (s) {
    case ConfigSource::Default: return "default";
    case ConfigSource::File: return "file";
    case ConfigSource::Env: return "env";
    case ConfigSource::Flag: return "flag";
  }
  return "default";
}

EnvFn process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

Result<std::string> check_config_text(ConfigType type, std::string_view text) {
  const std::string s(text);
  switch (type) {
    case T::String:
    case T::Path:
      return s;
    case T::Int: {
      long long v = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
        return std::unexpected(invalid("'" + s + "' is not an integer"));
      if (v < INT32_MIN || v > INT32_MAX) return std::unexpected(invalid("'" + s + "' is out of range"));
      return std::to_string(v);
    }
    case T::Float: {
      double v = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc{} || end != s.data() + s.size() || s.empty() || !std::isfinite(v))
        return std::unexpected(invalid("'" + s + "' is not a number"));
      return format_double(v);
    }
    case T::Bool:
      if (s == "true" || s == "1" || s == "yes" || s == "on") return std::string("true");
      if (s == "false" || s == "0" || s == "no" || s == "off") return std::string("false");
      return std::unexpected(invalid("'" + s + "' is not true or false"));
    case T::Duration: {
      auto d = parse_duration(s);
      if (!d) return std::unexpected(invalid(d.error().message()));
      return s;
    }
    case T::Size: {
      auto wh = parse_size(s);
      if (!wh) return std::unexpected(invalid(wh.error().message()));
      return std::to_string((*wh)[0]) + "x" + std::to_string((*wh)[1]);
    }
    case T::Color: {
      auto c = parse_color(s);
      if (!c) return std::unexpected(invalid(c.error().message()));
      return format_color(*c);
    }
    case T::ToneMap: {
      auto t = parse_tonemap(s);
      if (!t) return std::unexpected(invalid(t.error().message()));
      return std::string(tonemap_name(*t));
    }
    case T::Bytes: {
      auto b = parse_byte_size(s);
      if (!b) return std::unexpected(invalid(b.error().message()));
      if (*b == 0) return std::unexpected(invalid("'" + s + "' must be more than 0"));
      return s;
    }
  }
  return s;
}

Result<Config> Config::load(const ConfigLoadOptions& options) {
  namespace fs = std::filesystem;
  const EnvFn env = options.env ? options.env : process_env();
  Config c;
  for (const ConfigKey& k : kKeys) c.values_.push_back(ConfigValue{&k, std::string(k.fallback), ConfigSource::Default, ""});

  // Phase 1: which file.
  bool required = true;
  if (!options.explicit_path.empty()) {
    c.path_ = options.explicit_path;
  } else if (auto p = env("RENDERQ_CONFIG"); p && !p->empty()) {
    c.path_ = *p;
  } else {
    required = false;
    if (auto x = env("XDG_CONFIG_HOME"); x && !x->empty() && x->front() == '/')
      c.path_ = (fs::path(*x) / "renderq" / "config.toml").string();
    else if (auto h = env("HOME"); h && !h->empty())
      c.path_ = (fs::path(*h) / ".config" / "renderq" / "config.toml").string();
  }

  // Phase 2: the file, if any.
  std::error_code ec;
  c.file_found_ = !c.path_.empty() && fs::exists(c.path_, ec);
  if (!c.file_found_ && required) return fail(Errc::ConfigInvalid, "config file not found: " + c.path_);
  if (c.file_found_) {
    toml::table root;
    try {
      root = toml::parse_file(c.path_);
    } catch (const toml::parse_error& e) {
      return fail(Errc::ConfigInvalid, c.path_ + ":" + std::to_string(e.source().begin.line) + ": " +
                                           std::string(e.description()));
    }
    const fs::path base = fs::absolute(c.path_, ec).parent_path();
    for (auto&& [section, node] : root) {
      const toml::table* tbl = node.as_table();
      if (section.str() == "templates" && tbl) {  // [templates.NAME]: core/exec_template.hpp
        for (auto&& [tname, tnode] : *tbl) {
          std::ostringstream json;
          json << toml::json_formatter{tnode};
          auto t = exec_template_from_json(std::string(tname.str()), nlohmann::json::parse(json.str(), nullptr, false));
          if (!t) return fail(Errc::ConfigInvalid, line_of(tnode, c.path_) + ": " + t.error().detail);
          c.templates_.push_back(std::move(*t));
        }
        continue;
      }
      if (!tbl)
        return fail(Errc::ConfigInvalid, line_of(node, c.path_) + ": unknown key '" + std::string(section.str()) +
                                             "' (keys live in sections like [render])");
      for (auto&& [name, value] : *tbl) {
        const std::string full = std::string(section.str()) + "." + std::string(name.str());
        const ConfigKey* key = find_config_key(full);
        if (!key) return fail(Errc::ConfigInvalid, line_of(value, c.path_) + ": unknown key '" + full + "'");
        // "" means unset for every type, so `renderq config` output reads back.
        const bool unset = value.value_exact<std::string>() == std::optional<std::string>("");
        auto text = unset ? Result<std::string>("") : node_text(*key, value);
        if (text && !unset) text = check_config_text(key->type, *text);
        if (!text) return fail(Errc::ConfigInvalid, line_of(value, c.path_) + ": " + full + ": " + text.error().detail);
        if (key->type == T::Path && !text->empty()) *text = absolute_path(*text, base, env);
        ConfigValue& v = c.values_[static_cast<std::size_t>(key - kKeys)];
        v = ConfigValue{key, std::move(*text), ConfigSource::File, line_of(value, c.path_)};
      }
    }
  }

  // Phase 3: the environment overrides the file.
  for (ConfigValue& v : c.values_) {
    if (v.key->env.empty()) continue;
    auto e = env(v.key->env);
    if (!e || e->empty()) continue;
    auto text = check_config_text(v.key->type, *e);
    if (!text)
      return fail(Errc::ConfigInvalid, std::string(v.key->env) + " (" + std::string(v.key->name) + "): " + text.error().detail);
    if (v.key->type == T::Path) *text = absolute_path(*text, fs::current_path(ec), env);
    v = ConfigValue{v.key, std::move(*text), ConfigSource::Env, std::string(v.key->env)};
  }
  return c;
}

const ConfigValue& Config::get(std::string_view name) const {
  for (const ConfigValue& v : values_)
    if (v.key->name == name) return v;
  static const ConfigValue kNone{};
  return kNone;
}

Result<void> Config::set_from_flag(std::string_view name, std::string_view text) {
  for (ConfigValue& v : values_) {
    if (v.key->name != name) continue;
    auto checked = check_config_text(v.key->type, text);
    if (!checked) return fail(Errc::ConfigInvalid, std::string(v.key->flag) + ": " + checked.error().detail);
    v = ConfigValue{v.key, std::move(*checked), ConfigSource::Flag, std::string(v.key->flag)};
    return {};
  }
  return fail(Errc::Internal, "unknown config key " + std::string(name));
}

}  // namespace renderq
