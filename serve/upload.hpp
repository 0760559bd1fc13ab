// Uploaded scenes: checked before anything is stored, then staged in the
// server's file area (serve/file_area.hpp) and moved into the job's folder
// once the job has an id.
//
// Only binary glTF (.glb) is accepted: it is self-contained, so the server
// never has to accept a client's file names. A .glb may still point at
// external files through "uri" fields; those are refused, since in the job
// folder they could only reach other jobs' files.
//
// Thread-safety: pure functions apart from the files they write.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "core/error.hpp"
#include "core/memory_budget.hpp"

namespace renderq::serve {

// Checks the container: magic "glTF" (else Errc::SceneNotGltf), version 2,
// a total length equal to the bytes received (a truncated upload fails
// here), chunks that fit, a first chunk of type JSON holding an object with
// "asset", and no buffer or image "uri" other than a data: URI
// (Errc::GltfInvalid, Errc::GltfUriEscapes).
Result<void> check_glb(std::string_view bytes);

// A deeper check of a staged file with the workers' own glTF loader
// (scene_check.cpp, renderq_gltf: no GL), its memory taken from `budget`
// (shared by every request): Errc::SceneTooLarge for an upload that alone
// needs more (a small file declaring huge images or meshes), Errc::Busy
// when concurrent checks hold the rest, Errc::OutOfMemory if an allocation
// fails all the same. Fails with the loader's named errors.
Result<void> check_scene_file(const std::filesystem::path& path, MemoryBudget& budget);

// Writes `bytes` to a new file with `mode` (0600 or 0640: FileArea's
// upload_mode) under <files>/uploads/ and fsyncs it; returns its path.
// Errc::Io on failure (nothing is left).
Result<std::filesystem::path> stage_upload(const std::filesystem::path& files_dir, std::string_view bytes,
                                           mode_t mode);

}  // namespace renderq::serve
