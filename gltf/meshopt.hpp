// EXT_meshopt_compression: bufferViews whose bytes are a meshoptimizer
// stream in another buffer (mode ATTRIBUTES, TRIANGLES or INDICES, with an
// optional OCTAHEDRAL, QUATERNION or EXPONENTIAL filter). Each one is
// decoded once, after the buffers are read, into a buffer of its own and the
// view is pointed at it, so accessors read it like any other view. A buffer
// marked "fallback" may have no data: only compressed views may use it.
//
// Thread-safety: writes the Document it is given.
#pragma once

#include "core/error.hpp"
#include "gltf/document.hpp"

namespace renderq::gltf {

// True when buffers[i] is an EXT_meshopt_compression fallback buffer.
bool is_meshopt_fallback(const Json& buffer);

// Decodes every compressed bufferView. Errc::GltfInvalid for a malformed
// extension object (unknown mode or filter, a stride the mode or filter
// does not allow, count x byteStride unlike the view's byteLength) or a
// stream that does not decode (wrong count, truncated, corrupt);
// Errc::GltfBufferOutOfRange for a stream past its buffer. Each decoded view
// (count x byteStride) is charged to `lease` first (Errc::SceneTooLarge).
Result<void> decode_meshopt_views(Document& doc, BudgetLease* lease = nullptr);

}  // namespace renderq::gltf
