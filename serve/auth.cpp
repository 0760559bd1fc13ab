#include "serve/auth.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <fstream>

namespace renderq::serve {

bool is_loopback_address(std::string_view host) {
  std::string h(host);
  if (h == "localhost") return true;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  in_addr v4{};
  if (::inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Result<std::string> load_token(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(Errc::Io, "cannot read token file " + path);
  if ((st.st_mode & 0077) != 0)
    return fail(Errc::PermissionDenied, "token file " + path + " is readable by others; chmod 600 it");
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return fail(Errc::Io, "cannot read token file " + path);
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!line.empty() && ws(line.back())) line.pop_back();
  std::size_t b = 0;
  while (b < line.size() && ws(line[b])) ++b;
  line.erase(0, b);
  if (line.size() < 16) return fail(Errc::InvalidArgument, "token in " + path + " is shorter than 16 bytes");
  for (char c : line)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return fail(Errc::InvalidArgument, "token in " + path + " holds spaces or control characters");
  return line;
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() != kScheme.size() + token.size()) return false;
  if (authorization.substr(0, kScheme.size()) != kScheme) return false;
  // Constant time over the token's length: no early exit on a mismatch.
  unsigned char diff = 0;
  for (std::size_t i = 0; i < token.size(); ++i)
    diff |= static_cast<unsigned char>(authorization[kScheme.size() + i] ^ token[i]);
  return diff == 0;
}

bool host_is_loopback(std::string_view host_header) {
  std::string_view h = host_header;
  if (!h.empty() && h.front() == '[') {
    std::size_t close = h.find(']');
    if (close == std::string_view::npos) return false;
    return is_loopback_address(h.substr(0, close + 1));
  }
  std::size_t colon = h.rfind(':');
  if (colon != std::string_view::npos) h = h.substr(0, colon);
  return !h.empty() && is_loopback_address(h);
}

bool origin_matches(std::string_view origin, std::string_view host_header) {
  return !host_header.empty() && origin == "http://" + std::string(host_header);
}

}  // namespace renderq::serve
