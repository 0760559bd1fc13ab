// The SQL files of sql/, compiled into the binary (cmake/embed_sql.cmake
// generates the table at build time), and the migration list derived from
// them. A backend looks its statements up by path, e.g. "sqlite/claim.sql";
// schema migrations are the top-level files "NNNN_name.sql", applied in
// order of NNNN.
//
// Thread-safety: immutable data; safe from any thread.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace renderq {

struct EmbeddedSql {
  std::string_view path;  // relative to sql/, e.g. "0001_init.sql"
  std::string_view text;
};

// Every embedded file, sorted by path. Defined in the generated source.
std::span<const EmbeddedSql> embedded_sql() noexcept;

// The text of one embedded file; Errc::Internal when absent (a build error,
// since every path used by the code is a literal).
Result<std::string_view> sql_text(std::string_view path);

struct Migration {
  int version = 0;        // NNNN
  std::string_view path;
  std::string_view text;
};

// The NNNN_*.sql files directly in `folder` (empty: the top level, SQLite's
// schema; "pg": PostgreSQL's) in version order. Errc::Internal when the
// numbers do not run 1, 2, 3, ... without gaps or duplicates.
Result<std::vector<Migration>> migrations(std::string_view folder = {});

}  // namespace renderq
