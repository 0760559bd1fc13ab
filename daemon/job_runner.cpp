#include "daemon/job_runner.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/duration.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/temp_outputs.hpp"

namespace renderq {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kProgressEvery{250};  // at most one progress write per job per 250 ms

Outcome failure(Errc code, std::string message, bool retryable = false) {
  return Outcome{.ok = false, .error_code = std::string(errc_name(code)), .error_message = std::move(message),
                 .retryable = retryable};
}

}  // namespace

JobRunner::JobRunner(const JobRunnerEnv& env, JobHost& host, const Job& job)
    : env_(&env), host_(&host), id_(job.id), worker_(host.worker()), spec_(job.spec), attempt_(job.attempts),
      max_attempts_(job.max_attempts) {
  TimePoint now = env.clock.now();
  timeout_ms_ = job.timeout_ms.value_or(env.default_timeout_ms);
  if (timeout_ms_ > 0) deadline_ = now + milliseconds(timeout_ms_);
  next_renew_ = now + env.heartbeat;
  lease_until_ = now + milliseconds(env.lease_ms);
}

Result<std::optional<JobRunner>> JobRunner::claim(const JobRunnerEnv& env, JobHost& host) {
  Result<std::optional<Job>> job = env.store.claim(
      ClaimRequest{.owner = env.owner, .worker = host.worker(), .device = host.device(), .lease_ms = env.lease_ms});
  if (!job) return std::unexpected(job.error());
  if (!*job) return std::optional<JobRunner>{};
  const Job& j = **job;
  JobRunner run(env, host, j);
  // An unknown user leaves run_as_ empty: the host refuses the job anyway.
  if (Result<std::optional<RunAs>> who = run_as_for(j)) run.run_as_ = *who;
  // A render writes under this attempt's tag; the worker's pid is the one in
  // the stored worker name, which recovery reads after a crash.
  std::string stage;
  if (!j.exec) {
    std::int64_t pid = worker_pid_on(host.worker(), env.owner.host);
    stage = stage_tag(j.id.value, j.attempts, env.owner.host, pid > 0 ? pid : host.pid());
    run.staged_.emplace(j.spec, stage);
    // An earlier attempt (requeued after its lease was lost, its host dead
    // or frozen) may have left staged files: none of them can ever be
    // published now that this attempt holds the job.
    if (j.attempts > 1)
      if (int n = as_user(run.run_as_, [&] {
                    return remove_staged(j.spec, [&](const StageTag& t) {
                      return t.job == j.id.value && stage_tag(t.job, t.attempt, t.host, t.pid) != stage;
                    });
                  }).value_or(0);
          n > 0)
        daemon_log(LogLevel::Info, "job " + std::to_string(j.id.value) + ": removed " + std::to_string(n) +
                                       " staged file(s) of earlier attempts");
  }
  std::filesystem::path log_path = env.prepare_log ? env.prepare_log(j.id) : std::filesystem::path{};
  if (!log_path.empty())
    if (Result<JobLog> log = JobLog::open(log_path)) run.log_ = std::move(*log);
  run.log_.line("daemon", "attempt " + std::to_string(run.attempt_) + "/" + std::to_string(run.max_attempts_) +
                              " started by worker " + host.worker() + " on " + host.device() +
                              (run.timeout_ms_ > 0 ? ", timeout " + format_duration(Millis(run.timeout_ms_)) : ""));
  if (!host.start(j, log_path, stage)) {
    daemon_log(LogLevel::Error, "cannot send job " + std::to_string(j.id.value) + " to worker " + host.worker());
    run.kill(KillReason::None);  // a crash once it has exited: retried if attempts remain
  }
  return std::optional<JobRunner>(std::move(run));
}

TimePoint JobRunner::next_wakeup() const {
  if (unsettled_) return settle_retry_;
  if (stopping()) return TimePoint::max();
  TimePoint next = std::min(next_renew_, deadline_);
  if (progress_pending_) next = std::min(next, progress_due_);
  return next;
}

void JobRunner::tick() {
  TimePoint now = env_->clock.now();
  if (unsettled_) {
    if (now >= settle_retry_) settle();
    return;
  }
  if (stopping()) return;
  if (now >= deadline_) {
    log_.line("daemon", "timeout of " + format_duration(Millis(timeout_ms_)) + " reached: stopping the worker");
    kill(KillReason::Timeout);
    return;
  }
  if (progress_pending_ && now >= progress_due_) write_progress();
  if (now >= next_renew_) heartbeat();
}

