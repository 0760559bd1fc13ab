// One function per subcommand, each in its own cli/cmd_<name>.cpp. Each adds
// its subcommand to the app and sets ctx.exit_code when it runs.
// To add a command: write cli/cmd_<name>.cpp, list it once in
// cli/commands.def (which declares it here and puts it in both command
// tables) and in cli/CMakeLists.txt, and document it in man/.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace renderq {

using AddCommand = void (*)(CLI::App& app, Context& ctx);

#define QUEUE_COMMAND(name, add) void add(CLI::App& app, Context& ctx);
#define FULL_COMMAND(name, add) void add(CLI::App& app, Context& ctx);
#include "cli/commands.def"
#undef QUEUE_COMMAND
#undef FULL_COMMAND

}  // namespace renderq
