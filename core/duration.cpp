#include "core/duration.hpp"

#include <cctype>
#include <cstdint>
#include <limits>

namespace renderq {
namespace {

Result<std::int64_t> unit_ms(std::string_view unit) {
  if (unit.empty() || unit == "s") return 1000;
  if (unit == "ms") return 1;
  if (unit == "m") return 60'000;
  if (unit == "h") return 3'600'000;
  if (unit == "d") return 86'400'000;
  return fail(Errc::BadDuration, "unknown unit '" + std::string(unit) + "'");
}

}  // namespace

Result<Millis> parse_duration(std::string_view text) {
  auto bad = [&](std::string why) {
    return fail(Errc::BadDuration,
                "bad duration '" + std::string(text) + "': " + why +
                    " (use e.g. 250ms, 30s, 5m, 1h30m, 2d)");
  };
  if (text.empty()) return bad("empty");
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return bad("expected a number");
    double value = 0;
    std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    std::string number(text.substr(start, i - start));
    try {
      std::size_t used = 0;
      value = std::stod(number, &used);
      if (used != number.size()) return bad("malformed number");
    } catch (...) {
      return bad("malformed number");
    }
    std::size_t ustart = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    auto ms = unit_ms(text.substr(ustart, i - ustart));
    if (!ms) return bad(ms.error().detail);
    double add = value * static_cast<double>(*ms);
    if (add > 1e15 || static_cast<double>(total) + add > 1e15) return bad("too large");
    total += static_cast<std::int64_t>(add);
  }
  return Millis(total);
}

std::string format_duration(Millis d) {
  std::int64_t ms = d.count();
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 60'000) {
    std::int64_t tenths = ms / 100;
    std::string s = std::to_string(tenths / 10);
    if (tenths % 10) s += "." + std::to_string(tenths % 10);
    return s + "s";
  }
  std::int64_t s = ms / 1000;
  std::string out;
  if (s >= 86'400) { out += std::to_string(s / 86'400) + "d"; s %= 86'400; }
  if (s >= 3600) { out += std::to_string(s / 3600) + "h"; s %= 3600; }
  if (s >= 60) { out += std::to_string(s / 60) + "m"; s %= 60; }
  if (s) out += std::to_string(s) + "s";
  return out;
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace renderq
