// Triangle enumeration for every triangle mode, flat normals, and tangent
// generation for primitives that lack them.
//
// Tangents follow MikkTSpace's definition: per triangle, the tangent and
// bitangent from the UV derivatives; per corner, projected onto the plane
// of the vertex normal and weighted by the corner's angle; accumulated over
// all corners whose vertices share position, normal and UV; Gram-Schmidt
// orthogonalised against the normal, with the handedness in w such that
// bitangent = cross(normal, tangent.xyz) * w (the glTF convention), the
// bitangent pointing up the image (towards decreasing glTF v), as the
// tangents Blender's MikkTSpace writes into glTF files do.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include <glm/glm.hpp>

#include "gltf/scene.hpp"

namespace renderq {

// True for Triangles, TriangleStrip and TriangleFan.
bool is_triangle_mode(PrimitiveMode mode);

// The triangles of a primitive as a flat list of vertex index triples.
// `indices` empty means non-indexed with `vertex_count` vertices. Strips keep
// a consistent winding (every odd triangle swapped, as GL does).
std::vector<std::uint32_t> triangle_list(PrimitiveMode mode,
                                         const std::vector<std::uint32_t>& indices,
                                         std::size_t vertex_count);

// Replaces the primitive's vertices by one vertex per triangle corner
// (mode becomes Triangles, indices empty) and sets each corner's normal to
// its face normal. REQUIRES: a triangle mode.
// Morph targets, joints and weights are de-indexed along.
void make_flat_normals(Primitive& prim);

// Sets every corner's normal to its face normal. REQUIRES: a de-indexed
// Triangles primitive (as make_flat_normals leaves it).
void set_face_normals(Primitive& prim);

// Tangents for every vertex of a triangle primitive with normals.
// Without `uv` (empty) any unit vector perpendicular to the normal is used.
std::vector<glm::vec4> generate_tangents(const std::vector<glm::vec3>& positions,
                                         const std::vector<glm::vec3>& normals,
                                         const std::vector<glm::vec2>& uv,
                                         const std::vector<std::uint32_t>& triangles);

}  // namespace renderq
