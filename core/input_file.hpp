// Checks on a file renderq is told to read (a scene, an environment map):
// it must be a regular file, and looking at it must never block.
//
// A FIFO as the scene once hung `submit` forever (opening a FIFO for reading
// waits for a writer), and a character device or a directory was read as if
// it were a scene. The type is checked with stat() before anything is
// opened (opening a device can have effects of its own), the open uses
// O_NONBLOCK | O_NOCTTY, and fstat() on the open descriptor must say
// regular file again, so a file swapped between the two checks is caught.
// Symlinks are followed: a user may link to their scenes; what counts is
// the file at the end.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <cstddef>
#include <string>

#include "core/error.hpp"

namespace renderq {

enum class InputProblem { Missing, Unreadable, NotRegular };

struct InputFileError {
  InputProblem problem;
  std::string detail;  // "is a FIFO", "is a directory", the errno text...
};

// Up to `max` bytes from the start of the regular file at `path`.
std::expected<std::string, InputFileError> read_file_head(const std::string& path, std::size_t max);

}  // namespace renderq
