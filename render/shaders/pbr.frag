#version 450 core
// The metallic-roughness material of the glTF 2.0 specification (Appendix B):
// Lambert diffuse and GGX/Smith specular mixed by Schlick's Fresnel, lit by
// image-based lighting (split sum: prefiltered specular cube, irradiance cube,
// BRDF lookup table) and KHR_lights_punctual lights; with the
// KHR_materials_ior, _specular and _clearcoat layers; then exposure and tone
// mapping. The target is GL_SRGB8_ALPHA8 with GL_FRAMEBUFFER_SRGB, so this
// stage writes linear values and blending happens in linear space.

// PBR_DEFERRED (render/gl_deferred.hpp): the shading pass of the deferred
// path, a full-screen triangle that runs main() below (renamed pbr_shade) on
// what a G-buffer holds: the interpolated inputs and the per-material
// uniforms become plain variables set per pixel before each call.
#ifdef PBR_DEFERRED
vec3 v_world;
vec3 v_normal;
vec4 v_tangent = vec4(0.0);
vec2 v_uv0 = vec2(0.0);
vec2 v_uv1 = vec2(0.0);
vec4 v_color = vec4(1.0);
vec4 o_color;
#define PBR_MATERIAL_VALUE
#else
in vec3 v_world;
in vec3 v_normal;
in vec4 v_tangent;
in vec2 v_uv0;
in vec2 v_uv1;
in vec4 v_color;

out vec4 o_color;
#define PBR_MATERIAL_VALUE uniform
#endif

const float PI = 3.14159265358979;
const int ALPHA_OPAQUE = 0, ALPHA_MASK = 1, ALPHA_BLEND = 2;
const int TEX_BASE = 0, TEX_MR = 1, TEX_NORMAL = 2, TEX_OCCLUSION = 3, TEX_EMISSIVE = 4;
// Units 5-7 hold the environment; extension textures follow.
const int TEX_SPECULAR = 8, TEX_SPECULAR_COLOR = 9, TEX_CLEARCOAT = 10, TEX_CLEARCOAT_ROUGHNESS = 11,
          TEX_CLEARCOAT_NORMAL = 12;
const int TEX_SPEC_GLOSS = 13, TEX_SHEEN_COLOR = 14, TEX_SHEEN_ROUGHNESS = 15;
const int TEX_TRANSMISSION = 16, TEX_THICKNESS = 17, TEX_ANISOTROPY = 19;
const int TEX_IRIDESCENCE = 20, TEX_IRIDESCENCE_THICKNESS = 21;
const int TEX_SLOTS = 22;  // unit 18: the transmission pass's image
const int TONEMAP_NEUTRAL = 0, TONEMAP_ACES = 1, TONEMAP_NONE = 2;
const int MAX_LIGHTS = 8;

PBR_MATERIAL_VALUE vec4 u_base_color;
uniform float u_metallic;
PBR_MATERIAL_VALUE float u_roughness;
PBR_MATERIAL_VALUE vec3 u_emissive;
uniform int u_alpha_mode;
uniform float u_alpha_cutoff;
PBR_MATERIAL_VALUE bool u_unlit;
uniform float u_normal_scale;
uniform float u_occlusion_strength;
// A constant material (no vertex colours, no base colour, metal-roughness or
// specular textures, not specular-glossiness): its diffuse colour, F0 and
// F90 computed once on the CPU instead of per fragment (set per draw).
uniform bool u_const_material;
PBR_MATERIAL_VALUE vec3 u_const_c_diff;
PBR_MATERIAL_VALUE vec3 u_const_f0;
PBR_MATERIAL_VALUE vec3 u_const_f90;

// Per texture slot: texcoord set (-1 = no texture) and KHR_texture_transform.
uniform int u_tex_set[TEX_SLOTS];
uniform mat3 u_tex_uv[TEX_SLOTS];
layout(binding = 0) uniform sampler2D u_tex_base;       // sRGB texture: reads linear
layout(binding = 1) uniform sampler2D u_tex_mr;
layout(binding = 2) uniform sampler2D u_tex_normal;
layout(binding = 3) uniform sampler2D u_tex_occlusion;
layout(binding = 4) uniform sampler2D u_tex_emissive;   // sRGB texture: reads linear
layout(binding = 8) uniform sampler2D u_tex_specular;           // A
layout(binding = 9) uniform sampler2D u_tex_specular_color;     // sRGB RGB
layout(binding = 10) uniform sampler2D u_tex_clearcoat;         // R
layout(binding = 11) uniform sampler2D u_tex_clearcoat_roughness;  // G
layout(binding = 12) uniform sampler2D u_tex_clearcoat_normal;
layout(binding = 13) uniform sampler2D u_tex_spec_gloss;         // sRGB RGB, linear A
layout(binding = 14) uniform sampler2D u_tex_sheen_color;        // sRGB RGB
layout(binding = 15) uniform sampler2D u_tex_sheen_roughness;    // A
layout(binding = 16) uniform sampler2D u_tex_transmission;       // R
layout(binding = 17) uniform sampler2D u_tex_thickness;          // G
layout(binding = 18) uniform sampler2D u_transmission_scene;     // linear, premultiplied, mipmapped
layout(binding = 19) uniform sampler2D u_tex_anisotropy;         // RG direction, B strength
layout(binding = 20) uniform sampler2D u_tex_iridescence;        // R
layout(binding = 21) uniform sampler2D u_tex_iridescence_thickness;  // G