void JobRunner::host_restarted() {
  if (stopping() || host_->worker() == worker_) return;
  worker_ = host_->worker();
  log_.line("daemon", "now run by worker " + worker_);
  if (Result<void> r = env_->store.set_worker(id_, env_->owner, worker_); !r)
    daemon_log(LogLevel::Warning, "job " + std::to_string(id_.value) + ": cannot record its worker " + worker_ + ": " +
                                      r.error().message());  // a lost lease: the next heartbeat acts on it
}

void JobRunner::check_cancel() {
  if (stopping()) return;
  Result<Job> job = env_->store.get(id_);
  if (job && job->cancel_requested) heartbeat();
}

void JobRunner::on_progress(std::int64_t job, int done, int total) {
  if (job != id_.value || stopping()) return;
  done_ = done;
  total_ = total;
  progress_pending_ = true;
  // At most one write per kProgressEvery. The last frame's report waits for
  // the outcome that follows, and finish() stores it in the same
  // transaction, unless writing the images takes longer.
  TimePoint now = env_->clock.now();
  progress_due_ = done < total ? last_progress_write_ + kProgressEvery : now + kProgressEvery;
  if (now >= progress_due_) write_progress();
}

bool JobRunner::on_done(std::int64_t job, Outcome outcome) {
  if (job != id_.value || stopping() || unsettled_) return false;  // a kill is in flight: its reason decides
  const bool ok = outcome.ok;
  finish(std::move(outcome), ok && staged_ ? staged_->files() : 0);
  return true;
}

void JobRunner::kill(KillReason why) {
  if (kill_ == KillReason::None) kill_ = why;
  host_->kill();
}

void JobRunner::grace_over() {
  if (stopping()) return;
  log_.line("daemon", "grace period over: stopping the worker; the job goes back to the queue");
  kill(KillReason::Shutdown);
}

bool JobRunner::host_exited(std::string_view how) {
  // Before the outcome is stored: if the daemon dies in between, the next
  // one finds the job still running here and cleans up.
  as_user(run_as_, [&] {
    clean_temp_outputs(spec_, host_->pid(), id_);
    return 0;
  });
  switch (kill_) {
    case KillReason::None:
      finish(failure(Errc::WorkerCrashed,
                     "worker pid " + std::to_string(host_->pid()) + " " + std::string(how) + " while rendering", true));
      return true;
    case KillReason::Timeout:
      finish(failure(Errc::Timeout, "exceeded its timeout of " + format_duration(Millis(timeout_ms_))));
      break;
    case KillReason::Cancel:
      // The frames reported so far are whole and stay, as they would have
      // without staging; one file (a still, an animation) is never reported
      // before it is complete, so nothing of it is published.
      finish(failure(Errc::Canceled, "canceled while running"),
             staged_ && staged_->files() > 1 ? static_cast<std::size_t>(std::max(done_, 0)) : 0);
      break;
    case KillReason::Shutdown: {
      Outcome o = failure(Errc::Shutdown, "the daemon stopped", true);
      o.interrupted = true;
      finish(std::move(o));
      break;
    }
    case KillReason::LeaseLost:
      log_.line("daemon", "stopped: this daemon no longer holds the job's lease");
      remove_unpublished();
      break;
  }
  return false;
}

void JobRunner::finish(Outcome outcome, std::size_t publish) {
  if (progress_pending_) outcome.progress = std::array<int, 2>{done_, total_};
  // Fences this attempt: if the job was requeued and claimed again (by any
  // host, this one included) while this attempt ran, nothing is written.
  outcome.attempt = attempt_;
  progress_pending_ = false;
  unsettled_ = std::move(outcome);
  unsettled_publish_ = publish;
  said_unsettled_ = false;
  settle();
}

