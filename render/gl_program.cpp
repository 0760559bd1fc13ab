#include "render/gl_program.hpp"

#include <string>
#include <vector>

namespace renderq {
namespace {

std::string with_defines(std::string_view source, std::string_view defines) {
  std::string s(source);
  if (defines.empty()) return s;
  std::size_t eol = s.find('\n');
  if (s.rfind("#version", 0) == 0 && eol != std::string::npos) {
    s.insert(eol + 1, defines);
  } else {
    s.insert(0, defines);
  }
  return s;
}

Result<GlShader> compile(GLenum stage, const std::string& source) {
  GlShader shader(glCreateShader(stage));
  const char* text = source.c_str();
  glShaderSource(shader.get(), 1, &text, nullptr);
  glCompileShader(shader.get());
  GLint ok = 0;
  glGetShaderiv(shader.get(), GL_COMPILE_STATUS, &ok);
  if (!ok) {
    GLint len = 0;
    glGetShaderiv(shader.get(), GL_INFO_LOG_LENGTH, &len);
    std::string log(static_cast<std::size_t>(len > 0 ? len : 1), '\0');
    glGetShaderInfoLog(shader.get(), len, nullptr, log.data());
    return fail(Errc::ShaderCompile,
                std::string(stage == GL_VERTEX_SHADER ? "vertex" : "fragment") + " shader: " + log.c_str());
  }
  return shader;
}

}  // namespace

Result<GlShaderProgram> GlShaderProgram::build(std::string_view vertex, std::string_view fragment,
                                               std::string_view defines) {
  auto vs = compile(GL_VERTEX_SHADER, with_defines(vertex, defines));
  if (!vs) return std::unexpected(vs.error());
  auto fs = compile(GL_FRAGMENT_SHADER, with_defines(fragment, defines));
  if (!fs) return std::unexpected(fs.error());
  GlShaderProgram p;
  p.program_ = GlProgram(glCreateProgram());
  glAttachShader(p.id(), vs->get());
  glAttachShader(p.id(), fs->get());
  glLinkProgram(p.id());
  glDetachShader(p.id(), vs->get());
  glDetachShader(p.id(), fs->get());
  GLint ok = 0;
  glGetProgramiv(p.id(), GL_LINK_STATUS, &ok);
  if (!ok) {
    GLint len = 0;
    glGetProgramiv(p.id(), GL_INFO_LOG_LENGTH, &len);
    std::string log(static_cast<std::size_t>(len > 0 ? len : 1), '\0');
    glGetProgramInfoLog(p.id(), len, nullptr, log.data());
    return fail(Errc::ShaderCompile, std::string("link: ") + log.c_str());
  }
  return p;
}

GLint GlShaderProgram::uniform(const char* name) {
  auto it = locations_.find(name);
  if (it != locations_.end()) return it->second;
  GLint loc = glGetUniformLocation(program_.get(), name);
  locations_.emplace(name, loc);
  return loc;
}

}  // namespace renderq
