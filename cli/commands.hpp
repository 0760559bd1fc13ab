// One function per subcommand, each in its own cli/cmd_<name>.cpp. Each adds
// its subcommand to the app and sets ctx.exit_code when it runs.
// To add a command: write cli/cmd_<name>.cpp, declare it here, list it in
// cli/commands_all.cpp (and cli/commands_queue.cpp if the thin renderq runs
// it) and in cli/CMakeLists.txt, and document it in man/.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace renderq {

using AddCommand = void (*)(CLI::App& app, Context& ctx);

void add_submit(CLI::App& app, Context& ctx);
void add_status(CLI::App& app, Context& ctx);
void add_list(CLI::App& app, Context& ctx);
void add_wait(CLI::App& app, Context& ctx);
void add_cancel(CLI::App& app, Context& ctx);
void add_retry(CLI::App& app, Context& ctx);
void add_purge(CLI::App& app, Context& ctx);
void add_render(CLI::App& app, Context& ctx);
void add_devices(CLI::App& app, Context& ctx);
void add_daemon(CLI::App& app, Context& ctx);
void add_pause(CLI::App& app, Context& ctx);
void add_resume(CLI::App& app, Context& ctx);
void add_logs(CLI::App& app, Context& ctx);
void add_config(CLI::App& app, Context& ctx);
void add_complete(CLI::App& app, Context& ctx);  // hidden: __complete
void add_serve(CLI::App& app, Context& ctx);
void add_migrate(CLI::App& app, Context& ctx);
void add_preview(CLI::App& app, Context& ctx);

}  // namespace renderq
