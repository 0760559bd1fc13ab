// The job state machine with no database: a row and an event in, the
// transition out.
#include <catch2/catch.hpp>

#include "spool/job_transitions.hpp"

using namespace renderq;

namespace {

JobRow running(int attempts = 1, int max_attempts = 1, bool cancel_requested = false) {
  return JobRow{.state = JobState::Running, .attempts = attempts, .max_attempts = max_attempts,
                .cancel_requested = cancel_requested};
}

Outcome error(bool retryable = false) {
  return Outcome{.ok = false, .error_code = "gltf_invalid", .error_message = "bad scene", .retryable = retryable};
}

constexpr JobState kAll[] = {JobState::Queued, JobState::Running, JobState::Succeeded, JobState::Failed,
                             JobState::Canceled};

}  // namespace

TEST_CASE("claim: queued becomes running with one more attempt and no cancel flag", "[transitions][claim]") {
  const Transition t = on_claim(JobRow{.state = JobState::Queued, .attempts = 2, .max_attempts = 3}).value();
  CHECK(t.to == JobState::Running);
  CHECK(t.attempts == 3);
  CHECK_FALSE(t.cancel_requested);
  CHECK_FALSE(t.drop_lease);
  CHECK_FALSE(t.error_code.has_value());  // the last attempt's error stays visible
  for (JobState s : kAll)
    if (s != JobState::Queued) CHECK(on_claim(JobRow{.state = s}).error().code == Errc::JobStateConflict);
}

TEST_CASE("submit: queued, or failed at once after a failed or canceled dependency", "[transitions][submit]") {
  CHECK(on_submit({}).to == JobState::Queued);
  const DependencyState fine[] = {{JobId{1}, JobState::Succeeded}, {JobId{2}, JobState::Running}};
  const Transition q = on_submit(fine);
  CHECK(q.to == JobState::Queued);
  CHECK(q.error_code == "");
  const DependencyState doomed[] = {{JobId{1}, JobState::Queued}, {JobId{4}, JobState::Canceled},
                                    {JobId{5}, JobState::Failed}};
  const Transition f = on_submit(doomed);
  CHECK(f.to == JobState::Failed);
  CHECK(f.finished());
  CHECK(f.error_code == "dependency_failed");
  CHECK(f.error_message == "dependency 4 canceled");
}

TEST_CASE("finish ok: succeeded, error cleared, lease dropped, dependents untouched", "[transitions][finish]") {
  const Transition t = on_finish(running(1, 3), Outcome{.ok = true}).value();
  CHECK(t.to == JobState::Succeeded);
  CHECK(t.finished());
  CHECK(t.attempts == 1);
  CHECK(t.error_code == "");
  CHECK(t.error_message == "");
  CHECK(t.drop_lease);
  CHECK_FALSE(t.fail_dependents);
}

TEST_CASE("finish error: failed with the outcome's code and the dependents fail", "[transitions][finish]") {
  const Transition t = on_finish(running(1, 1), error()).value();
  CHECK(t.to == JobState::Failed);
  CHECK(t.error_code == "gltf_invalid");
  CHECK(t.error_message == "bad scene");
  CHECK(t.drop_lease);
  CHECK(t.fail_dependents);
  // An outcome with no code is still a named failure.
  CHECK(on_finish(running(), Outcome{.ok = false}).value().error_code == "internal");
}

TEST_CASE("finish retryable: queued while attempts remain, then failed", "[transitions][finish][attempts]") {
  const Transition again = on_finish(running(1, 3), error(true)).value();
  CHECK(again.to == JobState::Queued);
  CHECK_FALSE(again.finished());
  CHECK(again.attempts == 1);
  CHECK(again.error_code == "gltf_invalid");  // shown until the next attempt ends
  CHECK(again.drop_lease);
  CHECK_FALSE(again.fail_dependents);
  CHECK(on_finish(running(3, 3), error(true)).value().to == JobState::Failed);
  // Not retryable: attempts left do not matter.
  CHECK(on_finish(running(1, 3), error(false)).value().to == JobState::Failed);
}

