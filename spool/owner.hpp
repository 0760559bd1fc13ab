// Who is running a job: this process, fenced by the machine's boot id, and
// whether such an owner can still be alive.
//
// Thread-safety: pure functions (current_owner reads /proc once per call).
#pragma once

#include "spool/job.hpp"

namespace renderq {

// This process: hostname, /proc/sys/kernel/random/boot_id ("" when
// unreadable), getpid().
Owner current_owner();

// False only when the owner is certainly dead: same host, and either a
// different boot (the machine rebooted since it claimed) or no process with
// that pid. An owner on another host counts as alive; its lease expiry
// decides. (A recycled pid can make a dead owner look alive until then.)
bool owner_alive_here(const Owner& owner, const Owner& self);

}  // namespace renderq
