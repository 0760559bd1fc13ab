// URIs inside a glTF file: data: URIs (base64 or percent-encoded) and
// relative references to files beside the scene. A reference that leaves the
// scene's folder (`../x`, an absolute path, a scheme such as file: or http:,
// percent-encoded variants of these, or a symlink pointing outside) is refused
// with Errc::GltfUriEscapes, so a queued scene can never make the daemon read
// files it was not given.
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/percent_decode.hpp"
#include "core/memory_budget.hpp"

namespace renderq::gltf {

bool is_data_uri(std::string_view uri);

// Decodes `data:[<mediatype>][;base64],<data>`. Errc::GltfInvalid when
// malformed. `mime` receives the media type ("" when absent).
Result<std::vector<std::uint8_t>> decode_data_uri(std::string_view uri, std::string* mime);

// Decodes %XX escapes (core/percent_decode.hpp, shared with submit's scene
// probe). Errc::GltfInvalid on a malformed escape or a NUL.
using renderq::percent_decode;

// The file a relative URI names inside `base_dir` (which must exist).
// Errc::GltfUriEscapes when it would lie outside base_dir, after decoding,
// normalising and resolving symlinks.
Result<std::filesystem::path> resolve_uri(const std::filesystem::path& base_dir,
                                          std::string_view uri);

// Reads the regular file at `path`, a path resolve_uri returned (so a final
// symlink is refused: it would mean the file was swapped since), opened
// without blocking (core/input_file). Reads the first `limit` bytes, or the
// whole file when it is shorter; they are charged to `lease` (when given)
// before anything is read. Errc::NotFound when absent; Errc::GltfInvalid
// for a FIFO, a device, a folder or a symlink, naming it; Errc::Io when
// unreadable; Errc::SceneTooLarge / Errc::Busy from the lease.
Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path, BudgetLease* lease = nullptr,
                                            std::uint64_t limit = UINT64_MAX);

}  // namespace renderq::gltf
