// Split-sum BRDF lookup table (Karis 2013) for the glTF BRDF: GGX
// distribution with the height-correlated Smith visibility term. Texel
// (x, y) holds (scale, bias) for NdotV = (x+0.5)/size and perceptual
// roughness = (y+0.5)/size (alpha = roughness^2), so that
// specular = prefiltered * (F0 * scale + bias).
layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(rg16f, binding = 0) writeonly uniform image2D u_out;
uniform int u_size;
uniform int u_samples;

float v_smith_ggx_correlated(float n_dot_v, float n_dot_l, float alpha) {
  float a2 = alpha * alpha;
  float ggxv = n_dot_l * sqrt(n_dot_v * n_dot_v * (1.0 - a2) + a2);
  float ggxl = n_dot_v * sqrt(n_dot_l * n_dot_l * (1.0 - a2) + a2);
  float d = ggxv + ggxl;
  return d > 0.0 ? 0.5 / d : 0.0;
}

void main() {
  ivec2 id = ivec2(gl_GlobalInvocationID.xy);
  if (id.x >= u_size || id.y >= u_size) return;
  float n_dot_v = (float(id.x) + 0.5) / float(u_size);
  float roughness = (float(id.y) + 0.5) / float(u_size);
  float alpha = roughness * roughness;
  vec3 v = vec3(sqrt(1.0 - n_dot_v * n_dot_v), 0.0, n_dot_v);
  float scale = 0.0;
  float bias = 0.0;
  uint count = uint(u_samples);
  for (uint i = 0u; i < count; ++i) {
    vec3 h = ggx_half_vector(hammersley(i, count), alpha);
    float v_dot_h = dot(v, h);
    vec3 l = 2.0 * v_dot_h * h - v;
    float n_dot_l = l.z;
    float n_dot_h = h.z;
    if (n_dot_l > 0.0 && v_dot_h > 0.0) {
      // f * n.l / pdf(l), with f = D * Vis * F and pdf(l) = D n.h / (4 v.h).
      float w = v_smith_ggx_correlated(n_dot_v, n_dot_l, alpha) * n_dot_l * 4.0 * v_dot_h /
                n_dot_h;
      float fc = pow(1.0 - v_dot_h, 5.0);
      scale += (1.0 - fc) * w;
      bias += fc * w;
    }
  }
  imageStore(u_out, id, vec4(scale, bias, 0.0, 0.0) / float(count));
}
