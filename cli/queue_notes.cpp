#include "cli/queue_notes.hpp"

#include "cli/context.hpp"

#include <cstdio>

namespace renderq {

std::vector<std::string> queue_notes(Queue& spool) {
  std::vector<std::string> notes;
  if (const Spool* sp = spool.spool(); sp && sp->tightened_from()) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(*sp->tightened_from()));
    notes.push_back("spool " + sp->dir().string() + " was open to every user (mode " + mode +
                    "); other users' access is removed");
  }
  if (Result<bool> paused = spool.store().paused(); paused && *paused)
    notes.push_back("the queue is paused: no job starts until `renderq resume`");
  if (spool.served() != false) return notes;  // served, or its daemons are elsewhere
  Result<QueueCounts> counts = spool.store().counts();
  if (counts && counts->queued > 0)
    notes.push_back("no daemon serves " + spool.where() + ": " + std::to_string(counts->queued) +
                    " queued job" + (counts->queued == 1 ? "" : "s") + " wait until `renderq daemon` starts");
  return notes;
}

void print_queue_notes(Queue& spool) {
  for (const std::string& note : queue_notes(spool)) diag(note);
}

}  // namespace renderq
