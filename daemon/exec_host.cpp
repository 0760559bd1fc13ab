#include "daemon/exec_host.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/child_process.hpp"
#include "daemon/daemon_log.hpp"

namespace renderq {

namespace {

constexpr int kProgressFd = 3;  // RENDERQ_PROGRESS_FD in the command

std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

Outcome failed(Errc code, std::string message) {
  return Outcome{.ok = false, .error_code = std::string(errc_name(code)), .error_message = std::move(message)};
}

// "SIGTERM" for 15.
std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// Writes "<what> <errno>" to `fd` and exits: the child's report of a setup
// step that failed. Async-signal-safe.
[[noreturn]] void child_fail(int fd, const char* what) {
  write_step_failure(fd, "", what, errno, false);
  ::_exit(127);
}

}  // namespace

std::optional<std::pair<int, int>> parse_progress_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  std::size_t slash = line.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  int done = 0, total = 0;
  std::string_view a = line.substr(0, slash), b = line.substr(slash + 1);
  auto r1 = std::from_chars(a.data(), a.data() + a.size(), done);
  auto r2 = std::from_chars(b.data(), b.data() + b.size(), total);
  if (a.empty() || b.empty() || r1.ec != std::errc{} || r1.ptr != a.data() + a.size() || r2.ec != std::errc{} ||
      r2.ptr != b.data() + b.size())
    return std::nullopt;
  if (total <= 0 || done < 0 || done > total) return std::nullopt;
  return std::pair{done, total};
}

