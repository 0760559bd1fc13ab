// Bridges Config (core/config.hpp) and the command line: the config file and
// environment become the defaults of matching CLI11 options before parsing,
// so a flag still wins, `--help` shows the effective defaults, and every
// command that shares an option (render, submit, preview) gets the same value.
//
// Thread-safety: used from main's thread only.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/context.hpp"
#include "core/config.hpp"

namespace renderq {

// The value of --config in argv ("--config FILE" or "--config=FILE"), found
// before parsing because the file decides the defaults parsing will use.
std::string find_config_flag(int argc, const char* const* argv);

// Loads the config (ctx.config) and sets every non-empty value as the default
// of its option on the subcommands that key applies to. Errc::ConfigInvalid
// (also for an explicit file that does not exist).
// Only the subcommands added to `app` get defaults (the thin renderq adds
// just the one it runs); Config::load has already checked every value's
// type, so a bad value is reported whichever command runs.
Result<void> load_config_defaults(CLI::App& app, Context& ctx, int argc, const char* const* argv);

// After parsing: records in ctx.config the keys whose flag was given on the
// command line (root options and the subcommand that ran).
void note_config_flags(CLI::App& app, Context& ctx);

}  // namespace renderq
