#include "render/gl_draw.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>

#include <glm/gtc/type_ptr.hpp>

#include "render/color.hpp"

namespace renderq {
namespace {

int tonemap_index(ToneMap t) { return t == ToneMap::PbrNeutral ? 0 : t == ToneMap::Aces ? 1 : 2; }

struct DrawItem {
  const GlPrimitive* prim;
  const glm::mat4* world;
  float depth;  // view-space distance, for blended sorting
};

const Material& material_of(const Scene& scene, int index) {
  static const Material kDefault{};  // glTF's default material
  if (index < 0 || index >= static_cast<int>(scene.materials.size())) return kDefault;
  return scene.materials[static_cast<std::size_t>(index)];
}

void bind_texture(GlShaderProgram& p, const GlScene& gpu, int slot, const TextureRef& ref, bool srgb) {
  GLuint tex = gpu.texture(ref, srgb);
  std::string set = "u_tex_set[" + std::to_string(slot) + "]";
  if (tex == 0) {
    glUniform1i(p.uniform(set.c_str()), -1);
    return;
  }
  glBindTextureUnit(static_cast<GLuint>(slot), tex);
  glBindSampler(static_cast<GLuint>(slot), gpu.sampler(ref));
  glUniform1i(p.uniform(set.c_str()), ref.texcoord == 1 ? 1 : 0);
  std::string uv = "u_tex_uv[" + std::to_string(slot) + "]";
  glUniformMatrix3fv(p.uniform(uv.c_str()), 1, GL_FALSE, glm::value_ptr(ref.uv_transform));
}

void set_material(GlShaderProgram& p, const GlScene& gpu, const Material& m) {
  glUniform4fv(p.uniform("u_base_color"), 1, glm::value_ptr(m.base_color));
  glUniform1f(p.uniform("u_metallic"), m.metallic);
  glUniform1f(p.uniform("u_roughness"), m.roughness);
  glUniform3fv(p.uniform("u_emissive"), 1, glm::value_ptr(m.emissive));
  int mode = m.alpha_mode == AlphaMode::Opaque ? 0 : m.alpha_mode == AlphaMode::Mask ? 1 : 2;
  glUniform1i(p.uniform("u_alpha_mode"), mode);
  glUniform1f(p.uniform("u_alpha_cutoff"), m.alpha_cutoff);
  glUniform1i(p.uniform("u_unlit"), m.unlit ? 1 : 0);
  glUniform1f(p.uniform("u_normal_scale"), m.normal_tex.scale);
  glUniform1f(p.uniform("u_occlusion_strength"), m.occlusion_tex.scale);
  bind_texture(p, gpu, 0, m.base_color_tex, true);
  bind_texture(p, gpu, 1, m.metallic_roughness_tex, false);
  bind_texture(p, gpu, 2, m.normal_tex, false);
  bind_texture(p, gpu, 3, m.occlusion_tex, false);
  bind_texture(p, gpu, 4, m.emissive_tex, true);
  // Extensions (units 5-7 hold the environment).
  glUniform1f(p.uniform("u_ior"), m.ior);
  glUniform1f(p.uniform("u_specular"), m.specular);
  glUniform3fv(p.uniform("u_specular_color"), 1, glm::value_ptr(m.specular_color));
  glUniform1f(p.uniform("u_clearcoat"), m.clearcoat);
  glUniform1f(p.uniform("u_clearcoat_roughness"), m.clearcoat_roughness);
  glUniform1f(p.uniform("u_clearcoat_normal_scale"), m.clearcoat_normal_tex.scale);
  bind_texture(p, gpu, 8, m.specular_tex, false);
  bind_texture(p, gpu, 9, m.specular_color_tex, true);
  bind_texture(p, gpu, 10, m.clearcoat_tex, false);
  bind_texture(p, gpu, 11, m.clearcoat_roughness_tex, false);
  bind_texture(p, gpu, 12, m.clearcoat_normal_tex, false);
  glUniform1i(p.uniform("u_specular_glossiness"), m.specular_glossiness ? 1 : 0);
  glUniform3fv(p.uniform("u_sg_specular"), 1, glm::value_ptr(m.sg_specular));
  glUniform1f(p.uniform("u_sg_glossiness"), m.sg_glossiness);
  bind_texture(p, gpu, 13, m.sg_tex, true);
  glUniform3fv(p.uniform("u_sheen_color"), 1, glm::value_ptr(m.sheen_color));
  glUniform1f(p.uniform("u_sheen_roughness"), m.sheen_roughness);
  bind_texture(p, gpu, 14, m.sheen_color_tex, true);
  bind_texture(p, gpu, 15, m.sheen_roughness_tex, false);
  glUniform1f(p.uniform("u_transmission"), m.transmission);
  glUniform1f(p.uniform("u_thickness"), m.thickness);
  glUniform1f(p.uniform("u_attenuation_distance"), m.attenuation_distance);
  glUniform3fv(p.uniform("u_attenuation_color"), 1, glm::value_ptr(m.attenuation_color));
  bind_texture(p, gpu, 16, m.transmission_tex, false);
  bind_texture(p, gpu, 17, m.thickness_tex, false);
  glUniform1f(p.uniform("u_anisotropy"), m.anisotropy);
  glUniform2f(p.uniform("u_anisotropy_direction"), std::cos(m.anisotropy_rotation), std::sin(m.anisotropy_rotation));
  bind_texture(p, gpu, 19, m.anisotropy_tex, false);  // 18 is the transmission image
  glUniform1f(p.uniform("u_iridescence"), m.iridescence);
  glUniform1f(p.uniform("u_iridescence_ior"), m.iridescence_ior);
  glUniform2f(p.uniform("u_iridescence_thickness"), m.iridescence_thickness_min, m.iridescence_thickness_max);
  bind_texture(p, gpu, 20, m.iridescence_tex, false);
  bind_texture(p, gpu, 21, m.iridescence_thickness_tex, false);
}

// True when the box lies wholly beyond the near plane of `mvp` (GL clip
// space: -w < z, w > 0 at every corner), so no view ray starts inside it.
bool beyond_near_plane(const glm::mat4& mvp, glm::vec3 lo, glm::vec3 hi) {
  for (int i = 0; i < 8; ++i) {
    glm::vec3 p((i & 1) ? hi.x : lo.x, (i & 2) ? hi.y : lo.y, (i & 4) ? hi.z : lo.z);
    glm::vec4 c = mvp * glm::vec4(p, 1.0f);
    if (!(c.w > 0.0f && c.z + c.w > 0.0f)) return false;
  }
  return true;
}


void set_lights(GlShaderProgram& p, const Scene& scene) {
  int n = 0;
  for (const LightInstance& li : scene.light_instances) {
    if (n == 8) break;
    if (li.light < 0 || li.light >= static_cast<int>(scene.lights.size())) continue;
    const Light& l = scene.lights[static_cast<std::size_t>(li.light)];
    auto idx = [&](const char* name) { return p.uniform((std::string(name) + "[" + std::to_string(n) + "]").c_str()); };
    int type = l.type == LightType::Directional ? 0 : l.type == LightType::Point ? 1 : 2;
    glm::vec3 color = l.color * l.intensity;
    glm::vec3 pos(li.world[3]);
    glm::vec3 dir = glm::normalize(glm::mat3(li.world) * glm::vec3(0, 0, -1));
    float cos_outer = std::cos(l.outer_cone), cos_inner = std::cos(l.inner_cone);
    float scale = 1.0f / std::max(0.001f, cos_inner - cos_outer);
    glUniform1i(idx("u_light_type"), type);
    glUniform3fv(idx("u_light_color"), 1, glm::value_ptr(color));
    glUniform3fv(idx("u_light_pos"), 1, glm::value_ptr(pos));
    glUniform3fv(idx("u_light_dir"), 1, glm::value_ptr(dir));
    glUniform1f(idx("u_light_range"), l.range);
    glUniform2f(idx("u_light_cone"), scale, -cos_outer * scale);
    ++n;
  }
  glUniform1i(p.uniform("u_light_count"), n);
}

void draw_item(GlShaderProgram& p, const DrawItem& item, bool cull) {
  if (cull) {
    glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
  } else {
    glDisable(GL_CULL_FACE);
  }
  glm::mat3 m3(*item.world);
  glm::mat3 normal = glm::transpose(glm::inverse(m3));
  glFrontFace(glm::determinant(m3) < 0 ? GL_CW : GL_CCW);
  glUniformMatrix4fv(p.uniform("u_model"), 1, GL_FALSE, glm::value_ptr(*item.world));
  glUniformMatrix3fv(p.uniform("u_normal_matrix"), 1, GL_FALSE, glm::value_ptr(normal));
  glBindVertexArray(item.prim->vao.get());
  if (item.prim->indexed) {
    glDrawElements(item.prim->mode, item.prim->count, GL_UNSIGNED_INT, nullptr);
  } else {
    glDrawArrays(item.prim->mode, 0, item.prim->count);
  }
}

}  // namespace

Result<void> GlTransmissionTarget::ensure() {
  if (fbo_.get() != 0) return {};
  color_ = make_texture(GL_TEXTURE_2D);
  GLuint tex = color_.get();
  int levels = std::bit_width(static_cast<unsigned>(kSize));
  glTextureStorage2D(tex, levels, GL_RGBA16F, kSize, kSize);
  glTextureParameteri(tex, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
  glTextureParameteri(tex, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTextureParameteri(tex, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTextureParameteri(tex, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  depth_ = make_renderbuffer();
  GLuint rb = depth_.get();
  glNamedRenderbufferStorage(rb, GL_DEPTH_COMPONENT24, kSize, kSize);
  fbo_ = make_framebuffer();
  GLuint fbo = fbo_.get();
  glNamedFramebufferTexture(fbo, GL_COLOR_ATTACHMENT0, tex, 0);
  glNamedFramebufferRenderbuffer(fbo, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, rb);
  if (glCheckNamedFramebufferStatus(fbo, GL_DRAW_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    fbo_ = GlFramebuffer();
    return fail(Errc::FramebufferIncomplete, "transmission target is incomplete");
  }
  return {};
}

// Skipping the back faces of a closed primitive keeps the image and halves
// the triangles rasterised and shaded (on llvmpipe, half the frame of a
// double-sided 1 M-triangle model).
bool culls_back_faces(const GlPrimitive& prim, const Material& m, const glm::mat4& mvp) {
  if (!m.double_sided) return true;
  return prim.closed && m.alpha_mode == AlphaMode::Opaque && beyond_near_plane(mvp, prim.bounds_min, prim.bounds_max);
}

void init_draw_state() {
  glVertexAttrib3f(1, 0.0f, 0.0f, 0.0f);        // no normal: drawn unlit
  glVertexAttrib4f(2, 0.0f, 0.0f, 0.0f, 1.0f);  // no tangent: derived in the shader
  glVertexAttrib2f(3, 0.0f, 0.0f);
  glVertexAttrib2f(4, 0.0f, 0.0f);
  glVertexAttrib4f(5, 1.0f, 1.0f, 1.0f, 1.0f);  // no vertex colour: white
  glEnable(GL_PROGRAM_POINT_SIZE);
  glEnable(GL_TEXTURE_CUBE_MAP_SEAMLESS);
}

namespace {

// Uniforms every primitive of a frame shares, set on each program the frame uses.
struct PassUniforms {
  bool linear_output = false;            // the transmission pre-pass: linear radiance, no tone map
  bool has_transmission_target = false;  // unit 18 holds the opaque pass's image
};

void set_frame_uniforms(GlShaderProgram& p, const Scene& scene, const DrawSettings& s, const PassUniforms& pass) {
  glm::mat4 view_proj = s.view.proj * s.view.view;
  glUniformMatrix4fv(p.uniform("u_view_proj"), 1, GL_FALSE, glm::value_ptr(view_proj));
  glUniform3fv(p.uniform("u_camera_pos"), 1, glm::value_ptr(s.view.position));
  glUniform1i(p.uniform("u_ortho"), s.view.orthographic ? 1 : 0);
  glUniform3fv(p.uniform("u_view_forward"), 1, glm::value_ptr(s.view.forward));
  glUniform1f(p.uniform("u_point_size"), std::max(1.0f, static_cast<float>(s.image_height) / 256.0f));
  glUniform1i(p.uniform("u_tonemap"), tonemap_index(s.tonemap));
  glUniform1f(p.uniform("u_exposure"), static_cast<float>(std::exp2(s.exposure_ev)));
  glUniform1i(p.uniform("u_env_mips"), s.ibl->specular_mips);
  glUniform1i(p.uniform("u_linear_output"), pass.linear_output ? 1 : 0);
  glUniform1i(p.uniform("u_has_transmission_target"), pass.has_transmission_target ? 1 : 0);
  glUniform1f(p.uniform("u_transmission_levels"),
              static_cast<float>(std::bit_width(static_cast<unsigned>(GlTransmissionTarget::kSize)) - 1));
  set_lights(p, scene);
}

bool has_lights(const Scene& scene) {
  for (const LightInstance& li : scene.light_instances)
    if (li.light >= 0 && li.light < static_cast<int>(scene.lights.size())) return true;
  return false;
}

// Diffuse colour, F0 and F90 of a material that does not vary over `prim`
// (pbr.frag's const_material(): no vertex colours, no base colour,
// metal-roughness or specular textures, not specular-glossiness), as the
// shader would compute them; nullopt when they vary per fragment. On
// llvmpipe every fragment of a 1 M-triangle model paid for this arithmetic.
struct ConstMaterial {
  glm::vec3 c_diff, f0, f90;
};
std::optional<ConstMaterial> const_material(const GlScene& gpu, const Material& m, const GlPrimitive& prim) {
  if (prim.has_colors || m.specular_glossiness) return std::nullopt;
  if (gpu.texture(m.base_color_tex, true) != 0 || gpu.texture(m.metallic_roughness_tex, false) != 0 ||
      gpu.texture(m.specular_tex, false) != 0 || gpu.texture(m.specular_color_tex, true) != 0)
    return std::nullopt;
  const float metallic = std::clamp(m.metallic, 0.0f, 1.0f);
  const glm::vec3 base(m.base_color);
  const float ior_r = (m.ior - 1.0f) / (m.ior + 1.0f);
  const glm::vec3 f0_dielectric = glm::min(glm::vec3(ior_r * ior_r) * m.specular_color, glm::vec3(1.0f));
  return ConstMaterial{.c_diff = glm::mix(base, glm::vec3(0.0f), metallic),
                       .f0 = glm::mix(f0_dielectric * m.specular, base, metallic),
                       .f90 = glm::vec3(glm::mix(m.specular, 1.0f, metallic))};
}

void set_const_material(GlShaderProgram& p, const std::optional<ConstMaterial>& c) {
  glUniform1i(p.uniform("u_const_material"), c ? 1 : 0);
  if (!c) return;
  glUniform3fv(p.uniform("u_const_c_diff"), 1, glm::value_ptr(c->c_diff));
  glUniform3fv(p.uniform("u_const_f0"), 1, glm::value_ptr(c->f0));
  glUniform3fv(p.uniform("u_const_f90"), 1, glm::value_ptr(c->f90));
}

// The variant of the PBR program that draws `m` exactly like the generic one.
PbrVariant variant_for(const GlScene& gpu, const Material& m, const DrawSettings& s, bool lights, bool constant) {
  PbrVariant v;
  v.textures = 0;
  const TextureRef* slots[5] = {&m.base_color_tex, &m.metallic_roughness_tex, &m.normal_tex, &m.occlusion_tex,
                                &m.emissive_tex};
  for (int i = 0; i < 5; ++i)
    if (gpu.texture(*slots[i], i == 0 || i == 4) != 0) v.textures = static_cast<std::uint8_t>(v.textures | (1 << i));
  v.alpha_mode = static_cast<std::int8_t>(m.alpha_mode == AlphaMode::Opaque ? 0 : m.alpha_mode == AlphaMode::Mask ? 1 : 2);
  v.tonemap = static_cast<std::int8_t>(tonemap_index(s.tonemap));
  v.lights = lights;
  // The extensions whose factor is not 0: only those are shaded (a texture
  // only scales its factor, so a 0 factor is the extension's absence).
  int ext = 0;
  if (m.anisotropy != 0.0f) ext |= 1;
  if (m.iridescence != 0.0f) ext |= 2;
  if (m.transmission != 0.0f) ext |= 4;
  if (m.sheen_color != glm::vec3(0.0f)) ext |= 8;
  if (m.clearcoat != 0.0f) ext |= 16;
  if (m.specular_glossiness) ext |= 32;
  v.extensions = static_cast<std::uint8_t>(ext);
  v.const_material = constant ? 1 : 0;
  return v;
}

// The deferred path's material table, one row per draw item (its G-buffer
// slot), or nullopt when the frame must be drawn forward: every item
// opaque, a constant material (const_material) with no texture and no
// extension, triangles, no punctual lights; and, unless the target's mode
// is Always, a heavy mesh: at least kDeferredMinTriangles, and one per 2
// pixels or more (the forward pass then shades whole quads for 1-2 pixel
// triangles). Lighter scenes keep the forward pass's exact pixels.
constexpr std::int64_t kDeferredMinTriangles = 100000;
struct DeferredPlan {
  std::vector<float> texels;  // GlDeferredTarget::kMaterialTexels RGBA per item
};
std::optional<DeferredPlan> deferred_plan(const GlScene& gpu, const Scene& scene, const DrawSettings& s,
                                          const std::vector<DrawItem>& items, bool lights, int pixels) {
  const GlDeferredTarget& d = *s.deferred;
  if (d.mode() == GlDeferredTarget::Mode::Never || lights || items.empty() ||
      items.size() > static_cast<std::size_t>(GlDeferredTarget::kMaxSlots))
    return std::nullopt;
  DeferredPlan plan;
  plan.texels.reserve(items.size() * GlDeferredTarget::kMaterialTexels * 4);
  std::int64_t triangles = 0;
  for (const DrawItem& item : items) {
    const GlPrimitive& prim = *item.prim;
    if (prim.mode != GL_TRIANGLES && prim.mode != GL_TRIANGLE_STRIP && prim.mode != GL_TRIANGLE_FAN) return std::nullopt;
    triangles += prim.mode == GL_TRIANGLES ? prim.count / 3 : std::max(prim.count - 2, 0);
    const Material& m = material_of(scene, prim.material);
    const std::optional<ConstMaterial> c = const_material(gpu, m, prim);
    if (!c || m.alpha_mode != AlphaMode::Opaque) return std::nullopt;
    const PbrVariant v = variant_for(gpu, m, s, lights, true);
    if (v.textures != 0 || v.extensions != 0) return std::nullopt;
    const float row[GlDeferredTarget::kMaterialTexels * 4] = {
        m.base_color.r, m.base_color.g, m.base_color.b, m.base_color.a,
        c->c_diff.r,    c->c_diff.g,    c->c_diff.b,    m.roughness,
        c->f0.r,        c->f0.g,        c->f0.b,        m.unlit ? 1.0f : 0.0f,
        c->f90.r,       c->f90.g,       c->f90.b,       0.0f,
        m.emissive.r,   m.emissive.g,   m.emissive.b,   0.0f};
    plan.texels.insert(plan.texels.end(), std::begin(row), std::end(row));
  }
  if (d.mode() != GlDeferredTarget::Mode::Always && (triangles < kDeferredMinTriangles || triangles * 2 < pixels))
    return std::nullopt;
  return plan;
}

// Draws `items` deferred (render/gl_deferred.hpp) into the bound MSAA
// target, already cleared; false (nothing drawn) when the G-buffer or a
// program cannot be had (or the target has more samples than the shading
// pass's 32-bit sample mask), so the caller draws forward.
bool draw_deferred(PbrPrograms& programs, const Scene& scene, const DrawSettings& s,
                   const std::vector<DrawItem>& items, const DeferredPlan& plan, const glm::vec4& clear) {
  GLint prev_fbo = 0, viewport[4] = {}, samples = 0;
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &prev_fbo);
  glGetIntegerv(GL_VIEWPORT, viewport);
  glGetIntegerv(GL_SAMPLES, &samples);
  GlDeferredTarget& d = *s.deferred;
  if (viewport[0] != 0 || viewport[1] != 0 || samples > 32 || !d.ensure(viewport[2], viewport[3], samples)) return false;
  GlShaderProgram* gbuffer = programs.gbuffer();
  PbrVariant shade_variant;
  shade_variant.textures = 0;
  shade_variant.alpha_mode = 0;
  shade_variant.tonemap = static_cast<std::int8_t>(tonemap_index(s.tonemap));
  shade_variant.lights = false;
  shade_variant.extensions = 0;
  shade_variant.const_material = 1;
  shade_variant.deferred_samples = static_cast<std::int8_t>(samples);
  GlShaderProgram& shade = programs.get(shade_variant);
  if (gbuffer == nullptr || &shade == &programs.generic()) return false;

  // The G-buffer: depth-tested and culled exactly as the forward pass.
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, d.framebuffer());
  const float none[4] = {0.0f, 0.0f, 0.0f, -1.0f};
  glClearNamedFramebufferfv(d.framebuffer(), GL_COLOR, 0, none);
  glClearNamedFramebufferfi(d.framebuffer(), GL_DEPTH_STENCIL, 0, 1.0f, 0);
  glUseProgram(gbuffer->id());
  const glm::mat4 view_proj = s.view.proj * s.view.view;
  glUniformMatrix4fv(gbuffer->uniform("u_view_proj"), 1, GL_FALSE, glm::value_ptr(view_proj));
  glUniform1f(gbuffer->uniform("u_point_size"), std::max(1.0f, static_cast<float>(s.image_height) / 256.0f));
  for (std::size_t i = 0; i < items.size(); ++i) {
    const DrawItem& item = items[i];
    glUniform1f(gbuffer->uniform("u_material_slot"), static_cast<float>(i));
    draw_item(*gbuffer, item, culls_back_faces(*item.prim, material_of(scene, item.prim->material), view_proj * *item.world));
  }

  // Shading: one full-screen triangle writes every sample of the target.
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
  d.set_materials(plan.texels, static_cast<int>(plan.texels.size()) / (GlDeferredTarget::kMaterialTexels * 4));
  glUseProgram(shade.id());
  set_frame_uniforms(shade, scene, s, PassUniforms{});
  const glm::mat4 inv_view_proj = glm::inverse(view_proj);
  glUniformMatrix4fv(shade.uniform("u_inv_view_proj"), 1, GL_FALSE, glm::value_ptr(inv_view_proj));
  glUniform4fv(shade.uniform("u_clear_color"), 1, glm::value_ptr(clear));
  glBindTextureUnit(22, d.materials());
  glBindTextureUnit(23, d.gbuffer());
  for (GLuint unit : {22u, 23u}) glBindSampler(unit, 0);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glFrontFace(GL_CCW);
  glBindVertexArray(d.vertex_array());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glEnable(GL_DEPTH_TEST);
  return true;
}

}  // namespace

void draw_frame(PbrPrograms& programs, const GlScene& gpu, const Scene& scene, const DrawSettings& s) {
  // sRGB target: clears and blending work on linear values.
  glEnable(GL_FRAMEBUFFER_SRGB);
  glm::vec4 clear_color(0.0f);
  if (s.background) {
    const auto& bg = *s.background;
    clear_color = glm::vec4(srgb_to_linear(bg[0] / 255.0f), srgb_to_linear(bg[1] / 255.0f), srgb_to_linear(bg[2] / 255.0f), 1.0f);
  }
  glClearColor(clear_color.r, clear_color.g, clear_color.b, clear_color.a);
  glDepthMask(GL_TRUE);
  glClearDepth(1.0);
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  glEnable(GL_DEPTH_TEST);
  glDepthFunc(GL_LEQUAL);

  glBindTextureUnit(5, s.ibl->specular_cube);
  glBindTextureUnit(6, s.ibl->irradiance_cube);
  glBindTextureUnit(7, s.ibl->brdf_lut);
  for (GLuint unit : {5u, 6u, 7u}) glBindSampler(unit, 0);
  const bool lights = has_lights(scene);
  // Each material draws with its variant; switching programs re-sends the
  // frame's uniforms and the material.
  // The pass's uniforms (transmission pre-pass or main pass) are frame
  // uniforms too: changing them makes the next use() re-send them.
  PassUniforms pass;
  GlShaderProgram* current_program = nullptr;
  int current = -2;
  auto set_pass = [&](PassUniforms next) {
    pass = next;
    current_program = nullptr;
  };
  auto use = [&](const DrawItem& item) -> GlShaderProgram& {
    const int material = item.prim->material;
    const Material& m = material_of(scene, material);
    const std::optional<ConstMaterial> constant = const_material(gpu, m, *item.prim);
    GlShaderProgram& p = programs.get(variant_for(gpu, m, s, lights, constant.has_value()));
    if (&p != current_program) {
      glUseProgram(p.id());
      set_frame_uniforms(p, scene, s, pass);
      current_program = &p;
      current = -2;
    }
    if (material != current) {
      set_material(p, gpu, m);
      current = material;
    }
    set_const_material(p, constant);  // per primitive: vertex colours decide too
    return p;
  };

  // Collect draw items: opaque and masked first (any order, depth-tested),
  // then blended back to front with depth writes off.
  std::vector<DrawItem> solid, blended;
  for (const MeshInstance& inst : scene.mesh_instances) {
    if (inst.mesh < 0 || inst.mesh >= static_cast<int>(gpu.meshes().size())) continue;
    for (const GlPrimitive& prim : gpu.meshes()[static_cast<std::size_t>(inst.mesh)]) {
      const Material& m = material_of(scene, prim.material);
      glm::vec4 c = s.view.view * inst.world * glm::vec4(prim.center, 1.0f);
      DrawItem item{&prim, &inst.world, -c.z};
      (m.alpha_mode == AlphaMode::Blend ? blended : solid).push_back(item);
    }
  }
  std::stable_sort(blended.begin(), blended.end(), [](const DrawItem& a, const DrawItem& b) { return a.depth > b.depth; });

  // Transmissive primitives go after the opaque ones, which they see through.
  std::vector<DrawItem> opaque, transmissive;
  for (const DrawItem& item : solid)
    (material_of(scene, item.prim->material).transmission > 0.0f ? transmissive : opaque).push_back(item);
  if (s.deferred != nullptr && transmissive.empty() && blended.empty()) {
    GLint viewport[4] = {};
    glGetIntegerv(GL_VIEWPORT, viewport);
    const std::optional<DeferredPlan> plan = deferred_plan(gpu, scene, s, opaque, lights, viewport[2] * viewport[3]);
    if (plan && draw_deferred(programs, scene, s, opaque, *plan, clear_color)) {
      glBindVertexArray(0);
      return;
    }
  }
  const glm::mat4 view_proj = s.view.proj * s.view.view;
  auto draw = [&](const DrawItem& item) {
    GlShaderProgram& p = use(item);
    draw_item(p, item, culls_back_faces(*item.prim, material_of(scene, item.prim->material), view_proj * *item.world));
  };
  auto draw_all = [&](const std::vector<DrawItem>& items) {
    for (const DrawItem& item : items) draw(item);
  };
  if (!transmissive.empty() && s.transmission && s.transmission->ensure()) {
    // The opaque pass again, into the transmission target, linear and
    // without tone mapping; its mipmaps blur it for rough transmission.
    GLint prev_fbo = 0, viewport[4] = {};
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &prev_fbo);
    glGetIntegerv(GL_VIEWPORT, viewport);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, s.transmission->framebuffer());
    glViewport(0, 0, GlTransmissionTarget::kSize, GlTransmissionTarget::kSize);
    const float clear[4] = {0, 0, 0, 0};
    glClearNamedFramebufferfv(s.transmission->framebuffer(), GL_COLOR, 0, clear);
    glClear(GL_DEPTH_BUFFER_BIT);
    set_pass({.linear_output = true, .has_transmission_target = false});
    glDisable(GL_BLEND);
    draw_all(opaque);
    glGenerateTextureMipmap(s.transmission->texture());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    glBindTextureUnit(18, s.transmission->texture());
    glBindSampler(18, 0);
    set_pass({.linear_output = false, .has_transmission_target = true});
  }
  glDisable(GL_BLEND);
  draw_all(opaque);
  draw_all(transmissive);
  if (!blended.empty()) {
    // Premultiplied result in the framebuffer: colour by alpha, alpha by "over".
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDepthMask(GL_FALSE);
    for (const DrawItem& item : blended) draw(item);
    glDepthMask(GL_TRUE);
    glDisable(GL_BLEND);
  }
  glBindVertexArray(0);
}

}  // namespace renderq
