#include "spool/pg_job_log.hpp"

#include <string>

namespace renderq {

namespace {

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Result<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return fail(Errc::SpoolCorrupt, "a job log chunk came back as odd hex");
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return fail(Errc::SpoolCorrupt, "a job log chunk came back as bad hex");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

template <typename F>
auto guarded(std::string_view what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const PgError& e) {
    return std::unexpected(Error{e.error.code, std::string(what) + ": " + e.error.detail});
  }
}

}  // namespace

Result<void> pg_append_log(PgConn& conn, JobId id, const std::string& source, std::int64_t offset,
                           std::string_view bytes) {
  if (bytes.empty()) return {};
  return guarded("append to the job log", [&]() -> Result<void> {
    conn.ensure_connected();
    try {
      conn.query("pg/append_log.sql", {pg(id.value), pg(source), pg(offset), pg(to_hex(bytes))});
    } catch (const PgError& e) {
      // Internal here is the foreign key: the job was purged.
      if (e.error.code != Errc::Internal || conn.query("pg/exists.sql", {pg(id.value)}).size() != 0) throw;
      return fail(Errc::JobNotFound, "no job " + std::to_string(id.value));
    }
    return {};
  });
}

Result<std::int64_t> pg_log_source_end(PgConn& conn, JobId id, const std::string& source) {
  return guarded("read the job log", [&]() -> Result<std::int64_t> {
    conn.ensure_connected();
    return conn.query("pg/log_source_end.sql", {pg(id.value), pg(source)}).int64(0, "n");
  });
}

Result<std::int64_t> pg_read_log(PgConn& conn, JobId id, std::int64_t offset,
                                 const std::function<void(std::string_view)>& out) {
  return guarded("read the job log", [&]() -> Result<std::int64_t> {
    conn.ensure_connected();
    PgRows r = conn.query("pg/read_log.sql", {pg(id.value), pg(offset)});
    for (int i = 0; i < r.size(); ++i) {
      const std::int64_t start = r.int64(i, "start");
      Result<std::string> bytes = from_hex(r.text(i, "hex"));
      if (!bytes) return std::unexpected(bytes.error());
      if (start > offset) break;  // a gap: a writer's chunk not committed yet
      const std::int64_t skip = offset - start;
      out(std::string_view(*bytes).substr(static_cast<std::size_t>(skip)));
      offset = start + static_cast<std::int64_t>(bytes->size());
    }
    return offset;
  });
}

}  // namespace renderq
