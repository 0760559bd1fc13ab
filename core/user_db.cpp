#include "core/user_db.hpp"

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <limits>
#include <optional>
#include <unordered_map>

namespace renderq {

namespace {

std::atomic<UserSource> g_source{UserSource::Nss};

// The first account of /etc/passwd that `match` accepts, read without NSS;
// fgetpwent_r reports a line too long for buf, or the end, as an error.
template <class Match, class Take>
void scan_passwd_file(const Match& match, const Take& take) {
  std::FILE* f = std::fopen("/etc/passwd", "re");
  if (f == nullptr) return;
  passwd pw{};
  passwd* found = nullptr;
  char buf[4096];
  while (::fgetpwent_r(f, &pw, buf, sizeof buf, &found) == 0 && found != nullptr) {
    if (match(*found)) {
      take(*found);
      break;
    }
  }
  std::fclose(f);
}

}  // namespace

void set_user_source(UserSource source) { g_source.store(source, std::memory_order_relaxed); }

namespace {

// Hands the account of `uid` to `take`, from the chosen source; nothing when
// it has none.
template <class Take>
void with_account(std::int64_t uid, const Take& take) {
  if (uid < 0 || uid >= static_cast<std::int64_t>(std::numeric_limits<uid_t>::max())) return;
  const auto id = static_cast<uid_t>(uid);
  if (g_source.load(std::memory_order_relaxed) == UserSource::Files) {
    scan_passwd_file([id](const passwd& p) { return p.pw_uid == id; }, take);
    return;
  }
  passwd pw{};
  passwd* found = nullptr;
  char buf[4096];
  if (::getpwuid_r(id, &pw, buf, sizeof buf, &found) == 0 && found != nullptr) take(*found);
}

}  // namespace

std::string user_name(std::int64_t uid) {
  thread_local std::unordered_map<std::int64_t, std::string> known;
  if (auto it = known.find(uid); it != known.end()) return it->second;
  std::string name;
  with_account(uid, [&name](const passwd& p) { name = p.pw_name; });
  if (known.size() < 4096) known.emplace(uid, name);
  return name;
}

std::string user_home(std::int64_t uid) {
  std::string home;
  with_account(uid, [&home](const passwd& p) {
    if (p.pw_dir != nullptr) home = p.pw_dir;
  });
  return home;
}

std::string user_label(std::int64_t uid) {
  std::string name = user_name(uid);
  return name.empty() ? "uid " + std::to_string(uid) : name;
}

Result<std::int64_t> parse_user(std::string_view text) {
  const std::string name(text);
  if (!name.empty()) {
    std::optional<std::int64_t> uid;
    if (g_source.load(std::memory_order_relaxed) == UserSource::Files) {
      scan_passwd_file([&name](const passwd& p) { return name == p.pw_name; },
                       [&uid](const passwd& p) { uid = p.pw_uid; });
    } else {
      passwd pw{};
      passwd* found = nullptr;
      char buf[4096];
      if (::getpwnam_r(name.c_str(), &pw, buf, sizeof buf, &found) == 0 && found != nullptr) uid = found->pw_uid;
    }
    if (uid) return *uid;
  }
  // A number only when no account has that name, as chown reads it; uid_t's
  // top value is (uid_t)-1, which means "no uid", so it is refused.
  std::int64_t uid = -1;
  const char* end = name.data() + name.size();
  const auto [ptr, ec] = std::from_chars(name.data(), end, uid);
  if (!name.empty() && ec == std::errc{} && ptr == end && uid >= 0 &&
      uid < static_cast<std::int64_t>(std::numeric_limits<uid_t>::max()))
    return uid;
  return fail(Errc::InvalidArgument, "unknown user '" + name + "': no such account on this host, and not a uid");
}

std::vector<gid_t> account_groups(const char* name, gid_t gid) {
  int count = 64;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  if (::getgrouplist(name, gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<std::size_t>(count));
    if (::getgrouplist(name, gid, groups.data(), &count) < 0) count = 0;
  }
  groups.resize(static_cast<std::size_t>(std::max(count, 0)));
  return groups;
}

}  // namespace renderq
