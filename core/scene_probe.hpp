// A quick look at a scene at submit time, so that jobs which cannot work
// are refused then and not an hour later in the daemon: a truncated .glb,
// JSON that does not parse, a .bin or image file that is missing, a
// --scene index the file does not have, a --camera it does not name.
//
// It reads only the glTF JSON (a .gltf, a .glb's header and JSON chunk) and
// stats the files it names; it decodes nothing, so the thin `renderq
// submit` stays fast and links no loader. The daemon's loader (gltf/) still
// checks everything when it renders.
//
// JSON up to kMaxProbeJson is read whole and parsed. Larger JSON (a .gltf
// with big embedded data: URIs) is parsed as it is read, each string value
// cut to kMaxProbeString bytes, so its memory is its structure's and a
// 17 MiB .gltf is checked like a small one (it once skipped every check).
// Only JSON larger than this process's scene memory budget
// (core/memory_budget.hpp) is left to the loader.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <cstddef>

#include "core/error.hpp"
#include "core/render_spec.hpp"

namespace renderq {

// JSON up to this is read whole; larger JSON is streamed.
constexpr std::size_t kMaxProbeJson = 16u << 20;
// What a streamed parse keeps of each string value: far beyond any file
// name or camera name, far below a data: URI.
constexpr std::size_t kMaxProbeString = 64u << 10;

// REQUIRES: validate_files(spec) passed (the scene is a regular file that
// starts like glTF). Errors: Errc::SceneNotGltf (a truncated or malformed
// .glb, JSON that does not parse or is not glTF 2.0), Errc::SceneMissing (a
// referenced .bin or image file missing, not a regular file, or a .bin
// shorter than its byteLength), Errc::GltfSceneNotFound (--scene), Errc::
// CameraNotFound (--camera, by name or index).
Result<void> probe_scene(const RenderSpec& spec);

}  // namespace renderq
