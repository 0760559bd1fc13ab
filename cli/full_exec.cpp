#include "cli/full_exec.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "cli/spool_group.hpp"

#ifndef RENDERQ_FULL_RELATIVE
#error "RENDERQ_FULL_RELATIVE (renderq-full's path relative to renderq's folder) is set by cli/CMakeLists.txt"
#endif

namespace renderq {

Result<std::filesystem::path> find_renderq_full() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return fail(Errc::Io, "cannot find the running renderq (/proc/self/exe): " + ec.message());
  const std::filesystem::path dir = self.parent_path();
  const std::filesystem::path candidates[] = {dir / "renderq-full",
                                              (dir / RENDERQ_FULL_RELATIVE).lexically_normal()};
  for (const std::filesystem::path& p : candidates)
    if (::access(p.c_str(), X_OK) == 0) return p;
  return fail(Errc::Io, "renderq-full is missing (looked at " + candidates[0].string() + " and " +
                                  candidates[1].string() + "); reinstall renderq");
}

Error exec_renderq_full(const std::vector<std::string>& argv) {
  Result<std::filesystem::path> full = find_renderq_full();
  if (!full) return full.error();
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  spool_group::drop_for_good();  // renderq-full never runs with the shared spool's group
  ::execv(full->c_str(), args.data());
  return Error{Errc::Io, "cannot run " + full->string() + ": " + std::strerror(errno)};
}

}  // namespace renderq
