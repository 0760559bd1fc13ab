#include "spool/sql_text.hpp"

#include <algorithm>
#include <string>

namespace renderq {

Result<std::string_view> sql_text(std::string_view path) {
  const auto files = embedded_sql();
  const auto it = std::lower_bound(files.begin(), files.end(), path,
                                   [](const EmbeddedSql& f, std::string_view p) { return f.path < p; });
  if (it == files.end() || it->path != path)
    return fail(Errc::Internal, "SQL file sql/" + std::string(path) + " was not built in");
  return it->text;
}

Result<std::vector<Migration>> migrations(std::string_view folder) {
  std::vector<Migration> out;
  const std::string prefix = folder.empty() ? std::string() : std::string(folder) + "/";
  for (const EmbeddedSql& f : embedded_sql()) {
    if (!f.path.starts_with(prefix)) continue;
    const std::string_view p = f.path.substr(prefix.size());
    if (p.find('/') != std::string_view::npos || p.size() < 6 || p[4] != '_') continue;
    if (!std::all_of(p.begin(), p.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) continue;
    const int version = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    out.push_back(Migration{.version = version, .path = f.path, .text = f.text});
  }
  // Sorted by path already, and the fixed-width prefix sorts like the number.
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i].version != static_cast<int>(i) + 1)
      return fail(Errc::Internal, "schema migrations must be numbered 0001, 0002, ... without gaps; found sql/" +
                                      std::string(out[i].path));
  return out;
}

}  // namespace renderq
