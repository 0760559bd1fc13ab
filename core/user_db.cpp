#include "core/user_db.hpp"

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <unordered_map>

namespace renderq {

std::string user_name(std::int64_t uid) {
  thread_local std::unordered_map<std::int64_t, std::string> known;
  if (auto it = known.find(uid); it != known.end()) return it->second;
  passwd pw{};
  passwd* found = nullptr;
  char buf[4096];
  std::string name;
  if (::getpwuid_r(static_cast<uid_t>(uid), &pw, buf, sizeof buf, &found) == 0 && found != nullptr) name = found->pw_name;
  if (known.size() < 4096) known.emplace(uid, name);
  return name;
}

std::string user_label(std::int64_t uid) {
  std::string name = user_name(uid);
  return name.empty() ? "uid " + std::to_string(uid) : name;
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
