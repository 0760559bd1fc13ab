// Writing an output file so that no reader ever sees half of it: the bytes go
// to a fresh temporary file beside the target, "<dir>/.<name>.tmp-<pid>-<n>"
// (created with O_EXCL, mode 0666 less the umask), which is then renamed onto
// the target. daemon/temp_outputs.cpp removes the temporary files a killed
// worker leaves, by that name. A daemon's worker writes to a staged name
// instead (core/staged_output.hpp) with write_file: no reader looks there,
// and the daemon publishes the whole file by renaming it.
//
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/error.hpp"

namespace renderq {

// Writes `bytes` to `path` atomically. On any failure the temporary file is
// removed and the target is untouched: Errc::OutputNotWritable (cannot
// create, write, flush or rename).
Result<void> write_file_atomic(const std::string& path, std::span<const std::uint8_t> bytes);

// Writes `bytes` to `path` in place (created or truncated, mode 0666 less the
// umask). On failure the file is removed: Errc::OutputNotWritable.
Result<void> write_file(const std::string& path, std::span<const std::uint8_t> bytes);

}  // namespace renderq
