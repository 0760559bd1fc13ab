#include "cli/context.hpp"

#include <CLI/CLI.hpp>

#include "cli/spool_group.hpp"
#include "core/journal_log.hpp"
#include "spool/spool_queue.hpp"

#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <string>

namespace renderq {

namespace {

int rank(ConfigSource s) {
  switch (s) {
    case ConfigSource::Default: return 0;
    case ConfigSource::File: return 1;
    case ConfigSource::Env: return 2;
    case ConfigSource::Flag: return 3;
  }
  return 0;
}

bool typed(const CLI::App* root, const char* flag) {
  if (root == nullptr) return false;
  const CLI::Option* o = root->get_option_no_throw(flag);
  return o != nullptr && o->count() > 0;
}

// One key's effective value: the flag when typed, else what the config
// loaded (file or environment), which main also made the option's default.
StoreChoice setting(const Context& ctx, std::string_view key, const char* flag, const std::string& value) {
  if (typed(ctx.root, flag)) return StoreChoice{.text = value, .pg = false, .source = ConfigSource::Flag, .origin = flag};
  const ConfigValue& v = ctx.config.get(key);
  if (v.key == nullptr || v.text.empty()) return StoreChoice{.text = value, .pg = false, .source = ConfigSource::Default, .origin = ""};
  return StoreChoice{.text = v.text, .pg = false, .source = v.source,
                     .origin = v.source == ConfigSource::Env ? std::string(v.key->env) : v.origin};
}

}  // namespace

Result<StoreChoice> Context::store_choice() const {
  if (typed(root, "--store") && typed(root, "--spool"))
    return fail(Errc::InvalidArgument, "--store and --spool both name the queue: give one");
  StoreChoice store = setting(*this, "spool.store", "--store", store_flag);
  StoreChoice spool = setting(*this, "spool.dir", "--spool", spool_flag);
  if (!store.text.empty() && rank(store.source) >= rank(spool.source)) {
    store.pg = is_pg_url(store.text);
    if (!store.pg && store.text.find("://") != std::string::npos)
      return fail(Errc::InvalidArgument, "store '" + redact_url(store.text) +
                                             "': only postgresql:// and postgres:// URLs name a database; "
                                             "anything else is a spool folder");
    return store;
  }
  spool.text = resolve_spool_dir(spool.text);
  return spool;
}

Result<std::unique_ptr<Queue>> Context::open_queue(bool create) const {
  Result<StoreChoice> choice = store_choice();
  if (!choice) return std::unexpected(choice.error());
  if (choice->pg) {
    if (!open_pg) return fail(Errc::Unsupported, "this renderq cannot open a PostgreSQL queue");
    return open_pg(*this, choice->text);
  }
  Result<Spool> spool = open_spool(create);
  if (!spool) return std::unexpected(spool.error());
  return std::unique_ptr<Queue>(std::make_unique<SpoolQueue>(std::move(*spool)));
}

Result<Spool> Context::open_spool(bool create) const {
  Result<StoreChoice> choice = store_choice();
  if (!choice) return std::unexpected(choice.error());
  if (choice->pg)
    return fail(Errc::Unsupported, "this command works on a spool folder, not on the PostgreSQL queue " +
                                       redact_url(choice->text));
  // A shared spool opened through the set-group-id helper is its daemon's
  // to create: the helper only ever joins an existing queue.
  if (spool_group::raise_for(choice->text) && !std::filesystem::exists(std::filesystem::path(choice->text) / "queue.db"))
    return fail(Errc::SpoolUnusable, "the shared spool " + choice->text +
                                         " has no queue yet: its daemon creates it (start renderq.service)");
  // A path the user typed (a flag, the environment, the config file) is
  // created one level deep at most, so a typo fails instead of growing a
  // new queue somewhere; the default XDG location is created with its parents.
  return Spool::open(SpoolOptions{.dir = choice->text,
                                  .allow_network_fs = force,
                                  .create = create,
                                  .create_parents = choice->source == ConfigSource::Default,
                                  .fs_probe = {}});
}

// Through log_line so that under systemd each line gets a journald priority.
void diag(std::string_view message) { log_line(LogLevel::Warning, message); }

int report(const Error& error) {
  log_line(LogLevel::Error, error.message());
  return code(exit_for(error));
}

}  // namespace renderq