// KHR_materials_ior, KHR_materials_specular, KHR_materials_clearcoat.
uniform float u_ior;
uniform float u_specular;
uniform vec3 u_specular_color;
uniform float u_clearcoat;
uniform float u_clearcoat_roughness;
uniform float u_clearcoat_normal_scale;
// KHR_materials_pbrSpecularGlossiness: F0 and glossiness replace metal/roughness.
uniform bool u_specular_glossiness;
uniform vec3 u_sg_specular;
uniform float u_sg_glossiness;
// KHR_materials_sheen.
uniform vec3 u_sheen_color;
uniform float u_sheen_roughness;
// KHR_materials_transmission and KHR_materials_volume.
uniform float u_transmission;
uniform float u_thickness;
uniform float u_attenuation_distance;  // 0 = no absorption
// KHR_materials_anisotropy: strength and (cos, sin) of the rotation.
uniform float u_anisotropy;
uniform vec2 u_anisotropy_direction;
// KHR_materials_iridescence: factor, film ior, thickness range (nm).
uniform float u_iridescence;
uniform float u_iridescence_ior;
uniform vec2 u_iridescence_thickness;
uniform vec3 u_attenuation_color;
uniform bool u_has_transmission_target;
uniform float u_transmission_levels;   // mip levels of u_transmission_scene - 1
uniform mat4 u_model;
uniform mat4 u_view_proj;
// The transmission pass itself: linear radiance out, no exposure or tone map.
uniform bool u_linear_output;

// Environment (layout in render/ibl.hpp).
uniform int u_env_mips;
layout(binding = 5) uniform samplerCube u_env_specular;
layout(binding = 6) uniform samplerCube u_env_irradiance;
layout(binding = 7) uniform sampler2D u_brdf_lut;

uniform int u_light_count;
uniform int u_light_type[MAX_LIGHTS];     // 0 directional, 1 point, 2 spot
uniform vec3 u_light_color[MAX_LIGHTS];   // colour * intensity
uniform vec3 u_light_pos[MAX_LIGHTS];
uniform vec3 u_light_dir[MAX_LIGHTS];     // direction the light travels
uniform float u_light_range[MAX_LIGHTS];  // 0 = infinite
uniform vec2 u_light_cone[MAX_LIGHTS];    // spot: scale, offset

uniform vec3 u_camera_pos;
uniform bool u_ortho;
uniform vec3 u_view_forward;   // for orthographic cameras
uniform int u_tonemap;
uniform float u_exposure;      // linear multiplier, 2^EV

// Variant switches (render/pbr_programs.cpp): a variant fixes what the
// generic program reads from uniforms, so unused paths compile away.
#ifndef PBR_TEXTURES
#define PBR_TEXTURES 31
#endif
#ifndef PBR_ALPHA_MODE
#define PBR_ALPHA_MODE -1
#endif
#ifndef PBR_TONEMAP
#define PBR_TONEMAP -1
#endif
#ifndef PBR_LIGHTS
#define PBR_LIGHTS 1
#endif
// PBR_EXT: which material extensions may be present (the generic program:
// all). A variant without one reads a constant 0 for its factor, so its
// branches and lookups fold away; llvmpipe runs both sides of a branch that
// depends on a uniform, so they would cost every fragment otherwise.
#ifndef PBR_EXT
#define PBR_EXT 63
#endif
#ifndef PBR_CONST_MATERIAL
#define PBR_CONST_MATERIAL -1
#endif
#define EXT_ANISOTROPY 1
#define EXT_IRIDESCENCE 2
#define EXT_TRANSMISSION 4
#define EXT_SHEEN 8
#define EXT_CLEARCOAT 16
#define EXT_SPEC_GLOSS 32
#define HAS_EXT(bit) ((PBR_EXT & (bit)) != 0)

// PBR_TEXTURES fixes the core slots (0-4) only; the extension slots (8 and
// up) are always read from u_tex_set.
bool has_tex(int slot) { return (slot > TEX_EMISSIVE || (PBR_TEXTURES & (1 << slot)) != 0) && u_tex_set[slot] >= 0; }
int alpha_mode() { return PBR_ALPHA_MODE >= 0 ? PBR_ALPHA_MODE : u_alpha_mode; }
int tonemap_mode() { return PBR_TONEMAP >= 0 ? PBR_TONEMAP : u_tonemap; }
bool const_material() { return PBR_CONST_MATERIAL >= 0 ? PBR_CONST_MATERIAL == 1 : u_const_material; }

vec2 tex_uv(int slot) {
  vec2 uv = u_tex_set[slot] == 1 ? v_uv1 : v_uv0;
  return (u_tex_uv[slot] * vec3(uv, 1.0)).xy;
}

