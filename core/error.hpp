// renderq's one error convention: every fallible function returns Result<T>,
// which is std::expected<T, Error>. Error carries a stable code (Errc, for
// programs and tests) and a human-readable detail (for people).
//
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace renderq {

// Stable error codes. The snake_case names from errc_name() are stored in
// the spool (a failed job's error code) and sent over HTTP, so never rename
// one; add new codes at the end of their group.
enum class Errc {
  // generic
  Internal,
  InvalidArgument,
  Io,
  NotFound,
  PermissionDenied,
  Unsupported,
  ConfigInvalid,
  OutOfMemory,  // an allocation failed (std::bad_alloc) while loading or decoding
  // spool and queue
  SpoolUnsafeFilesystem,
  SpoolLocked,
  SpoolCorrupt,
  SpoolUnusable,
  StoreUnavailable,  // the queue's database server cannot be reached (down, restarting): worth retrying
  SchemaTooNew,
  JobNotFound,
  JobStateConflict,
  LeaseLost,
  DependencyFailed,
  Busy,
  LeaseExpired,
  // render spec validation
  SceneMissing,
  SceneNotGltf,
  OutputNotWritable,
  SizeOutOfRange,
  SamplesOutOfRange,
  BadDuration,
  OutputFormatUnknown,
  OutputFormatUnsupported,
  // EGL / GL
  EglNoDevice,
  EglInitFailed,
  EglNoGl45,
  ContextLost,
  FramebufferIncomplete,
  OutOfMemoryBudget,
  ShaderCompile,
  // scene loading
  GltfInvalid,
  GltfUnsupportedExtension,
  GltfUriEscapes,
  GltfBufferOutOfRange,
  GltfNoGeometry,
  ImageDecode,
  UnsupportedTextureFormat,  // e.g. KHR_texture_basisu (KTX2) with no PNG/JPEG/WebP fallback
  EnvironmentInvalid,
  CameraNotFound,
  GltfSceneNotFound,
  GltfAnimationNotFound,
  SceneTooLarge,  // the declared sizes need more than the scene memory budget
  // output
  PngEncode,
  ImageEncode,
  // daemon
  Timeout,
  Canceled,
  WorkerCrashed,
  Shutdown,
  // command jobs (submit --exec)
  CommandNotFound,
  CwdMissing,
  ExitStatus,
  Signal,
  ExecFailed,
};

// The stable snake_case name of a code, e.g. "job_not_found".
std::string_view errc_name(Errc code) noexcept;

struct Error {
  Errc code = Errc::Internal;
  std::string detail;

  // "<detail>" or "<code name>" when detail is empty.
  std::string message() const;
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for returning an error: `return fail(Errc::JobNotFound, "job 7");`
inline std::unexpected<Error> fail(Errc code, std::string detail = {}) {
  return std::unexpected<Error>(Error{code, std::move(detail)});
}

}  // namespace renderq
