// Fuzzing target config: the settings file (core/config, TOML through
// toml++) as `renderq` reads it from --config, with an empty environment;
// then the input's first line as the value of every key's flag, which runs
// each type's checks (size, colour, duration, tone map, ...).
//
// The reader takes a path, so each input is written to one file in a
// private folder first.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "fuzz/fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path file = renderq::fuzz::temp_dir() / "config.toml";
  renderq::fuzz::write_input(file, data, size);
  auto config = renderq::Config::load(renderq::ConfigLoadOptions{
      .explicit_path = file.string(),
      .env = [](std::string_view) { return std::optional<std::string>(); },
  });
  if (!config) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view line = text.substr(0, text.find('\n'));
  for (const renderq::ConfigKey& key : renderq::config_keys()) (void)config->set_from_flag(key.name, line);
  return 0;
}
