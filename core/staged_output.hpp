// Staged outputs: the names under which one attempt of a queued render job
// writes its images before they are published. The worker writes each file
// to "<dir>/.<name>.stage-<job>-<attempt>-<host>-<pid>" beside its final
// path (same folder, so the publishing rename is atomic); the daemon renames
// it onto "<dir>/<name>" only inside the store transaction that accepts this
// attempt's outcome (daemon/staged_outputs.hpp), so an attempt that lost its
// lease never replaces a newer attempt's file. The tag names the job, the
// attempt, the host and the worker pid, so that cleanup (the attempt's own,
// recovery's after a crash, a later attempt's) finds the files of any
// attempt without reading them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/render_spec.hpp"

namespace renderq {

struct StageTag {
  std::int64_t job = 0;
  int attempt = 0;
  std::string host;  // as written in the tag: characters outside [A-Za-z0-9._-] are '_'
  std::int64_t pid = 0;

  bool operator==(const StageTag&) const = default;
};

// "<job>-<attempt>-<host>-<pid>", `host` with every character outside
// [A-Za-z0-9._-] replaced by '_' (so it stays one file-name component).
std::string stage_tag(std::int64_t job, int attempt, std::string_view host, std::int64_t pid);

// "<dir>/.<name>.stage-<tag>" for `path` = "<dir>/<name>".
std::string staged_path(const std::string& path, std::string_view tag);

// The tag of `name` (a file name without folder) when it is a staged file
// of the output named `output_name`; nullopt for any other name.
std::optional<StageTag> staged_tag_of(std::string_view name, std::string_view output_name);

// The files a render job's outputs end as, in frame order: one per frame,
// or the one animated file (writes_animation), or frame_path(spec, 0) for
// one frame (spec.output with its frame field, if any, filled with 0).
std::vector<std::string> output_files(const RenderSpec& spec);

}  // namespace renderq
