#include "daemon/run_as.hpp"

#include "core/user_db.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace renderq {

namespace {

constexpr int kRunAsChildFailed = 126;
bool g_act_for_submitters = true;

// The daemon's own groups that open GPU device nodes: a worker acting for
// a user who is not in them still reaches the GPU, and nothing else.
std::vector<gid_t> device_groups() {
  std::vector<gid_t> out;
  const int n = ::getgroups(0, nullptr);
  if (n <= 0) return out;
  std::vector<gid_t> mine(static_cast<std::size_t>(n));
  if (::getgroups(n, mine.data()) != n) return out;
  for (gid_t g : mine) {
    const group* gr = ::getgrgid(g);
    if (gr && gr->gr_name && (std::string_view(gr->gr_name) == "render" || std::string_view(gr->gr_name) == "video"))
      out.push_back(g);
  }
  return out;
}

}  // namespace

void act_for_submitters(bool on) { g_act_for_submitters = on; }

Result<std::optional<RunAs>> run_as_for(const Job& job) {
  if (!g_act_for_submitters || !job.submitter_uid || *job.submitter_uid == static_cast<std::int64_t>(::geteuid())) return std::nullopt;
  const uid_t uid = static_cast<uid_t>(*job.submitter_uid);
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr)
    return fail(Errc::PermissionDenied, "job " + std::to_string(job.id.value) + " acts for uid " +
                                            std::to_string(uid) + ", which has no account on this host");
  RunAs who{.uid = uid, .gid = pw.pw_gid, .groups = {}, .name = pw.pw_name, .home = pw.pw_dir ? pw.pw_dir : "/"};
  std::vector<gid_t> groups = account_groups(pw.pw_name, pw.pw_gid);
  for (gid_t g : device_groups())
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  who.groups = std::move(groups);
  return who;
}

int become(const RunAs& who, const char** step) noexcept {
  // Raw system calls: glibc's wrappers would signal every thread they think
  // the process has, and a vfork child shares the parent's thread list.
  // The child has one thread; the kernel calls change just it.
  *step = "setgroups";
  if (::syscall(SYS_setgroups, who.groups.size(), who.groups.data()) != 0) return errno;
  *step = "setgid";
  if (::syscall(SYS_setresgid, who.gid, who.gid, who.gid) != 0) return errno;
  *step = "setuid";
  if (::syscall(SYS_setresuid, who.uid, who.uid, who.uid) != 0) return errno;
  // A daemon that is not root holds CAP_SETUID as an ambient capability,
  // which would survive the exec: the job gets none.
  *step = "capabilities";
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return errno;
  // A change of uid clears the parent-death signal: set it again, so the
  // process still dies with the daemon.
  *step = "pdeathsig";
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return errno;
  return 0;
}

std::optional<int> as_user(const std::optional<RunAs>& who, const std::function<int()>& fn) {
  if (!who) return fn();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return std::nullopt;
  }
  if (pid == 0) {
    ::close(fds[0]);
    const char* step = "";
    if (become(*who, &step) != 0) ::_exit(kRunAsChildFailed);
    const int answer = fn();
    (void)!::write(fds[1], &answer, sizeof answer);
    ::_exit(0);
  }
  ::close(fds[1]);
  int answer = 0;
  ssize_t n;
  do n = ::read(fds[0], &answer, sizeof answer);
  while (n < 0 && errno == EINTR);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof answer)) return std::nullopt;
  return answer;
}

void signal_as(const std::optional<RunAs>& who, pid_t pid, int sig) {
  if (!who) {
    ::kill(pid, sig);
    return;
  }
  as_user(who, [pid, sig] { return ::kill(pid, sig) == 0 ? 0 : errno; });
}

Error run_as_error(const RunAs& who, const char* step, int err) {
  std::string why = std::string(step) + ": " + std::strerror(err);
  if (err == EPERM)
    why += "; running other users' jobs needs CAP_SETUID and CAP_SETGID (the packaged renderq.service has them)";
  return Error{Errc::PermissionDenied, "cannot run the job as user " + who.name + " (" + why + ")"};
}

std::vector<std::string> environment_for(const RunAs& who, char** base) {
  std::vector<std::string> env;
  for (char** e = base; e && *e; ++e) {
    const std::string_view kv(*e);
    if (kv.starts_with("HOME=") || kv.starts_with("USER=") || kv.starts_with("LOGNAME=") ||
        kv.starts_with("XDG_CACHE_HOME="))
      continue;
    env.emplace_back(kv);
  }
  env.push_back("HOME=" + who.home);
  env.push_back("USER=" + who.name);
  env.push_back("LOGNAME=" + who.name);
  return env;
}

}  // namespace renderq
