// GlShaderProgram: compiles and links GLSL (embedded in the binary at build
// time by cmake/EmbedGlsl.cmake, see render/CMakeLists.txt) and caches
// uniform locations by name.
//
// Thread-safety: GL-context bound (see gl_handles.hpp).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"
#include "render/gl_handles.hpp"

namespace renderq {

class GlShaderProgram {
 public:
  // Compiles both stages and links; Errc::ShaderCompile with the driver's log.
  // `defines` is inserted after the #version line (e.g. "#define X 1\n").
  static Result<GlShaderProgram> build(std::string_view vertex, std::string_view fragment,
                                       std::string_view defines = {});

  GLuint id() const { return program_.get(); }
  // -1 when the uniform does not exist or was optimised away (GL ignores -1).
  GLint uniform(const char* name);

 private:
  GlProgram program_;
  std::unordered_map<std::string, GLint> locations_;
};

}  // namespace renderq