TEST_CASE("finish interrupted: queued and the attempt uncounted, even the last one", "[transitions][finish]") {
  Outcome o = error();
  o.interrupted = true;
  const Transition t = on_finish(running(3, 3), o).value();
  CHECK(t.to == JobState::Queued);
  CHECK(t.attempts == 2);
  CHECK(t.drop_lease);
  CHECK(on_finish(running(0, 1), o).value().attempts == 0);
}

TEST_CASE("finish after a cancel request: canceled, whatever the outcome said", "[transitions][finish][cancel]") {
  const Transition t = on_finish(running(1, 3, true), error(true)).value();
  CHECK(t.to == JobState::Canceled);
  CHECK(t.error_code == "canceled");
  CHECK(t.error_message == "bad scene");
  CHECK(t.fail_dependents);
  CHECK_FALSE(t.cancel_requested);
  CHECK(on_finish(running(1, 1, true), Outcome{.ok = false}).value().error_message == "canceled while running");
  // A job that succeeded before the daemon acted on the request succeeded.
  CHECK(on_finish(running(1, 1, true), Outcome{.ok = true}).value().to == JobState::Succeeded);
}

TEST_CASE("finish of a job that is not running is lease_lost", "[transitions][finish]") {
  for (JobState s : kAll)
    if (s != JobState::Running)
      CHECK(on_finish(JobRow{.state = s}, Outcome{.ok = true}).error().code == Errc::LeaseLost);
}

TEST_CASE("lease lost: requeued while attempts remain, else failed with the reason", "[transitions][lease]") {
  const Transition back = on_lease_lost(running(1, 2), LeaseLoss::Expired, "h:7").value();
  CHECK(back.to == JobState::Queued);
  CHECK(back.attempts == 1);
  CHECK(back.error_code == "lease_expired");
  CHECK(back.error_message == "lease of worker h:7 expired");
  CHECK(back.drop_lease);
  CHECK_FALSE(back.fail_dependents);

  const Transition expired = on_lease_lost(running(2, 2), LeaseLoss::Expired, "h:7").value();
  CHECK(expired.to == JobState::Failed);
  CHECK(expired.error_code == "lease_expired");
  CHECK(expired.fail_dependents);

  const Transition died = on_lease_lost(running(1, 1), LeaseLoss::OwnerDied, "h:9").value();
  CHECK(died.to == JobState::Failed);
  CHECK(died.error_code == "worker_crashed");
  CHECK(died.error_message == "worker h:9 died");
}

TEST_CASE("lease lost with a cancel pending: canceled, not requeued", "[transitions][lease][cancel]") {
  const Transition t = on_lease_lost(running(1, 5, true), LeaseLoss::OwnerDied, "h:1").value();
  CHECK(t.to == JobState::Canceled);
  CHECK(t.error_code == "canceled");
  CHECK(t.fail_dependents);
  CHECK(on_lease_lost(JobRow{.state = JobState::Queued}, LeaseLoss::Expired, "h:1").error().code ==
        Errc::JobStateConflict);
}

TEST_CASE("cancel: queued at once, running by request, finished unchanged", "[transitions][cancel]") {
  const CancelTransition q = on_cancel(JobRow{.state = JobState::Queued});
  CHECK(q.result == CancelResult::Canceled);
  REQUIRE(q.transition.has_value());
  CHECK(q.transition->to == JobState::Canceled);
  CHECK(q.transition->error_code == "canceled");
  CHECK(q.transition->fail_dependents);

  const CancelTransition r = on_cancel(running(1, 3));
  CHECK(r.result == CancelResult::CancelRequested);
  REQUIRE(r.transition.has_value());
  CHECK(r.transition->to == JobState::Running);
  CHECK(r.transition->cancel_requested);
  CHECK(r.transition->attempts == 1);
  CHECK_FALSE(r.transition->drop_lease);  // the holder keeps running it until it stops
  CHECK_FALSE(r.transition->fail_dependents);

  for (JobState s : {JobState::Succeeded, JobState::Failed, JobState::Canceled}) {
    const CancelTransition f = on_cancel(JobRow{.state = s});
    CHECK(f.result == CancelResult::AlreadyFinished);
    CHECK_FALSE(f.transition.has_value());
  }
}