bool ExecHost::start(const Job& job, const std::filesystem::path& log_path, const std::string& /*stage*/) {
  const ExecSpec& e = *job.exec;
  written_ = 0;
  cut_ = false;
  kill_at_ = TimePoint::max();
  setup_error_.clear();
  prog_buf_ = {};
  // The user the command acts for (run_as.hpp); resolved before the fork.
  run_as_.reset();
  no_user_.reset();
  if (Result<std::optional<RunAs>> who = run_as_for(job)) run_as_ = *who;
  else no_user_ = who.error();
  const RunAs* as = run_as_ ? &*run_as_ : nullptr;
  const bool no_user = no_user_.has_value();
  if (!log_path.empty()) log_.reset(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> env_text;
  for (const auto& [k, v] : e.env)
    if (!k.starts_with("RENDERQ_") && k != "CUDA_VISIBLE_DEVICES") env_text.push_back(k + "=" + v);
  const wire::Ready& r = place_.ready;
  env_text.push_back("CUDA_VISIBLE_DEVICES=" + (r.software || r.cuda_id < 0 ? std::string() : std::to_string(r.cuda_id)));
  env_text.push_back("RENDERQ_JOB_ID=" + std::to_string(job.id.value));
  env_text.push_back("RENDERQ_DEVICE=" + (r.index >= 0 ? std::to_string(r.index) : std::string()));
  env_text.push_back("RENDERQ_ATTEMPT=" + std::to_string(job.attempts));
  env_text.push_back("RENDERQ_PROGRESS_FD=" + std::to_string(kProgressFd));
  std::vector<char*> argv, envp;
  for (const std::string& a : e.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const std::string& s : env_text) envp.push_back(const_cast<char*>(s.c_str()));
  envp.push_back(nullptr);

  int outp[2], progp[2], errp[2];
  if (::pipe2(outp, O_CLOEXEC) != 0) return false;
  UniqueFd out_r(outp[0]), out_w(outp[1]);
  if (::pipe2(progp, O_CLOEXEC) != 0) return false;
  UniqueFd prog_r(progp[0]), prog_w(progp[1]);
  if (::pipe2(errp, O_CLOEXEC) != 0) return false;  // setup failures; EOF = exec done
  UniqueFd err_r(errp[0]), err_w(errp[1]);
  const pid_t parent = ::getpid();

  // vfork: the child borrows our memory until its exec, so no page table
  // is copied and we do not fault on copy-on-write pages meanwhile; the
  // child below only makes system calls and writes nothing we read.
  pid_t pid = ::vfork();
  if (pid < 0) {
    daemon_log(LogLevel::Error, std::string("job ") + std::to_string(job.id.value) + ": vfork: " + std::strerror(errno));
    return false;
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the daemon died before prctl
    ::setsid();                               // its own session and process group
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);  // the daemon ignores it; an ignored signal survives exec
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::dup2(outp[1], STDOUT_FILENO);
    ::dup2(outp[1], STDERR_FILENO);
    if (progp[1] == kProgressFd) ::fcntl(kProgressFd, F_SETFD, 0);
    else ::dup2(progp[1], kProgressFd);  // dup2 clears close-on-exec on the copy
    if (no_user) {
      errno = 0;
      child_fail(errp[1], "nouser");
    }
    if (as) {
      const char* step = "";
      if (int err = become(*as, &step); err != 0) {
        errno = err;
        child_fail(errp[1], step);
      }
    }
    if (::chdir(e.cwd.c_str()) != 0) child_fail(errp[1], "chdir");
    ::execve(e.program.c_str(), argv.data(), envp.data());
    child_fail(errp[1], "exec");
  }
  pid_ = pid;
  // The leader is the group: record it for a daemon that finds it orphaned.
  if (!log_path.empty()) {
    pgid_file_ = log_path.parent_path() / "exec.pgid";
    std::ofstream(pgid_file_) << boot_id() << ' ' << pid << '\n';
  }
  err_w.reset();
  out_w.reset();
  prog_w.reset();
  // Blocks until the child has exec'd (EOF: the pipe closed on exec) or
  // reported why it could not: the cost of one fork + exec.
  char buf[64];
  ssize_t n;
  do n = ::read(err_r.get(), buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n > 0) setup_error_.assign(buf, static_cast<std::size_t>(n));
  for (int fd : {out_r.get(), prog_r.get()}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  out_ = std::move(out_r);
  prog_ = std::move(prog_r);
  return true;
}

void ExecHost::kill() {
  if (pid_ <= 0) return;
  signal_as(run_as_, -pid_, SIGTERM);  // a user's command: as that user
  if (kill_at_ == TimePoint::max()) kill_at_ = SteadyClock::now() + std::chrono::milliseconds(opt_.kill_grace_ms);
}

void ExecHost::tick(TimePoint now) {
  if (pid_ > 0 && now >= kill_at_) {
    signal_as(run_as_, -pid_, SIGKILL);
    kill_at_ = TimePoint::max() - std::chrono::hours(1);  // sent; nothing more to do
  }
}

void ExecHost::watch(EventLoop& loop) {
  if (out_) loop.watch(out_.get(), [this] { read_output(); });
  if (prog_) loop.watch(prog_.get(), [this] { read_progress(); });
  if (pid_ > 0 && kill_at_ < TimePoint::max() - std::chrono::hours(2)) loop.wake_by(kill_at_);
}

void ExecHost::write_log(std::string_view bytes) {
  if (cut_ || bytes.empty()) return;
  std::int64_t room = opt_.output_cap - written_;
  std::string_view keep = bytes.substr(0, static_cast<std::size_t>(std::max<std::int64_t>(0, std::min<std::int64_t>(room, static_cast<std::int64_t>(bytes.size())))));
  if (log_ && !keep.empty()) (void)!::write(log_.get(), keep.data(), keep.size());
  written_ += static_cast<std::int64_t>(keep.size());
  if (keep.size() < bytes.size()) {
    cut_ = true;
    std::string note = "\nrenderq: output cut after " + std::to_string(opt_.output_cap) +
                       " bytes; the rest of this attempt's output is discarded\n";
    if (log_) (void)!::write(log_.get(), note.data(), note.size());
  }
}

void ExecHost::read_output() {
  if (!out_) return;
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(out_.get(), chunk, sizeof chunk);
    if (n > 0) {
      write_log(std::string_view(chunk, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) out_.reset();  // EOF: every writer is gone
    return;
  }
}

void ExecHost::read_progress() {
  if (!prog_) return;
  bool open = read_available(prog_.get(), prog_buf_);
  while (std::optional<std::string> line = prog_buf_.next_line())
    if (std::optional<std::pair<int, int>> p = parse_progress_line(*line); p && progress_) progress_(p->first, p->second);
  if (!open) prog_.reset();
}

Outcome ExecHost::exited(int status, std::string& how) {
  how = describe_wait_status(status);
  // The rest of the group goes with its leader: nothing of the job outlives it.
  signal_as(run_as_, -pid_, SIGKILL);
  read_output();
  read_progress();
  out_.reset();
  prog_.reset();
  log_.reset();
  if (!pgid_file_.empty()) {
    std::error_code ec;
    std::filesystem::remove(pgid_file_, ec);
    pgid_file_.clear();
  }
  pid_ = -1;
  kill_at_ = TimePoint::max();
  if (!setup_error_.empty()) {
    std::string what = setup_error_.substr(0, setup_error_.find(' '));
    int err = std::atoi(setup_error_.c_str() + std::min(setup_error_.size(), what.size() + 1));
    if (what == "chdir")
      return failed(Errc::CwdMissing, "cannot enter the working directory: " + std::string(std::strerror(err)));
    if (what == "nouser" && no_user_) return failed(no_user_->code, no_user_->message());
    if ((what == "setgroups" || what == "setgid" || what == "setuid" || what == "capabilities") && run_as_) {
      const Error e = run_as_error(*run_as_, what.c_str(), err);
      return failed(e.code, e.message());
    }
    return failed(Errc::ExecFailed, "cannot run the program: " + std::string(std::strerror(err)));
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 0) return Outcome{.ok = true};
    return failed(Errc::ExitStatus, "exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return failed(Errc::Signal, "killed by " + signal_name(sig) + " (" + ::strsignal(sig) + ")");
  }
  return failed(Errc::ExitStatus, how);
}

int kill_leftover_group(const std::filesystem::path& job_dir, std::int64_t id) {
  std::ifstream in(job_dir / "exec.pgid");
  std::string boot;
  long pgid = 0;
  if (!(in >> boot >> pgid) || pgid <= 1 || boot != boot_id()) return 0;
  const std::string marker = "RENDERQ_JOB_ID=" + std::to_string(id);
  int found = 0;
  DIR* proc = ::opendir("/proc");
  if (!proc) return 0;
  while (dirent* d = ::readdir(proc)) {
    long pid = std::strtol(d->d_name, nullptr, 10);
    if (pid <= 0) continue;
    if (::getpgid(static_cast<pid_t>(pid)) != pgid) continue;
    std::ifstream env_in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
    std::string env((std::istreambuf_iterator<char>(env_in)), std::istreambuf_iterator<char>());
    const std::string nul(1, '\0');
    if ((nul + env + nul).find(nul + marker + nul) != std::string::npos)
      ++found;
  }
  ::closedir(proc);
  if (found > 0) ::kill(static_cast<pid_t>(-pgid), SIGKILL);
  std::error_code ec;
  std::filesystem::remove(job_dir / "exec.pgid", ec);
  return found;
}

}  // namespace renderq
