#include "daemon/pg_served.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>

#include "daemon/daemon_log.hpp"
#include "spool/pg_job_log.hpp"
#include "spool/pg_queue.hpp"
#include "spool/pg_wake.hpp"

namespace renderq {

namespace {

// The most a job log chunk holds: a command's output is capped per attempt
// (--exec-output-cap), so a busy job ships a few chunks per copy.
constexpr std::size_t kChunk = 1 << 20;

class PgServed final : public ServedQueue {
 public:
  PgServed(std::unique_ptr<PgQueue> q, PgWakeListener wake, std::filesystem::path dir, std::string host)
      : queue_(std::move(q)), wake_(std::move(wake)), dir_(std::move(dir)), host_(std::move(host)) {
    // Folders a killed predecessor under this host name left: their logs
    // may not all be in the database yet. Copied (and removed) at the next
    // ship_log, unless a job of them runs here again first.
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / "jobs", ec)) {
      char* end = nullptr;
      const long long id = std::strtoll(e.path().filename().c_str(), &end, 10);
      if (end && *end == '\0' && id > 0) leftover_.insert(id);
    }
  }

  Store& store() override { return queue_->store(); }
  std::string where() const override { return "PostgreSQL queue " + queue_->where(); }
  std::int64_t now_ms() override { return queue_->pg_store().now_ms(); }
  int wake_fd() override { return wake_.fd(); }
  void drain_wake() noexcept override { (void)wake_.drain(); }

  Result<std::filesystem::path> make_job_dir(JobId id) override {
    const std::filesystem::path d = job_dir(id);
    for (const std::filesystem::path& p : {dir_ / "jobs", d})
      if (::mkdir(p.c_str(), 0700) != 0 && errno != EEXIST)
        return fail(Errc::Io, "cannot create " + p.string() + ": " + std::strerror(errno));
    leftover_.erase(id.value);  // its log is being written again
    return d;
  }
  std::filesystem::path job_dir(JobId id) const override { return dir_ / "jobs" / std::to_string(id.value); }
  std::filesystem::path job_log(JobId id) const override { return job_dir(id) / "job.log"; }

  void ship_log(JobId id, bool done) noexcept override {
    if (done) leftover_.insert(id.value);
    if (!done && !copy(id)) return;
    flush_logs();
  }

  // Jobs that ended here: copied in full, then their folders go. One that
  // cannot be copied now (the server restarting) stays for the next call.
  void flush_logs() noexcept override {
    for (auto it = leftover_.begin(); it != leftover_.end();) {
      const JobId j{*it};
      if (!copy(j)) {
        ++it;
        continue;
      }
      copied_.erase(j.value);
      std::error_code ec;
      std::filesystem::remove_all(job_dir(j), ec);
      it = leftover_.erase(it);
    }
  }

 private:
  // The log file's source name: this host and a token made with the file,
  // kept beside it, so that a later file of the same job (a retry here)
  // is a new source, and a restarted daemon continues the same one.
  Result<std::string> source(JobId id) {
    const std::filesystem::path token = job_dir(id) / "log.source";
    char buf[64] = {};
    const int in = ::open(token.c_str(), O_RDONLY | O_CLOEXEC);
    if (in >= 0) {
      const ssize_t n = ::read(in, buf, sizeof buf - 1);
      ::close(in);
      if (n > 0) return host_ + ":" + std::string(buf, static_cast<std::size_t>(n));
    }
    std::random_device rd;
    const std::string made = std::to_string(rd()) + std::to_string(rd());
    const int out = ::open(token.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) return fail(Errc::Io, "cannot write " + token.string() + ": " + std::strerror(errno));
    const bool written = ::write(out, made.data(), made.size()) == static_cast<ssize_t>(made.size());
    ::close(out);
    if (!written) return fail(Errc::Io, "cannot write " + token.string());
    return host_ + ":" + made;
  }

  // Copies what job `id`'s log file holds beyond the stored copy. True when
  // all of it is stored (or there is nothing to store).
  bool copy(JobId id) {
    const int fd = ::open(job_log(id).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return true;  // no log here
    PgConn& c = queue_->pg_store().connection();
    bool ok = false;
    Result<std::string> src = source(id);
    auto known = copied_.find(id.value);
    Result<std::int64_t> from = !src                     ? Result<std::int64_t>(std::unexpected(src.error()))
                                : known != copied_.end() ? Result<std::int64_t>(known->second)
                                                         : pg_log_source_end(c, id, *src);
    if (from) {
      std::int64_t offset = *from;
      std::string& buf = buffer_;
      if (buf.size() != kChunk) buf.assign(kChunk, '\0');  // once: this runs four times a second per job
      ok = true;
      for (;;) {
        const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
        if (n <= 0) break;
        Result<void> r = pg_append_log(c, id, *src, offset, std::string_view(buf.data(), static_cast<std::size_t>(n)));
        if (!r && r.error().code != Errc::JobNotFound) {  // purged: nothing to keep
          ok = false;
          break;
        }
        offset += n;
      }
      copied_[id.value] = offset;
    }
    ::close(fd);
    if (!ok) {
      copied_.erase(id.value);  // ask the database again next time
      if (!warned_) daemon_log(LogLevel::Warning, "job " + std::to_string(id.value) + ": log not stored yet");
      warned_ = true;
    } else {
      warned_ = false;
    }
    return ok;
  }

  std::unique_ptr<PgQueue> queue_;
  PgWakeListener wake_;
  std::filesystem::path dir_;
  std::string host_;
  std::map<std::int64_t, std::int64_t> copied_;  // job id -> bytes of its log file stored
  std::set<std::int64_t> leftover_;              // ended here (or before a restart); folder to copy and remove
  bool warned_ = false;
  std::string buffer_;
};

}  // namespace

Result<std::unique_ptr<ServedQueue>> serve_pg(const std::string& url, const std::filesystem::path& local_dir,
                                              const std::string& host) {
  if (::mkdir(local_dir.c_str(), 0700) != 0 && errno != EEXIST)
    return fail(Errc::Io, "cannot create " + local_dir.string() + ": " + std::strerror(errno));
  Result<std::unique_ptr<PgQueue>> q = PgQueue::open(url);
  if (!q) return std::unexpected(q.error());
  Result<PgWakeListener> wake = PgWakeListener::open(url);
  if (!wake) return std::unexpected(wake.error());
  return std::unique_ptr<ServedQueue>(std::make_unique<PgServed>(std::move(*q), std::move(*wake), local_dir, host));
}

}  // namespace renderq
