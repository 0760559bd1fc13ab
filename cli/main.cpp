// renderq's entry point: parse the command line, run one subcommand, exit
// with its code. Everything else lives in the libraries and cli/cmd_*.cpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "cli/command_table.hpp"
#include "cli/command_word.hpp"
#include "cli/config_apply.hpp"
#include "cli/context.hpp"
#include "cli/full_exec.hpp"
#include "cli/option_rules.hpp"
#include "cli/parse_error.hpp"
#include "cli/spool_group.hpp"

int main(int argc, char** argv) {
  using namespace renderq;
  spool_group::lower_at_start();  // a set-group-id renderq acts as its caller until it opens the queue
  set_user_source(user_source());  // a static renderq must not load NSS modules
  Context ctx;
  ctx.argv.assign(argv, argv + argc);
  ctx.open_pg = pg_opener();

  // Phase 0: which command. renderq declares only the queue command named
  // and runs any other command line in renderq-full (cli/command_table.hpp),
  // except that --help and --version still answer here when renderq-full is
  // missing. renderq-full declares every command (`__complete` and `config`
  // look at all of them).
  const Command* only = nullptr;
  if (hands_others_to_full()) {
    const std::string_view word = command_word(argc, argv);
    for (const Command& c : own_commands())
      if (c.name == word) only = &c;
    if (only == nullptr) {
      const Error exec_failed = exec_renderq_full(ctx.argv);
      if (!word.empty()) return report(exec_failed);
    }
  }

  CLI::App app{"renderq: a render queue for one GPU box", "renderq"};
  app.set_version_flag("--version", RENDERQ_VERSION);
  app.add_option("--store", ctx.store_flag,
                 "The queue: a postgresql:// URL (shared by many hosts) or a spool folder (default: $RENDERQ_STORE)")
      ->type_name("URL|DIR");
  app.add_option("--spool", ctx.spool_flag, "Spool folder (default: $RENDERQ_SPOOL, $XDG_STATE_HOME/renderq)")
      ->type_name("DIR");
  app.add_flag("--force", ctx.force, "Use a spool on a network file system anyway (unsafe)");
  app.add_option("--config", ctx.config_flag,
                 "Config file (default: $RENDERQ_CONFIG, $XDG_CONFIG_HOME/renderq/config.toml)")
      ->type_name("FILE");
  app.require_subcommand(1);
  ctx.root = &app;
  app.fallthrough();

  // Phase 1: declare the subcommand named, or every one this executable has.
  if (only != nullptr)
    only->add(app, ctx);
  else
    for (const Command& c : own_commands()) c.add(app, ctx);
  // Phase 1a: the rules every option obeys (no empty values, decimal
  // numbers and job ids: cli/option_rules.hpp).
  apply_option_rules(app);

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
      diag(describe_parse_error(app, e));
    return code(Exit::Usage);
  } catch (const std::exception& e) {
    // Phase 3 ran inside parse (subcommand callbacks); nothing may escape.
    diag(std::string("internal error: ") + e.what());
    return code(Exit::Failure);
  }
  return ctx.exit_code;
}
