// The supervisor <-> worker wire format: round trips, version refusal, framing.
#include <catch2/catch.hpp>

#include "daemon/protocol.hpp"

using namespace renderq;

TEST_CASE("every worker message survives encode and decode", "[daemon][protocol]") {
  RenderSpec spec;
  spec.scene = "/tmp/a.glb";
  spec.output = "/tmp/a.png";
  spec.width = 64;
  spec.height = 32;
  std::vector<wire::Message> messages = {
      wire::Ready{.index = 2, .device = "llvmpipe (LLVM 15)", .software = true},
      wire::StartFailed{.code = "egl_no_device", .message = "none"},
      wire::Devices{.devices = {{0, "A", false}, {-1, "B", true}}},
      wire::Progress{.id = 7, .done = 3, .total = 10},
      wire::Done{.id = 7, .ok = false, .code = "timeout", .message = "m", .retryable = true, .restart = true,
                 .rss = 123456789},
      wire::JobRequest{.id = 9, .name = "n", .log_path = "/s/jobs/9/job.log", .spec = spec, .stage = "9-2-h-77"},
  };
  for (const wire::Message& m : messages) {
    std::string line = wire::encode(m);
    REQUIRE(line.back() == '\n');
    REQUIRE(line.find('\n') == line.size() - 1);  // one line, whatever the content
    line.pop_back();
    Result<wire::Message> back = wire::decode(line);
    REQUIRE(back);
    REQUIRE(back->index() == m.index());
    REQUIRE(wire::encode(*back) == wire::encode(m));
  }
  auto job = std::get<wire::JobRequest>(*wire::decode(wire::encode(messages.back())));
  REQUIRE(job.spec == spec);
  REQUIRE(job.stage == "9-2-h-77");
}

TEST_CASE("a message from another protocol version is refused", "[daemon][protocol]") {
  Result<wire::Message> m = wire::decode(R"({"v":2,"type":"ready","index":0,"device":"x","software":false})");
  REQUIRE_FALSE(m);
  REQUIRE(m.error().code == Errc::InvalidArgument);
  REQUIRE_FALSE(wire::decode(R"({"type":"ready","index":0,"device":"x","software":false})"));
}

TEST_CASE("malformed worker messages are errors, not exceptions", "[daemon][protocol]") {
  for (const char* bad : {"", "not json", "[1,2]", R"({"v":1})", R"({"v":1,"type":"nope"})",
                          R"({"v":1,"type":"progress","id":"x","done":1,"total":2})",
                          R"({"v":1,"type":"job","id":1,"name":"n","log":"l","spec":{"version":99}})"}) {
    Result<wire::Message> m = wire::decode(bad);
    INFO(bad);
    REQUIRE_FALSE(m);
    REQUIRE(m.error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("LineBuffer splits a byte stream into whole lines", "[daemon][protocol]") {
  wire::LineBuffer b;
  b.append("ab");
  REQUIRE_FALSE(b.next_line());
  b.append("c\nde\n\nf");
  REQUIRE(*b.next_line() == "abc");
  REQUIRE(*b.next_line() == "de");
  REQUIRE(*b.next_line() == "");
  REQUIRE_FALSE(b.next_line());
  REQUIRE(b.pending() == 1);
}
