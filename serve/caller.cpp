#include "serve/caller.hpp"

#include <grp.h>
#include <httplib.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "serve/context.hpp"

#ifndef RENDERQ_BINDIR
#error "RENDERQ_BINDIR (where the renderq command is installed) is set by serve/CMakeLists.txt"
#endif

namespace renderq::serve {

namespace fs = std::filesystem;

namespace {

bool is_loopback_peer(std::string_view addr) {
  return addr.starts_with("127.") || addr == "::1" || addr.starts_with("::ffff:127.");
}

// The port of a /proc/net/tcp "ADDRESS:PORT" field (hex).
int port_of(const std::string& field) {
  const std::size_t colon = field.rfind(':');
  return colon == std::string::npos ? -1 : static_cast<int>(std::strtol(field.c_str() + colon + 1, nullptr, 16));
}

// The owner of the socket whose local port is `client_port` and whose peer
// port is `server_port` (the client's end of our connection).
std::optional<uid_t> socket_owner(const char* table, int client_port, int server_port) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits;
    long uid = -1;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid)) continue;
    if (port_of(local) == client_port && port_of(remote) == server_port && uid >= 0) return static_cast<uid_t>(uid);
  }
  return std::nullopt;
}

bool in_group(uid_t uid, gid_t gid) {
  const passwd* pw = ::getpwuid(uid);
  if (pw == nullptr) return false;
  if (pw->pw_gid == gid) return true;
  int count = 64;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  if (::getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<std::size_t>(count));
    if (::getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &count) < 0) return false;
  }
  groups.resize(static_cast<std::size_t>(std::max(count, 0)));
  return std::find(groups.begin(), groups.end(), gid) != groups.end();
}

// The thin renderq that users run: beside this executable in a build tree,
// else where it is installed.
fs::path helper_path() {
  std::error_code ec;
  const fs::path here = fs::read_symlink("/proc/self/exe", ec).parent_path() / "renderq";
  if (!ec && fs::exists(here, ec)) return here;
  return fs::path(RENDERQ_BINDIR) / "renderq";
}

std::string name_of(uid_t uid) {
  const passwd* pw = ::getpwuid(uid);
  return pw && pw->pw_name ? pw->pw_name : "uid " + std::to_string(uid);
}

bool is_admin(uid_t uid, const fs::path& dir) {
  struct stat st {};
  return uid == 0 || uid == ::geteuid() || (::stat(dir.c_str(), &st) == 0 && st.st_uid == uid);
}

}  // namespace

std::optional<uid_t> loopback_caller(const httplib::Request& req) {
  if (!is_loopback_peer(req.remote_addr) || req.remote_port <= 0 || req.local_port <= 0) return std::nullopt;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"})
    if (auto uid = socket_owner(table, req.remote_port, req.local_port)) return uid;
  return std::nullopt;
}

bool may_use_spool(uid_t uid, const fs::path& dir, const fs::path& helper) {
  struct stat st {};
  if (is_admin(uid, dir)) return true;
  if (::stat(dir.c_str(), &st) != 0) return false;
  if ((st.st_mode & S_IRWXG) == S_IRWXG && in_group(uid, st.st_gid)) return true;
  struct stat h {};
  return ::stat(helper.c_str(), &h) == 0 && (h.st_mode & S_ISGID) && (h.st_mode & S_IXOTH) && h.st_gid == st.st_gid;
}

std::optional<ApiError> refuse_caller(const ServeContext& ctx, const httplib::Request& req) {
  if (!ctx.options.token.empty() || !is_loopback_peer(req.remote_addr)) return std::nullopt;
  const std::optional<uid_t> uid = loopback_caller(req);
  if (!uid)
    return ApiError{403, "permission_denied", "cannot tell which local user is calling; this server answers only "
                                              "the users who may use its spool", ""};
  if (may_use_spool(*uid, ctx.spool_dir, helper_path())) return std::nullopt;
  return ApiError{403, "permission_denied", "permission denied: local user " + name_of(*uid) +
                                                " cannot use this server's spool", ""};
}

std::optional<ApiError> refuse_other_users_job(const ServeContext& ctx, const httplib::Request& req, const Job& job,
                                               std::string_view action) {
  if (!ctx.options.token.empty() || !job.submitter_uid) return std::nullopt;
  const std::optional<uid_t> uid = loopback_caller(req);
  if (!uid || is_admin(*uid, ctx.spool_dir)) return std::nullopt;
  const auto submitter = static_cast<uid_t>(*job.submitter_uid);
  if (submitter == *uid || submitter == ::geteuid()) return std::nullopt;
  return ApiError{403, "permission_denied", "permission denied: job " + std::to_string(job.id.value) +
                                                " belongs to " + name_of(submitter) + "; you cannot " +
                                                std::string(action) + " it", ""};
}

std::optional<ApiError> refuse_unless_admin(const ServeContext& ctx, const httplib::Request& req,
                                            std::string_view action) {
  if (!ctx.options.token.empty()) return std::nullopt;
  const std::optional<uid_t> uid = loopback_caller(req);
  if (!uid || is_admin(*uid, ctx.spool_dir)) return std::nullopt;
  return ApiError{403, "permission_denied", "permission denied: only root or the spool's owner may " +
                                                std::string(action) + " the queue", ""};
}

}  // namespace renderq::serve
