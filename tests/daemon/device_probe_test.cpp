// Which worker slots a probe's device list gives: every GPU, else the first
// (software) device; an empty list gives none.
#include <catch2/catch.hpp>

#include "daemon/device_probe.hpp"

using namespace renderq;

TEST_CASE("every hardware device gets a worker, software ones do not beside a GPU", "[daemon][device_probe]") {
  std::vector<wire::DeviceEntry> devices = {
      {.index = 0, .device = "llvmpipe", .software = true},
      {.index = 1, .device = "NVIDIA H200", .software = false},
      {.index = 2, .device = "NVIDIA H200", .software = false},
  };
  CHECK(slots_for_devices(devices) == std::vector<std::optional<int>>{1, 2});
}

TEST_CASE("without a GPU the first device renders, an unnumbered one is left to the renderer",
          "[daemon][device_probe]") {
  CHECK(slots_for_devices({{.index = 3, .device = "llvmpipe", .software = true},
                           {.index = 4, .device = "softpipe", .software = true}}) ==
        std::vector<std::optional<int>>{3});
  CHECK(slots_for_devices({{.index = -1, .device = "surfaceless", .software = true}}) ==
        std::vector<std::optional<int>>{std::nullopt});
  CHECK(slots_for_devices({}).empty());
}

TEST_CASE("a bad list is named before any probe", "[daemon][device_probe]") {
  Result<std::vector<std::optional<int>>> bad = choose_devices("1,x", "/nonexistent/renderq");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == Errc::InvalidArgument);
}

TEST_CASE("listed devices must be among the probed ones", "[daemon][device_probe]") {
  const std::vector<wire::DeviceEntry> found = {{.index = 0, .device = "llvmpipe", .software = true},
                                                {.index = 2, .device = "NVIDIA H200", .software = false}};
  CHECK(check_listed_devices({2, 0}, found));
  Result<void> missing = check_listed_devices({0, 5}, found);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == Errc::InvalidArgument);
  CHECK(missing.error().detail.find("no EGL device 5") != std::string::npos);
  CHECK(missing.error().detail.find("0 llvmpipe, 2 NVIDIA H200") != std::string::npos);
  Result<void> unnumbered = check_listed_devices({0}, {{.index = -1, .device = "surfaceless", .software = true}});
  REQUIRE_FALSE(unnumbered);
  CHECK(unnumbered.error().detail.find("lists none") != std::string::npos);
}

TEST_CASE("a probe that cannot run is egl_no_device", "[daemon][device_probe]") {
  Result<std::vector<std::optional<int>>> none = choose_devices("all", "/nonexistent/renderq");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == Errc::EglNoDevice);
}
