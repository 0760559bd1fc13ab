#include "serve/caller.hpp"

#include <grp.h>
#include <arpa/inet.h>
#include <httplib.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/user_db.hpp"
#include "serve/connection_guard.hpp"
#include "serve/context.hpp"
#include "serve/job_json.hpp"

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

// The owner of the client's end of our connection, asked of the kernel for
// that one socket (NETLINK_SOCK_DIAG, as ss(8) does): a hash lookup, where
// reading /proc/net/tcp walks every socket of the machine. nullopt when
// netlink is not allowed (a sandbox without AF_NETLINK) or finds nothing.
std::optional<uid_t> diag_owner(const std::string& client_addr, int client_port, const std::string& server_addr,
                                int server_port) {
  const bool v6 = client_addr.find(':') != std::string::npos;
  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
  } msg{};
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST;
  msg.req.sdiag_family = static_cast<std::uint8_t>(v6 ? AF_INET6 : AF_INET);
  msg.req.sdiag_protocol = IPPROTO_TCP;
  msg.req.idiag_states = ~0u;
  // The socket's own end (the client's) is `src`, its peer (us) `dst`.
  msg.req.id.idiag_sport = htons(static_cast<std::uint16_t>(client_port));
  msg.req.id.idiag_dport = htons(static_cast<std::uint16_t>(server_port));
  msg.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  msg.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  if (::inet_pton(v6 ? AF_INET6 : AF_INET, client_addr.c_str(), msg.req.id.idiag_src) != 1 ||
      ::inet_pton(v6 ? AF_INET6 : AF_INET, server_addr.c_str(), msg.req.id.idiag_dst) != 1)
    return std::nullopt;
  const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return std::nullopt;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  std::optional<uid_t> owner;
  alignas(nlmsghdr) char buf[8192];
  if (::sendto(fd, &msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) ==
      static_cast<ssize_t>(sizeof msg)) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    const auto* h = reinterpret_cast<const nlmsghdr*>(buf);
    if (n >= static_cast<ssize_t>(sizeof(nlmsghdr)) && NLMSG_OK(h, static_cast<unsigned>(n)) &&
        h->nlmsg_type == SOCK_DIAG_BY_FAMILY && h->nlmsg_len >= NLMSG_LENGTH(sizeof(inet_diag_msg)))
      owner = static_cast<const inet_diag_msg*>(NLMSG_DATA(h))->idiag_uid;
  }
  ::close(fd);
  return owner;
}

// The owner of the socket whose local port is `client_port` and whose peer
// port is `server_port` (the client's end of our connection), from a
// /proc/net table: the fallback where netlink is not allowed.
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
  const std::vector<gid_t> groups = account_groups(pw->pw_name, pw->pw_gid);
  return std::find(groups.begin(), groups.end(), gid) != groups.end();
}

// The thin renderq that users run: beside this executable in a build tree,
// else where it is installed.
const fs::path& helper_path() {
  static const fs::path path = [] {
    std::error_code ec;
    const fs::path here = fs::read_symlink("/proc/self/exe", ec).parent_path() / "renderq";
    if (!ec && fs::exists(here, ec)) return here;
    return fs::path(RENDERQ_BINDIR) / "renderq";
  }();
  return path;
}

std::string area_name(const ServeContext& ctx) { return ctx.files.spool ? "spool" : "shared folder"; }

bool is_admin(uid_t uid, const fs::path& dir) {
  struct stat st {};
  return uid == 0 || uid == ::geteuid() || (::stat(dir.c_str(), &st) == 0 && st.st_uid == uid);
}

}  // namespace

std::optional<uid_t> loopback_caller(const httplib::Request& req) {
  if (!is_loopback_peer(req.remote_addr) || req.remote_port <= 0 || req.local_port <= 0) return std::nullopt;
  // Asked once per connection: its requests (keep-alive) share one peer.
  // Keyed by the connection, never by its ports, which another user could
  // take over once it closes.
  thread_local std::uint64_t known_serial = 0;
  thread_local std::optional<uid_t> known;
  const std::uint64_t serial = GuardedServer::connection_serial();
  if (serial != 0 && serial == known_serial) return known;
  std::optional<uid_t> uid = diag_owner(req.remote_addr, req.remote_port, req.local_addr, req.local_port);
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"})
    if (!uid) uid = socket_owner(table, req.remote_port, req.local_port);
  known_serial = serial;
  known = uid;
  return uid;
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
                                              "the users who may use its " + area_name(ctx), ""};
  // A PostgreSQL queue's shared folder has no submit helper: its owner and
  // group decide.
  if (may_use_spool(*uid, ctx.files.dir, ctx.files.spool ? helper_path() : fs::path())) return std::nullopt;
  return ApiError{403, "permission_denied", "permission denied: local user " + user_label(*uid) +
                                                " cannot use this server's " + area_name(ctx), ""};
}

std::optional<ApiError> refuse_other_users_job(const ServeContext& ctx, const httplib::Request& req, const Job& job,
                                               std::string_view action) {
  // On PostgreSQL a submitter's uid may be another host's, naming someone
  // else here: there, as for the CLI, the database's roles decide.
  if (!ctx.options.token.empty() || !job.submitter_uid || !ctx.files.spool) return std::nullopt;
  const std::optional<uid_t> uid = loopback_caller(req);
  if (!uid || is_admin(*uid, ctx.files.dir)) return std::nullopt;
  const auto submitter = static_cast<uid_t>(*job.submitter_uid);
  if (submitter == *uid || submitter == ::geteuid()) return std::nullopt;
  return ApiError{403, "permission_denied", "permission denied: job " + std::to_string(job.id.value) +
                                                " belongs to " + user_label(submitter) + "; you cannot " +
                                                std::string(action) + " it", ""};
}

std::expected<Job, ApiError> load_job_for_caller(const ServeContext& ctx, Queue& queue, const httplib::Request& req,
                                                 std::string_view action) {
  auto id = job_id_param(req);
  if (!id) return std::unexpected(id.error());
  auto job = queue.store().get(*id);
  if (!job) return api_fail(job.error());
  if (!action.empty())
    if (auto refused = refuse_other_users_job(ctx, req, *job, action)) return std::unexpected(*refused);
  return std::move(*job);
}

std::unexpected<ApiError> refusal_about_job(const Error& error, Queue& queue, JobId id) {
  ApiError answer = from_error(error);
  if (error.code == Errc::JobStateConflict)
    if (Result<Job> job = queue.store().get(id)) answer.state = std::string(state_name(job->state));
  return std::unexpected(std::move(answer));
}

std::optional<ApiError> refuse_unless_admin(const ServeContext& ctx, const httplib::Request& req,
                                            std::string_view action) {
  if (!ctx.options.token.empty()) return std::nullopt;
  const std::optional<uid_t> uid = loopback_caller(req);
  if (!uid || is_admin(*uid, ctx.files.dir)) return std::nullopt;
  return ApiError{403, "permission_denied", "permission denied: only root or the " + area_name(ctx) + "'s owner may " +
                                                std::string(action) + " the queue", ""};
}

}  // namespace renderq::serve
