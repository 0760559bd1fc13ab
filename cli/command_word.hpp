// The subcommand a command line names, found before any parsing so that
// main can build only that subcommand (a submit does not pay for declaring
// the other sixteen) or hand the whole line to renderq-full.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

namespace renderq {

// The first word of argv that is neither a global option (--spool DIR,
// --spool=DIR, --config FILE, --config=FILE, --force) nor such an option's
// value. "" when there is none or when another option comes first (--help,
// --version, a mistake): the caller then declares every subcommand and lets
// the parser answer.
std::string_view command_word(int argc, const char* const* argv);

}  // namespace renderq
