#include "core/utf8.hpp"

#include <cstdio>

namespace renderq {

namespace {

// The length of the valid UTF-8 sequence at s[i], or 0 if there is none.
std::size_t sequence_at(std::string_view s, std::size_t i) noexcept {
  auto byte = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  auto cont = [](unsigned c) { return (c & 0xc0u) == 0x80u; };
  const unsigned c = byte(0);
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(byte(1)) ? 2 : 0;
  // The second byte's range rules out overlong forms (E0, F0), surrogates
  // (ED) and code points past U+10FFFF (F4).
  unsigned lo = 0x80, hi = 0xbf;
  std::size_t n = 0;
  if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (!cont(byte(k))) return 0;
  return n;
}

}  // namespace

bool valid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_at(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string printable_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_at(s, i);
    const auto c = static_cast<unsigned char>(s[i]);
    if (n == 0 || c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

Result<void> check_text(std::string_view what, std::string_view s) {
  if (s.find('\0') != std::string_view::npos)
    return fail(Errc::InvalidArgument, std::string(what) + " contains a NUL byte");
  if (!valid_utf8(s))
    return fail(Errc::InvalidArgument, std::string(what) + " is not valid UTF-8: '" + printable_text(s) + "'");
  return {};
}

}  // namespace renderq
