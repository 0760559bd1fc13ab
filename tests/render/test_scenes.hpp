// Scenes built in code for the render tests: a UV sphere, a quad, a box,
// with one material each, so tests do not depend on the glTF loader.
#pragma once

#include "gltf/scene.hpp"

namespace renderq::test {

// A UV sphere of `radius` at `center` (normals, tangents, uv0).
Primitive sphere(float radius, glm::vec3 center = glm::vec3(0), int rings = 48, int segments = 96);
// A square in the XY plane, side `size`, centred at the origin, facing +Z
// (counter-clockwise seen from +Z); `facing_away` mirrors it to face -Z.
Primitive quad(float size, bool facing_away = false);
// An axis-aligned box with the given half extents.
Primitive box(glm::vec3 half);

// One mesh instance per primitive, each with `material`, bounds filled in.
Scene scene_of(std::vector<Primitive> prims, const Material& material);

Material unlit(glm::vec4 color);
Material dielectric(glm::vec3 color, float roughness);

}  // namespace renderq::test
