// The stages of load_gltf (loader.cpp), one file each. Internal to the
// renderer library; each stage reads the Document and fills its part of the
// Scene, failing with the named errors listed in gltf/scene.hpp.
//
// Thread-safety: each stage writes only the Scene it is given.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "gltf/document.hpp"
#include "gltf/scene.hpp"

namespace renderq::gltf {

// Collects warnings for Scene::warnings and the job log.
struct Warnings {
  std::vector<std::string>* list = nullptr;
  const std::function<void(std::string_view)>* log = nullptr;
  void add(std::string text) const {
    if (log && *log) (*log)(text);
    list->push_back(std::move(text));
  }
};

// The extensions this loader implements (KHR_mesh_quantization, KHR_texture_transform, ...).
bool extension_supported(std::string_view name);

// The material and texture extensions material.cpp reads (KHR_materials_ior,
// KHR_materials_specular, EXT_texture_webp, ...); extension_supported asks it.
bool material_extension_supported(std::string_view name);

// material.cpp: samplers, textures and materials (with the
// KHR_materials_emissive_strength, KHR_materials_unlit and
// KHR_texture_transform extensions). Image slots are created empty.
Result<void> read_materials(const Document& doc, Scene& scene, const Warnings& warn);

// images.cpp: decodes every image a texture uses into scene.images,
// through the content caches of `options` (see LoadOptions). Needs
// scene.materials (which colour space each image is used in).
// Errc::ImageDecode (missing, unreadable or corrupt), Errc::GltfUriEscapes;
// Errc::SceneTooLarge when the encoded bytes and the decoded sizes their
// headers declare pass the budget of `lease` (checked before decoding);
// Errc::OutOfMemory when a decoder's allocation fails anyway.
Result<void> read_images(const Document& doc, Scene& scene, const LoadOptions& options, BudgetLease& lease);

// mesh.cpp: meshes and their primitives; flat normals and tangents are
// generated where missing. Needs scene.materials (for the normal map's UV set).
Result<void> read_meshes(const Document& doc, Scene& scene, const Warnings& warn);

// nodes.cpp: cameras, KHR_lights_punctual lights, skins, the nodes (with
// EXT_mesh_gpu_instancing) and the chosen scene's roots. Needs the meshes:
// a deforming mesh drawn by several nodes is copied, one per node.
// pose_scene (gltf/pose.hpp) then flattens them into instances.
Result<void> read_cameras_and_lights(const Document& doc, Scene& scene);
Result<void> read_nodes(const Document& doc, int scene_index, Scene& scene, const Warnings& warn);

// animation.cpp: animations, their samplers checked (finite, ordered
// keyframes; output count = input count x values per keyframe). Needs the nodes.
Result<void> read_animations(const Document& doc, Scene& scene, const Warnings& warn);

}  // namespace renderq::gltf
