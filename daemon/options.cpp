// Parsing of the daemon's option values (device lists; byte sizes: core/byte_size).
#include <cerrno>
#include <cstdlib>

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

}  // namespace renderq
