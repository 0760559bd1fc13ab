// Refusing spools on network file systems. SQLite's WAL mode keeps its
// index in shared memory and relies on POSIX locks, neither of which works
// across machines; NFS, SMB/CIFS and FUSE mounts such as sshfs also break
// fcntl locking in practice, so a queue there loses or duplicates jobs.
//
// The file-system type comes from a probe so tests can pretend to be on NFS.
//
// Thread-safety: pure functions; the default probe calls statfs(2).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "core/error.hpp"

namespace renderq {

// Returns statfs(2)'s f_type for a path.
using FsTypeProbe = std::function<Result<std::uint64_t>(const std::filesystem::path&)>;

// The default probe: statfs(2). Errc::Io naming the path on failure.
Result<std::uint64_t> statfs_type(const std::filesystem::path& path);

// A short name ("nfs", "cifs", "fuse (sshfs, s3fs, ...)") when f_type is a
// file system where SQLite locking is unsafe, nullopt otherwise.
std::optional<std::string_view> unsafe_fs_name(std::uint64_t f_type) noexcept;

// Ok when `dir` is on a local file system, or when allow_network_fs is set.
// Errc::SpoolUnsafeFilesystem naming the file system and the way out
// (--force) otherwise; probe errors pass through. A null probe means statfs.
Result<void> check_spool_filesystem(const std::filesystem::path& dir, bool allow_network_fs,
                                    const FsTypeProbe& probe = {});

}  // namespace renderq
