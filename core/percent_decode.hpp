// %XX escapes, as glTF URIs carry them (RFC 3986): one decoder for the
// loader (gltf/uri) and for submit's quick look at a scene (core/scene_probe).
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace renderq {

// Decodes %XX escapes. Errc::GltfInvalid on a malformed escape or a NUL.
Result<std::string> percent_decode(std::string_view s);

}  // namespace renderq