TEST_CASE("retry: failed or canceled back to queued with a fresh budget and record", "[transitions][retry]") {
  for (JobState s : {JobState::Failed, JobState::Canceled}) {
    const Transition t = on_retry(JobRow{.state = s, .attempts = 3, .max_attempts = 3, .error_code = "x"}, {}).value();
    CHECK(t.to == JobState::Queued);
    CHECK(t.attempts == 0);
    CHECK(t.error_code == "");
    CHECK(t.fresh_record);
    CHECK(t.drop_lease);
    CHECK_FALSE(t.finished());
  }
  for (JobState s : {JobState::Queued, JobState::Running, JobState::Succeeded})
    CHECK(on_retry(JobRow{.state = s}, {}).error().code == Errc::JobStateConflict);
  const DependencyState blocking[] = {{JobId{2}, JobState::Failed}};
  CHECK(on_retry(JobRow{.state = JobState::Failed}, blocking).error().code == Errc::JobStateConflict);
}

TEST_CASE("a dependency failed: only a queued job fails, with dependency_failed", "[transitions][deps]") {
  const std::optional<Transition> t = on_dependency_failed(JobRow{.state = JobState::Queued}, JobId{3}, JobState::Failed);
  REQUIRE(t.has_value());
  CHECK(t->to == JobState::Failed);
  CHECK(t->error_code == "dependency_failed");
  CHECK(t->error_message == "dependency 3 failed");
  for (JobState s : kAll)
    if (s != JobState::Queued) CHECK_FALSE(on_dependency_failed(JobRow{.state = s}, JobId{3}, JobState::Failed));
}

TEST_CASE("a dependency retried: only jobs it failed come back, once nothing blocks them", "[transitions][deps][retry]") {
  const JobRow doomed{.state = JobState::Failed, .attempts = 0, .error_code = "dependency_failed"};
  const std::optional<Transition> back = on_dependency_retried(doomed, {});
  REQUIRE(back.has_value());
  CHECK(back->to == JobState::Queued);
  CHECK(back->fresh_record);
  const DependencyState blocking[] = {{JobId{9}, JobState::Canceled}};
  CHECK_FALSE(on_dependency_retried(doomed, blocking));
  // A job that failed on its own stays failed.
  CHECK_FALSE(on_dependency_retried(JobRow{.state = JobState::Failed, .error_code = "gltf_invalid"}, {}));
  CHECK_FALSE(on_dependency_retried(JobRow{.state = JobState::Canceled, .error_code = "dependency_failed"}, {}));
}

TEST_CASE("edit: only a queued job may be held, released or changed", "[transitions][edit]") {
  CHECK(on_edit(JobRow{.state = JobState::Queued}).has_value());
  for (JobState s : {JobState::Running, JobState::Succeeded, JobState::Failed, JobState::Canceled})
    CHECK(on_edit(JobRow{.state = s}).error().code == Errc::JobStateConflict);
}

TEST_CASE("outputs are published when a finish ends succeeded or canceled, never otherwise", "[transitions][publish]") {
  CHECK(publishes(on_finish(running(), Outcome{.ok = true}).value()));
  CHECK(publishes(on_finish(running(1, 1, true), error()).value()));  // a cancel: the reported frames
  CHECK_FALSE(publishes(on_finish(running(), error()).value()));
  CHECK_FALSE(publishes(on_finish(running(1, 3), error(true)).value()));  // requeued
  Outcome stopped = error(true);
  stopped.interrupted = true;
  CHECK_FALSE(publishes(on_finish(running(1, 3), stopped).value()));
}

TEST_CASE("a publish that failed fails the job with its error, attempts left or not", "[transitions][publish]") {
  const Error e{Errc::OutputNotWritable, "cannot publish '/o/x.png'"};
  for (const JobRow& row : {running(), running(1, 3)}) {
    Transition t = on_publish_failed(row, e).value();
    CHECK(t.to == JobState::Failed);
    CHECK(t.error_code == "output_not_writable");
    CHECK(t.error_message == "cannot publish '/o/x.png'");
    CHECK(t.fail_dependents);
  }
}
