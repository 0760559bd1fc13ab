// Helpers shared by the fuzzing harnesses (fuzz/*.cpp): a private temporary
// folder for harnesses whose code under test reads files, and writing an
// input there.
//
// Thread-safety: temp_dir() is safe to call from any thread; write_input is
// meant for the fuzzing thread only (libFuzzer calls one input at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace renderq::fuzz {

// A folder made once per process under $TMPDIR (else /tmp) and removed,
// with everything in it, when the process exits normally.
const std::filesystem::path& temp_dir();

// Replaces `path` with exactly `size` bytes of `data`. Aborts when it
// cannot: a harness that silently tested nothing would report success.
void write_input(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size);

// Counts an input that threw std::bad_alloc. The run sets ASan's
// max_allocation_size_mb (scripts/fuzz.sh), so an input asking for a huge
// allocation gets bad_alloc instead of ending the run. Such inputs belong to
// the loader's memory budgets (issue 13, item 1): the harnesses of the
// code that lacks them catch bad_alloc, count it, and print the count at exit.
void note_bad_alloc();

}  // namespace renderq::fuzz
