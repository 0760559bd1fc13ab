// Content-keyed caches for the CPU side of the loader: a 64-bit hash of an
// image's encoded bytes (the PNG or JPEG as stored in the glTF), so the same
// texture reached through another file (an HTTP upload copied into each job's
// folder, a model re-exported, two models sharing a texture set) is decoded
// once per worker.
//   content_hash       XXH3-64 (libxxhash) of the encoded bytes
//   ByteLru            an LRU map bounded by the bytes of its values
//   DecodedImageCache  decoded RGBA8 images; the loader's decode threads use it
// The GL side keeps its uploaded textures in render/texture_cache.hpp.
// Values are shared_ptr, so evicting never frees what a live scene uses.
//
// Thread-safety: DecodedImageCache is safe from any thread; ByteLru is not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <utility>

#include "gltf/scene.hpp"

namespace renderq {

// A 64-bit hash of `bytes` (XXH3-64: tens of GB/s, so hashing a texture
// costs far less than decoding it). Not cryptographic: a cache key, not an
// integrity check. Equal bytes give equal hashes in every process and on
// every machine.
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
  // An image larger than this is never kept (so never copied in).
  std::size_t max_bytes() const {
    std::lock_guard lock(mu_);
    return lru_.max_bytes();
  }

 private:
  mutable std::mutex mu_;
  ByteLru<std::uint64_t, Image> lru_;
};

}  // namespace renderq
