#include "cli/queue_notes.hpp"

#include "cli/context.hpp"
#include "spool/serving_daemon.hpp"

namespace renderq {

std::vector<std::string> queue_notes(Spool& spool) {
  std::vector<std::string> notes;
  if (Result<bool> paused = spool.store().paused(); paused && *paused)
    notes.push_back("the queue is paused: no job starts until `renderq resume`");
  Result<QueueCounts> counts = spool.store().counts();
  if (counts && counts->queued > 0 && !serving_daemon_pid(spool.dir()))
    notes.push_back("no daemon serves " + spool.dir().string() + ": " + std::to_string(counts->queued) +
                    " queued job" + (counts->queued == 1 ? "" : "s") + " wait until `renderq daemon` starts");
  return notes;
}

void print_queue_notes(Spool& spool) {
  for (const std::string& note : queue_notes(spool)) diag(note);
}

}  // namespace renderq
