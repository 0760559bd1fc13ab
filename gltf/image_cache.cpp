#include "gltf/image_cache.hpp"

#include <xxhash.h>

namespace renderq {

std::uint64_t content_hash(std::span<const std::uint8_t> bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

}  // namespace renderq
