#include "spool/pg_queue.hpp"

#include <poll.h>

#include <algorithm>
#include <thread>

#include "spool/owner.hpp"
#include "spool/pg_job_log.hpp"
#include "spool/pg_wake.hpp"

namespace renderq {

namespace {

using std::chrono::milliseconds;

// What a waiter sleeps between looks while the server cannot be reached.
constexpr milliseconds kRetryStep{25};

// LISTEN renderq_changes on a connection of its own: every commit that
// changed a job notifies it (sql/pg/0001_init.sql's triggers).
class PgChangeSource final : public ChangeSource {
 public:
  explicit PgChangeSource(std::optional<PgWakeListener> l) : listener_(std::move(l)) {}

  bool wait(Clock::time_point until) noexcept override {
    for (;;) {
      const Clock::time_point now = Clock::now();
      const int fd = listener_ ? listener_->fd() : -1;
      if (fd < 0) {  // no connection: poll, like a spool without its counter file
        std::this_thread::sleep_until(std::min(until, now + kRetryStep));
        if (listener_) (void)listener_->drain();  // reconnects
        return true;
      }
      if (now >= until) return false;
      const auto left = std::chrono::duration_cast<milliseconds>(until - now).count() + 1;
      pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60'000)));
      if (ready <= 0) continue;  // timeout (checked above) or EINTR
      Result<int> n = listener_->drain();
      if (!n || *n > 0) return true;  // a change, or a broken connection: look again
    }
  }

 private:
  std::optional<PgWakeListener> listener_;
};

}  // namespace

Result<std::unique_ptr<PgQueue>> PgQueue::open(const std::string& url) {
  Result<std::unique_ptr<PgStore>> store = PgStore::open(url);
  if (!store) {
    Error e = store.error();
    e.detail = redact_url(url) + ": " + e.detail;
    return std::unexpected(std::move(e));
  }
  return std::unique_ptr<PgQueue>(new PgQueue(url, std::move(*store)));
}

std::unique_ptr<ChangeSource> PgQueue::watch_changes() {
  Result<PgWakeListener> l = PgWakeListener::open(url_, PgWakeListener::kChanges);
  return std::make_unique<PgChangeSource>(l ? std::optional<PgWakeListener>(std::move(*l)) : std::nullopt);
}

std::optional<bool> PgQueue::served() {
  Result<DaemonRoster> roster = store_->daemons();
  if (!roster) return std::nullopt;
  return any_live(*roster, current_owner());
}

std::string PgQueue::log_name(JobId id) const {
  return where() + " (table job_log, job " + std::to_string(id.value) + ")";
}

Result<std::int64_t> PgQueue::read_log(JobId id, std::int64_t offset,
                                       const std::function<void(std::string_view)>& out) {
  return pg_read_log(store_->connection(), id, offset, out);
}

}  // namespace renderq
