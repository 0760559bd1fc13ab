#include "spool/fs_check.hpp"

#include <sys/vfs.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace renderq {

Result<std::uint64_t> statfs_type(const std::filesystem::path& path) {
  struct statfs st {};
  if (::statfs(path.c_str(), &st) != 0)
    return fail(Errc::Io, "cannot inspect the file system of " + path.string() + ": " + std::strerror(errno));
  return static_cast<std::uint64_t>(st.f_type);
}

std::optional<std::string_view> unsafe_fs_name(std::uint64_t f_type) noexcept {
  // Values from <linux/magic.h> and the file systems' own sources; spelled
  // out so the list does not depend on the kernel headers installed.
  switch (f_type) {
    case 0x6969: return "nfs";
    case 0x517B: return "smb";
    case 0xFF534D42: return "cifs";
    case 0xFE534D42: return "smb2";
    case 0x65735546: return "fuse (sshfs, s3fs, ...)";
    case 0x01021997: return "9p";
    case 0x73757245: return "coda";
    case 0x5346414F: return "afs";
    case 0x6B414653: return "kafs";
    case 0x00C36400: return "ceph";
    case 0x0BD00BD0: return "lustre";
    case 0x47504653: return "gpfs";
    case 0x013111A8: return "ibrix";
    case 0x564C: return "ncpfs";
    default: return std::nullopt;
  }
}

Result<void> check_spool_filesystem(const std::filesystem::path& dir, bool allow_network_fs,
                                    const FsTypeProbe& probe) {
  if (allow_network_fs) return {};
  Result<std::uint64_t> type = probe ? probe(dir) : statfs_type(dir);
  if (!type) return std::unexpected(type.error());
  if (const auto name = unsafe_fs_name(*type))
    return fail(Errc::SpoolUnsafeFilesystem,
                "spool " + dir.string() + " is on a " + std::string(*name) +
                    " file system, where SQLite locking is unsafe; use a local folder "
                    "(--spool DIR) or --force to use it anyway");
  return {};
}

}  // namespace renderq
