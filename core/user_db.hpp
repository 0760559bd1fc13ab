// The host's user database, as renderq asks it: a uid's name (for messages
// and job JSON) and an account's groups (who may use a shared spool, and
// what a job acting for a user takes). Names are looked up once per thread
// and uid: a list of many jobs, or a server answering many requests, would
// otherwise read the database each time.
//
// Thread-safety: any thread; set_user_source only before the first lookup.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace renderq {

// Where user_name and parse_user read accounts. Nss (the default): the C
// library, so every source nsswitch.conf names (files, systemd, LDAP...).
// Files: /etc/passwd alone, for a statically linked program (the thin
// renderq): its glibc would load NSS modules built for the shared libc,
// and nss-systemd crashes in such a program whenever a uid or name is not
// in the files (systemd issue 11970). Accounts only another source knows
// then show as their uid.
enum class UserSource { Nss, Files };
void set_user_source(UserSource source);

// The account name of `uid`; "" when it has none.
std::string user_name(std::int64_t uid);

// The home folder of `uid`'s account; "" when it has none.
std::string user_home(std::int64_t uid);

// user_name, or "uid N" when the uid has no account: for messages.
std::string user_label(std::int64_t uid);

// The uid of `text`: an account name, as chown(1) reads a user, or else a
// number (a uid with no account here, e.g. a PostgreSQL queue's submitter
// on another host). Errc::InvalidArgument naming `text` when it is neither.
Result<std::int64_t> parse_user(std::string_view text);

// Every group of the account `name` whose primary group is `gid` (that
// group included), as login would give them.
std::vector<gid_t> account_groups(const char* name, gid_t gid);

}  // namespace renderq
