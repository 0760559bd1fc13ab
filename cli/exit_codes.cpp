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
      return Exit::Usage;
    case Errc::JobNotFound:
    case Errc::NotFound:
      return Exit::NotFound;
    case Errc::SpoolUnsafeFilesystem:
    case Errc::SpoolLocked:
    case Errc::SpoolCorrupt:
    case Errc::SpoolUnusable:
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
      return Exit::Failure;
    default:
      return Exit::Failure;
  }
}

}  // namespace renderq
