// renderq-full's command table (cli/command_table.hpp): every subcommand of
// cli/commands.def.
#include "cli/command_table.hpp"

#include "spool/pg_queue.hpp"

namespace renderq {

namespace {
constexpr Command kCommands[] = {
#define QUEUE_COMMAND(name, add) {#name, add},
#define FULL_COMMAND(name, add) {#name, add},
#include "cli/commands.def"
#undef QUEUE_COMMAND
#undef FULL_COMMAND
};
}  // namespace

std::span<const Command> own_commands() { return kCommands; }

bool hands_others_to_full() { return false; }

UserSource user_source() { return UserSource::Nss; }

PgOpener pg_opener() {
  return [](const Context&, const std::string& url) -> Result<std::unique_ptr<Queue>> {
    Result<std::unique_ptr<PgQueue>> q = PgQueue::open(url);
    if (!q) return std::unexpected(q.error());
    return std::unique_ptr<Queue>(std::move(*q));
  };
}

}  // namespace renderq
