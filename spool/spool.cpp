#include "spool/spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "core/user_db.hpp"
#include "spool/sqlite_store.hpp"

namespace renderq {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// mkdir -p with mode 0700 for every level it creates: the spool holds job
// specs and logs, which are nobody else's business.
Result<void> make_private_dirs(const std::filesystem::path& dir) {
  std::filesystem::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      return fail(errno == EACCES || errno == EROFS ? Errc::PermissionDenied : Errc::Io,
                  "cannot create spool folder " + partial.string() + ": " + std::strerror(errno));
  }
  return {};
}

std::filesystem::path fifo_path(const std::filesystem::path& dir) { return dir / "wake.fifo"; }

// A shared spool (a group-writable folder, as the system spool's 2770)
// needs its database, the database's -wal and -shm, the wake FIFO and the
// change counter
// writable by that group whatever the umask of whoever created them: the
// daemon's user and the set-group-id submit helper share them. Only the
// files' owner can change their mode; others' files are left as they are.
void share_with_group(const std::filesystem::path& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || (st.st_mode & S_IWGRP) == 0) return;
  for (const char* name : {"queue.db", "queue.db-wal", "queue.db-shm", "wake.fifo", "changed"}) {
    struct stat f {};
    const std::filesystem::path p = dir / name;
    if (::lstat(p.c_str(), &f) == 0 && f.st_uid == ::geteuid() && (f.st_mode & 0660) != 0660)
      ::chmod(p.c_str(), (f.st_mode & 07777 & ~0007u) | 0660);
  }
}

}  // namespace

std::string resolve_spool_dir(const std::string& flag) {
  std::string dir = flag;
  if (dir.empty()) dir = env("RENDERQ_SPOOL");
  if (dir.empty()) {
    // The XDG spec says relative values are invalid and must be ignored.
    const std::string xdg = env("XDG_STATE_HOME");
    if (!xdg.empty() && xdg.front() == '/') dir = xdg + "/renderq";
  }
  if (dir.empty()) {
    std::string home = env("HOME");
    if (home.empty()) home = user_home(::getuid());
    dir = home + "/.local/state/renderq";
  }
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(dir, ec);
  return ec ? dir : abs.lexically_normal().string();
}

Spool::Spool(std::filesystem::path dir, std::unique_ptr<Store> store)
    : dir_(std::move(dir)), store_(std::move(store)) {}
Spool::Spool(Spool&&) noexcept = default;
Spool& Spool::operator=(Spool&&) noexcept = default;
Spool::~Spool() = default;

std::int64_t highest_job_dir(const std::filesystem::path& spool_dir, bool ran_only) {
  std::int64_t highest = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(spool_dir / "jobs", ec)) {
    const std::string name = e.path().filename().string();
    std::int64_t id = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (err != std::errc() || end != name.data() + name.size() || id <= highest) continue;
    std::error_code log_ec;
    if (ran_only && !std::filesystem::exists(e.path() / "job.log", log_ec)) continue;
    highest = id;
  }
  return highest;
}

namespace {

Error ids_behind_job_dirs(const std::filesystem::path& dir, std::int64_t rows, std::int64_t folders) {
  return Error{Errc::SpoolCorrupt, "queue.db in " + dir.string() + " knows jobs up to " + std::to_string(rows) +
                                       " but jobs/ holds folders up to " + std::to_string(folders) +
                                       ": the database (or its -wal file) was lost, and new jobs would reuse those "
                                       "ids; restore it, or move " + (dir / "jobs").string() + " away to start afresh"};
}

}  // namespace

Result<void> check_ids_cover_job_dirs(Spool& spool) {
  const std::int64_t folders = highest_job_dir(spool.dir(), /*ran_only=*/true);
  if (folders == 0) return {};
  Result<std::int64_t> issued = spool.store().last_issued_id();
  if (!issued) return std::unexpected(issued.error());
  const std::int64_t rows = *issued;
  if (rows >= folders) return {};
  return std::unexpected(ids_behind_job_dirs(spool.dir(), rows, folders));
}

