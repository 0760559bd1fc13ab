// GlScene: a loaded Scene on the GPU: one vertex array per primitive,
// textures (sRGB for base colour and emissive, linear otherwise, full mipmap
// chains) and sampler objects for the glTF samplers.
//
// Thread-safety: GL-context bound. The Scene it was made from must outlive it
// (materials and instances are read from it at draw time).
#pragma once

#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "render/gl_handles.hpp"
#include "gltf/scene.hpp"
#include "render/texture_cache.hpp"

namespace renderq {

struct GlPrimitive {
  GlVertexArray vao;
  std::vector<GlBuffer> buffers;
  GLenum mode = GL_TRIANGLES;
  GLsizei count = 0;
  bool indexed = false;
  int material = -1;
  glm::vec3 center{0.0f};  // object-space bounds centre, for sorting blended ones
  glm::vec3 bounds_min{0.0f}, bounds_max{0.0f};  // object space
  // A closed, outward-wound triangle list (gltf/closed_surface.hpp) whose
  // back faces the draw may cull although its material is double-sided.
  // Tested only for static triangle lists with a double-sided opaque material.
  bool closed = false;
  bool has_tangents = false;
  bool has_colors = false;  // COLOR_0
  // Vertex buffers pose_scene rewrites (deforming meshes only; 0 otherwise).
  GLuint position_buffer = 0, normal_buffer = 0, tangent_buffer = 0;
};

class GlScene {
 public:
  // Uploads every mesh and every texture the materials use. With `cache`,
  // textures of images with a content_hash are taken from it when there
  // (shared, not copied) and added to it when uploaded. Errc::GltfInvalid for
  // an index that points nowhere (the loader should have refused it);
  // Errc::ImageDecode for an image without pixels that the cache lacks.
  static Result<GlScene> upload(const Scene& scene, GlTextureCache* cache = nullptr);

  // Re-uploads the positions, normals and tangents of every deforming mesh
  // (Mesh::deforms) after pose_scene changed them; their sizes never change.
  void update_deformed(const Scene& scene);

  const std::vector<std::vector<GlPrimitive>>& meshes() const { return meshes_; }
  // Texture name for `ref` (0 when none); sRGB for base colour and emissive.
  GLuint texture(const TextureRef& ref, bool srgb) const;
  // Sampler object for `ref`'s texture (the default sampler when it has none).
  GLuint sampler(const TextureRef& ref) const;
  std::size_t texture_bytes() const { return texture_bytes_; }
  // Textures taken from the cache instead of uploaded.
  int cached_textures() const { return cached_textures_; }

 private:
  const Scene* scene_ = nullptr;
  std::vector<std::vector<GlPrimitive>> meshes_;
  std::map<std::pair<int, bool>, std::shared_ptr<const GlTexture>> images_;  // (image, srgb)
  std::vector<GlSampler> samplers_;                   // glTF samplers, then the default one
  std::size_t texture_bytes_ = 0;
  int cached_textures_ = 0;
};

}  // namespace renderq
