// GlTextureCache: uploaded GL textures with mipmaps, keyed by CONTENT (the
// content_hash of gltf/image_cache.hpp) and colour space, so a texture reached
// through another file is uploaded once per worker. LRU with a bound on
// bytes; an entry larger than the bound is not kept. Values are shared_ptr,
// so evicting never frees what a live scene uses.
//
// Thread-safety: GL-context bound (see gl_handles.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "gltf/image_cache.hpp"
#include "render/gl_handles.hpp"

namespace renderq {

// Key of an uploaded texture: the content and the colour space it was
// uploaded in (sRGB for base colour and emissive, linear otherwise).
struct TextureKey {
  std::uint64_t hash = 0;
  bool srgb = false;
  bool operator==(const TextureKey&) const = default;
};
struct TextureKeyHash {
  std::size_t operator()(const TextureKey& k) const { return static_cast<std::size_t>(k.hash ^ (k.srgb ? 1 : 0)); }
};

class GlTextureCache {
 public:
  explicit GlTextureCache(std::size_t max_bytes) : lru_(max_bytes) {}
  std::shared_ptr<const GlTexture> find(TextureKey key) { return lru_.find(key); }
  bool contains(TextureKey key) const { return lru_.contains(key); }
  void insert(TextureKey key, std::shared_ptr<const GlTexture> texture, std::size_t bytes) {
    lru_.insert(key, std::move(texture), bytes);
  }
  std::size_t bytes() const { return lru_.bytes(); }

 private:
  ByteLru<TextureKey, GlTexture, TextureKeyHash> lru_;
};

}  // namespace renderq
