// What loading a scene will allocate, computed from what its JSON declares
// (accessor counts and types, index counts, morph targets, instancing,
// skins, animation samplers) before any of it is read, so a tiny file that
// declares gigabytes is refused with Errc::SceneTooLarge instead of
// allocating them. Images are sized from their headers in images.cpp.
//
// The figures follow what the readers keep (Primitive's arrays, generated
// normals and tangents, rest copies of deforming vertices, a copy of a
// deforming mesh per node drawing it) plus their largest temporaries. They
// are lenient: a malformed field counts as nothing here, and the reader
// that meets it later names the error.
//
// Thread-safety: pure functions over an immutable Document.
#pragma once

#include <cstdint>

#include "core/memory_budget.hpp"
#include "gltf/document.hpp"

namespace renderq::gltf {

// Elements x components of accessor `index` (0 when it is not a valid accessor).
std::uint64_t accessor_values(const Document& doc, int index);

// Bytes read_meshes allocates for one primitive (its JSON object), peak.
std::uint64_t primitive_bytes(const Document& doc, const Json& primitive);

// Charges every mesh (times the nodes that each get a copy), the instances
// of EXT_mesh_gpu_instancing, the skins and the animation samplers to
// `lease`, one item at a time so the error names the one that crossed the
// budget. Errc::SceneTooLarge, Errc::Busy.
Result<void> charge_geometry(const Document& doc, BudgetLease& lease);

}  // namespace renderq::gltf
