// Config: renderq's settings file and environment, merged into one table of
// effective values, each remembering where it came from.
//
// Precedence, lowest to highest: built-in default < config file < environment
// < command-line flag. The file is TOML (parsed by toml++):
//
//   [spool]
//   dir = "/var/spool/renderq"
//   [render]
//   size = "1920x1080"
//   samples = 8
//
// Every key is declared once in config_keys() (name, type, environment
// variable, flag); an unknown key or a wrong type is an error naming the key
// and its line (Errc::ConfigInvalid), never silently ignored. Flags are
// applied by the CLI layer (cli/config_apply.hpp), which records them here
// with set_from_flag() so `renderq config` can show them.
//
// Thread-safety: plain values; load() reads the environment and the file.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/exec_template.hpp"

namespace renderq {

enum class ConfigType { String, Path, Int, Float, Bool, Duration, Size, Color, ToneMap, Bytes };

// One key the file may hold. `flag` is the long option it feeds ("" if none);
// `env` its environment variable ("" if none).
struct ConfigKey {
  std::string_view name;  // "section.key"
  ConfigType type;
  std::string_view env;
  std::string_view flag;
  std::string_view fallback;  // built-in default, as text ("" = unset)
  std::string_view help;
};

// Every key renderq knows, in the order `renderq config` prints them.
std::span<const ConfigKey> config_keys();
const ConfigKey* find_config_key(std::string_view name);

enum class ConfigSource { Default, File, Env, Flag };
std::string_view config_source_name(ConfigSource s) noexcept;  // "default", "file", ...

struct ConfigValue {
  const ConfigKey* key = nullptr;
  std::string text;            // canonical text form; "" = unset
  ConfigSource source = ConfigSource::Default;
  std::string origin;          // "path:line", "RENDERQ_SPOOL", "--spool", ""
};

// Reads an environment variable; injectable so tests need not touch the
// process environment.
using EnvFn = std::function<std::optional<std::string>(std::string_view name)>;
EnvFn process_env();

struct ConfigLoadOptions {
  std::string explicit_path;  // --config FILE; "" = $RENDERQ_CONFIG or the user file
  EnvFn env;                  // empty = process_env()
};

class Config {
 public:
  // The file used: explicit_path, else $RENDERQ_CONFIG, else
  // $XDG_CONFIG_HOME/renderq/config.toml, else ~/.config/renderq/config.toml.
  // An explicit file (flag or $RENDERQ_CONFIG) must exist (Errc::ConfigInvalid);
  // the per-user file is optional. Fails with Errc::ConfigInvalid for TOML
  // syntax errors, unknown keys, wrong types and bad values (size, colour,
  // duration, ...), and for bad values in the environment variables, naming
  // the key (and the file's line) in the detail.
  static Result<Config> load(const ConfigLoadOptions& options = {});

  // The file that was (or would have been) read, and whether it existed.
  const std::string& path() const { return path_; }
  bool file_found() const { return file_found_; }

  // Every known key in config_keys() order, with its effective value.
  const std::vector<ConfigValue>& values() const { return values_; }
  const ConfigValue& get(std::string_view name) const;  // REQUIRES: a known key

  // Records that a flag set this key (for `renderq config`). Checks the value
  // like the file's (Errc::ConfigInvalid naming the flag).
  Result<void> set_from_flag(std::string_view name, std::string_view text);

  // The [templates.NAME] tables of the file (core/exec_template.hpp).
  const std::vector<ExecTemplate>& templates() const { return templates_; }
  const ExecTemplate* find_template(std::string_view name) const {
    for (const ExecTemplate& t : templates_)
      if (t.name == name) return &t;
    return nullptr;
  }

 private:
  std::vector<ExecTemplate> templates_;
  std::string path_;
  bool file_found_ = false;
  std::vector<ConfigValue> values_;
};

// Checks `text` against `type` and returns its canonical form
// ("8", "1.5", "true", "1920x1080", "#ff0000", "pbr-neutral", "90s", "4G").
// Errc::ConfigInvalid with a detail that does not name the key.
Result<std::string> check_config_text(ConfigType type, std::string_view text);

}  // namespace renderq
