// Rules every option of every command obeys, attached once when main has
// declared the commands (apply_option_rules), so that no command can forget
// them:
//   - an option that takes a value refuses an empty one ("--size: empty
//     value"): CLI11 would otherwise take "" as unset (a string) or 0 (a
//     number), and the command would run with its default;
//   - a whole number (an option whose type name is N, P, BITS, INT or UINT)
//     is plain decimal: CLI11 reads integers with strtoll base 0, so "010"
//     was 8 and "0x10" 16; leading blanks and '+' were taken too;
//   - a job id (type name ID) is decimal digits, 1 to 9223372036854775807.
// Each rule refuses with a CLI11 ValidationError naming the option and the
// text given, which main reports as a usage error (exit 2).
//
// Thread-safety: used from main's thread only.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "spool/job.hpp"

namespace renderq {

// A job id as typed: decimal digits (leading zeros allowed, "010" is 10),
// 1..INT64_MAX. Errc::InvalidArgument naming the text otherwise.
Result<JobId> parse_job_id(std::string_view text);

// "3,1,2" (submit --after): job ids separated by commas, in the order
// given. Errc::InvalidArgument for an empty piece or a bad id.
Result<std::vector<JobId>> parse_job_id_list(std::string_view text);

// A whole number as typed: an optional '-' and decimal digits, within
// int64. Returns it in the form CLI11 reads as decimal (leading zeros
// dropped: "-007" -> "-7"). Errc::InvalidArgument otherwise.
Result<std::string> canonical_decimal(std::string_view text);

// Attaches the rules above to every option of `app` and of its subcommands.
void apply_option_rules(CLI::App& app);

}  // namespace renderq
