// What a person must know about a queue beyond its jobs, said on stderr by
// the queue commands (list, status, submit, wait): the queue is paused, or
// jobs are queued with no daemon serving the spool, so nothing will run them.
// (A PostgreSQL queue's daemons run on other hosts: only the pause is said.)
// Data on stdout stays the same either way.
//
// Thread-safety: used from main's thread only.
#pragma once

#include <string>
#include <vector>

#include "spool/queue.hpp"

namespace renderq {

// The notes that apply now, each one line without the "renderq: " prefix.
// A failing store read adds nothing: the notes are advice, not data.
std::vector<std::string> queue_notes(Queue& queue);

// queue_notes() through diag().
void print_queue_notes(Queue& queue);

}  // namespace renderq
