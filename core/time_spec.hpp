// Points in time as users type them for `--not-before` (Slurm's --begin,
// at(1)'s times):
//   now                 now
//   +DURATION           from now: +90s, +10m, +1h30m (core/duration.hpp)
//   HH:MM[:SS]          the next such local time (today, else tomorrow)
//   YYYY-MM-DD          local midnight of that day
//   YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]   local time unless an offset is given
//                                            (a space may stand for the T)
//
// Thread-safety: pure functions (the local time zone comes from TZ / tzset).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/error.hpp"

namespace renderq {

// Milliseconds since the Unix epoch. Errc::BadDuration naming the text for
// anything else (Errc::InvalidArgument would hide that it is a time).
Result<std::int64_t> parse_time_spec(std::string_view text, std::int64_t now_ms);

}  // namespace renderq
