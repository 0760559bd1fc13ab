#include "cli/existing_spool.hpp"

namespace renderq {

Result<std::optional<Spool>> open_existing_spool(const Context& ctx) {
  auto spool = ctx.open_spool(false);
  if (spool) return std::optional<Spool>(std::move(*spool));
  if (spool.error().code == Errc::NotFound) return std::optional<Spool>();
  return std::unexpected(spool.error());
}

int report_store_error(const Spool& spool, const Error& error) {
  if (error.code != Errc::SpoolCorrupt && error.code != Errc::SchemaTooNew) return report(error);
  const std::string db = (spool.dir() / "queue.db").string();
  if (error.detail.find(db) != std::string::npos) return report(error);
  return report(Error{error.code, db + ": " + error.message()});
}

Error no_such_job(std::int64_t id, const Context& ctx) {
  return Error{Errc::JobNotFound,
               "job " + std::to_string(id) + " not found: no spool at " + resolve_spool_dir(ctx.spool_flag)};
}

}  // namespace renderq
