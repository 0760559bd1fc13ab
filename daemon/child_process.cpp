#include "daemon/child_process.hpp"

#include <cerrno>
#include <cstdlib>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace renderq {

void write_step_failure(int fd, const char* prefix, const char* step, int err, bool newline) noexcept {
  char buf[128];
  std::size_t n = 0;
  for (const char* p = prefix; *p && n < 40; ++p) buf[n++] = *p;
  for (const char* p = step; *p && n < 80; ++p) buf[n++] = *p;
  buf[n++] = ' ';
  char digits[12];
  int k = 0;
  do digits[k++] = static_cast<char>('0' + err % 10), err /= 10;
  while (err > 0 && k < 11);
  while (k > 0) buf[n++] = digits[--k];
  if (newline) buf[n++] = '\n';
  (void)!::write(fd, buf, n);
}

std::optional<std::pair<std::string, int>> parse_run_as_failure(std::string_view line) {
  constexpr std::string_view prefix = "renderq-run-as ";
  if (!line.starts_with(prefix)) return std::nullopt;
  line.remove_prefix(prefix.size());
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  return std::pair{std::string(line.substr(0, space)), std::atoi(std::string(line.substr(space + 1)).c_str())};
}

Result<ChildProcess> spawn_child(const std::string& exe, const std::vector<std::string>& args, const RunAs* who) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return fail(Errc::Io, std::string("socketpair: ") + std::strerror(errno));
  UniqueFd ours(sv[0]), theirs(sv[1]);
  int errp[2];
  if (::pipe2(errp, O_CLOEXEC) != 0) return fail(Errc::Io, std::string("pipe: ") + std::strerror(errno));
  UniqueFd err_read(errp[0]), err_write(errp[1]);
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  std::vector<char*> envp;
  if (who) {
    env_text = environment_for(*who, environ);
    for (std::string& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  const pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) return fail(Errc::Io, std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the supervisor died before prctl
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::dup2(errp[1], STDOUT_FILENO);
    ::dup2(errp[1], STDERR_FILENO);
    if (sv[1] == 3) ::fcntl(3, F_SETFD, 0);
    else ::dup2(sv[1], 3);  // dup2 clears close-on-exec on the copy
    if (who) {
      const char* step = "";
      if (int err = become(*who, &step); err != 0) {
        write_step_failure(STDERR_FILENO, "renderq-run-as ", step, err, true);
        ::_exit(kRunAsFailedStatus);
      }
      ::execve(exe.c_str(), argv.data(), envp.data());
    } else {
      ::execv(exe.c_str(), argv.data());
    }
    const char msg[] = "renderq: cannot exec the worker\n";
    (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  theirs.reset();
  err_write.reset();
  for (int fd : {ours.get(), err_read.get()}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return ChildProcess{.pid = pid, .sock = std::move(ours), .err = std::move(err_read)};
}

bool read_available(int fd, wire::LineBuffer& buf) {
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      buf.append(std::string_view(chunk, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

std::int64_t process_rss_bytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10) * 1024;
  }
  return 0;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return "killed by signal " + std::to_string(sig) + " (" + (name ? name : "?") + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

}  // namespace renderq