void JobRunner::settle() {
  Outcome outcome = *unsettled_;
  const std::size_t publish = unsettled_publish_;
  std::string id = std::to_string(id_.value);
  // Called by the store inside finish's transaction, only if this attempt
  // still holds the job (Outcome::publish). Publishing again after a
  // commit that failed skips what is already published.
  publish_error_.reset();
  if (publish > 0)
    outcome.publish = [this, publish]() -> Result<void> {
      Result<void> r;
      if (!run_as_) {
        r = staged_->publish(publish);
      } else {
        // The files are in the user's folders: the renames are theirs to
        // do, in a child that has become them; we record what it did.
        const std::optional<int> err = as_user(run_as_, [&] { return staged_->publish(publish) ? 0 : staged_->publish_errno(); });
        if (err && *err == 0) staged_->mark_published(publish);
        else r = fail(Errc::OutputNotWritable, "cannot publish the outputs as user " + run_as_->name + ": " +
                                                   (err ? std::string(std::strerror(*err)) : "cannot act as that user"));
      }
      if (!r) publish_error_ = r.error();
      return r;
    };
  Result<JobState> state = env_->store.finish(id_, env_->owner, outcome);
  for (int tries = 0; !state && state.error().code == Errc::Busy && tries < 3; ++tries)
    state = env_->store.finish(id_, env_->owner, outcome);
  const TimePoint now = env_->clock.now();
  if (!state && (state.error().code == Errc::StoreUnavailable || state.error().code == Errc::Busy) &&
      now < lease_until_) {
    // The lease still stands: nobody else may take the job before it ends,
    // so the outcome (and its staged files) wait for the store.
    settle_retry_ = std::min(now + milliseconds(1000), lease_until_);
    if (!said_unsettled_) {
      said_unsettled_ = true;
      log_.line("daemon", "attempt " + std::to_string(attempt_) + " ended; its outcome waits for the queue: " +
                              state.error().message());
      daemon_log(LogLevel::Warning, "job " + id + ": cannot record its outcome yet (" + state.error().message() +
                                        "); retrying until its lease ends");
    }
    return;
  }
  unsettled_.reset();
  settle_retry_ = TimePoint::max();
  remove_unpublished();  // the attempt is over: what it did not publish goes
  if (state) {
    std::string what = std::string(state_name(*state));
    if (publish_error_ && *state == JobState::Failed) {
      what += " (" + std::string(errc_name(publish_error_->code)) + ": " + publish_error_->message() + ")";
    } else {
      if (!outcome.ok) what += " (" + outcome.error_code + ": " + outcome.error_message + ")";
      if (publish_error_) what += "; frames not published: " + publish_error_->message();
    }
    log_.line("daemon", "attempt " + std::to_string(attempt_) + " ended: " + what);
    daemon_log(*state == JobState::Failed ? LogLevel::Warning : LogLevel::Info, "job " + id + " " + what);
  } else if (state.error().code == Errc::LeaseLost) {
    log_.line("daemon", "attempt " + std::to_string(attempt_) + " ended but the lease was lost; outcome dropped");
    daemon_log(LogLevel::Warning, "job " + id + ": lease lost before finishing; outcome dropped");
  } else {
    daemon_log(LogLevel::Error, "job " + id + ": cannot record its outcome: " + state.error().message());
  }
}

void JobRunner::remove_unpublished() {
  if (!staged_) return;
  if (int n = as_user(run_as_, [&] { return staged_->remove_unpublished(); }).value_or(0); n > 0)
    daemon_log(LogLevel::Info, "job " + std::to_string(id_.value) + ": removed " + std::to_string(n) +
                                   " staged file(s) of attempt " + std::to_string(attempt_) + " not published");
}

// Renews the lease; the answer doubles as the cancel signal.
void JobRunner::heartbeat() {
  next_renew_ = env_->clock.now() + env_->heartbeat;
  const TimePoint asked = env_->clock.now();
  Result<bool> r = env_->store.renew(id_, env_->owner, env_->lease_ms);
  if (r) lease_until_ = asked + milliseconds(env_->lease_ms);
  if (!r) {
    if (r.error().code == Errc::LeaseLost) {
      daemon_log(LogLevel::Warning, "job " + std::to_string(id_.value) + ": lease lost; stopping its worker");
      kill(KillReason::LeaseLost);
    } else {
      daemon_log(LogLevel::Warning, "job " + std::to_string(id_.value) + ": lease not renewed: " + r.error().message());
    }
  } else if (*r) {
    log_.line("daemon", "cancel requested: stopping the worker");
    kill(KillReason::Cancel);
  }
}

void JobRunner::write_progress() {
  last_progress_write_ = env_->clock.now();
  progress_pending_ = false;
  if (Result<void> r = env_->store.set_progress(id_, env_->owner, done_, total_); !r && r.error().code != Errc::LeaseLost)
    daemon_log(LogLevel::Warning, "job " + std::to_string(id_.value) + ": progress not stored: " + r.error().message());
}

}  // namespace renderq
