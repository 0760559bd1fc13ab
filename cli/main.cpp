// renderq's entry point: parse the command line, run one subcommand, exit
// with its code. Everything else lives in the libraries and cli/cmd_*.cpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "cli/commands.hpp"
#include "cli/config_apply.hpp"
#include "cli/context.hpp"

namespace {

// The subcommands, in the order `renderq --help` lists them.
const renderq::AddCommand kCommands[] = {
    // one line per subcommand; keep cli/CMakeLists.txt and man/ in step
    renderq::add_submit,
    renderq::add_status,
    renderq::add_list,
    renderq::add_wait,
    renderq::add_cancel,
    renderq::add_retry,
    renderq::add_purge,
    renderq::add_daemon,
    renderq::add_pause,
    renderq::add_resume,
    renderq::add_logs,
    renderq::add_render,
    renderq::add_preview,
    renderq::add_devices,
    renderq::add_config,
    renderq::add_complete,
    renderq::add_serve,
};

}  // namespace

int main(int argc, char** argv) {
  using namespace renderq;
  Context ctx;
  ctx.argv.assign(argv, argv + argc);
  CLI::App app{"renderq: a render queue for one GPU box", "renderq"};
  app.set_version_flag("--version", RENDERQ_VERSION);
  app.add_option("--spool", ctx.spool_flag, "Spool folder (default: $RENDERQ_SPOOL, $XDG_STATE_HOME/renderq)")
      ->type_name("DIR");
  app.add_flag("--force", ctx.force, "Use a spool on a network file system anyway (unsafe)");
  app.add_option("--config", ctx.config_flag,
                 "Config file (default: $RENDERQ_CONFIG, $XDG_CONFIG_HOME/renderq/config.toml)")
      ->type_name("FILE");
  app.require_subcommand(1);
  app.fallthrough();

  // Phase 1: declare every subcommand.
  for (AddCommand add : kCommands) add(app, ctx);

  // Phase 1b: the config file and environment become the options' defaults.
  if (auto loaded = load_config_defaults(app, ctx, argc, argv); !loaded) return report(loaded.error());

  // Phase 2: parse; CLI11's own codes (100+) become the documented ones.
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion& e) {
    std::printf("renderq %s\n", RENDERQ_VERSION);
    return 0;
  } catch (const CLI::ParseError& e) {
    // CLI11 reports a mistyped command as "A subcommand is required": name it.
    if (app.get_subcommands().empty() && !app.remaining().empty())
      diag("unknown command '" + app.remaining().front() + "' (see renderq --help)");
    else
      diag(e.what());
    return code(Exit::Usage);
  } catch (const std::exception& e) {
    // Phase 3 ran inside parse (subcommand callbacks); nothing may escape.
    diag(std::string("internal error: ") + e.what());
    return code(Exit::Failure);
  }
  return ctx.exit_code;
}
