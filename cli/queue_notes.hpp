// What a person must know about a queue beyond its jobs, said on stderr by
// the queue commands (list, status, submit, wait): the queue is paused, or
// jobs are queued with no daemon serving the queue, so nothing will run them
// (a spool: no daemon holds its lock; a PostgreSQL queue: no daemon on any
// host has a fresh row in the daemon registry, spool/daemon_record.hpp).
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
