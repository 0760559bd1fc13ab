#include "render/gl_scene.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include "gltf/closed_surface.hpp"

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

// Returns the buffer's name (0 when there is no data); `dynamic` buffers
// can be rewritten with glNamedBufferSubData.
template <typename T>
GLuint attach(GlPrimitive& p, GLuint location, const std::vector<T>& data, GLint components, bool dynamic = false) {
  if (data.empty()) return 0;
  GlBuffer buf = make_buffer();
  glNamedBufferStorage(buf.get(), static_cast<GLsizeiptr>(data.size() * sizeof(T)), data.data(),
                       dynamic ? GL_DYNAMIC_STORAGE_BIT : 0);
  glVertexArrayVertexBuffer(p.vao.get(), location, buf.get(), 0, static_cast<GLsizei>(sizeof(T)));
  glVertexArrayAttribFormat(p.vao.get(), location, components, GL_FLOAT, GL_FALSE, 0);
  glVertexArrayAttribBinding(p.vao.get(), location, location);
  glEnableVertexArrayAttrib(p.vao.get(), location);
  GLuint name = buf.get();
  p.buffers.push_back(std::move(buf));
  return name;
}

template <typename T>
void rewrite(GLuint buffer, const std::vector<T>& data) {
  if (buffer == 0 || data.empty()) return;
  glNamedBufferSubData(buffer, 0, static_cast<GLsizeiptr>(data.size() * sizeof(T)), data.data());
}

GLint filter_or(int value, GLint fallback) { return value != 0 ? value : fallback; }

}  // namespace

Result<GlScene> GlScene::upload(const Scene& scene, GlTextureCache* cache) {
  GlScene g;
  g.scene_ = &scene;
  for (const Mesh& mesh : scene.meshes) {
    std::vector<GlPrimitive> prims;
    const bool dynamic = mesh.deforms;
    for (const Primitive& src : mesh.primitives) {
      if (src.material >= static_cast<int>(scene.materials.size()))
        return fail(Errc::GltfInvalid, "material " + std::to_string(src.material) + " does not exist");
      GlPrimitive p;
      p.vao = make_vertex_array();
      p.mode = gl_mode(src.mode);
      p.material = src.material;
      p.center = (src.bounds_min + src.bounds_max) * 0.5f;
      p.bounds_min = src.bounds_min;
      p.bounds_max = src.bounds_max;
      if (!dynamic && src.mode == PrimitiveMode::Triangles && src.material >= 0) {
        const Material& m = scene.materials[static_cast<std::size_t>(src.material)];
        if (m.double_sided && m.alpha_mode == AlphaMode::Opaque) p.closed = is_closed_outward(src.positions, src.indices);
      }
      p.has_tangents = !src.tangents.empty();
      p.has_colors = !src.colors.empty();
      p.position_buffer = attach(p, 0, src.positions, 3, dynamic);
      p.normal_buffer = attach(p, 1, src.normals, 3, dynamic);
      p.tangent_buffer = attach(p, 2, src.tangents, 4, dynamic);
      if (!dynamic) p.position_buffer = p.normal_buffer = p.tangent_buffer = 0;
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

  // Textures, in the colour space their use needs. Two passes: first every
  // texture the cache already has is taken (so uploading the others cannot
  // evict one this scene relies on), then the rest are uploaded.
  auto image_of = [&](const TextureRef& ref) -> Result<int> {
    if (ref.texture >= static_cast<int>(scene.textures.size()))
      return fail(Errc::GltfInvalid, "texture " + std::to_string(ref.texture) + " does not exist");
    int image = scene.textures[static_cast<std::size_t>(ref.texture)].image;
    if (image < 0 || image >= static_cast<int>(scene.images.size()))
      return fail(Errc::GltfInvalid, "texture " + std::to_string(ref.texture) + " has no image");
    return image;
  };
  auto want = [&](const TextureRef& ref, bool srgb, bool from_cache) -> Result<void> {
    if (ref.texture < 0) return {};
    auto image = image_of(ref);
    if (!image) return std::unexpected(image.error());
    auto key = std::make_pair(*image, srgb);
    if (g.images_.contains(key)) return {};
    const Image& img = scene.images[static_cast<std::size_t>(*image)];
    const TextureKey content{img.content_hash, srgb};
    if (from_cache) {
      if (cache != nullptr && img.content_hash != 0) {
        if (std::shared_ptr<const GlTexture> hit = cache->find(content)) {
          g.images_.emplace(key, std::move(hit));
          ++g.cached_textures_;
        }
      }
      return {};
    }
    if (img.width <= 0 || img.height <= 0 ||
        img.rgba.size() != static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4)
      return fail(Errc::ImageDecode, "image " + std::to_string(*image) + " has no pixels");
    GlTexture tex = make_texture(GL_TEXTURE_2D);
    int levels = std::bit_width(static_cast<unsigned>(std::max(img.width, img.height)));
    glTextureStorage2D(tex.get(), levels, srgb ? GL_SRGB8_ALPHA8 : GL_RGBA8, img.width, img.height);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    // Rows go up in file order: glTF's UV (0,0) is the image's first row,
    // which is GL's t = 0.
    glTextureSubImage2D(tex.get(), 0, 0, 0, img.width, img.height, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
    glGenerateTextureMipmap(tex.get());
    const std::size_t bytes = img.rgba.size() * 4 / 3;
    g.texture_bytes_ += bytes;
    auto shared = std::make_shared<const GlTexture>(std::move(tex));
    if (cache != nullptr && img.content_hash != 0) cache->insert(content, shared, bytes);
    g.images_.emplace(key, std::move(shared));
    return {};
  };
  for (bool from_cache : {true, false}) {
    for (const Material& m : scene.materials) {
      Result<void> ok;
      Material::each_texture(m, [&](const TextureRef& ref, bool srgb) {
        if (ok) ok = want(ref, srgb, from_cache);
      });
      if (!ok) return std::unexpected(ok.error());
    }
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

void GlScene::update_deformed(const Scene& scene) {
  for (std::size_t m = 0; m < scene.meshes.size() && m < meshes_.size(); ++m) {
    if (!scene.meshes[m].deforms) continue;
    const std::vector<Primitive>& src = scene.meshes[m].primitives;
    for (std::size_t i = 0; i < src.size() && i < meshes_[m].size(); ++i) {
      GlPrimitive& p = meshes_[m][i];
      rewrite(p.position_buffer, src[i].positions);
      rewrite(p.normal_buffer, src[i].normals);
      rewrite(p.tangent_buffer, src[i].tangents);
    }
  }
}

GLuint GlScene::texture(const TextureRef& ref, bool srgb) const {
  if (ref.texture < 0 || ref.texture >= static_cast<int>(scene_->textures.size())) return 0;
  auto it = images_.find({scene_->textures[static_cast<std::size_t>(ref.texture)].image, srgb});
  return it == images_.end() ? 0 : it->second->get();
}

GLuint GlScene::sampler(const TextureRef& ref) const {
  int s = -1;
  if (ref.texture >= 0 && ref.texture < static_cast<int>(scene_->textures.size()))
    s = scene_->textures[static_cast<std::size_t>(ref.texture)].sampler;
  if (s < 0 || s >= static_cast<int>(samplers_.size()) - 1) return samplers_.back().get();
  return samplers_[static_cast<std::size_t>(s)].get();
}

}  // namespace renderq
