#include "serve/api_error.hpp"

#include <nlohmann/json.hpp>

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
    case Errc::DependencyFailed:
      return 422;
    case Errc::PermissionDenied:
      return 403;
    case Errc::NotFound:
    case Errc::JobNotFound:
      return 404;
    case Errc::JobStateConflict:
      return 409;
    case Errc::Busy:
    case Errc::OutOfMemory:
    case Errc::SpoolLocked:
    case Errc::Shutdown:
      return 503;
    default:
      return 500;
  }
}

ApiError from_error(const Error& error) {
  return ApiError{http_status_for(error.code), std::string(errc_name(error.code)), error.message(), {}};
}

std::string error_body(const ApiError& error) {
  nlohmann::json j = {{"error", {{"code", error.code}, {"message", error.message}}}};
  if (!error.state.empty()) j["error"]["state"] = error.state;
  // Replace invalid UTF-8 (a client's bytes echoed in a message) instead of throwing.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace renderq::serve
