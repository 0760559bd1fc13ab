#include "serve/paths.hpp"

#include <sys/stat.h>

namespace renderq::serve {

namespace fs = std::filesystem;

namespace {

bool has_control_byte(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

// Whether `p` is `root` or lies below it, compared component by component
// (so /data2 is not under /data).
bool is_under(const fs::path& p, const fs::path& root) {
  auto pi = p.begin();
  for (auto ri = root.begin(); ri != root.end(); ++ri, ++pi) {
    if (ri->empty()) continue;  // a trailing separator
    if (pi == p.end() || *pi != *ri) return false;
  }
  return true;
}

bool under_any(const fs::path& p, std::span<const fs::path> roots) {
  for (const fs::path& r : roots)
    if (is_under(p, r)) return true;
  return false;
}

}  // namespace

Result<std::vector<fs::path>> canonical_roots(std::span<const std::string> roots) {
  std::vector<fs::path> out;
  for (const std::string& r : roots) {
    std::error_code ec;
    fs::path c = fs::canonical(r, ec);
    if (ec || !fs::is_directory(c, ec))
      return fail(Errc::InvalidArgument, "--allow-root '" + r + "' is not an existing folder");
    out.push_back(c);
  }
  return out;
}

Result<std::string> resolve_allowed(std::string_view field, std::string_view client_path,
                                    std::span<const fs::path> roots, Errc missing) {
  std::string f(field);
  if (client_path.empty()) return fail(Errc::InvalidArgument, "field '" + f + "' is empty");
  if (client_path.size() > 4096) return fail(Errc::InvalidArgument, "field '" + f + "' is too long");
  if (has_control_byte(client_path))
    return fail(Errc::InvalidArgument, "field '" + f + "' holds control characters");
  if (roots.empty())
    return fail(Errc::PermissionDenied,
                "field '" + f + "': this server accepts no paths (it was started without --allow-root); upload the scene");
  if (client_path.front() != '/')
    return fail(Errc::PermissionDenied, "field '" + f + "' must be an absolute path under an allowed root");
  fs::path p{std::string(client_path)};
  for (const fs::path& part : p)
    if (part == "..") return fail(Errc::PermissionDenied, "field '" + f + "' must not contain '..'");
  fs::path normal = p.lexically_normal();
  if (!under_any(normal, roots))
    return fail(Errc::PermissionDenied, "field '" + f + "' is outside every allowed root");
  std::error_code ec;
  fs::path real = fs::canonical(normal, ec);
  if (ec) return fail(missing, "field '" + f + "': no such file under the allowed roots");
  // A symlink inside a root may point anywhere: judge the resolved path too.
  if (!under_any(real, roots))
    return fail(Errc::PermissionDenied, "field '" + f + "' leads outside every allowed root");
  struct stat st {};
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return fail(missing, "field '" + f + "' does not name a regular file");
  return real.string();
}

Result<void> check_label(std::string_view field, std::string_view value, std::size_t max_bytes) {
  std::string f(field);
  if (value.size() > max_bytes)
    return fail(Errc::InvalidArgument, "field '" + f + "' is longer than " + std::to_string(max_bytes) + " bytes");
  if (has_control_byte(value)) return fail(Errc::InvalidArgument, "field '" + f + "' holds control characters");
  if (value.find('/') != std::string_view::npos || value.find('\\') != std::string_view::npos ||
      value.find("..") != std::string_view::npos)
    return fail(Errc::InvalidArgument, "field '" + f + "' must not hold '/', '\\' or '..'");
  return {};
}

}  // namespace renderq::serve
