// Diffuse irradiance cube: stores (1/pi) * integral of L(l) (n.l) dl over the
// hemisphere, i.e. the radiance a white Lambertian surface reflects, so the
// PBR shader's diffuse term is base_colour * texture(irradiance, n). Cosine-
// weighted samples make the estimator a plain average (a uniform environment
// of radiance L gives exactly L); each sample reads the environment's mip
// chain at the level matching its solid angle.
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(binding = 0) uniform samplerCube u_env;
layout(rgba16f, binding = 0) writeonly uniform imageCube u_out;
uniform int u_size;
uniform float u_env_size;
uniform float u_env_max_lod;
uniform int u_samples;

void main() {
  ivec3 id = ivec3(gl_GlobalInvocationID);
  if (id.x >= u_size || id.y >= u_size) return;
  vec3 n = cube_dir(id.z, id.xy, u_size);
  mat3 tbn = frame_around(n);
  float texel_solid_angle = 4.0 * PI / (6.0 * u_env_size * u_env_size);
  // Accumulated around the first sample's value: exact for a uniform
  // environment whatever the sample count.
  vec3 pivot = textureLod(u_env, n, u_env_max_lod).rgb;
  vec3 sum = vec3(0.0);
  uint count = uint(u_samples);
  for (uint i = 0u; i < count; ++i) {
    vec2 xi = hammersley(i, count);
    float phi = 2.0 * PI * xi.x;
    float cos_theta = sqrt(1.0 - xi.y);
    float sin_theta = sqrt(xi.y);
    vec3 l = tbn * vec3(sin_theta * cos(phi), sin_theta * sin(phi), cos_theta);
    float pdf = max(cos_theta, 1e-4) / PI;
    float sample_solid_angle = 1.0 / (float(count) * pdf);
    float lod = clamp(0.5 * log2(sample_solid_angle / texel_solid_angle) + 1.0, 0.0,
                      u_env_max_lod);
    sum += textureLod(u_env, l, lod).rgb - pivot;
  }
  imageStore(u_out, id, vec4(to_half_range(pivot + sum / float(count)), 1.0));
}
