// renderq's command table (cli/command_table.hpp): the queue commands, the
// ones scripts run by the thousand. The rest runs in renderq-full.
#include "cli/command_table.hpp"

#include "cli/full_exec.hpp"

namespace renderq {

namespace {
constexpr Command kCommands[] = {
    {"submit", add_submit}, {"status", add_status}, {"list", add_list},     {"wait", add_wait},
    {"cancel", add_cancel}, {"retry", add_retry},   {"purge", add_purge},   {"pause", add_pause},
    {"resume", add_resume}, {"logs", add_logs},
};
}  // namespace

std::span<const Command> own_commands() { return kCommands; }

bool hands_others_to_full() { return true; }

PgOpener pg_opener() {
  return [](const Context& ctx, const std::string&) -> Result<std::unique_ptr<Queue>> {
    return std::unexpected(exec_renderq_full(ctx.argv));  // returns only when the exec failed
  };
}

}  // namespace renderq
