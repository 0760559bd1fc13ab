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
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace renderq {

enum class InputProblem { Missing, Unreadable, NotRegular };

struct InputFileError {
  InputProblem problem;
  std::string detail;  // "is a FIFO", "is a directory", the errno text...
};

// Up to `max` bytes from the start of the regular file at `path`.
std::expected<std::string, InputFileError> read_file_head(const std::string& path, std::size_t max);

// A regular file opened for reading, and its size when opened.
struct OpenedInput {
  UniqueFd fd;
  std::uint64_t size = 0;
};

// Opens the regular file at `path` with the same checks as read_file_head.
// With follow_symlink false a final symlink is refused too (lstat before,
// O_NOFOLLOW in the open): for paths already resolved (glTF URIs), where a
// symlink showing up afterwards means the file was swapped.
std::expected<OpenedInput, InputFileError> open_input_file(const std::string& path, bool follow_symlink = true);

// Reads exactly `bytes` bytes from the start of `file` (REQUIRES: bytes <=
// file.size). A file that shrank meanwhile is InputProblem::Unreadable.
std::expected<std::vector<std::uint8_t>, InputFileError> read_input_file(const OpenedInput& file, std::uint64_t bytes);

}  // namespace renderq