vec3 tonemap_aces(vec3 color) {
  // Stephen Hill's fit of the ACES RRT+ODT, as in the glTF Sample Renderer.
  const mat3 aces_in = mat3(0.59719, 0.07600, 0.02840, 0.35458, 0.90834, 0.13383, 0.04823, 0.01566, 0.83777);
  const mat3 aces_out = mat3(1.60475, -0.10208, -0.00327, -0.53108, 1.10813, -0.07276, -0.07367, -0.00605, 1.07602);
  color /= 0.6;
  color = aces_in * color;
  vec3 a = color * (color + 0.0245786) - 0.000090537;
  vec3 b = color * (0.983729 * color + 0.4329510) + 0.238081;
  color = aces_out * (a / b);
  return clamp(color, 0.0, 1.0);
}

vec3 tonemap_pbr_neutral(vec3 color) {
  // Khronos PBR Neutral, per its specification.
  const float start_compression = 0.8 - 0.04;
  const float desaturation = 0.15;
  float x = min(color.r, min(color.g, color.b));
  float offset = x < 0.08 ? x - 6.25 * x * x : 0.04;
  color -= offset;
  float peak = max(color.r, max(color.g, color.b));
  if (peak < start_compression) return color;
  float d = 1.0 - start_compression;
  float new_peak = 1.0 - d * d / (peak + d - start_compression);
  color *= new_peak / peak;
  float g = 1.0 - 1.0 / (desaturation * (peak - new_peak) + 1.0);
  return mix(color, new_peak * vec3(1.0), g);
}

vec3 tonemap(vec3 color) {
  color *= u_exposure;
  if (tonemap_mode() == TONEMAP_NEUTRAL) return clamp(tonemap_pbr_neutral(color), 0.0, 1.0);
  if (tonemap_mode() == TONEMAP_ACES) return tonemap_aces(color);
  return clamp(color, 0.0, 1.0);
}

float d_ggx(float NdotH, float alpha) {
  float a2 = alpha * alpha;
  float f = NdotH * NdotH * (a2 - 1.0) + 1.0;
  return a2 / (PI * f * f);
}

float v_smith_ggx(float NdotL, float NdotV, float alpha) {
  float a2 = alpha * alpha;
  float gv = NdotL * sqrt(NdotV * NdotV * (1.0 - a2) + a2);
  float gl = NdotV * sqrt(NdotL * NdotL * (1.0 - a2) + a2);
  float s = gv + gl;
  return s > 0.0 ? 0.5 / s : 0.0;
}

// Anisotropic GGX (KHR_materials_anisotropy's specification): roughness
// alpha_t along the anisotropy direction t, alpha_b across it.
float d_ggx_aniso(float NdotH, float TdotH, float BdotH, float at, float ab) {
  float a2 = at * ab;
  vec3 f = vec3(ab * TdotH, at * BdotH, a2 * NdotH);
  float w2 = a2 / dot(f, f);
  return a2 * w2 * w2 / PI;
}
float v_ggx_aniso(float NdotL, float NdotV, float TdotV, float BdotV, float TdotL, float BdotL, float at, float ab) {
  float gv = NdotL * length(vec3(at * TdotV, ab * BdotV, NdotV));
  float gl = NdotV * length(vec3(at * TdotL, ab * BdotL, NdotL));
  return clamp(0.5 / (gv + gl), 0.0, 1.0);
}

