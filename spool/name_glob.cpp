#include "spool/name_glob.hpp"

namespace renderq {

std::string glob_to_regex(std::string_view glob) {
  if (glob.empty()) return {};
  std::string re = "^";
  for (std::size_t i = 0; i < glob.size(); ++i) {
    const char c = glob[i];
    if (c == '*') {
      re += ".*";
    } else if (c == '?') {
      re += '.';
    } else if (c == '[' && glob.find(']', i + 2) != std::string_view::npos) {
      // A class: "]" right after "[" or "[^" is a member, as in SQLite's GLOB.
      std::size_t j = i + 1;
      re += '[';
      if (glob[j] == '^') {
        re += '^';
        ++j;
      }
      if (glob[j] == ']') {
        re += "\\]";
        ++j;
      }
      for (; glob[j] != ']'; ++j) {
        if (glob[j] == '\\') re += '\\';
        re += glob[j];
      }
      re += ']';
      i = j;
    } else {
      if (std::string_view(".^$|()[]{}+\\").find(c) != std::string_view::npos) re += '\\';
      re += c;
    }
  }
  return re + "$";
}

}  // namespace renderq
