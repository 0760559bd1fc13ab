// Move-only owners of OpenGL object names (buffers, textures, framebuffers,
// renderbuffers, vertex arrays, samplers, programs, syncs), so a GL object is
// deleted exactly once, when its owner goes out of scope.
//
// Thread-safety: like the GL context they belong to: the owning context must
// be current on the thread that creates, uses and destroys them.
#pragma once

#include <epoxy/gl.h>

#include <utility>

namespace renderq {

template <void (*Delete)(GLuint)>
class GlName {
 public:
  GlName() = default;
  explicit GlName(GLuint id) : id_(id) {}
  ~GlName() { reset(); }
  GlName(GlName&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
  GlName& operator=(GlName&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, 0);
    }
    return *this;
  }
  GlName(const GlName&) = delete;
  GlName& operator=(const GlName&) = delete;

  GLuint get() const { return id_; }
  explicit operator bool() const { return id_ != 0; }
  void reset() {
    if (id_ != 0) Delete(id_);
    id_ = 0;
  }

 private:
  GLuint id_ = 0;
};

namespace gl_delete {
inline void buffer(GLuint id) { glDeleteBuffers(1, &id); }
inline void texture(GLuint id) { glDeleteTextures(1, &id); }
inline void framebuffer(GLuint id) { glDeleteFramebuffers(1, &id); }
inline void renderbuffer(GLuint id) { glDeleteRenderbuffers(1, &id); }
inline void vertex_array(GLuint id) { glDeleteVertexArrays(1, &id); }
inline void sampler(GLuint id) { glDeleteSamplers(1, &id); }
inline void program(GLuint id) { glDeleteProgram(id); }
inline void shader(GLuint id) { glDeleteShader(id); }
inline void query(GLuint id) { glDeleteQueries(1, &id); }
}  // namespace gl_delete

using GlBuffer = GlName<gl_delete::buffer>;
using GlTexture = GlName<gl_delete::texture>;
using GlFramebuffer = GlName<gl_delete::framebuffer>;
using GlRenderbuffer = GlName<gl_delete::renderbuffer>;
using GlVertexArray = GlName<gl_delete::vertex_array>;
using GlSampler = GlName<gl_delete::sampler>;
using GlProgram = GlName<gl_delete::program>;
using GlShader = GlName<gl_delete::shader>;
using GlQuery = GlName<gl_delete::query>;

// Creation helpers (DSA, GL 4.5).
inline GlBuffer make_buffer() { GLuint id = 0; glCreateBuffers(1, &id); return GlBuffer(id); }
inline GlTexture make_texture(GLenum target) { GLuint id = 0; glCreateTextures(target, 1, &id); return GlTexture(id); }
inline GlFramebuffer make_framebuffer() { GLuint id = 0; glCreateFramebuffers(1, &id); return GlFramebuffer(id); }
inline GlRenderbuffer make_renderbuffer() { GLuint id = 0; glCreateRenderbuffers(1, &id); return GlRenderbuffer(id); }
inline GlVertexArray make_vertex_array() { GLuint id = 0; glCreateVertexArrays(1, &id); return GlVertexArray(id); }
inline GlSampler make_sampler() { GLuint id = 0; glCreateSamplers(1, &id); return GlSampler(id); }
inline GlQuery make_query(GLenum target) { GLuint id = 0; glCreateQueries(target, 1, &id); return GlQuery(id); }

}  // namespace renderq
