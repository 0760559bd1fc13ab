// GGX-prefiltered specular cube, one mip level per call (split-sum
// approximation with N = V = R). Importance-samples the GGX lobe and reads
// each sample from the environment's mip chain at a level matching the
// sample's solid angle (GPU Gems 3, ch. 20), which removes fireflies at low
// sample counts. Weighted by N.L as in Karis 2013.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(binding = 0) uniform samplerCube u_env;
layout(rgba16f, binding = 0) writeonly uniform imageCube u_out;
uniform int u_size;          // this level's size
uniform float u_env_size;    // environment cube's base size
uniform float u_env_max_lod; // its last mip level
uniform float u_roughness;
uniform int u_samples;

void main() {
  ivec3 id = ivec3(gl_GlobalInvocationID);
  if (id.x >= u_size || id.y >= u_size) return;
  vec3 n = cube_dir(id.z, id.xy, u_size);
  if (u_roughness <= 0.0) {
    // A mirror: the environment itself, at the level of this resolution.
    float lod = max(log2(u_env_size / float(u_size)), 0.0);
    imageStore(u_out, id, vec4(to_half_range(textureLod(u_env, n, lod).rgb), 1.0));
    return;
  }
  float alpha = u_roughness * u_roughness;
  mat3 tbn = frame_around(n);
  float texel_solid_angle = 4.0 * PI / (6.0 * u_env_size * u_env_size);
  // The weighted mean is accumulated around the first sample's value, so a
  // uniform environment gives exactly that value (sum(c w) / sum(w) can be
  // off by an ulp, and a driver that truncates to half floats shows it).
  bool have_pivot = false;
  vec3 pivot = vec3(0.0);
  vec3 sum = vec3(0.0);
  float weight = 0.0;
  uint count = uint(u_samples);
  for (uint i = 0u; i < count; ++i) {
    vec3 h = tbn * ggx_half_vector(hammersley(i, count), alpha);
    float n_dot_h = max(dot(n, h), 0.0);
    vec3 l = 2.0 * n_dot_h * h - n;  // reflect(-n, h) with v = n
    float n_dot_l = dot(n, l);
    if (n_dot_l > 0.0) {
      // pdf(l) = D * (n.h) / (4 (v.h)) = D / 4 with v = n.
      float pdf = d_ggx(n_dot_h, alpha) * 0.25;
      float sample_solid_angle = 1.0 / (float(count) * pdf + 1e-6);
      float lod = clamp(0.5 * log2(sample_solid_angle / texel_solid_angle) + 1.0, 0.0,
                        u_env_max_lod);
      vec3 c = textureLod(u_env, l, lod).rgb;
      if (!have_pivot) {
        pivot = c;
        have_pivot = true;
      }
      sum += (c - pivot) * n_dot_l;
      weight += n_dot_l;
    }
  }
  imageStore(u_out, id, vec4(to_half_range(pivot + sum / max(weight, 1e-6)), 1.0));
}
