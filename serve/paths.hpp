// Checks on strings a client sends that could name something on the server.
// No client string reaches the filesystem without passing resolve_allowed():
// a path must be absolute, free of ".." and control bytes, and name an
// existing regular file under one of the --allow-root folders both as
// written and after symlinks are resolved. Labels (job name, camera name)
// never touch the filesystem, but are held to a plain form anyway so that a
// log line or a later tool cannot be tricked by them.
//
// Thread-safety: pure functions (resolve_allowed reads the filesystem).
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace renderq::serve {

// Canonical forms of the --allow-root folders. Errc::InvalidArgument when
// one does not exist or is not a folder.
Result<std::vector<std::filesystem::path>> canonical_roots(std::span<const std::string> roots);

// The canonical path of the file `client_path` names, when it lies under
// one of `roots`. Errc::InvalidArgument for an empty, overlong or
// control-character path; Errc::PermissionDenied when it is relative, holds
// a ".." component, or lies outside every root (also through a symlink), or
// when there are no roots; `missing` when it does not exist or is not a
// regular file. `field` names the JSON field in messages.
Result<std::string> resolve_allowed(std::string_view field, std::string_view client_path,
                                    std::span<const std::filesystem::path> roots, Errc missing);

// A label: at most `max_bytes`, no control bytes, no '/', '\\' or "..".
// Errc::InvalidArgument naming `field` otherwise.
Result<void> check_label(std::string_view field, std::string_view value, std::size_t max_bytes = 200);

}  // namespace renderq::serve
