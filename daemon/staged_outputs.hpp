// One attempt's staged outputs, from the daemon's side. The worker writes
// each file of a render job to its staged name (core/staged_output.hpp:
// "<dir>/.<name>.stage-<job>-<attempt>-<host>-<pid>"); the job runner hands
// publish() to Store::finish (Outcome::publish), which calls it with the
// job's row locked after checking that this attempt still holds the job,
// and removes whatever is left once the attempt is over. So a file reaches
// its final name only while the store says this attempt owns the job, and
// an attempt that lost its lease (a host frozen past it) never replaces the
// newer attempt's file. docs/design/daemon.md ("Outputs and fencing") gives
// the argument.
//
// Thread-safety: single-threaded (the supervisor's loop).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/render_spec.hpp"
#include "core/staged_output.hpp"

namespace renderq {

class StagedOutputs {
 public:
  // The outputs of `spec` (output_files) under stage tag `tag`.
  StagedOutputs(const RenderSpec& spec, std::string tag);

  const std::string& tag() const { return tag_; }
  std::size_t files() const { return files_.size(); }

  // Renames the staged files of the first `count` output files (frame
  // order) onto their final names. Files an earlier call published are
  // skipped: a finish retried after its commit failed still holds the
  // attempt, so nobody replaced them since. A staged file that is missing
  // or cannot be renamed is Errc::OutputNotWritable; the files published so
  // far are then removed again (a failed job leaves no partial sequence).
  // REQUIRES: the caller holds the attempt (inside Store::finish).
  Result<void> publish(std::size_t count);
  // The errno of the last publish that failed (0 when none did).
  int publish_errno() const { return publish_errno_; }
  // Records that the first `count` files were published elsewhere (by a
  // child acting as the job's user, daemon/run_as.hpp).
  void mark_published(std::size_t count);

  // Removes this attempt's staged files that were not published (any that
  // exist); returns how many. For an attempt that ended without publishing,
  // or published only a prefix (a cancel).
  int remove_unpublished() const;

 private:
  RenderSpec spec_;
  std::string tag_;
  std::vector<std::string> files_;  // final paths
  std::set<std::size_t> published_;
  int publish_errno_ = 0;
};

// Removes the staged files of `spec`'s outputs whose tag `which` accepts
// (one listing per output folder); returns how many. A folder that cannot
// be read is skipped.
int remove_staged(const RenderSpec& spec, const std::function<bool(const StageTag&)>& which);

}  // namespace renderq
