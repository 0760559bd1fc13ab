#version 450 core
// The G-buffer pass of the deferred path (render/gl_deferred.hpp), drawn
// with pbr.vert: per sample, the interpolated normal turned to face the
// viewer as pbr.frag turns it (back faces flip it; its length is kept, as
// pbr.frag normalises it itself) and the draw's slot in the pass's
// material table.
in vec3 v_normal;
uniform float u_material_slot;
out vec4 o_gbuffer;

void main() { o_gbuffer = vec4(gl_FrontFacing ? v_normal : -v_normal, u_material_slot); }
