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
  if (spool.served() != false) return notes;  // served, or it cannot be told
  Result<QueueCounts> counts = spool.store().counts();
  if (!counts || (counts->queued == 0 && counts->running == 0)) return notes;
  // Queued jobs wait for a daemon; running ones were left by a daemon that
  // stopped (killed, or its host died): only a daemon's recovery requeues or
  // ends them, a requested cancel included.
  std::string jobs;
  if (counts->queued > 0)
    jobs = std::to_string(counts->queued) + (counts->queued == 1 ? " queued job waits" : " queued jobs wait");
  if (counts->running > 0)
    jobs += (jobs.empty() ? "" : ", and ") + std::to_string(counts->running) +
            (counts->running == 1 ? " job left running by a daemon that stopped stays so"
                                  : " jobs left running by a daemon that stopped stay so");
  if (spool.spool())
    notes.push_back("no daemon serves " + spool.where() + ": " + jobs + " until `renderq daemon` starts");
  else  // a queue of many hosts: none of them has recorded a heartbeat lately
    notes.push_back("no daemon on any host serves " + spool.where() + ": " + jobs +
                    " until `renderq daemon` starts on one (`renderq daemons --all` shows the last seen)");
  return notes;
}

void print_queue_notes(Queue& spool) {
  for (const std::string& note : queue_notes(spool)) diag(note);
}

}  // namespace renderq
