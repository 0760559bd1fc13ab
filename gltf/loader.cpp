// load_gltf: reads a .gltf/.glb into a renderer-ready Scene, stage by stage
// (see parts.hpp).
#include <array>
#include <chrono>
#include <limits>
#include <new>
#include <optional>
#include <stdexcept>

#include "core/byte_size.hpp"
#include "core/memory_budget.hpp"

#include "gltf/parts.hpp"
#include "gltf/pose.hpp"
#include "gltf/scene.hpp"
#include "gltf/scene_size.hpp"

namespace renderq {

namespace gltf {

bool extension_supported(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kSupported = {
      "EXT_mesh_gpu_instancing", "EXT_meshopt_compression", "KHR_draco_mesh_compression",
      "KHR_lights_punctual", "KHR_materials_emissive_strength", "KHR_materials_unlit",
      "KHR_mesh_quantization", "KHR_texture_transform"};
  for (std::string_view s : kSupported)
    if (s == name) return true;
  return material_extension_supported(name);
}

namespace {

// Refuses files that need an extension we lack; names optional ones we skip.
Result<void> check_extensions(const Document& doc, const Warnings& warn) {
  JsonReader r;
  const Json* required = r.array(doc.json, "extensionsRequired", "glTF");
  const Json* used = r.array(doc.json, "extensionsUsed", "glTF");
  if (r.failed()) return std::unexpected(r.error());
  for (const Json* list : {required, used}) {
    for (std::size_t i = 0; list && i < list->size(); ++i) {
      if (!(*list)[i].is_string())
        return fail(Errc::GltfInvalid, "extensionsRequired/Used holds a non-string");
      std::string name = (*list)[i].get<std::string>();
      if (extension_supported(name)) continue;
      if (list == required)
        return fail(Errc::GltfUnsupportedExtension,
                    "the file requires extension " + name + ", which renderq does not implement");
      bool also_required = false;
      for (std::size_t k = 0; required && k < required->size(); ++k)
        also_required = also_required || (*required)[k] == name;
      if (!also_required) warn.add("optional extension " + name + " is not supported; ignored");
    }
  }
  return {};
}

}  // namespace
}  // namespace gltf

namespace {

Result<Scene> load(const std::string& path, const LoadOptions& options, BudgetLease& lease) {
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
  };
  Clock::time_point start = Clock::now();
  auto doc = gltf::read_document(path, &lease);                          // container, JSON, buffers
  if (!doc) return std::unexpected(doc.error());
  Scene scene;
  gltf::Warnings warn{&scene.warnings, &options.log};
  if (auto ok = gltf::check_extensions(*doc, warn); !ok) return std::unexpected(ok.error());
  if (auto ok = gltf::charge_geometry(*doc, lease); !ok) return std::unexpected(ok.error());  // before reading any

  if (auto ok = gltf::read_materials(*doc, scene, warn); !ok)            // samplers, textures
    return std::unexpected(ok.error());
  if (auto ok = gltf::read_meshes(*doc, scene, warn); !ok) return std::unexpected(ok.error());
  if (auto ok = gltf::read_cameras_and_lights(*doc, scene); !ok) return std::unexpected(ok.error());
  if (auto ok = gltf::read_nodes(*doc, options.scene_index, scene, warn); !ok)  // hierarchy, skins
    return std::unexpected(ok.error());
  if (auto ok = gltf::read_animations(*doc, scene, warn); !ok) return std::unexpected(ok.error());
  if (auto ok = pose_scene(scene, PoseRequest{}); !ok) return std::unexpected(ok.error());  // rest pose

  bool drawable = false;
  for (const MeshInstance& inst : scene.mesh_instances)
    drawable = drawable || !scene.meshes[static_cast<std::size_t>(inst.mesh)].primitives.empty();
  if (!drawable)
    return fail(Errc::GltfNoGeometry, path + ": the scene has no triangles, lines or points to draw");

  scene.times.parse_ms = ms_since(start);

  start = Clock::now();
  if (auto ok = gltf::read_images(*doc, scene, options, lease); !ok)  // decode last: slowest
    return std::unexpected(ok.error());
  scene.times.decode_ms = ms_since(start);
  return scene;
}

}  // namespace

Result<Scene> load_gltf(const std::string& path, const LoadOptions& options) {
  std::optional<MemoryBudget> own;
  MemoryBudget& budget = options.budget != nullptr ? *options.budget : own.emplace(0);
  BudgetLease lease(budget);  // what this load took goes back when it returns
  try {
    return load(path, options, lease);
  } catch (const std::bad_alloc&) {
    return fail(Errc::OutOfMemory, path + ": out of memory while loading (" + format_bytes(lease.held()) +
                                       " of the scene memory budget of " + format_bytes(lease.limit()) +
                                       " taken); lower --max-scene-memory or give the process more memory");
  } catch (const std::length_error&) {
    return fail(Errc::OutOfMemory, path + ": a size too large to allocate while loading");
  }
}

}  // namespace renderq
