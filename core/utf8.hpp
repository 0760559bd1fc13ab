// Text that renderq stores or prints as JSON (job specs, names, labels,
// command lines) must be valid UTF-8: nlohmann::json refuses to dump
// anything else, so one bad byte in a stored row once made `list --json`
// fail for the whole spool. Every such string is checked with check_text
// before it is stored (validate_values of RenderSpec and ExecSpec,
// check_new_jobs).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace renderq {

// Whether `s` is well-formed UTF-8 (RFC 3629): no stray continuation bytes,
// no truncated sequences, no overlong forms, no surrogates (U+D800..DFFF),
// nothing above U+10FFFF. The same sequences nlohmann::json accepts.
bool valid_utf8(std::string_view s) noexcept;

// `s` for a message: each byte that is not part of a valid sequence, and
// each control character, written as \xHH.
std::string printable_text(std::string_view s);

// Errc::InvalidArgument "<what> contains a NUL byte" or "<what> is not
// valid UTF-8: '<printable_text(s)>'" (what: "the scene path", "--name"...).
Result<void> check_text(std::string_view what, std::string_view s);

}  // namespace renderq
