// Texture caches keyed by CONTENT: a 64-bit hash of an image's encoded bytes
// (the PNG or JPEG as stored in the glTF), so the same texture reached through
// another file (an HTTP upload copied into each job's folder, a model
// re-exported, two models sharing a texture set) is decoded and uploaded
// once per worker.
//   DecodedImageCache  decoded RGBA8 images; the loader's decode threads use it
//   GlTextureCache     uploaded GL textures with mipmaps, per colour space
// Both are LRU with a bound on bytes; an entry larger than the bound is not
// kept. Values are shared_ptr, so evicting never frees what a live scene uses.
//
// Thread-safety: DecodedImageCache is safe from any thread. GlTextureCache
// is GL-context bound (see gl_handles.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <utility>

#include "render/gl_handles.hpp"
#include "render/scene.hpp"

namespace renderq {

// A 64-bit hash of `bytes` (four interleaved multiply-rotate lanes, then an
// avalanche: several GB/s, so hashing a texture costs far less than decoding
// it). Not cryptographic: a cache key, not an integrity check. Equal bytes
// give equal hashes in every process and on every machine.
std::uint64_t content_hash(std::span<const std::uint8_t> bytes);

// LRU map from Key to shared_ptr<const Value>, bounded by the sum of the
// entries' byte costs. Not thread-safe by itself.
template <typename Key, typename Value, typename Hash = std::hash<Key>>
class ByteLru {
 public:
  explicit ByteLru(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The value for `key`, now the most recently used; nullptr when absent.
  std::shared_ptr<const Value> find(const Key& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->value;
  }
  bool contains(const Key& key) const { return index_.contains(key); }

  // Inserts or replaces `key`, then evicts the least recently used entries
  // until the total fits. An entry costing more than the bound is not kept.
  void insert(const Key& key, std::shared_ptr<const Value> value, std::size_t bytes) {
    erase(key);
    if (bytes > max_bytes_) return;
    order_.push_front(Entry{key, std::move(value), bytes});
    index_.emplace(key, order_.begin());
    bytes_ += bytes;
    while (bytes_ > max_bytes_) {
      bytes_ -= order_.back().bytes;
      index_.erase(order_.back().key);
      order_.pop_back();
    }
  }
  void erase(const Key& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    bytes_ -= it->second->bytes;
    order_.erase(it->second);
    index_.erase(it);
  }

  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return index_.size(); }
  std::size_t max_bytes() const { return max_bytes_; }

 private:
  struct Entry {
    Key key;
    std::shared_ptr<const Value> value;
    std::size_t bytes;
  };
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> index_;
};

class DecodedImageCache {
 public:
  explicit DecodedImageCache(std::size_t max_bytes) : lru_(max_bytes) {}
  std::shared_ptr<const Image> find(std::uint64_t hash) {
    std::lock_guard lock(mu_);
    return lru_.find(hash);
  }
  void insert(std::uint64_t hash, std::shared_ptr<const Image> image) {
    std::size_t bytes = image->rgba.size();
    std::lock_guard lock(mu_);
    lru_.insert(hash, std::move(image), bytes);
  }
  std::size_t bytes() const {
    std::lock_guard lock(mu_);
    return lru_.bytes();
  }

 private:
  mutable std::mutex mu_;
  ByteLru<std::uint64_t, Image> lru_;
};

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
