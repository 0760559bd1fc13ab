// Spool: the directory that holds one queue. Layout:
//   <spool>/queue.db         SQLite database (WAL), schema from sql/
//   <spool>/jobs/<id>/       per-job folder: job.log, uploaded inputs
//   <spool>/wake.fifo        submitters write a byte here to wake daemons
//   <spool>/changed          a counter every commit increments (spool/change_watch.hpp)
//   <spool>/devices.json     what the daemon's devices allow, for submit (core/device_caps.hpp)
//
// Thread-safety: a Spool owns one Store connection; use one per thread.
#pragma once

#include <filesystem>
#include <sys/types.h>
#include <memory>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "spool/fs_check.hpp"
#include "spool/job.hpp"
#include "spool/store.hpp"

namespace renderq {

struct SpoolOptions {
  std::string dir;                  // "" = resolve_spool_dir("")
  bool allow_network_fs = false;    // --force: accept NFS/CIFS/... anyway
  bool create = true;               // create the folder and database if missing
  bool create_parents = true;       // create missing parent folders too (mkdir -p); false: only
                                    // the spool folder itself, so a mistyped path fails instead
  FsTypeProbe fs_probe;             // null = statfs(2); tests fake NFS with it
};

// The spool folder: `flag` if non-empty, else $RENDERQ_SPOOL, else
// $XDG_STATE_HOME/renderq, else ~/.local/state/renderq.
std::string resolve_spool_dir(const std::string& flag);

class Spool {
 public:
  // Creates the folder (mode 0700) when missing, refuses network file
  // systems (Errc::SpoolUnsafeFilesystem) unless allowed, opens queue.db and
  // applies pending migrations (Errc::SchemaTooNew for a newer spool,
  // Errc::SpoolCorrupt for a file that is not a renderq database).
  static Result<Spool> open(const SpoolOptions& options);

  Spool(Spool&&) noexcept;
  Spool& operator=(Spool&&) noexcept;
  ~Spool();

  Store& store() { return *store_; }
  // True when this open created the spool folder (a new, empty queue).
  bool created() const { return created_; }
  // Set when this open took an existing spool's permissions for other users
  // away (the mode it had, e.g. 0755): the caller says so.
  std::optional<mode_t> tightened_from() const { return tightened_from_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path job_dir(JobId id) const;    // not created
  std::filesystem::path job_log(JobId id) const;    // <job_dir>/job.log
  // Creates job_dir(id) (and jobs/) with mode 0700; ok when it exists.
  Result<std::filesystem::path> make_job_dir(JobId id) const;
  // Removes job_dir(id) and everything in it; ok when it does not exist.
  Result<void> remove_job_dir(JobId id) const;

  // Wakes daemons waiting on this spool; never blocks, never fails.
  void wake() const noexcept;

 private:
  Spool(std::filesystem::path dir, std::unique_ptr<Store> store);
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  bool created_ = false;
  std::optional<mode_t> tightened_from_;
};

// The mode of a spool's job folders: 0750 (and logs 0640). The spool folder
// itself keeps other users out; on a shared spool its group (the daemon and
// the submit helper) reads them.
inline constexpr mode_t kSpoolJobDirMode = 0750;

// <base>/jobs/<id>: a job's folder, in a spool or in the folder that
// `renderq serve --shared-dir` names for a PostgreSQL queue.
std::filesystem::path job_dir_in(const std::filesystem::path& base, JobId id);
// Creates job_dir_in(base, id) and <base>/jobs with `mode` (before the
// umask); ok when they exist. Errc::Io.
Result<std::filesystem::path> make_job_dir_in(const std::filesystem::path& base, JobId id, mode_t mode);

// The highest job id among <spool>/jobs/<id> folders; 0 when none. With
// ran_only, only folders holding a job.log count: a daemon claimed those
// jobs, so their rows were committed. A folder without one may be an upload
// whose submit is still in its transaction, or the leftover of a submit that
// died there; its id is handed out again, harmlessly.
std::int64_t highest_job_dir(const std::filesystem::path& spool_dir, bool ran_only = false);

// Errc::SpoolCorrupt when folders of jobs that ran exist for ids beyond the
// newest job the database knows (its -wal was deleted, or it was replaced):
// new jobs would reuse those ids. The daemon checks this at start; a
// submit in flight beside it is not a loss (see highest_job_dir).
Result<void> check_ids_cover_job_dirs(Spool& spool);

// The daemon's side of wake(): a FIFO opened read-write (so it never sees
// EOF) and non-blocking; poll fd() for POLLIN, then drain().
class WakeListener {
 public:
  static Result<WakeListener> open(const std::filesystem::path& spool_dir);
  int fd() const { return fd_.get(); }
  void drain() noexcept;

 private:
  explicit WakeListener(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace renderq
