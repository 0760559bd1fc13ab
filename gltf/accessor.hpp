// Reading glTF accessors into plain arrays: every component type (float,
// signed and unsigned 8/16-bit, 32-bit unsigned), normalized or not
// (KHR_mesh_quantization uses all of them), interleaved buffer views
// (byteStride), accessors without a buffer view (zeros) and sparse
// substitution. Every byte read is checked against the buffer first.
//
// Thread-safety: free functions over an immutable Document.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "gltf/document.hpp"

namespace renderq::gltf {

struct AccessorInfo {
  int component_type = 0;  // 5120..5126
  int components = 0;      // 1 (SCALAR) .. 16 (MAT4)
  std::size_t count = 0;
  bool normalized = false;
  bool matrix = false;     // MAT2/3/4
};

// Reads the header of accessor `index`. Errc::GltfInvalid when malformed.
Result<AccessorInfo> accessor_info(const Document& doc, int index);

// The accessor's values as floats, `components` per element, normalized
// integers mapped to [0,1] / [-1,1] as the specification says and other
// integers converted as they are. Errc::GltfInvalid, Errc::GltfBufferOutOfRange.
Result<std::vector<float>> read_floats(const Document& doc, int index);

// An integer accessor (SCALAR UNSIGNED_BYTE/SHORT/INT) as uint32, e.g.
// indices. Errc::GltfInvalid for any other type.
Result<std::vector<std::uint32_t>> read_indices(const Document& doc, int index);

}  // namespace renderq::gltf
