#include "cli/existing_queue.hpp"

namespace renderq {

Result<std::unique_ptr<Queue>> open_existing_queue(const Context& ctx) {
  auto queue = ctx.open_queue(false);
  if (queue) return std::move(*queue);
  if (queue.error().code == Errc::NotFound) return std::unique_ptr<Queue>();
  return std::unexpected(queue.error());
}

int report_store_error(const Queue& queue, const Error& error) {
  if (error.code != Errc::SpoolCorrupt && error.code != Errc::SchemaTooNew) return report(error);
  // A spool's database is its queue.db; a PostgreSQL queue is its URL.
  const std::string where = is_pg_url(queue.where()) ? queue.where() : queue.where() + "/queue.db";
  if (error.detail.find(where) != std::string::npos) return report(error);
  return report(Error{error.code, where + ": " + error.message()});
}

Error no_such_job(std::int64_t id, const Context& ctx) {
  Result<StoreChoice> choice = ctx.store_choice();
  return Error{Errc::JobNotFound,
               "job " + std::to_string(id) + " not found: no spool at " + (choice ? choice->text : resolve_spool_dir(ctx.spool_flag))};
}

}  // namespace renderq
