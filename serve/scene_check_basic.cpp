// check_scene_file for builds without the renderer's glTF loader: the
// container checks of check_glb() are all there is.
#include "serve/upload.hpp"

namespace renderq::serve {

Result<void> check_scene_file(const std::filesystem::path&) { return {}; }

}  // namespace renderq::serve
