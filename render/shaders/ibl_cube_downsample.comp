// One mip level of the environment cube from the level above: a 2x2 box
// filter per face (the prefilter's mip-filtered lookups want box mips).
// A compute pass instead of glGenerateMipmap: on llvmpipe that one compiles
// blit shaders on first use, costing more than the whole downsample.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(rgba16f, binding = 1) readonly uniform imageCube u_src;
layout(rgba16f, binding = 0) writeonly uniform imageCube u_out;
uniform int u_size;  // destination size

void main() {
  ivec3 id = ivec3(gl_GlobalInvocationID);
  if (id.x >= u_size || id.y >= u_size) return;
  ivec2 s = id.xy * 2;
  vec3 c = imageLoad(u_src, ivec3(s, id.z)).rgb + imageLoad(u_src, ivec3(s + ivec2(1, 0), id.z)).rgb +
           imageLoad(u_src, ivec3(s + ivec2(0, 1), id.z)).rgb +
           imageLoad(u_src, ivec3(s + ivec2(1, 1), id.z)).rgb;
  imageStore(u_out, id, vec4(c * 0.25, 1.0));
}
