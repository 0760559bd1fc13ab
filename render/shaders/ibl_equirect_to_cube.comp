// Equirectangular source -> environment cube map (level 0). Each texel
// averages a 2x2 grid of directions; the source is at most four cube faces
// wide, so this covers every source texel.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(binding = 0) uniform sampler2D u_equirect;
layout(rgba16f, binding = 0) writeonly uniform imageCube u_out;
uniform int u_size;

vec2 equirect_uv(vec3 d) {
  return vec2(atan(d.z, d.x) / (2.0 * PI) + 0.5, acos(clamp(d.y, -1.0, 1.0)) / PI);
}

void main() {
  ivec3 id = ivec3(gl_GlobalInvocationID);
  if (id.x >= u_size || id.y >= u_size) return;
  vec3 sum = vec3(0.0);
  for (int j = 0; j < 2; ++j) {
    for (int i = 0; i < 2; ++i) {
      // Sub-texel offsets inside a grid twice as fine.
      vec3 d = cube_dir(id.z, id.xy * 2 + ivec2(i, j), u_size * 2);
      sum += textureLod(u_equirect, equirect_uv(d), 0.0).rgb;
    }
  }
  imageStore(u_out, id, vec4(to_half_range(sum * 0.25), 1.0));
}
