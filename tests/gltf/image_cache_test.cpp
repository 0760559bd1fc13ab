#include <catch2/catch.hpp>

#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "gltf/image_cache.hpp"

using namespace renderq;

TEST_CASE("content_hash: equal bytes hash equal, any change moves it", "[image_cache]") {
  std::vector<std::uint8_t> bytes(1000);
  std::iota(bytes.begin(), bytes.end(), std::uint8_t{7});
  const std::uint64_t h = content_hash(bytes);
  CHECK(content_hash(std::vector<std::uint8_t>(bytes)) == h);
  std::set<std::uint64_t> seen{h};
  // Every single-bit flip, in the striped part and in the tail.
  for (std::size_t i : {0u, 31u, 32u, 500u, 990u, 999u}) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<std::uint8_t> b = bytes;
      b[i] = static_cast<std::uint8_t>(b[i] ^ (1u << bit));
      CHECK(seen.insert(content_hash(b)).second);
    }
  }
  // Every prefix length, short and long, is distinct.
  for (std::size_t n = 0; n < 100; ++n)
    CHECK(seen.insert(content_hash(std::span<const std::uint8_t>(bytes.data(), n))).second);
}

TEST_CASE("ByteLru keeps the most recently used entries within its byte bound", "[image_cache]") {
  ByteLru<int, std::string> lru(100);
  auto put = [&](int k, std::size_t bytes) { lru.insert(k, std::make_shared<const std::string>(std::to_string(k)), bytes); };
  put(1, 40);
  put(2, 40);
  CHECK(lru.bytes() == 80);
  REQUIRE(lru.find(1));  // 1 is now the most recent
  CHECK(*lru.find(1) == "1");
  put(3, 40);            // over 100: the least recent (2) goes
  CHECK(lru.contains(1));
  CHECK_FALSE(lru.contains(2));
  CHECK(lru.contains(3));
  CHECK(lru.bytes() == 80);
  put(4, 101);           // larger than the bound: not kept, nothing evicted
  CHECK_FALSE(lru.contains(4));
  CHECK(lru.size() == 2);
  put(1, 10);            // replacing updates the cost
  CHECK(lru.bytes() == 50);
  lru.erase(3);
  CHECK(lru.bytes() == 10);
  CHECK(lru.find(3) == nullptr);
}

TEST_CASE("an evicted value lives on while someone holds it", "[image_cache]") {
  ByteLru<int, std::string> lru(10);
  lru.insert(1, std::make_shared<const std::string>("one"), 10);
  std::shared_ptr<const std::string> held = lru.find(1);
  lru.insert(2, std::make_shared<const std::string>("two"), 10);
  CHECK_FALSE(lru.contains(1));
  CHECK(*held == "one");
}

TEST_CASE("DecodedImageCache counts pixel bytes", "[image_cache]") {
  DecodedImageCache cache(1 << 20);
  auto img = std::make_shared<Image>();
  img->width = img->height = 16;
  img->rgba.assign(16 * 16 * 4, 9);
  cache.insert(42, img);
  CHECK(cache.bytes() == 16 * 16 * 4);
  REQUIRE(cache.find(42));
  CHECK(cache.find(42)->rgba[5] == 9);
  CHECK(cache.find(43) == nullptr);
}
