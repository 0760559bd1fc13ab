// renderq-full's command table (cli/command_table.hpp): every subcommand.
#include "cli/command_table.hpp"

#include "spool/pg_queue.hpp"

namespace renderq {

namespace {
// one line per subcommand; keep cli/commands_queue.cpp, cli/CMakeLists.txt and man/ in step
constexpr Command kCommands[] = {
    {"submit", add_submit},   {"status", add_status},   {"list", add_list},       {"wait", add_wait},
    {"cancel", add_cancel},   {"retry", add_retry},     {"purge", add_purge},     {"daemon", add_daemon},
    {"pause", add_pause},     {"resume", add_resume},   {"logs", add_logs},       {"render", add_render},
    {"preview", add_preview}, {"devices", add_devices}, {"config", add_config},   {"__complete", add_complete},
    {"serve", add_serve},     {"migrate", add_migrate},
};
}  // namespace

std::span<const Command> own_commands() { return kCommands; }

bool hands_others_to_full() { return false; }

PgOpener pg_opener() {
  return [](const Context&, const std::string& url) -> Result<std::unique_ptr<Queue>> {
    Result<std::unique_ptr<PgQueue>> q = PgQueue::open(url);
    if (!q) return std::unexpected(q.error());
    return std::unique_ptr<Queue>(std::move(*q));
  };
}

}  // namespace renderq
