// draw_floor: the least a GL program can spend drawing a model's triangles,
// the floor renderq's draw is compared with (bench/throughput_bench.sh,
// issue 12 item 4). Same EGL context path (EglContext), same framebuffers
// (GlFrameTarget: sRGB MSAA + resolve), same camera (make_view); but every
// triangle of the model in ONE vertex buffer (positions only, world
// transforms applied on the CPU), one index buffer, two draw calls (back
// faces culled, then not) and a trivial shader (constant colour, no
// lighting). Each primitive is culled as renderq culls it (culls_back_faces:
// single-sided materials, and closed double-sided opaque primitives seen
// from outside), so the floor draws what the model demands and no more;
// --no-closed-cull draws every double-sided primitive whole (the floor
// before renderq culled closed ones, for comparing with older figures).
//
//   draw_floor [--size S] [--samples N] [--frames N] [--no-closed-cull] MODEL
//
// Prints one line: "floor triangles T median_ms M min_ms m culled C cpu_ms c"
// where the time is draw + resolve + glFinish per frame, after one warm-up
// frame, C of the T triangles are drawn with back faces culled, and c is the
// process's CPU time (all threads) per timed frame.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <glm/gtc/type_ptr.hpp>

#include "render/camera.hpp"
#include "render/egl_context.hpp"
#include "render/gl_draw.hpp"
#include "render/gl_framebuffer.hpp"
#include "render/gl_program.hpp"
#include "gltf/closed_surface.hpp"
#include "gltf/scene.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kVert = R"(#version 450 core
layout(location = 0) in vec3 a_position;
uniform mat4 u_view_proj;
void main() { gl_Position = u_view_proj * vec4(a_position, 1.0); }
)";
constexpr const char* kFrag = R"(#version 450 core
out vec4 o_color;
void main() { o_color = vec4(0.5, 0.5, 0.5, 1.0); }
)";

double process_cpu_ms() {  // all threads: llvmpipe's rasterisers too
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0; };
  return ms(ru.ru_utime) + ms(ru.ru_stime);
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "draw_floor: %s\n", what.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace renderq;
  int size = 1024, samples = 4, frames = 5;
  bool closed_cull = true;
  std::string model;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (a == "--size") size = next();
    else if (a == "--samples") samples = next();
    else if (a == "--frames") frames = next();
    else if (a == "--no-closed-cull") closed_cull = false;
    else model = a;
  }
  if (model.empty() || frames < 1) die("usage: draw_floor [--size S] [--samples N] [--frames N] [--no-closed-cull] MODEL");

  auto egl = EglContext::create(DeviceSelector{});
  if (!egl) die(egl.error().message());
  auto scene = load_gltf(model);
  if (!scene) die(scene.error().message());

  RenderSpec spec;
  spec.scene = model;
  spec.width = spec.height = size;
  auto view = make_view(*scene, spec, 0, size, size);
  if (!view) die(view.error().message());
  glm::mat4 view_proj = view->proj * view->view;

  // Every triangle primitive of every instance, in world space, in one
  // buffer; the indices of those drawn culled first, then the rest.
  std::vector<glm::vec3> positions;
  std::vector<std::uint32_t> culled, whole;
  const Material kDefault{};
  for (const MeshInstance& inst : scene->mesh_instances) {
    if (inst.mesh < 0) continue;
    for (const Primitive& p : scene->meshes[static_cast<std::size_t>(inst.mesh)].primitives) {
      if (p.mode != PrimitiveMode::Triangles) continue;
      const Material& m = p.material >= 0 ? scene->materials[static_cast<std::size_t>(p.material)] : kDefault;
      GlPrimitive gp;  // only what culls_back_faces reads
      gp.bounds_min = p.bounds_min;
      gp.bounds_max = p.bounds_max;
      gp.closed = closed_cull && m.double_sided && m.alpha_mode == AlphaMode::Opaque &&
                  is_closed_outward(p.positions, p.indices);
      std::vector<std::uint32_t>& out = culls_back_faces(gp, m, view_proj * inst.world) ? culled : whole;
      auto base = static_cast<std::uint32_t>(positions.size());
      for (const glm::vec3& v : p.positions) positions.push_back(glm::vec3(inst.world * glm::vec4(v, 1.0f)));
      if (p.indices.empty()) {
        for (std::uint32_t k = 0; k < p.positions.size(); ++k) out.push_back(base + k);
      } else {
        for (std::uint32_t k : p.indices) out.push_back(base + k);
      }
    }
  }
  const auto n_culled = static_cast<GLsizei>(culled.size());
  std::vector<std::uint32_t> indices = std::move(culled);
  indices.insert(indices.end(), whole.begin(), whole.end());

  auto program = GlShaderProgram::build(kVert, kFrag);
  if (!program) die(program.error().message());
  auto target = GlFrameTarget::create(size, size, samples, (*egl)->info());
  if (!target) die(target.error().message());
  GLuint vbo = 0, ibo = 0, vao = 0;
  glCreateBuffers(1, &vbo);
  glNamedBufferStorage(vbo, static_cast<GLsizeiptr>(positions.size() * sizeof(glm::vec3)), positions.data(), 0);
  glCreateBuffers(1, &ibo);
  glNamedBufferStorage(ibo, static_cast<GLsizeiptr>(indices.size() * 4), indices.data(), 0);
  glCreateVertexArrays(1, &vao);
  glVertexArrayVertexBuffer(vao, 0, vbo, 0, sizeof(glm::vec3));
  glVertexArrayAttribFormat(vao, 0, 3, GL_FLOAT, GL_FALSE, 0);
  glVertexArrayAttribBinding(vao, 0, 0);
  glEnableVertexArrayAttrib(vao, 0);
  glVertexArrayElementBuffer(vao, ibo);

  std::vector<double> ms;
  double cpu_ms = 0.0;
  for (int f = 0; f <= frames; ++f) {
    auto t0 = Clock::now();
    const double cpu0 = process_cpu_ms();
    target->bind_for_draw();
    glEnable(GL_FRAMEBUFFER_SRGB);
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glUseProgram(program->id());
    glUniformMatrix4fv(program->uniform("u_view_proj"), 1, GL_FALSE, glm::value_ptr(view_proj));
    glBindVertexArray(vao);
    glEnable(GL_CULL_FACE);
    glDrawElements(GL_TRIANGLES, n_culled, GL_UNSIGNED_INT, nullptr);
    glDisable(GL_CULL_FACE);
    glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(indices.size()) - n_culled, GL_UNSIGNED_INT,
                   reinterpret_cast<const void*>(static_cast<std::uintptr_t>(n_culled) * 4));
    target->resolve();
    glFinish();
    if (f > 0) {
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      cpu_ms += process_cpu_ms() - cpu0;
    }
  }
  glDeleteVertexArrays(1, &vao);
  glDeleteBuffers(1, &vbo);
  glDeleteBuffers(1, &ibo);
  std::sort(ms.begin(), ms.end());
  std::printf("floor triangles %zu median_ms %.1f min_ms %.1f culled %d cpu_ms %.1f\n", indices.size() / 3,
              ms[ms.size() / 2], ms.front(), n_culled / 3, cpu_ms / frames);
  return 0;
}
