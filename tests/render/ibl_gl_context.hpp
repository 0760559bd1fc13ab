// A minimal headless GL 4.5 core context for the IBL tests and benchmark:
// Mesa's surfaceless EGL platform (llvmpipe without a GPU), no surface.
// Stands in until the renderer's own EGL owner (render/egl_*) is on main.
//
// Thread-safety: the context is current on the creating thread.
#pragma once

#include <memory>
#include <string>

namespace renderq::testing {

class GlTestContext {
 public:
  // nullptr (with `why` filled) when no GL 4.5 core context can be made.
  static std::unique_ptr<GlTestContext> create(std::string* why = nullptr);
  ~GlTestContext();  // make-current none, destroy context, terminate
  GlTestContext(const GlTestContext&) = delete;
  GlTestContext& operator=(const GlTestContext&) = delete;

  std::string renderer() const;  // GL_RENDERER

 private:
  GlTestContext() = default;
  void* display_ = nullptr;
  void* context_ = nullptr;
};

}  // namespace renderq::testing