// Thin-film interference (KHR_materials_iridescence; Belcour and Barla 2017,
// as the extension's specification gives it): the reflectance of a film of
// index `film_ior` and `thickness_nm` over a base of reflectance f0, seen at
// cos_theta1 from air.
float schlick1(float f0, float c) { return f0 + (1.0 - f0) * pow(1.0 - c, 5.0); }
vec3 schlick3(vec3 f0, float c) { return f0 + (1.0 - f0) * pow(1.0 - c, 5.0); }
// The spectral sensitivity of the eye to a phase difference, as Rec.709 RGB
// (a Gaussian fit of the CIE XYZ matching functions in the Fourier domain).
vec3 film_sensitivity(float opd_nm, vec3 shift) {
  float phase = 2.0 * PI * opd_nm * 1.0e-9;
  vec3 val = vec3(5.4856e-13, 4.4201e-13, 5.2481e-13);
  vec3 pos = vec3(1.6810e+06, 1.7953e+06, 2.2084e+06);
  vec3 var = vec3(4.3278e+09, 9.3046e+09, 6.6121e+09);
  vec3 xyz = val * sqrt(2.0 * PI * var) * cos(pos * phase + shift) * exp(-phase * phase * var);
  xyz.x += 9.7470e-14 * sqrt(2.0 * PI * 4.5282e+09) * cos(2.2399e+06 * phase + shift.x) *
           exp(-4.5282e+09 * phase * phase);
  xyz /= 1.0685e-7;
  const mat3 xyz_to_rec709 = mat3(3.2404542, -0.9692660, 0.0556434, -1.5371385, 1.8760108, -0.2040259,
                                  -0.4985314, 0.0415560, 1.0572252);
  return xyz_to_rec709 * xyz;
}
vec3 thin_film(float film_ior_in, float cos_theta1, float thickness_nm, vec3 f0) {
  // A vanishing film fades to air (no interference).
  float film_ior = mix(1.0, film_ior_in, smoothstep(0.0, 0.03, thickness_nm));
  float sin2_t2 = (1.0 / (film_ior * film_ior)) * (1.0 - cos_theta1 * cos_theta1);
  float cos2_t2 = 1.0 - sin2_t2;
  if (cos2_t2 < 0.0) return vec3(1.0);  // total internal reflection
  float cos_theta2 = sqrt(cos2_t2);
  // Air -> film interface.
  float r0 = (film_ior - 1.0) / (film_ior + 1.0);
  float r12 = schlick1(r0 * r0, cos_theta1);
  float t121 = 1.0 - r12;
  float phi12 = film_ior < 1.0 ? PI : 0.0;
  float phi21 = PI - phi12;
  // Film -> base interface: the base's ior from its F0.
  vec3 s = sqrt(clamp(f0, 0.0, 0.9999));
  vec3 base_ior = (1.0 + s) / (1.0 - s);
  vec3 r1 = (base_ior - film_ior) / (base_ior + film_ior);
  vec3 r23 = schlick3(r1 * r1, cos_theta2);
  vec3 phi23 = vec3(base_ior.x < film_ior ? PI : 0.0, base_ior.y < film_ior ? PI : 0.0,
                    base_ior.z < film_ior ? PI : 0.0);
  // Airy summation of the first orders.
  float opd = 2.0 * film_ior * thickness_nm * cos_theta2;
  vec3 phi = vec3(phi21) + phi23;
  vec3 r123 = clamp(r12 * r23, 1e-5, 0.9999);
  vec3 rs = t121 * t121 * r23 / (1.0 - r123);
  vec3 result = r12 + rs;
  vec3 cm = rs - t121;
  for (int m = 1; m <= 2; ++m) {
    cm *= sqrt(r123);
    result += cm * 2.0 * film_sensitivity(float(m) * opd, float(m) * phi);
  }
  return max(result, vec3(0.0));
}

// Sheen (KHR_materials_sheen): the "Charlie" distribution and Neubelt's
// visibility term, as the extension's specification gives them.
float d_charlie(float NdotH, float sheen_roughness) {
  float alpha = max(sheen_roughness * sheen_roughness, 1e-3);
  float sin2 = max(1.0 - NdotH * NdotH, 0.0);
  return (2.0 + 1.0 / alpha) * pow(sin2, 0.5 / alpha) / (2.0 * PI);
}
float v_neubelt(float NdotL, float NdotV) {
  return clamp(1.0 / (4.0 * (NdotL + NdotV - NdotL * NdotV)), 0.0, 1.0);
}
// The sheen lobe's directional albedo (the integral of D*V over the
// hemisphere), as an analytic fit in N.V and roughness (the one three.js
// uses instead of a lookup table); it lights the sheen from the irradiance.
float sheen_albedo(float NdotV, float sheen_roughness) {
  float r = sheen_roughness, r2 = r * r;
  float a = r < 0.25 ? -339.2 * r2 + 161.4 * r - 25.9 : -8.48 * r2 + 14.3 * r - 9.95;
  float b = r < 0.25 ? 44.0 * r2 - 23.7 * r + 3.26 : 1.97 * r2 - 3.27 * r + 0.72;
  float dg = exp(a * NdotV + b) + (r < 0.25 ? 0.0 : 0.1 * (r - 0.25));
  return clamp(dg / PI, 0.0, 1.0);
}

// The direction towards punctual light i and its radiance at v_world.
vec3 light_radiance(int i, out vec3 l) {
  vec3 radiance = u_light_color[i];
  if (u_light_type[i] == 0) {
    l = -normalize(u_light_dir[i]);
    return radiance;
  }
  vec3 to_light = u_light_pos[i] - v_world;
  float dist2 = max(dot(to_light, to_light), 1e-8);
  l = to_light * inversesqrt(dist2);
  float att = 1.0 / dist2;
  if (u_light_range[i] > 0.0) {
    float q = sqrt(dist2) / u_light_range[i];
    att *= clamp(1.0 - q * q * q * q, 0.0, 1.0);
  }
  if (u_light_type[i] == 2) {
    float cd = dot(normalize(u_light_dir[i]), -l);
    float s = clamp(cd * u_light_cone[i].x + u_light_cone[i].y, 0.0, 1.0);
    att *= s * s;
  }
  return radiance * att;
}

