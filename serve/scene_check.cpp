// check_scene_file with the workers' glTF loader (renderq_gltf): an upload is loaded
// exactly as a worker would load it (CPU only, no GL), so a broken file is
// refused with the loader's named error before it is queued.
#include "gltf/scene.hpp"
#include "serve/upload.hpp"

namespace renderq::serve {

Result<void> check_scene_file(const std::filesystem::path& path, MemoryBudget& budget) {
  LoadOptions options;
  options.budget = &budget;
  auto scene = load_gltf(path.string(), options);
  if (!scene) return std::unexpected(scene.error());
  return {};
}

}  // namespace renderq::serve
