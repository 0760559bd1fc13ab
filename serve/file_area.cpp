#include "serve/file_area.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "spool/spool.hpp"

namespace renderq::serve {

namespace fs = std::filesystem;

fs::path FileArea::job_dir(JobId id) const { return job_dir_in(dir, id); }

Result<fs::path> FileArea::make_job_dir(JobId id) const {
  const mode_t mode = spool ? kSpoolJobDirMode : group ? 0770 : 0700;
  auto made = make_job_dir_in(dir, id, mode);
  if (made && group) {
    // The umask may have taken the group's write bit: daemons of the group
    // write outputs here.
    for (const fs::path& p : {dir / "jobs", *made}) ::chmod(p.c_str(), mode);
  }
  return made;
}

Result<FileArea> shared_file_area(const std::string& dir) {
  if (dir.empty())
    return fail(Errc::InvalidArgument,
                "serving a PostgreSQL queue needs --shared-dir DIR: a folder that every daemon host mounts at the "
                "same path, where uploads and outputs go");
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    return fail(Errc::InvalidArgument, "--shared-dir " + dir + ": " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) return fail(Errc::InvalidArgument, "--shared-dir " + dir + " is not a folder");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return fail(Errc::InvalidArgument, "--shared-dir " + dir + " is not writable by this server: " + std::strerror(errno));
  std::error_code ec;
  fs::path real = fs::canonical(dir, ec);
  if (ec) return fail(Errc::InvalidArgument, "--shared-dir " + dir + ": " + ec.message());
  return FileArea{.dir = real, .spool = false, .group = (st.st_mode & S_IRWXG) == S_IRWXG};
}

}  // namespace renderq::serve
