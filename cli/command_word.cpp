#include "cli/command_word.hpp"

namespace renderq {

std::string_view command_word(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--spool" || a == "--config") {
      ++i;  // its value
      continue;
    }
    if (a == "--force" || a.starts_with("--spool=") || a.starts_with("--config=")) continue;
    if (a.starts_with("-")) return {};
    return a;
  }
  return {};
}

}  // namespace renderq
