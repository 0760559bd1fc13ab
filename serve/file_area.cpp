#include "serve/file_area.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

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

Result<void> claim_shared_dir(const FileArea& area, const std::string& queue_id) {
  const fs::path marker = area.dir / ".renderq-queue";
  for (int tries = 0; tries < 2; ++tries) {
    if (std::ifstream in(marker); in) {
      std::string owner;
      std::getline(in, owner);
      if (owner == queue_id) return {};
      return fail(Errc::InvalidArgument, "--shared-dir " + area.dir.string() + " holds the files of another queue (" +
                                             marker.string() + " names queue " + owner + "; this one is " + queue_id +
                                             "): give each queue its own shared folder");
    }
    // Made whole under a temporary name, then linked: two servers starting
    // at once cannot both claim the folder.
    const fs::path temp = area.dir / (".renderq-queue.tmp-" + std::to_string(::getpid()));
    {
      std::ofstream out(temp);
      out << queue_id << "\n";
      if (!out.flush()) return fail(Errc::Io, "cannot write " + temp.string());
    }
    ::chmod(temp.c_str(), 0644);
    const int linked = ::link(temp.c_str(), marker.c_str());
    const int err = errno;
    std::error_code ec;
    fs::remove(temp, ec);
    if (linked == 0) return {};
    if (err != EEXIST) return fail(Errc::Io, "cannot write " + marker.string() + ": " + std::strerror(err));
  }
  return fail(Errc::Io, "cannot read " + marker.string());
}

}  // namespace renderq::serve
