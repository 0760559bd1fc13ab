// Daemon option values and the test-only fault hook's syntax.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "daemon/fault.hpp"
#include "daemon/supervisor.hpp"

using namespace renderq;

TEST_CASE("device lists", "[daemon][options]") {
  REQUIRE(parse_device_list("all")->empty());
  REQUIRE(*parse_device_list("0") == std::vector<int>{0});
  REQUIRE(*parse_device_list("2,0,1") == std::vector<int>{2, 0, 1});
  for (const char* bad : {"", "x", "0,", ",1", "-1", "1,1", "0;1", "1.5"}) {
    INFO(bad);
    REQUIRE(parse_device_list(bad).error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("byte sizes", "[daemon][options]") {
  REQUIRE(*parse_byte_size("0") == 0);
  REQUIRE(*parse_byte_size("1500") == 1500);
  REQUIRE(*parse_byte_size("4K") == 4096);
  REQUIRE(*parse_byte_size("512M") == 512LL << 20);
  REQUIRE(*parse_byte_size("1.5G") == 3LL << 29);
  for (const char* bad : {"", "M", "-1G", "3T", "12 M"}) {
    INFO(bad);
    REQUIRE(parse_byte_size(bad).error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("fault hook syntax", "[daemon][fault]") {
  Result<std::vector<Fault>> f = parse_faults("crash-on-job:a,hang-on-job:b c,delay-ms:25,segv-on-job:d");
  REQUIRE(f);
  REQUIRE(f->size() == 4);
  REQUIRE((*f)[0].kind == Fault::Kind::CrashOnJob);
  REQUIRE((*f)[0].job_name == "a");
  REQUIRE((*f)[1].job_name == "b c");
  REQUIRE((*f)[2].kind == Fault::Kind::DelayMs);
  REQUIRE((*f)[2].delay_ms == 25);
  REQUIRE((*f)[3].kind == Fault::Kind::SegvOnJob);
  for (const char* bad : {"crash", "crash-on-job:", "delay-ms:x", "delay-ms:-5", "explode:now"}) {
    INFO(bad);
    REQUIRE(parse_faults(bad).error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("the fault hook is off unless RENDERQ_TEST_HOOKS=1", "[daemon][fault]") {
  ::setenv("RENDERQ_TEST_FAULT", "crash-on-job:x", 1);
  ::unsetenv("RENDERQ_TEST_HOOKS");
  REQUIRE(faults_from_env()->empty());
  ::setenv("RENDERQ_TEST_HOOKS", "yes", 1);
  REQUIRE(faults_from_env()->empty());
  ::setenv("RENDERQ_TEST_HOOKS", "1", 1);
  REQUIRE(faults_from_env()->size() == 1);
  ::setenv("RENDERQ_TEST_FAULT", "crash-on-jb:x", 1);
  REQUIRE_FALSE(faults_from_env());  // a typo fails loudly instead of testing nothing
  ::unsetenv("RENDERQ_TEST_FAULT");
  ::unsetenv("RENDERQ_TEST_HOOKS");
}

TEST_CASE("a harmless fault returns", "[daemon][fault]") {
  apply_faults(*parse_faults("crash-on-job:other,delay-ms:1"), "mine");
  SUCCEED("a job with another name is not crashed");
}
