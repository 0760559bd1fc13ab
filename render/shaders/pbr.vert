#version 450 core
// Vertex stage of the one material shader: world-space position, normal and
// tangent frame for the fragment stage. Attributes a mesh lacks read the
// generic values set once per context (normal 0, tangent 0, colour 1).

layout(location = 0) in vec3 a_position;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in vec4 a_tangent;
layout(location = 3) in vec2 a_uv0;
layout(location = 4) in vec2 a_uv1;
layout(location = 5) in vec4 a_color;

uniform mat4 u_model;
uniform mat3 u_normal_matrix;
uniform mat4 u_view_proj;
uniform float u_point_size;

out vec3 v_world;
out vec3 v_normal;
out vec4 v_tangent;
out vec2 v_uv0;
out vec2 v_uv1;
out vec4 v_color;

#ifdef PBR_DEFERRED
// The deferred shading pass (render/gl_deferred.hpp): one triangle that
// covers the viewport, counter-clockwise.
void main() {
  vec2 corner = vec2((gl_VertexID & 1) * 4 - 1, (gl_VertexID & 2) * 2 - 1);
  gl_Position = vec4(corner, 0.0, 1.0);
}
#else
void main() {
  vec4 world = u_model * vec4(a_position, 1.0);
  v_world = world.xyz;
  v_normal = u_normal_matrix * a_normal;
  v_tangent = vec4(mat3(u_model) * a_tangent.xyz, a_tangent.w);
  v_uv0 = a_uv0;
  v_uv1 = a_uv1;
  v_color = a_color;
  gl_PointSize = u_point_size;
  gl_Position = u_view_proj * world;
}
#endif
