#include "cli/exit_codes.hpp"

namespace renderq {

Exit exit_for(const Error& error) noexcept {
  switch (error.code) {
    case Errc::InvalidArgument:
    case Errc::SceneMissing:
    case Errc::SceneNotGltf:
    case Errc::OutputNotWritable:
    case Errc::SizeOutOfRange:
    case Errc::SamplesOutOfRange:
    case Errc::BadDuration:
    case Errc::OutputFormatUnknown:
    case Errc::OutputFormatUnsupported:
    case Errc::EnvironmentInvalid:
    case Errc::ConfigInvalid:
    case Errc::CommandNotFound:
    case Errc::CwdMissing:
    case Errc::CameraNotFound:       // --camera, --scene, --animation name
    case Errc::GltfSceneNotFound:    // something the file does not have
    case Errc::GltfAnimationNotFound:
      return Exit::Usage;
    case Errc::JobNotFound:
    case Errc::NotFound:
      return Exit::NotFound;
    case Errc::SpoolUnsafeFilesystem:
    case Errc::SpoolLocked:
    case Errc::SpoolCorrupt:
    case Errc::SpoolUnusable:
    case Errc::StoreUnavailable:
    case Errc::SchemaTooNew:
      return Exit::Spool;
    case Errc::JobStateConflict:
      return Exit::Conflict;
    case Errc::Timeout:
      return Exit::TimedOut;
    case Errc::Canceled:
      return Exit::JobCanceled;
    case Errc::SceneTooLarge:  // the scene, not the usage: like gltf_invalid
    case Errc::OutOfMemory:
    case Errc::Internal:
    case Errc::Io:
    case Errc::PermissionDenied:
    case Errc::Unsupported:
    case Errc::LeaseLost:
    case Errc::DependencyFailed:
    case Errc::Busy:
    case Errc::LeaseExpired:
    case Errc::EglNoDevice:
    case Errc::EglInitFailed:
    case Errc::EglNoGl45:
    case Errc::ContextLost:
    case Errc::FramebufferIncomplete:
    case Errc::OutOfMemoryBudget:
    case Errc::ShaderCompile:
    case Errc::GltfInvalid:
    case Errc::GltfUnsupportedExtension:
    case Errc::GltfUriEscapes:
    case Errc::GltfBufferOutOfRange:
    case Errc::GltfNoGeometry:
    case Errc::ImageDecode:
    case Errc::UnsupportedTextureFormat:
    case Errc::PngEncode:
    case Errc::ImageEncode:
    case Errc::WorkerCrashed:
    case Errc::Shutdown:
    case Errc::ExitStatus:
    case Errc::Signal:
    case Errc::ExecFailed:
      return Exit::Failure;
  }
  return Exit::Failure;  // not a code: the switch above names every Errc (-Wswitch)
}

}  // namespace renderq
