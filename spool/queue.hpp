// Queue: where one queue lives, as the commands see it: its Store, how idle
// daemons are woken, how a waiter learns that something changed, and where
// each job's log is kept. Two kinds, chosen by the store text (--store,
// $RENDERQ_STORE, `store =` in the config):
//   a spool folder (spool_queue.hpp): SQLite, the wake FIFO, the change
//     counter file, <spool>/jobs/<id>/job.log; one host;
//   a postgresql:// or postgres:// URL (pg_queue.hpp, in renderq_spool_pg,
//     the only library that links libpq): LISTEN/NOTIFY, logs in the job_log
//     table; daemons on many hosts.
//
// Thread-safety: one Queue per thread, like its Store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "spool/change_source.hpp"
#include "spool/job.hpp"
#include "spool/store.hpp"

namespace renderq {

class Spool;

class Queue {
 public:
  virtual ~Queue() = default;

  virtual Store& store() = 0;
  // For messages: the spool folder, or the URL without its password.
  virtual std::string where() const = 0;
  // True when this open made a new, empty queue (a spool folder created).
  virtual bool created() const { return false; }

  // Wakes idle daemons after a submit, cancel, retry or resume; never
  // blocks, never fails. (PostgreSQL: the transaction NOTIFYs already.)
  virtual void wake() noexcept = 0;
  // A change source for waiters. Open it before the first read of what it
  // guards, so that no commit falls between them.
  virtual std::unique_ptr<ChangeSource> watch_changes() = 0;

  // What `status` shows as the job's log: a file path, or where in the
  // database it is.
  virtual std::string log_name(JobId id) const = 0;
  // Hands the job's log from byte `offset` on to `out`, in pieces, and
  // returns the offset after the last byte; a job with no log yet reads as
  // empty. Errc::Io (or the store's codes) when it cannot be read.
  virtual Result<std::int64_t> read_log(JobId id, std::int64_t offset,
                                        const std::function<void(std::string_view)>& out) = 0;
  // After purge: removes what the queue keeps outside its store for a
  // purged job (its spool folder); ok when there is nothing. Errc::Io.
  virtual Result<void> forget_job(JobId id) = 0;

  // Whether a daemon serves the queue now; nullopt when this cannot be
  // told (the store could not be read). A spool asks its daemon's lock; a
  // PostgreSQL queue, whose daemons run on other hosts, its daemon
  // registry (spool/daemon_record.hpp).
  virtual std::optional<bool> served() = 0;

  // The spool folder of a spool queue (job folders, daemon lock), else null.
  virtual Spool* spool() { return nullptr; }
  // A queue of many hosts names itself: a random id its database made once
  // (serve/file_area.hpp claims a shared folder with it). "" for a spool,
  // which is its folder.
  virtual Result<std::string> identity() { return std::string(); }
};

// Whether a store text names a PostgreSQL queue (a postgresql:// or
// postgres:// URL) rather than a spool folder.
bool is_pg_url(std::string_view store) noexcept;

// The URL with its password (user:PASSWORD@ or password=...) replaced by
// "***", for messages and `renderq config`.
std::string redact_url(std::string_view url);

}  // namespace renderq
