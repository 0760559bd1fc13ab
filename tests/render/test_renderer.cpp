#include "tests/render/test_renderer.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>

#include "tests/temp_dir.hpp"

namespace renderq::test {

Renderer& shared_renderer() {
  static std::unique_ptr<Renderer> r = [] {
    static TempDir cache;  // prefiltered environments, removed at exit
    ::setenv("RENDERQ_CACHE_DIR", cache.path.c_str(), 1);
    auto made = Renderer::create(DeviceSelector{});
    if (!made) FAIL("no renderer: " << made.error().message());
    return std::move(*made);
  }();
  return *r;
}

}  // namespace renderq::test
