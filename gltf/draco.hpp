// KHR_draco_mesh_compression: a primitive whose vertex attributes and
// indices are one Draco-compressed mesh in a bufferView. The extension maps
// glTF semantics (POSITION, NORMAL, ...) to Draco attribute ids; attributes
// it does not list (morph targets, for one) stay ordinary accessors.
//
// Thread-safety: pure functions over an immutable Document.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "gltf/document.hpp"

namespace renderq::gltf {

struct DracoAttribute {
  std::vector<float> values;  // `components` floats per vertex, normalized as encoded
  int components = 0;
};

struct DracoPrimitive {
  std::size_t vertex_count = 0;
  std::vector<std::uint32_t> indices;              // triangle list
  std::map<std::string, DracoAttribute> attributes;  // by glTF semantic
};

// Decodes the primitive's extension object `ext` ({"bufferView", "attributes"}).
// Errc::GltfInvalid for a malformed extension object, a Draco stream that
// does not decode (truncated, corrupt, or a point cloud), or an attribute id
// the stream lacks; Errc::GltfBufferOutOfRange for a bufferView past its buffer.
Result<DracoPrimitive> decode_draco(const Document& doc, const Json& ext, const std::string& where);

}  // namespace renderq::gltf
