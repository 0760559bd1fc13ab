#include "core/percent_decode.hpp"

namespace renderq {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size())
        return fail(Errc::GltfInvalid, "truncated percent escape in URI");
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return fail(Errc::GltfInvalid, "malformed percent escape in URI");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return fail(Errc::GltfInvalid, "URI contains a NUL character");
    out.push_back(c);
  }
  return out;
}

}  // namespace renderq
