#include "core/byte_size.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace renderq {

Result<std::int64_t> parse_byte_size(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end == text.c_str() || errno != 0 || !(v >= 0))
    return fail(Errc::InvalidArgument, "bad size '" + text + "' (use e.g. 512M, 2G)");
  std::string unit(end);
  double mult = 1;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "K" || unit == "KiB" || unit == "k") mult = 1024.0;
  else if (unit == "M" || unit == "MiB") mult = 1024.0 * 1024;
  else if (unit == "G" || unit == "GiB") mult = 1024.0 * 1024 * 1024;
  else return fail(Errc::InvalidArgument, "bad size unit in '" + text + "' (use K, M or G)");
  double bytes = v * mult;
  if (bytes > static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2))
    return fail(Errc::InvalidArgument, "size '" + text + "' is too large");
  return static_cast<std::int64_t>(bytes);
}

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes) / 1024.0;
  int u = 0;
  while (v >= 1024.0 && u < 5) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  return buf;
}

}  // namespace renderq
