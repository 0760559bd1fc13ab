#include "spool/queue.hpp"

namespace renderq {

bool is_pg_url(std::string_view store) noexcept {
  return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  // postgresql://user:secret@host/db: the userinfo ends at the first '@'
  // before the path.
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t path = out.find_first_of("/?", start);
    const std::size_t at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
    if (at != std::string::npos && at > start) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&...
  for (std::size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    if (p > 0 && out[p - 1] != '?' && out[p - 1] != '&' && out[p - 1] != ' ') continue;
    const std::size_t v = p + 9;
    const std::size_t end = out.find_first_of("& ", v);
    out.replace(v, (end == std::string::npos ? out.size() : end) - v, "***");
  }
  return out;
}

}  // namespace renderq
