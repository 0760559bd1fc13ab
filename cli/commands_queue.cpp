// renderq's command table (cli/command_table.hpp): the queue commands of
// cli/commands.def, the ones scripts run by the thousand. The rest runs in
// renderq-full.
#include "cli/command_table.hpp"

#include "cli/full_exec.hpp"

namespace renderq {

namespace {
constexpr Command kCommands[] = {
#define QUEUE_COMMAND(name, add) {#name, add},
#define FULL_COMMAND(name, add)
#include "cli/commands.def"
#undef QUEUE_COMMAND
#undef FULL_COMMAND
};
}  // namespace

std::span<const Command> own_commands() { return kCommands; }

bool hands_others_to_full() { return true; }

UserSource user_source() { return UserSource::Files; }

PgOpener pg_opener() {
  return [](const Context& ctx, const std::string&) -> Result<std::unique_ptr<Queue>> {
    return std::unexpected(exec_renderq_full(ctx.argv));  // returns only when the exec failed
  };
}

}  // namespace renderq
