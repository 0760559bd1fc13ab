// Closed-surface test for triangle meshes: whether a primitive's back faces
// can ever be seen from outside it. The renderer uses it to cull the back
// faces of double-sided opaque primitives that are closed (issue 12: on
// llvmpipe a 1 M-triangle double-sided model spent about half its frame
// rasterising and shading back faces that its front faces then covered).
//
// A surface qualifies when, after welding vertices with bit-identical
// positions (a UV or normal seam splits vertices without opening the
// surface) and ignoring triangles with two equal welded corners (they have
// no area):
//   - every directed edge a->b occurs in exactly one triangle and its
//     reverse b->a in exactly one other (each edge shared by two triangles
//     wound opposite ways: closed, manifold at edges, consistently wound);
//   - every connected piece encloses a positive volume (its triangles wind
//     counter-clockwise seen from outside, glTF's front face).
// Then a ray from a point outside every piece meets a front face first, so
// with depth testing the back faces never show. A point inside (a camera in
// a closed room) sees back faces: the caller must keep such views out
// (the renderer requires the primitive's bounds beyond the near plane).
// Self-intersecting surfaces are not detected; a piece turned partly inside
// out through itself could lose visible back faces.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <span>

#include <glm/glm.hpp>

namespace renderq {

// True when the triangle list (`indices` in threes; empty means
// non-indexed, every three positions one triangle) is closed and outward
// wound as above. False for no triangles, an index out of range, an open or
// non-manifold edge, inconsistent winding, or a piece of zero or negative
// volume, or when the check's working memory (about 40 bytes per triangle,
// transient) cannot be allocated. O(n log n) time in the triangles.
bool is_closed_outward(std::span<const glm::vec3> positions, std::span<const std::uint32_t> indices);

}  // namespace renderq
