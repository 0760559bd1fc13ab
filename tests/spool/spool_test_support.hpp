// Helpers shared by the spool tests: a private temporary folder, a valid
// job, and a store with a clock the test moves by hand.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "spool/owner.hpp"
#include "spool/sqlite_store.hpp"

namespace renderq::test {

// mkdtemp folder removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "renderq-spool-test-XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline NewJob job(int priority = 0, std::vector<JobId> after = {}, int max_attempts = 1) {
  NewJob j;
  j.spec.scene = "/scenes/box.glb";
  j.spec.output = "/renders/box.png";
  j.priority = priority;
  j.after = std::move(after);
  j.max_attempts = max_attempts;
  return j;
}

inline Owner owner(std::int64_t pid = 1234) { return Owner{.host = "testhost", .boot_id = "boot-a", .pid = pid}; }

// A SqliteStore on a fresh database whose clock is `now` (milliseconds).
struct StoreFixture {
  TempDir dir;
  std::int64_t now = 1'000'000;
  std::unique_ptr<SqliteStore> store;

  StoreFixture() {
    auto s = SqliteStore::open(dir.path() / "queue.db", true, [this] { return now; });
    REQUIRE(s.has_value());
    store = std::move(*s);
  }

  JobId submit(const NewJob& j) {
    Result<JobId> id = store->submit(j);
    REQUIRE(id.has_value());
    return *id;
  }

  std::optional<Job> claim(std::int64_t pid = 1234, std::int64_t lease_ms = 30'000) {
    Result<std::optional<Job>> c =
        store->claim(ClaimRequest{.owner = owner(pid), .worker = "w", .device = "llvmpipe", .lease_ms = lease_ms,
                                  .now_ms = now});
    REQUIRE(c.has_value());
    return *c;
  }

  JobState state(JobId id) {
    Result<Job> j = store->get(id);
    REQUIRE(j.has_value());
    return j->state;
  }

  Job get(JobId id) {
    Result<Job> j = store->get(id);
    REQUIRE(j.has_value());
    return *j;
  }
};

inline Outcome ok() { return Outcome{.ok = true}; }
inline Outcome failure(bool retryable = false) {
  return Outcome{.ok = false, .error_code = "gltf_invalid", .error_message = "bad scene", .retryable = retryable};
}

}  // namespace renderq::test
