// FileArea: where `renderq serve` keeps the files it is given and the
// outputs it chooses: <dir>/uploads/ (staged uploads) and <dir>/jobs/<id>/
// (a job's scene.glb and output). For a spool queue that is the spool
// folder; for a PostgreSQL queue it is the folder --shared-dir names,
// mounted at the same path on every daemon host, since the daemon that
// renders a job may be on another host (the convention of Slurm and
// Flamenco: one shared file system, one queue).
//
// Thread-safety: immutable after construction; the functions touch only
// the file system.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "spool/job.hpp"

namespace renderq::serve {

struct FileArea {
  std::filesystem::path dir;  // canonical
  bool spool = true;          // the queue's own spool folder: its per-user rules apply
  bool group = false;         // a shared folder its group may write: daemons running as
                              // other members of the group write outputs into job folders

  std::filesystem::path job_dir(JobId id) const;
  // Creates job_dir(id): as the spool does in a spool (kSpoolJobDirMode),
  // 0770 in a group's shared folder, else 0700. Errc::Io.
  Result<std::filesystem::path> make_job_dir(JobId id) const;
  // Mode of an uploaded scene: readable by the group where it renders.
  mode_t upload_mode() const { return group ? 0640 : 0600; }
};

// The FileArea of a PostgreSQL queue: `dir` must exist, be a folder, and be
// writable by this server (Errc::InvalidArgument naming the problem).
Result<FileArea> shared_file_area(const std::string& dir);

// Claims a shared folder for the queue `queue_id` (Queue::identity): writes
// the id into <dir>/.renderq-queue when the folder has none, and refuses
// one that names another queue (Errc::InvalidArgument): the two servers
// would remove each other's job folders and mix their uploads.
Result<void> claim_shared_dir(const FileArea& area, const std::string& queue_id);

}  // namespace renderq::serve
