// The host's user database, as renderq asks it: a uid's name (for messages
// and job JSON) and an account's groups (who may use a shared spool, and
// what a job acting for a user takes). Names are looked up once per thread
// and uid: a list of many jobs, or a server answering many requests, would
// otherwise read the database each time.
//
// Thread-safety: any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace renderq {

// The account name of `uid`; "" when it has none.
std::string user_name(std::int64_t uid);

// user_name, or "uid N" when the uid has no account: for messages.
std::string user_label(std::int64_t uid);

// Every group of the account `name` whose primary group is `gid` (that
// group included), as login would give them.
std::vector<gid_t> account_groups(const char* name, gid_t gid);

}  // namespace renderq
