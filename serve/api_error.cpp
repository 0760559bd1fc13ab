#include "serve/api_error.hpp"

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"

namespace renderq::serve {

int http_status_for(Errc code) noexcept {
  switch (code) {
    case Errc::InvalidArgument:
    case Errc::SceneMissing:
    case Errc::SceneNotGltf:
    case Errc::OutputNotWritable:
    case Errc::SizeOutOfRange:
    case Errc::SamplesOutOfRange:
    case Errc::BadDuration:
    case Errc::OutputFormatUnknown:
    case Errc::OutputFormatUnsupported:
    case Errc::GltfInvalid:
    case Errc::GltfUnsupportedExtension:
    case Errc::GltfUriEscapes:
    case Errc::GltfBufferOutOfRange:
    case Errc::GltfNoGeometry:
    case Errc::ImageDecode:
    case Errc::UnsupportedTextureFormat:
    case Errc::EnvironmentInvalid:
    case Errc::CameraNotFound:
    case Errc::SceneTooLarge:
    case Errc::GltfSceneNotFound:
    case Errc::GltfAnimationNotFound:
    case Errc::DependencyFailed:
    case Errc::CommandNotFound:
    case Errc::CwdMissing:
    case Errc::ConfigInvalid:
      return 422;
    case Errc::PermissionDenied:
      return 403;
    case Errc::NotFound:
    case Errc::JobNotFound:
      return 404;
    case Errc::JobStateConflict:
      return 409;
    case Errc::Busy:
    case Errc::StoreUnavailable:
    case Errc::OutOfMemory:
    case Errc::SpoolLocked:
    case Errc::Shutdown:
      return 503;
    case Errc::Internal:
    case Errc::Io:
    case Errc::Unsupported:
    case Errc::SpoolUnsafeFilesystem:
    case Errc::SpoolCorrupt:
    case Errc::SpoolUnusable:
    case Errc::SchemaTooNew:
    case Errc::LeaseLost:
    case Errc::LeaseExpired:
    case Errc::EglNoDevice:
    case Errc::EglInitFailed:
    case Errc::EglNoGl45:
    case Errc::ContextLost:
    case Errc::FramebufferIncomplete:
    case Errc::OutOfMemoryBudget:
    case Errc::ShaderCompile:
    case Errc::PngEncode:
    case Errc::ImageEncode:
    case Errc::Timeout:
    case Errc::Canceled:
    case Errc::WorkerCrashed:
    case Errc::ExitStatus:
    case Errc::Signal:
    case Errc::ExecFailed:
      return 500;
  }
  return 500;  // not a code: the switch above names every Errc (-Wswitch)
}

ApiError from_error(const Error& error) {
  return ApiError{http_status_for(error.code), std::string(errc_name(error.code)), error.message(), {}};
}

std::string error_body(const ApiError& error) {
  nlohmann::json j = {{"error", {{"code", error.code}, {"message", error.message}}}};
  if (!error.state.empty()) j["error"]["state"] = error.state;
  // Replace invalid UTF-8 (a client's bytes echoed in a message) instead of throwing.
  return json_text(j) + "\n";
}

}  // namespace renderq::serve
