#include "render/gl_scene.hpp"

#include <algorithm>
#include <bit>
#include <string>

namespace renderq {
namespace {

GLenum gl_mode(PrimitiveMode m) {
  switch (m) {
    case PrimitiveMode::Points: return GL_POINTS;
    case PrimitiveMode::Lines: return GL_LINES;
    case PrimitiveMode::LineLoop: return GL_LINE_LOOP;
    case PrimitiveMode::LineStrip: return GL_LINE_STRIP;
    case PrimitiveMode::Triangles: return GL_TRIANGLES;
    case PrimitiveMode::TriangleStrip: return GL_TRIANGLE_STRIP;
    case PrimitiveMode::TriangleFan: return GL_TRIANGLE_FAN;
  }
  return GL_TRIANGLES;
}

template <typename T>
void attach(GlPrimitive& p, GLuint location, const std::vector<T>& data, GLint components) {
  if (data.empty()) return;
  GlBuffer buf = make_buffer();
  glNamedBufferStorage(buf.get(), static_cast<GLsizeiptr>(data.size() * sizeof(T)), data.data(), 0);
  glVertexArrayVertexBuffer(p.vao.get(), location, buf.get(), 0, static_cast<GLsizei>(sizeof(T)));
  glVertexArrayAttribFormat(p.vao.get(), location, components, GL_FLOAT, GL_FALSE, 0);
  glVertexArrayAttribBinding(p.vao.get(), location, location);
  glEnableVertexArrayAttrib(p.vao.get(), location);
  p.buffers.push_back(std::move(buf));
}

GLint filter_or(int value, GLint fallback) { return value != 0 ? value : fallback; }

}  // namespace

Result<GlScene> GlScene::upload(const Scene& scene) {
  GlScene g;
  g.scene_ = &scene;
  for (const Mesh& mesh : scene.meshes) {
    std::vector<GlPrimitive> prims;
    for (const Primitive& src : mesh.primitives) {
      if (src.material >= static_cast<int>(scene.materials.size()))
        return fail(Errc::GltfInvalid, "material " + std::to_string(src.material) + " does not exist");
      GlPrimitive p;
      p.vao = make_vertex_array();
      p.mode = gl_mode(src.mode);
      p.material = src.material;
      p.center = (src.bounds_min + src.bounds_max) * 0.5f;
      p.has_tangents = !src.tangents.empty();
      attach(p, 0, src.positions, 3);
      attach(p, 1, src.normals, 3);
      attach(p, 2, src.tangents, 4);
      attach(p, 3, src.uv0, 2);
      attach(p, 4, src.uv1, 2);
      attach(p, 5, src.colors, 4);
      if (!src.indices.empty()) {
        GlBuffer ebo = make_buffer();
        glNamedBufferStorage(ebo.get(), static_cast<GLsizeiptr>(src.indices.size() * sizeof(std::uint32_t)),
                             src.indices.data(), 0);
        glVertexArrayElementBuffer(p.vao.get(), ebo.get());
        p.buffers.push_back(std::move(ebo));
        p.indexed = true;
        p.count = static_cast<GLsizei>(src.indices.size());
      } else {
        p.count = static_cast<GLsizei>(src.positions.size());
      }
      prims.push_back(std::move(p));
    }
    g.meshes_.push_back(std::move(prims));
  }

  // Textures, in the colour space their use needs.
  auto want = [&](const TextureRef& ref, bool srgb) -> Result<void> {
    if (ref.texture < 0) return {};
    if (ref.texture >= static_cast<int>(scene.textures.size()))
      return fail(Errc::GltfInvalid, "texture " + std::to_string(ref.texture) + " does not exist");
    int image = scene.textures[static_cast<std::size_t>(ref.texture)].image;
    if (image < 0 || image >= static_cast<int>(scene.images.size()))
      return fail(Errc::GltfInvalid, "texture " + std::to_string(ref.texture) + " has no image");
    auto key = std::make_pair(image, srgb);
    if (g.images_.contains(key)) return {};
    const Image& img = scene.images[static_cast<std::size_t>(image)];
    if (img.width <= 0 || img.height <= 0 ||
        img.rgba.size() != static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4)
      return fail(Errc::ImageDecode, "image " + std::to_string(image) + " has no pixels");
    GlTexture tex = make_texture(GL_TEXTURE_2D);
    int levels = std::bit_width(static_cast<unsigned>(std::max(img.width, img.height)));
    glTextureStorage2D(tex.get(), levels, srgb ? GL_SRGB8_ALPHA8 : GL_RGBA8, img.width, img.height);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    // Rows go up in file order: glTF's UV (0,0) is the image's first row,
    // which is GL's t = 0.
    glTextureSubImage2D(tex.get(), 0, 0, 0, img.width, img.height, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
    glGenerateTextureMipmap(tex.get());
    g.texture_bytes_ += img.rgba.size() * 4 / 3;
    g.images_.emplace(key, std::move(tex));
    return {};
  };
  for (const Material& m : scene.materials) {
    Result<void> ok;
    Material::each_texture(m, [&](const TextureRef& ref, bool srgb) {
      if (ok) ok = want(ref, srgb);
    });
    if (!ok) return std::unexpected(ok.error());
  }

  for (std::size_t i = 0; i <= scene.samplers.size(); ++i) {
    Sampler s = i < scene.samplers.size() ? scene.samplers[i] : Sampler{};
    GlSampler smp = make_sampler();
    glSamplerParameteri(smp.get(), GL_TEXTURE_MIN_FILTER, filter_or(s.min_filter, GL_LINEAR_MIPMAP_LINEAR));
    glSamplerParameteri(smp.get(), GL_TEXTURE_MAG_FILTER, filter_or(s.mag_filter, GL_LINEAR));
    glSamplerParameteri(smp.get(), GL_TEXTURE_WRAP_S, filter_or(s.wrap_s, GL_REPEAT));
    glSamplerParameteri(smp.get(), GL_TEXTURE_WRAP_T, filter_or(s.wrap_t, GL_REPEAT));
    g.samplers_.push_back(std::move(smp));
  }
  return g;
}

GLuint GlScene::texture(const TextureRef& ref, bool srgb) const {
  if (ref.texture < 0 || ref.texture >= static_cast<int>(scene_->textures.size())) return 0;
  auto it = images_.find({scene_->textures[static_cast<std::size_t>(ref.texture)].image, srgb});
  return it == images_.end() ? 0 : it->second.get();
}

GLuint GlScene::sampler(const TextureRef& ref) const {
  int s = -1;
  if (ref.texture >= 0 && ref.texture < static_cast<int>(scene_->textures.size()))
    s = scene_->textures[static_cast<std::size_t>(ref.texture)].sampler;
  if (s < 0 || s >= static_cast<int>(samplers_.size()) - 1) return samplers_.back().get();
  return samplers_[static_cast<std::size_t>(s)].get();
}

}  // namespace renderq
