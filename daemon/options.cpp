// Parsing of the daemon's option values (device lists, byte sizes).
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <limits>

#include "daemon/supervisor.hpp"

namespace renderq {

Result<std::vector<int>> parse_device_list(const std::string& text) {
  std::vector<int> out;
  if (text == "all") return out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    char* end = nullptr;
    errno = 0;
    long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || errno != 0 || v < 0 || v > 1024)
      return fail(Errc::InvalidArgument, "bad device '" + item + "' in --devices '" + text +
                                             "' (use all or indices like 0,1)");
    for (int d : out)
      if (d == v) return fail(Errc::InvalidArgument, "device " + item + " listed twice in --devices");
    out.push_back(static_cast<int>(v));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

Result<std::int64_t> parse_byte_size(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end == text.c_str() || errno != 0 || v < 0)
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

}  // namespace renderq
