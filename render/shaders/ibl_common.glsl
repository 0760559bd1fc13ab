// Shared by the IBL compute shaders (prepended by render/ibl_prefilter.cpp
// after the #version line).
const float PI = 3.14159265358979;

// The direction through texel centre (x, y) of cube face `face` of size
// `size`, following the OpenGL cube map face table, so that sampling the
// cube with this direction returns this texel.
vec3 cube_dir(int face, ivec2 xy, int size) {
  vec2 st = (vec2(xy) + 0.5) / float(size) * 2.0 - 1.0;
  float s = st.x;
  float t = st.y;
  vec3 d;
  if (face == 0) d = vec3(1.0, -t, -s);
  else if (face == 1) d = vec3(-1.0, -t, s);
  else if (face == 2) d = vec3(s, 1.0, t);
  else if (face == 3) d = vec3(s, -1.0, -t);
  else if (face == 4) d = vec3(s, -t, 1.0);
  else d = vec3(-s, -t, -1.0);
  return normalize(d);
}

// Hammersley point i of n in [0,1)^2.
vec2 hammersley(uint i, uint n) {
  return vec2(float(i) / float(n), float(bitfieldReverse(i)) * 2.3283064365386963e-10);
}

// An orthonormal frame around n (tangent, bitangent).
mat3 frame_around(vec3 n) {
  vec3 up = abs(n.y) < 0.999 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0);
  vec3 t = normalize(cross(up, n));
  vec3 b = cross(n, t);
  return mat3(t, b, n);
}

// A GGX half vector (tangent space, z = normal) for alpha = roughness^2.
vec3 ggx_half_vector(vec2 xi, float alpha) {
  float a2 = alpha * alpha;
  float phi = 2.0 * PI * xi.x;
  float cos_theta = sqrt((1.0 - xi.y) / (1.0 + (a2 - 1.0) * xi.y));
  float sin_theta = sqrt(max(0.0, 1.0 - cos_theta * cos_theta));
  return vec3(sin_theta * cos(phi), sin_theta * sin(phi), cos_theta);
}

float d_ggx(float n_dot_h, float alpha) {
  float a2 = alpha * alpha;
  float f = n_dot_h * n_dot_h * (a2 - 1.0) + 1.0;
  return a2 / (PI * f * f);
}

// Keeps values inside RGBA16F (an infinite texel would turn every filtered
// lookup that touches it into NaN).
vec3 to_half_range(vec3 c) {
  c = max(c, vec3(0.0));  // also maps NaN to 0 on conforming drivers
  return min(c, vec3(65504.0));
}
