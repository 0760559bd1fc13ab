// Fuzzing target gltf_load: the whole glTF/GLB loader (gltf/, no GL) as a
// worker and the server's upload check call it: container, JSON, buffers,
// accessors, meshes (Draco, meshopt), materials, nodes, skins, animations,
// the rest pose, and the image decoders.
//
// The loader reads a path (external buffers and images resolve next to the
// scene), so each input is written to one file in a private folder: a .gltf
// or .glb by content, whose relative URIs can only reach that folder.
//
// Every input must load, or fail with a named error (which one is the
// loader's tests' business); with a drawable scene whose instances name
// meshes that exist.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "fuzz/fuzz_util.hpp"
#include "gltf/scene.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path scene = renderq::fuzz::temp_dir() / "scene";
  renderq::fuzz::write_input(scene, data, size);
  try {
    auto loaded = renderq::load_gltf(scene.string());
    if (!loaded) return 0;
    for (const renderq::MeshInstance& inst : loaded->mesh_instances)
      if (inst.mesh < 0 || static_cast<std::size_t>(inst.mesh) >= loaded->meshes.size()) std::abort();
  } catch (const std::bad_alloc&) {
    renderq::fuzz::note_bad_alloc();  // the loader's memory budgets (issue 13, item 1)
  }
  return 0;
}
