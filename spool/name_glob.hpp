// Job-name filters (`list --name GLOB`) for the backends: SQLite matches a
// GLOB itself; PostgreSQL has no GLOB, so the pattern becomes an anchored
// POSIX regular expression with the same meaning (`*`, `?`, `[...]` and
// `[^...]` as SQLite's GLOB reads them; every other character literal).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace renderq {

// "" for "" (no filter); else "^...$". An unclosed "[" is a literal "[".
std::string glob_to_regex(std::string_view glob);

}  // namespace renderq