#ifdef PBR_DEFERRED
#define main pbr_shade
#endif
void main() {
  // Without vertex colours v_color is 1, give or take the interpolation's
  // rounding: the constant material skips reading it.
  vec4 base = const_material() ? u_base_color : u_base_color * v_color;
  if (has_tex(TEX_BASE)) base *= texture(u_tex_base, tex_uv(TEX_BASE));

  float alpha = base.a;
  if (alpha_mode() == ALPHA_MASK) {
    if (alpha < u_alpha_cutoff) discard;
    alpha = 1.0;
  } else if (alpha_mode() == ALPHA_OPAQUE) {
    alpha = 1.0;
  }

  // Unlit materials (and lines or points without normals) show their colour
  // as authored: no lighting, no exposure, no tone mapping.
  bool has_normal = dot(v_normal, v_normal) > 1e-12;
  if (u_unlit || !has_normal) {
    o_color = vec4(clamp(base.rgb, 0.0, 1.0), alpha);
    return;
  }

  // Shading frame; back faces (only drawn when double-sided) flip it.
  vec3 n = normalize(v_normal);
  vec3 t, b;
  if (dot(v_tangent.xyz, v_tangent.xyz) > 1e-12) {
    t = normalize(v_tangent.xyz - n * dot(n, v_tangent.xyz));
    b = cross(n, t) * (v_tangent.w < 0.0 ? -1.0 : 1.0);
  } else {
    // No tangents: derive them from the texture coordinates' screen gradients.
    vec2 uv = u_tex_set[TEX_NORMAL] == 1 ? v_uv1 : v_uv0;
    vec3 dp_dx = dFdx(v_world), dp_dy = dFdy(v_world);
    vec2 duv_dx = dFdx(uv), duv_dy = dFdy(uv);
    vec3 tt = (duv_dy.t * dp_dx - duv_dx.t * dp_dy) / (duv_dx.s * duv_dy.t - duv_dy.s * duv_dx.t + 1e-20);
    tt = tt - n * dot(n, tt);
    t = dot(tt, tt) > 1e-20 ? normalize(tt) : normalize(abs(n.x) < 0.9 ? cross(n, vec3(1, 0, 0)) : cross(n, vec3(0, 1, 0)));
    b = cross(n, t);
  }
  if (!gl_FrontFacing) {
    n = -n;
    t = -t;
    b = -b;
  }
  vec3 n_geom = n;  // the clearcoat's own normal map starts from here
  if (has_tex(TEX_NORMAL)) {
    vec3 tn = texture(u_tex_normal, tex_uv(TEX_NORMAL)).rgb * 2.0 - 1.0;
    tn.xy *= u_normal_scale;
    n = normalize(mat3(t, b, n) * tn);
  }

  float metallic = u_metallic;
  float roughness = u_roughness;
  if (has_tex(TEX_MR)) {
    vec4 mr = texture(u_tex_mr, tex_uv(TEX_MR));
    roughness *= mr.g;
    metallic *= mr.b;
  }
  metallic = clamp(metallic, 0.0, 1.0);
  roughness = clamp(roughness, 0.0, 1.0);

  // Dielectric reflectance: F0 from the index of refraction, tinted and
  // weighted by KHR_materials_specular (the weight scales F0 and F90).
  vec3 c_diff = u_const_c_diff, f0 = u_const_f0, f90 = u_const_f90;
  if (!const_material()) {
    vec3 spec_color = u_specular_color;
    if (has_tex(TEX_SPECULAR_COLOR)) spec_color *= texture(u_tex_specular_color, tex_uv(TEX_SPECULAR_COLOR)).rgb;
    float spec_weight = u_specular;
    if (has_tex(TEX_SPECULAR)) spec_weight *= texture(u_tex_specular, tex_uv(TEX_SPECULAR)).a;
    float ior_r = (u_ior - 1.0) / (u_ior + 1.0);
    vec3 f0_dielectric = min(vec3(ior_r * ior_r) * spec_color, vec3(1.0));
    c_diff = mix(base.rgb, vec3(0.0), metallic);
    f0 = mix(f0_dielectric * spec_weight, base.rgb, metallic);
    f90 = vec3(mix(spec_weight, 1.0, metallic));
  }
  if (HAS_EXT(EXT_SPEC_GLOSS) && u_specular_glossiness) {
    // The archived extension's own model: F0 given, diffuse reduced by the
    // largest F0 component, roughness = 1 - glossiness.
    vec4 sg = vec4(u_sg_specular, u_sg_glossiness);
    if (has_tex(TEX_SPEC_GLOSS)) sg *= texture(u_tex_spec_gloss, tex_uv(TEX_SPEC_GLOSS));
    f0 = sg.rgb;
    f90 = vec3(1.0);
    c_diff = base.rgb * (1.0 - max(f0.r, max(f0.g, f0.b)));
    roughness = clamp(1.0 - sg.a, 0.0, 1.0);
  }
  float alpha_r = max(roughness * roughness, 1e-3);  // keeps D finite at roughness 0


  vec3 v = u_ortho ? -u_view_forward : normalize(u_camera_pos - v_world);
  float NdotV = clamp(dot(n, v), 1e-4, 1.0);

  // Anisotropy: a direction in the tangent plane, and roughness stretched
  // along it; the environment is read along a normal bent towards it.
  float aniso = HAS_EXT(EXT_ANISOTROPY) ? u_anisotropy : 0.0;
  vec2 aniso_dir = u_anisotropy_direction;
  if (HAS_EXT(EXT_ANISOTROPY) && has_tex(TEX_ANISOTROPY)) {
    vec3 at = texture(u_tex_anisotropy, tex_uv(TEX_ANISOTROPY)).rgb;
    vec2 d = at.rg * 2.0 - 1.0;
    d = dot(d, d) > 1e-8 ? normalize(d) : vec2(1.0, 0.0);
    aniso_dir = mat2(aniso_dir.x, aniso_dir.y, -aniso_dir.y, aniso_dir.x) * d;
    aniso *= at.b;
  }
  vec3 aniso_t = normalize(mat3(t, b, n) * vec3(aniso_dir, 0.0));
  vec3 aniso_b = normalize(cross(n, aniso_t));
  float alpha_t = mix(alpha_r, 1.0, aniso * aniso);
  vec3 n_reflect = n;
  if (aniso > 0.0) {
    vec3 a_dir = aniso_b;
    vec3 a_normal = cross(cross(a_dir, v), a_dir);
    float bend = 1.0 - aniso * (1.0 - roughness);
    n_reflect = normalize(mix(a_normal, n, bend * bend * bend * bend));
  }

  // Iridescence: F0 becomes the thin film's reflectance at N.V (for the
  // environment) or V.H (for lights), mixed in by the factor.
  float irid = HAS_EXT(EXT_IRIDESCENCE) ? u_iridescence : 0.0;
  if (HAS_EXT(EXT_IRIDESCENCE) && has_tex(TEX_IRIDESCENCE)) irid *= texture(u_tex_iridescence, tex_uv(TEX_IRIDESCENCE)).r;
  float film_nm = u_iridescence_thickness.y;
  if (HAS_EXT(EXT_IRIDESCENCE) && has_tex(TEX_IRIDESCENCE_THICKNESS))
    film_nm = mix(u_iridescence_thickness.x, u_iridescence_thickness.y,
                  texture(u_tex_iridescence_thickness, tex_uv(TEX_IRIDESCENCE_THICKNESS)).g);
  vec3 f0_surface = f0;
  if (irid > 0.0) f0 = mix(f0, thin_film(u_iridescence_ior, NdotV, film_nm, f0_surface), irid);

  // Image-based lighting (split sum). The LUT already integrates Schlick's
  // Fresnel over the lobe (A scales F0, B is the F90 = 1 bias), so the
  // single-scattering specular is F0*A + B, with no extra Fresnel at N.V:
  // multiplying by Schlick(N.V) again over-brightens grazing angles.
  vec2 ab = texture(u_brdf_lut, vec2(NdotV, roughness)).rg;
  vec3 specular_light = textureLod(u_env_specular, reflect(-v, n_reflect), roughness * float(u_env_mips - 1)).rgb;
  vec3 diffuse_light = texture(u_env_irradiance, n).rgb;
  vec3 fss_ess = f0 * ab.x + f90 * ab.y;
  // Multiple scattering (Fdez-Aguera 2019): the energy a single bounce loses,
  // Ems = 1 - Ess, returns after further bounces with the average Fresnel,
  // as a geometric series; it is lit like diffuse (cosine-weighted).
  float ems = 1.0 - (ab.x + ab.y);
  vec3 f_avg = f0 + (f90 - f0) / 21.0;
  vec3 fms_ems = ems * fss_ess * f_avg / (1.0 - ems * f_avg);
  // Diffuse takes what both specular terms leave: a white dielectric or a
  // white metal in a uniform environment reflects exactly the environment
  // (the furnace tests).
  vec3 k_d = c_diff * (1.0 - fss_ess - fms_ems);
  vec3 diffuse_ibl = diffuse_light * k_d;

  // Transmission (as the Khronos glTF Sample Renderer does it): what lies
  // behind is read from the opaque pass's image at the refracted exit point,
  // blurred by roughness through its mipmaps; where that pass drew nothing
  // the environment is seen. It replaces the diffuse part of the surface.
  float transmission = HAS_EXT(EXT_TRANSMISSION) ? u_transmission : 0.0;
  if (HAS_EXT(EXT_TRANSMISSION) && has_tex(TEX_TRANSMISSION)) transmission *= texture(u_tex_transmission, tex_uv(TEX_TRANSMISSION)).r;
  if (transmission > 0.0) {
    float thickness = u_thickness;
    if (has_tex(TEX_THICKNESS)) thickness *= texture(u_tex_thickness, tex_uv(TEX_THICKNESS)).g;
    vec3 model_scale = vec3(length(u_model[0].xyz), length(u_model[1].xyz), length(u_model[2].xyz));
    vec3 dir = thickness > 0.0 ? normalize(refract(-v, n, 1.0 / max(u_ior, 1.0))) : -v;
    vec3 ray = dir * thickness * model_scale;
    float t_rough = roughness * clamp(u_ior * 2.0 - 2.0, 0.0, 1.0);
    vec3 behind = textureLod(u_env_specular, dir, t_rough * float(u_env_mips - 1)).rgb;
    if (u_has_transmission_target) {
      vec4 clip = u_view_proj * vec4(v_world + ray, 1.0);
      vec2 uv = clip.xy / clip.w * 0.5 + 0.5;
      vec4 seen = textureLod(u_transmission_scene, uv, t_rough * u_transmission_levels);
      behind = seen.rgb + (1.0 - seen.a) * behind;
    }
    // KHR_materials_volume: Beer-Lambert absorption along the path.
    if (u_attenuation_distance > 0.0 && thickness > 0.0)
      behind *= pow(max(u_attenuation_color, vec3(1e-6)), vec3(length(ray) / u_attenuation_distance));
    vec3 transmitted = behind * c_diff * (1.0 - fss_ess - fms_ems);
    diffuse_ibl = mix(diffuse_ibl, transmitted, transmission);
  }
  vec3 color = specular_light * fss_ess + diffuse_light * fms_ems + diffuse_ibl;

  // Sheen: a layer over the base that reflects sheen_color * albedo and
  // takes about that much from what lies beneath (three.js's scaling).
  vec3 sheen = HAS_EXT(EXT_SHEEN) ? u_sheen_color : vec3(0.0);
  if (HAS_EXT(EXT_SHEEN) && has_tex(TEX_SHEEN_COLOR)) sheen *= texture(u_tex_sheen_color, tex_uv(TEX_SHEEN_COLOR)).rgb;
  float sheen_rough = u_sheen_roughness;
  if (HAS_EXT(EXT_SHEEN) && has_tex(TEX_SHEEN_ROUGHNESS)) sheen_rough *= texture(u_tex_sheen_roughness, tex_uv(TEX_SHEEN_ROUGHNESS)).a;
  sheen_rough = clamp(sheen_rough, 0.0, 1.0);
  float sheen_max = max(sheen.r, max(sheen.g, sheen.b));
  float sheen_scale = 1.0;
  if (sheen_max > 0.0) {
    float albedo = sheen_albedo(NdotV, sheen_rough);
    sheen_scale = 1.0 - sheen_max * albedo;
    color = color * sheen_scale + diffuse_light * sheen * albedo;
  }

  float ao = 1.0;
  if (has_tex(TEX_OCCLUSION))
    ao = 1.0 + u_occlusion_strength * (texture(u_tex_occlusion, tex_uv(TEX_OCCLUSION)).r - 1.0);
  color *= ao;

  // Clearcoat: a dielectric (F0 0.04) GGX layer with its own roughness and
  // normal over everything else, which it dims by its Fresnel at N.V.
  float coat = HAS_EXT(EXT_CLEARCOAT) ? u_clearcoat : 0.0;
  if (HAS_EXT(EXT_CLEARCOAT) && has_tex(TEX_CLEARCOAT)) coat *= texture(u_tex_clearcoat, tex_uv(TEX_CLEARCOAT)).r;
  vec3 n_coat = n_geom;
  float coat_roughness = u_clearcoat_roughness;
  float coat_fresnel = 0.0;
  vec3 coat_color = vec3(0.0);
  if (coat > 0.0) {
    if (has_tex(TEX_CLEARCOAT_NORMAL)) {
      vec3 tn = texture(u_tex_clearcoat_normal, tex_uv(TEX_CLEARCOAT_NORMAL)).rgb * 2.0 - 1.0;
      tn.xy *= u_clearcoat_normal_scale;
      n_coat = normalize(mat3(t, b, n_geom) * tn);
    }
    if (has_tex(TEX_CLEARCOAT_ROUGHNESS))
      coat_roughness *= texture(u_tex_clearcoat_roughness, tex_uv(TEX_CLEARCOAT_ROUGHNESS)).g;
    coat_roughness = clamp(coat_roughness, 0.0, 1.0);
    float NcV = clamp(dot(n_coat, v), 1e-4, 1.0);
    vec2 ab_c = texture(u_brdf_lut, vec2(NcV, coat_roughness)).rg;
    vec3 coat_light = textureLod(u_env_specular, reflect(-v, n_coat), coat_roughness * float(u_env_mips - 1)).rgb;
    coat_color = coat_light * (0.04 * ab_c.x + ab_c.y) * ao;
    coat_fresnel = 0.04 + 0.96 * pow(1.0 - NcV, 5.0);
  }
  float coat_alpha = max(coat_roughness * coat_roughness, 1e-3);

  // Punctual lights: (diffuse + specular BRDF) * radiance * NdotL.
  for (int i = 0; PBR_LIGHTS != 0 && i < u_light_count && i < MAX_LIGHTS; ++i) {
    vec3 l;
    vec3 radiance = light_radiance(i, l);
    vec3 h = normalize(l + v);
    float VdotH = clamp(dot(v, h), 0.0, 1.0);
    float NdotL = dot(n, l);
    if (NdotL > 0.0) {
      float NdotH = clamp(dot(n, h), 0.0, 1.0);
      vec3 f = f0_surface + (f90 - f0_surface) * pow(1.0 - VdotH, 5.0);
      if (irid > 0.0) f = mix(f, thin_film(u_iridescence_ior, VdotH, film_nm, f0_surface), irid);
      vec3 f_diffuse = (1.0 - f) * c_diff / PI * (1.0 - transmission);
      vec3 f_specular = aniso > 0.0
          ? f * d_ggx_aniso(NdotH, dot(aniso_t, h), dot(aniso_b, h), alpha_t, alpha_r) *
                v_ggx_aniso(NdotL, NdotV, dot(aniso_t, v), dot(aniso_b, v), dot(aniso_t, l), dot(aniso_b, l),
                            alpha_t, alpha_r)
          : f * d_ggx(NdotH, alpha_r) * v_smith_ggx(NdotL, NdotV, alpha_r);
      vec3 f_sheen = sheen_max > 0.0
          ? sheen * d_charlie(NdotH, sheen_rough) * v_neubelt(NdotL, NdotV) : vec3(0.0);
      color += ((f_diffuse + f_specular) * sheen_scale + f_sheen) * radiance * NdotL;
    }
    float NcL = dot(n_coat, l);
    if (coat > 0.0 && NcL > 0.0) {
      float NcV = clamp(dot(n_coat, v), 1e-4, 1.0);
      float fc = 0.04 + 0.96 * pow(1.0 - VdotH, 5.0);
      coat_color += fc * d_ggx(clamp(dot(n_coat, h), 0.0, 1.0), coat_alpha) * v_smith_ggx(NcL, NcV, coat_alpha) *
                    radiance * NcL;
    }
  }

  vec3 emissive = u_emissive;
  if (has_tex(TEX_EMISSIVE)) emissive *= texture(u_tex_emissive, tex_uv(TEX_EMISSIVE)).rgb;
  color += emissive;
  color = color * (1.0 - coat * coat_fresnel) + coat * coat_color;

  if (u_linear_output) {
    o_color = vec4(color, alpha);
    return;
  }
  o_color = vec4(tonemap(color), alpha);
}

