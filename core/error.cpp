#include "core/error.hpp"

namespace renderq {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::Internal: return "internal";
    case Errc::InvalidArgument: return "invalid_argument";
    case Errc::Io: return "io";
    case Errc::NotFound: return "not_found";
    case Errc::PermissionDenied: return "permission_denied";
    case Errc::Unsupported: return "unsupported";
    case Errc::ConfigInvalid: return "config_invalid";
    case Errc::OutOfMemory: return "out_of_memory";
    case Errc::SpoolUnsafeFilesystem: return "spool_unsafe_filesystem";
    case Errc::SpoolLocked: return "spool_locked";
    case Errc::SpoolCorrupt: return "spool_corrupt";
    case Errc::SpoolUnusable: return "spool_unusable";
    case Errc::StoreUnavailable: return "store_unavailable";
    case Errc::SchemaTooNew: return "schema_too_new";
    case Errc::JobNotFound: return "job_not_found";
    case Errc::JobStateConflict: return "job_state_conflict";
    case Errc::LeaseLost: return "lease_lost";
    case Errc::DependencyFailed: return "dependency_failed";
    case Errc::Busy: return "busy";
    case Errc::LeaseExpired: return "lease_expired";
    case Errc::SceneMissing: return "scene_missing";
    case Errc::SceneNotGltf: return "scene_not_gltf";
    case Errc::OutputNotWritable: return "output_not_writable";
    case Errc::SizeOutOfRange: return "size_out_of_range";
    case Errc::SamplesOutOfRange: return "samples_out_of_range";
    case Errc::BadDuration: return "bad_duration";
    case Errc::OutputFormatUnknown: return "output_format_unknown";
    case Errc::OutputFormatUnsupported: return "output_format_unsupported";
    case Errc::EglNoDevice: return "egl_no_device";
    case Errc::EglInitFailed: return "egl_init_failed";
    case Errc::EglNoGl45: return "egl_no_gl45";
    case Errc::ContextLost: return "context_lost";
    case Errc::FramebufferIncomplete: return "framebuffer_incomplete";
    case Errc::OutOfMemoryBudget: return "out_of_memory_budget";
    case Errc::ShaderCompile: return "shader_compile";
    case Errc::GltfInvalid: return "gltf_invalid";
    case Errc::GltfUnsupportedExtension: return "gltf_unsupported_extension";
    case Errc::GltfUriEscapes: return "gltf_uri_escapes";
    case Errc::GltfBufferOutOfRange: return "gltf_buffer_out_of_range";
    case Errc::GltfNoGeometry: return "gltf_no_geometry";
    case Errc::ImageDecode: return "image_decode";
    case Errc::UnsupportedTextureFormat: return "unsupported_texture_format";
    case Errc::EnvironmentInvalid: return "environment_invalid";
    case Errc::CameraNotFound: return "camera_not_found";
    case Errc::GltfSceneNotFound: return "gltf_scene_not_found";
    case Errc::GltfAnimationNotFound: return "gltf_animation_not_found";
    case Errc::SceneTooLarge: return "scene_too_large";
    case Errc::PngEncode: return "png_encode";
    case Errc::ImageEncode: return "image_encode";
    case Errc::Timeout: return "timeout";
    case Errc::Canceled: return "canceled";
    case Errc::WorkerCrashed: return "worker_crashed";
    case Errc::Shutdown: return "shutdown";
    case Errc::CommandNotFound: return "command_not_found";
    case Errc::CwdMissing: return "cwd_missing";
    case Errc::ExitStatus: return "exit_status";
    case Errc::Signal: return "signal";
    case Errc::ExecFailed: return "exec_failed";
  }
  return "internal";
}

std::string Error::message() const {
  return detail.empty() ? std::string(errc_name(code)) : detail;
}

}  // namespace renderq
