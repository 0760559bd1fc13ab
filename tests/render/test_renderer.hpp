// One Renderer per render-test process, made on first use on the machine's
// default EGL device (llvmpipe in CI), with prefiltered environments in a
// private cache folder removed at exit. A test fails (never skips) when no
// renderer can be made.
#pragma once

#include "render/renderer.hpp"

namespace renderq::test {

Renderer& shared_renderer();

}  // namespace renderq::test
