// The daemon registry (spool/daemon_record.hpp): the store's rows on both
// backends (record, heartbeat, stale, remove, forget) and the rules readers
// apply to them; PgQueue::served() answers from it.
#include <catch2/catch.hpp>
#include <unistd.h>

#include "spool/pg_queue.hpp"
#include "spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

namespace {

DaemonRecord daemon_row(const std::string& host, std::int64_t pid, std::int64_t lease_ms = 1'000) {
  return DaemonRecord{.owner = Owner{.host = host, .boot_id = "boot-a", .pid = pid},
                      .devices = {"llvmpipe (LLVM 15.0.6, 256 bits)", ""},
                      .slots = 2,
                      .version = "0.1.0",
                      .started_ms = 500'000,
                      .seen_ms = 0,
                      .stale_after_ms = daemon_stale_after(lease_ms)};
}

DaemonRoster roster(StoreFixture& f) {
  Result<DaemonRoster> r = f.store->daemons();
  REQUIRE(r.has_value());
  return *r;
}

// A reader on no host of the test rows: only heartbeats decide.
const Owner kElsewhere{.host = "reader", .boot_id = "boot-r", .pid = 1};

}  // namespace

TEST_CASE("a recorded daemon is listed with every field and its heartbeat on the store's clock", "[store][daemons]") {
  StoreFixture f;
  CHECK(roster(f).daemons.empty());
  REQUIRE(f.store->record_daemon(daemon_row("h1", 101)).has_value());
  const DaemonRoster r = roster(f);
  CHECK(r.now_ms == f.now);
  REQUIRE(r.daemons.size() == 1);
  const DaemonRecord& d = r.daemons[0];
  CHECK(d.owner == Owner{.host = "h1", .boot_id = "boot-a", .pid = 101});
  CHECK(d.devices == std::vector<std::string>{"llvmpipe (LLVM 15.0.6, 256 bits)", ""});
  CHECK(d.slots == 2);
  CHECK(d.version == "0.1.0");
  CHECK(d.started_ms == 500'000);
  CHECK(d.seen_ms == f.now);
  CHECK(d.stale_after_ms == 3'000);
  CHECK(any_live(r, kElsewhere));
}

TEST_CASE("a heartbeat refreshes the row, a daemon that misses three leases is stale", "[store][daemons]") {
  StoreFixture f;
  REQUIRE(f.store->record_daemon(daemon_row("h1", 101)).has_value());
  REQUIRE(f.store->record_daemon(daemon_row("h2", 202)).has_value());
  f.now += 2'000;
  DaemonRecord h1 = daemon_row("h1", 101);
  h1.devices = {"llvmpipe", "llvmpipe"};  // the workers reported
  REQUIRE(f.store->record_daemon(h1).has_value());
  f.now += 1'500;  // h2 last seen 3.5 s ago, h1 1.5 s ago; both limits 3 s
  DaemonRoster r = roster(f);
  REQUIRE(r.daemons.size() == 2);  // a stale row is still listed: readers decide
  CHECK(r.daemons[0].owner.host == "h1");
  CHECK(r.daemons[0].seen_ms == f.now - 1'500);
  CHECK(r.daemons[0].devices == std::vector<std::string>{"llvmpipe", "llvmpipe"});
  CHECK_FALSE(is_stale(r.daemons[0], r.now_ms));
  CHECK(is_stale(r.daemons[1], r.now_ms));
  CHECK(any_live(r, kElsewhere));
  f.now += 2'000;
  CHECK_FALSE(any_live(roster(f), kElsewhere));
  // A stale daemon that wakes (it was frozen) is live again at its next beat.
  REQUIRE(f.store->record_daemon(daemon_row("h2", 202)).has_value());
  CHECK(any_live(roster(f), kElsewhere));
}

TEST_CASE("a removed daemon is gone, removing a missing row is ok", "[store][daemons]") {
  StoreFixture f;
  REQUIRE(f.store->record_daemon(daemon_row("h1", 101)).has_value());
  REQUIRE(f.store->record_daemon(daemon_row("h1", 102)).has_value());  // a second daemon under one name
  REQUIRE(f.store->remove_daemon(Owner{.host = "h1", .boot_id = "boot-a", .pid = 101}).has_value());
  DaemonRoster r = roster(f);
  REQUIRE(r.daemons.size() == 1);
  CHECK(r.daemons[0].owner.pid == 102);
  CHECK(f.store->remove_daemon(Owner{.host = "h1", .boot_id = "boot-a", .pid = 101}).has_value());
  // A row deleted while its daemon lives comes back with its next heartbeat.
  REQUIRE(f.store->remove_daemon(Owner{.host = "h1", .boot_id = "boot-a", .pid = 102}).has_value());
  REQUIRE(f.store->record_daemon(daemon_row("h1", 102)).has_value());
  CHECK(roster(f).daemons.size() == 1);
}

TEST_CASE("forget_daemons deletes only rows stale for longer than asked", "[store][daemons]") {
  StoreFixture f;
  REQUIRE(f.store->record_daemon(daemon_row("old", 1)).has_value());
  f.now += 10'000;
  REQUIRE(f.store->record_daemon(daemon_row("new", 2)).has_value());
  // "old": seen 10 s ago, limit 3 s: stale for 7 s. "new": fresh.
  Result<int> n = f.store->forget_daemons(8'000);
  REQUIRE(n.has_value());
  CHECK(*n == 0);
  n = f.store->forget_daemons(6'000);
  REQUIRE(n.has_value());
  CHECK(*n == 1);
  const DaemonRoster r = roster(f);
  REQUIRE(r.daemons.size() == 1);
  CHECK(r.daemons[0].owner.host == "new");
}

TEST_CASE("record_daemon refuses a row without host, pid or staleness limit", "[store][daemons]") {
  StoreFixture f;
  DaemonRecord d = daemon_row("h1", 101);
  d.stale_after_ms = 0;
  CHECK(f.store->record_daemon(d).error().code == Errc::InvalidArgument);
  d = daemon_row("", 101);
  CHECK(f.store->record_daemon(d).error().code == Errc::InvalidArgument);
  d = daemon_row("h1", 0);
  CHECK(f.store->record_daemon(d).error().code == Errc::InvalidArgument);
  d = daemon_row("h1", 101);
  d.slots = -1;
  CHECK(f.store->record_daemon(d).error().code == Errc::InvalidArgument);
  CHECK(roster(f).daemons.empty());
}

TEST_CASE("a reader on the daemon's own host counts a dead pid or another boot as gone at once", "[daemons]") {
  const Owner self = current_owner();
  DaemonRecord d{.owner = self, .devices = {}, .slots = 1, .version = "", .started_ms = 0, .seen_ms = 1'000,
                 .stale_after_ms = 3'000};
  CHECK_FALSE(is_gone(d, 2'000, self));  // this very process: alive
  CHECK(is_gone(d, 5'000, self));        // stale all the same
  DaemonRecord rebooted = d;
  rebooted.owner.boot_id = "another-boot";
  CHECK(is_gone(rebooted, 2'000, self));
  DaemonRecord dead = d;
  dead.owner.pid = 0x3fffffff;  // beyond pid_max
  CHECK(is_gone(dead, 2'000, self));
  DaemonRecord elsewhere = dead;
  elsewhere.owner.host = self.host + "-other";
  CHECK_FALSE(is_gone(elsewhere, 2'000, self));  // another host: its heartbeat decides
}

TEST_CASE("the devices column round-trips and refuses what is not an array of strings", "[daemons]") {
  const std::vector<std::string> devices{"NVIDIA H200/PCIe/SSE2", "", "llvmpipe \"x\""};
  CHECK(devices_from_json_text(devices_to_json_text(devices)) == devices);
  CHECK_FALSE(devices_from_json_text("{}").has_value());
  CHECK_FALSE(devices_from_json_text("[1]").has_value());
  CHECK_FALSE(devices_from_json_text("nope").has_value());
}

TEST_CASE("pg: served() is true while some daemon's row is fresh", "[pg][daemons]") {
  const std::string url = PgServer::instance().fresh_url();
  Result<std::unique_ptr<PgQueue>> q = PgQueue::open(url);
  REQUIRE(q.has_value());
  CHECK((*q)->served() == false);
  Result<std::unique_ptr<PgStore>> daemon = PgStore::open(url);
  REQUIRE(daemon.has_value());
  DaemonRecord d = daemon_row("pg-test-host", 4242, 60'000);
  REQUIRE((*daemon)->record_daemon(d).has_value());
  CHECK((*q)->served() == true);
  // Seen long ago (more than three leases): no longer serving.
  (*daemon)->connection().exec("UPDATE daemons SET seen_ms = seen_ms - 200000");
  CHECK((*q)->served() == false);
  REQUIRE((*daemon)->record_daemon(d).has_value());
  CHECK((*q)->served() == true);
  REQUIRE((*daemon)->remove_daemon(d.owner).has_value());
  CHECK((*q)->served() == false);
}
