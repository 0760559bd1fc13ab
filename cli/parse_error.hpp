// renderq's own wording for command-line parse errors. CLI11's messages
// ("The following arguments were not expected: 512x512 --sise", "Could not
// convert: --after = 137,138") name neither the command nor a way out; these
// name the command, the option and the value, and suggest the option a typo
// was probably meant to be ("did you mean --size?").
//
// Thread-safety: pure functions over a parsed (or half-parsed) CLI11 tree.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace renderq {

// The message for `e`, raised while `app` parsed a command line (without
// the "renderq: " prefix).
std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& e);

// The candidate closest to `word` by edit distance, or "" when none is close
// enough to be a plausible typo (at most 2 edits, and fewer than half the
// word's length).
std::string closest_word(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace renderq
