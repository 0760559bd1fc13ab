// A glTF file read into memory: its JSON and the bytes of every buffer.
// Handles the .glb container (header and chunks checked against the file
// size), data: URIs and external .bin files (through resolve_uri, so nothing
// outside the scene's folder is read). Nothing here interprets meshes.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/memory_budget.hpp"
#include "gltf/json_reader.hpp"

namespace renderq::gltf {

struct Document {
  Json json;
  std::filesystem::path base_dir;                 // folder of the scene file
  std::vector<std::vector<std::uint8_t>> buffers;  // each exactly byteLength bytes
};

// Reads `path` (.gltf or .glb, recognised by content). Errc::SceneMissing when
// the file does not exist; Errc::SceneNotGltf when it is not a regular file
// (a FIFO, a device: refused without blocking); Errc::GltfInvalid for a
// truncated or malformed container, invalid JSON, a buffer without data or
// one whose file is not a regular file; Errc::GltfBufferOutOfRange
// when a buffer's data is shorter than its byteLength; Errc::GltfUriEscapes;
// Errc::NotFound / Errc::Io for an unreadable external buffer.
// What it reads and decodes (the file, its JSON, every buffer's byteLength,
// meshopt's decoded views) is charged to `lease` before it is allocated:
// Errc::SceneTooLarge past the budget (nullptr: a budget of
// default_scene_memory()). Only the first byteLength bytes of an external
// buffer are read.
Result<Document> read_document(const std::filesystem::path& path, BudgetLease* lease = nullptr);

// The bytes of bufferView `view`, checked against its buffer.
// Errc::GltfInvalid for a bad index, Errc::GltfBufferOutOfRange for a range
// past the buffer's end. `stride` receives byteStride (0 when absent).
struct ViewBytes {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::size_t stride = 0;
};
Result<ViewBytes> buffer_view_bytes(const Document& doc, int view);

}  // namespace renderq::gltf