Result<Spool> Spool::open(const SpoolOptions& options) {
  const std::filesystem::path dir = options.dir.empty() ? resolve_spool_dir("") : resolve_spool_dir(options.dir);
  struct stat st {};
  bool created = false;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == EACCES)
      return fail(Errc::SpoolUnusable, "permission denied: you cannot reach spool " + dir.string() +
                                           " (a folder above it is closed to you)");
    if (errno != ENOENT) return fail(Errc::Io, "cannot use spool " + dir.string() + ": " + std::strerror(errno));
    if (!options.create) return fail(Errc::NotFound, "no spool at " + dir.string());
    if (!options.create_parents && !std::filesystem::is_directory(dir.parent_path()))
      return fail(Errc::SpoolUnusable, "cannot create spool " + dir.string() + ": its folder " +
                                           dir.parent_path().string() + " does not exist (check the path)");
    if (Result<void> made = make_private_dirs(dir); !made) return std::unexpected(made.error());
    created = true;
  } else if (!S_ISDIR(st.st_mode)) {
    return fail(Errc::SpoolUnusable, "spool " + dir.string() + " is not a folder");
  } else if (::faccessat(AT_FDCWD, dir.c_str(), R_OK | W_OK | X_OK, AT_EACCESS) != 0 && errno == EACCES) {
    // AT_EACCESS: the effective ids, so that the set-group-id submit helper
    // of a shared spool (cli/spool_group.hpp) is let in.
    // Not "no spool" nor an empty list: the queue is there, and not yours.
    const std::string owner = user_name(st.st_uid);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fail(Errc::SpoolUnusable, "permission denied: spool " + dir.string() + " belongs to " +
                                         (owner.empty() ? std::to_string(st.st_uid) : owner) +
                                         " (mode " + mode + "); ask its owner, or use your own spool");
  }
  if (Result<void> safe = check_spool_filesystem(dir, options.allow_network_fs, options.fs_probe); !safe)
    return std::unexpected(safe.error());
  // An existing spool open to every user (0755 lets anyone read the queue,
  // with its paths and commands): ours, so take the others' bits away.
  // Group bits stay, for a shared spool.
  std::optional<mode_t> loosened;
  if (!created && (st.st_mode & S_IRWXO) != 0 && st.st_uid == ::geteuid() &&
      ::chmod(dir.c_str(), st.st_mode & 07770) == 0)
    loosened = st.st_mode & 07777;
  // A missing or empty queue.db beside job folders is a lost database, not
  // a new queue: a fresh one would hand out their ids again.
  if (!created) {
    struct stat db {};
    if ((::stat((dir / "queue.db").c_str(), &db) != 0 || db.st_size == 0) && highest_job_dir(dir) > 0)
      return fail(Errc::SpoolCorrupt, (dir / "queue.db").string() + " is missing or empty, but " +
                                          (dir / "jobs").string() + " holds job folders: the database was lost; "
                                          "restore it, or move the jobs folder away to start afresh");
  }
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(dir / "queue.db", options.create);
  if (!store) {
    Error e = store.error();
    if (e.code == Errc::NotFound) e.detail = "no queue in spool " + dir.string();
    return std::unexpected(std::move(e));
  }
  if (options.create && ::mkfifo(fifo_path(dir).c_str(), 0600) != 0 && errno != EEXIST) {
    // Not fatal: daemons also poll, and WakeListener::open retries.
  }
  share_with_group(dir);
  // A new id whose folder holds a job that ran is an id handed out again
  // (the database lost or restored from a backup): the submit is refused,
  // as the daemon refuses to start (check_ids_cover_job_dirs). One stat.
  (*store)->set_new_id_check([dir](JobId id) -> Result<void> {
    struct stat log {};
    if (::stat((job_dir_in(dir, id) / "job.log").c_str(), &log) != 0) return {};
    return std::unexpected(ids_behind_job_dirs(dir, id.value - 1, highest_job_dir(dir, /*ran_only=*/true)));
  });
  Spool spool(dir, std::move(*store));
  spool.created_ = created;
  spool.tightened_from_ = loosened;
  return spool;
}

std::filesystem::path job_dir_in(const std::filesystem::path& base, JobId id) {
  return base / "jobs" / std::to_string(id.value);
}

Result<std::filesystem::path> make_job_dir_in(const std::filesystem::path& base, JobId id, mode_t mode) {
  const std::filesystem::path d = job_dir_in(base, id);
  for (const std::filesystem::path& p : {base / "jobs", d})
    if (::mkdir(p.c_str(), mode) != 0 && errno != EEXIST)
      return fail(Errc::Io, "cannot create " + p.string() + ": " + std::strerror(errno));
  return d;
}

std::filesystem::path Spool::job_dir(JobId id) const { return job_dir_in(dir_, id); }
std::filesystem::path Spool::job_log(JobId id) const { return job_dir(id) / "job.log"; }

Result<std::filesystem::path> Spool::make_job_dir(JobId id) const {
  return make_job_dir_in(dir_, id, kSpoolJobDirMode);
}

Result<void> Spool::remove_job_dir(JobId id) const {
  std::error_code ec;
  std::filesystem::remove_all(job_dir(id), ec);
  if (ec) return fail(Errc::Io, "cannot remove " + job_dir(id).string() + ": " + ec.message());
  return {};
}

void Spool::wake() const noexcept {
  // O_NONBLOCK: with no daemon listening the open fails with ENXIO at once,
  // and a full pipe means daemons are already due to wake.
  const int fd = ::open(fifo_path(dir_).c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(fd, &byte, 1);
  ::close(fd);
}

Result<WakeListener> WakeListener::open(const std::filesystem::path& spool_dir) {
  const std::filesystem::path p = fifo_path(spool_dir);
  if (::mkfifo(p.c_str(), 0600) != 0 && errno != EEXIST)
    return fail(Errc::Io, "cannot create " + p.string() + ": " + std::strerror(errno));
  // Read-write so the FIFO always has a writer (us) and poll never reports
  // a hang-up between submitters.
  UniqueFd fd(::open(p.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return fail(Errc::Io, "cannot open " + p.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISFIFO(st.st_mode)) return fail(Errc::Io, p.string() + " is not a FIFO");
  return WakeListener(std::move(fd));
}

void WakeListener::drain() noexcept {
  char buf[256];
  while (::read(fd_.get(), buf, sizeof buf) > 0) {
  }
}

}  // namespace renderq
