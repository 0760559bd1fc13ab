// Helpers shared by the spool tests: a private temporary folder, a valid
// job, and a store with a clock the test moves by hand, on either backend:
// a StoreFixture made with no argument runs the test body once on SQLite
// and once on a private PostgreSQL server (Catch2 GENERATE).
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "spool/owner.hpp"
#include "spool/pg_store.hpp"
#include "spool/sqlite_store.hpp"
#include "tests/spool/pg_server.hpp"

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

enum class Backend { Sqlite, Postgres };

// A store on a fresh database whose clock is `now` (milliseconds).
struct StoreFixture {
  TempDir dir;
  std::int64_t now = 1'000'000;
  Backend backend;
  std::string pg_url;  // Postgres: the fresh schema's URL
  std::unique_ptr<Store> store;

  StoreFixture() : StoreFixture(GENERATE(Backend::Sqlite, Backend::Postgres)) {}
  explicit StoreFixture(Backend b) : backend(b) {
    if (b == Backend::Postgres) {
      // Fails (never skips) with the server's own words when PostgreSQL is
      // missing or will not start.
      try {
        pg_url = PgServer::instance().fresh_url();
      } catch (const std::exception& e) {
        FAIL(e.what());
      }
    }
    store = reopen();
  }

  // Another connection to the same queue, on the same clock.
  std::unique_ptr<Store> reopen() {
    if (backend == Backend::Postgres) {
      auto s = PgStore::open(pg_url, [this] { return now; });
      REQUIRE(s.has_value());
      return std::move(*s);
    }
    auto s = SqliteStore::open(dir.path() / "queue.db", true, [this] { return now; });
    REQUIRE(s.has_value());
    return std::move(*s);
  }

  // The SQLite store of a fixture made with Backend::Sqlite.
  SqliteStore& sqlite() { return dynamic_cast<SqliteStore&>(*store); }

  JobId submit(const NewJob& j) {
    Result<JobId> id = store->submit(j);
    if (!id) FAIL(id.error().message());
    return *id;
  }

  std::optional<Job> claim(std::int64_t pid = 1234, std::int64_t lease_ms = 30'000) {
    Result<std::optional<Job>> c =
        store->claim(ClaimRequest{.owner = owner(pid), .worker = "w", .device = "llvmpipe", .lease_ms = lease_ms,
                                  .now_ms = now});
    if (!c) FAIL(c.error().message());
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