#ifdef PBR_DEFERRED
#undef main
// The deferred shading pass: per pixel, the G-buffer's samples (normal,
// already turned to face the viewer, and material slot; slot -1 where
// nothing was drawn) are grouped by draw and by normal (within 2.6
// degrees); each group is shaded once with its samples' summed normal and
// weighted by its share of the samples, the others take the clear colour:
// what resolving the forward pass's samples gives, except that the forward
// pass shades each triangle of a pixel apart (it differs where the normals
// of a pixel's triangles differ by less than that, below one 8-bit step on
// a mesh fine enough to take this path). The view ray is the pixel
// centre's, as the forward pass's v_world lies on it. PBR_DEFERRED is the
// G-buffer's sample count.
layout(binding = 22) uniform sampler2D u_deferred_materials;  // per slot (draw): 5 RGBA32F texels
layout(binding = 23) uniform sampler2DMS u_gbuffer;  // PBR_DEFERRED samples
uniform vec4 u_clear_color;     // linear, as glClear writes it
uniform mat4 u_inv_view_proj;
out vec4 o_resolved;

void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  vec2 ndc = gl_FragCoord.xy / vec2(textureSize(u_gbuffer)) * 2.0 - 1.0;
  vec4 on_ray = u_inv_view_proj * vec4(ndc, 0.0, 1.0);  // finite for an infinite far plane too
  v_world = on_ray.xyz / on_ray.w;  // any point on the pixel centre's ray
  // The sample count is the variant's, so these loops unroll and g stays
  // in registers.
  vec4 g[PBR_DEFERRED];
  uint pending = 0u;
  int background = 0;
  for (int s = 0; s < PBR_DEFERRED; ++s) {
    g[s] = texelFetch(u_gbuffer, p, s);
    if (g[s].w < 0.0) ++background;
    else pending |= 1u << uint(s);
  }
  vec4 sum = u_clear_color * float(background);
  while (pending != 0u) {
    vec4 seed = g[0];  // the first sample not yet shaded
    for (int s = PBR_DEFERRED - 1; s > 0; --s)
      if ((pending & (1u << uint(s))) != 0u) seed = g[s];
    if ((pending & 1u) != 0u) seed = g[0];
    float slot = seed.w;
    vec3 n = vec3(0.0);
    int count = 0;
    for (int s = 0; s < PBR_DEFERRED; ++s) {
      // Same draw and a normal within 2.6 degrees of the seed's: one surface.
      bool same = g[s].w == slot &&
                  dot(g[s].xyz, seed.xyz) >= 0.999 * sqrt(dot(g[s].xyz, g[s].xyz) * dot(seed.xyz, seed.xyz));
      if ((pending & (1u << uint(s))) != 0u && same) {
        n += g[s].xyz;
        ++count;
        pending &= ~(1u << uint(s));
      }
    }
    int row = int(slot);
    u_base_color = texelFetch(u_deferred_materials, ivec2(0, row), 0);
    vec4 c_diff_rough = texelFetch(u_deferred_materials, ivec2(1, row), 0);
    vec4 f0_unlit = texelFetch(u_deferred_materials, ivec2(2, row), 0);
    u_const_f90 = texelFetch(u_deferred_materials, ivec2(3, row), 0).rgb;
    u_emissive = texelFetch(u_deferred_materials, ivec2(4, row), 0).rgb;
    u_const_c_diff = c_diff_rough.rgb;
    u_roughness = c_diff_rough.a;
    u_const_f0 = f0_unlit.rgb;
    u_unlit = f0_unlit.a > 0.5;
    v_normal = n;
    pbr_shade();
    sum += o_color * float(count);
  }
  o_resolved = sum / float(PBR_DEFERRED);
}
#endif
