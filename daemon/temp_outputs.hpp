// Temporary outputs that a killed worker leaves behind. The renderer writes
// each image to "<dir>/.<name>.tmp-<pid>-<n>" and renames it onto
// "<dir>/<name>" (render/atomic_file.cpp), so a worker killed mid-write
// (timeout, cancel, crash, kill -9, or its supervisor's death) leaves that
// file. Only the supervisor knows both a job's outputs and the pid of the
// worker that ran it, so it removes them: after reaping a worker that had a
// job, and when it requeues the jobs of a dead predecessor (with the staged
// files of its attempt, staged_outputs.hpp).
//
// Thread-safety: plain functions; they touch only the output folders.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/render_spec.hpp"
#include "spool/job.hpp"

namespace renderq {

// Whether the file `name` is a temporary file that process `pid` made while
// writing the output named `output_name` (both names without a folder).
bool is_temp_output(std::string_view name, std::string_view output_name, std::int64_t pid);

// Removes the temporary files process `pid` left for the outputs of `spec`
// (every frame). Files of other processes and of other outputs stay.
// REQUIRES: `pid` is dead (or killed and reaped): a live writer would lose
// its file. Returns how many files it removed; a folder that cannot be read
// is skipped (nothing of it is removed).
int remove_temp_outputs(const RenderSpec& spec, std::int64_t pid);

// remove_temp_outputs, plus one line in the daemon log saying how many
// files it removed for `job` (nothing is logged when there were none).
// Called by the job runner after its worker exited.
void clean_temp_outputs(const RenderSpec& spec, std::int64_t pid, JobId job);

// What dead worker `pid` of `host` left for `job`, whose attempt `attempt`
// died with it: its temporary files, and the staged files of `host`'s
// attempts of `job` up to `attempt` (core/staged_output.hpp), which can
// never be published now that the job was requeued, whichever of the host's
// processes staged them (a worker restarted as the job's user stages under
// the pid of the one that claimed the job). One line in the daemon log when
// it removed any. Called by recovery.
void clean_dead_worker_outputs(const RenderSpec& spec, JobId job, int attempt, std::string_view host,
                               std::int64_t pid);

// The pid in a job's worker field ("host:pid") when `host` ran it; else 0.
std::int64_t worker_pid_on(std::string_view worker, std::string_view host);

}  // namespace renderq
