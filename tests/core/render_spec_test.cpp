#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <limits>

#include "core/render_spec.hpp"

using namespace renderq;

TEST_CASE("a render spec survives its JSON form", "[spec]") {
  RenderSpec s;
  s.scene = "/a/b.glb";
  s.output = "/tmp/o.png";
  s.width = 640;
  s.height = 480;
  s.orbit.yaw_deg = 30;
  s.orbit.target = std::array<double, 3>{1, 2, 3};
  s.background = std::array<std::uint8_t, 3>{255, 0, 16};
  s.tonemap = ToneMap::Aces;
  auto back = spec_from_json(to_json(s));
  REQUIRE(back);
  CHECK(*back == s);
}

TEST_CASE("spec JSON rejects unknown fields, wrong types and newer versions", "[spec]") {
  using nlohmann::json;
  CHECK(spec_from_json(json{{"bogus", 1}}).error().code == Errc::InvalidArgument);
  CHECK(spec_from_json(json{{"width", "big"}}).error().code == Errc::InvalidArgument);
  CHECK(spec_from_json(json{{"version", 99}}).error().code == Errc::InvalidArgument);
  CHECK(spec_from_json(json{{"orbit", {{"roll", 1}}}}).error().code == Errc::InvalidArgument);
  CHECK(spec_from_json(json::array()).error().code == Errc::InvalidArgument);
}

TEST_CASE("spec values are range-checked", "[spec]") {
  RenderSpec s;
  s.width = 0;
  CHECK(validate_values(s).error().code == Errc::SizeOutOfRange);
  s.width = 100000;
  s.height = 100000;
  CHECK(validate_values(s).error().code == Errc::SizeOutOfRange);
  s = RenderSpec{};
  s.samples = 3;
  CHECK(validate_values(s).error().code == Errc::SamplesOutOfRange);
  s = RenderSpec{};
  CHECK(validate_values(s));
}

TEST_CASE("frame paths number the frames", "[spec]") {
  RenderSpec s;
  s.output = "/x/out.png";
  CHECK(frame_path(s, 3) == "/x/out.png");
  s.frames = 10;
  CHECK(frame_path(s, 3) == "/x/out_0003.png");
  s.output = "/x/f%03d.png";
  CHECK(frame_path(s, 12) == "/x/f012.png");
  // One frame: a frame field is still frame 0's (it was written literally).
  s.frames = 1;
  CHECK(frame_path(s, 0) == "/x/f000.png");
  s.output = "/x/one_%04d.png";
  CHECK(frame_path(s, 0) == "/x/one_0000.png");
  s.output = "/x/100%.png";  // no field: as given
  CHECK(frame_path(s, 0) == "/x/100%.png");
  s.output = "/x/spin%d.webp";  // one frame of .webp is a still
  CHECK(frame_path(s, 0) == "/x/spin0.webp");
  s.frames = 5;
  s.output = "/x/spin.webp";  // an animation: one file
  CHECK(frame_path(s, 3) == "/x/spin.webp");
}

TEST_CASE("a turntable orbits the default camera: a file camera is refused", "[spec]") {
  RenderSpec s;
  s.output = "/x/t.png";
  s.frames = 3;
  s.turntable = true;
  CHECK(validate_values(s));
  s.camera = "0";
  CHECK(validate_values(s).error().code == Errc::InvalidArgument);
  s.turntable = false;
  s.animate = true;  // an animation may use the file's camera
  CHECK(validate_values(s));
}

TEST_CASE("every string of a spec must be valid UTF-8 without NUL bytes", "[spec]") {
  const std::string latin1 = "caf\xe9";
  for (std::string RenderSpec::*field :
       {&RenderSpec::scene, &RenderSpec::output, &RenderSpec::camera, &RenderSpec::environment, &RenderSpec::animation}) {
    RenderSpec s;
    s.scene = "/x/caf\xc3\xa9.glb";
    s.output = "/x/caf\xc3\xa9.png";
    CHECK(validate_values(s));
    s.*field = "/x/" + latin1 + ".png";
    auto bad = validate_values(s);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
    s.*field = std::string("/x/a\0b.png", 10);
    CHECK(validate_values(s).error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("an output pattern holds exactly one frame field, however long the path", "[spec]") {
  RenderSpec s;
  s.frames = 2;
  s.turntable = true;
  for (const char* ok : {"/x/f%d.png", "/x/f%4d.png", "/x/f%04d.png", "/x/f%0d.png", "/x/%00d/f.png"}) {
    s.output = ok;
    CHECK(validate_values(s));
  }
  for (const char* bad : {"/x/f%s.png", "/x/f%004d.png", "/x/f%12d.png", "/x/f%d%d.png", "/x/f%.png", "/x/f%",
                          "/x/%%d.png", "/x/f%-4d.png"}) {
    s.output = bad;
    CHECK(validate_values(s).error().code == Errc::InvalidArgument);
  }
  // std::regex matched these by recursion and overflowed the stack (fuzz/job_spec.cpp).
  s.output = "/x/" + std::string(200000, 'a') + "%04d.png";
  CHECK(validate_values(s));
  s.output = "/x/" + std::string(200000, 'a') + "%s.png";
  CHECK(validate_values(s).error().code == Errc::InvalidArgument);
}

TEST_CASE("colours and sizes parse", "[spec]") {
  CHECK(parse_color("#ff0010").value() == std::optional<std::array<std::uint8_t, 3>>({255, 0, 16}));
  CHECK_FALSE(parse_color("transparent").value().has_value());
  CHECK(parse_color("#ggg000").error().code == Errc::InvalidArgument);
  CHECK(parse_size("1920x1080").value() == std::array<int, 2>{1920, 1080});
  CHECK_FALSE(parse_size("1920"));
}

TEST_CASE("animation fields survive JSON, default to the rest pose, and are checked", "[spec]") {
  using nlohmann::json;
  RenderSpec s;
  s.scene = "/a/b.glb";
  s.output = "/tmp/o.png";
  s.animation = "Walk";
  s.animate = true;
  s.fps = 24;
  s.frames = 48;
  auto back = spec_from_json(to_json(s));
  REQUIRE(back);
  CHECK(*back == s);
  s.animate = false;
  s.fps = 0;
  s.frames = 1;
  s.time = 1.5;
  CHECK(spec_from_json(to_json(s)).value() == s);
  // A stored spec from before these keys reads as the rest pose.
  auto old = spec_from_json(json{{"version", 1}, {"scene", "/a.glb"}, {"output", "/o.png"}});
  REQUIRE(old);
  CHECK(old->animation.empty());
  CHECK_FALSE(old->time.has_value());
  CHECK_FALSE(old->animate);
  CHECK_FALSE(to_json(RenderSpec{}).contains("animate"));
  CHECK(spec_from_json(json{{"time", "noon"}}).error().code == Errc::InvalidArgument);
  CHECK(spec_from_json(json{{"animate", 1}}).error().code == Errc::InvalidArgument);

  RenderSpec v;
  v.frames = 3;  // frames with neither turntable nor animate: identical images
  CHECK(validate_values(v).error().code == Errc::InvalidArgument);
  v.animate = true;
  CHECK(validate_values(v));
  v.turntable = true;  // both together
  CHECK(validate_values(v));
  v.time = 2.0;  // a fixed time and animate exclude each other
  CHECK(validate_values(v).error().code == Errc::InvalidArgument);
  v.time.reset();
  v.fps = -1;
  CHECK(validate_values(v).error().code == Errc::InvalidArgument);
  v.fps = 30;
  CHECK(validate_values(v));
  v.animate = false;  // fps also times an animated WebP turntable
  CHECK(validate_values(v));
  v.fps = 121;
  CHECK(validate_values(v).error().code == Errc::InvalidArgument);
  RenderSpec t;
  t.time = std::numeric_limits<double>::quiet_NaN();
  CHECK(validate_values(t).error().code == Errc::InvalidArgument);
}

TEST_CASE("max_scene_memory survives JSON, is left out at 0 and must be a byte count", "[spec][budget]") {
  using nlohmann::json;
  RenderSpec s;
  s.scene = "/a/b.glb";
  s.output = "/tmp/o.png";
  CHECK_FALSE(to_json(s).contains("max_scene_memory"));  // older renderq still reads it
  s.max_scene_memory = std::uint64_t{3} << 30;
  json j = to_json(s);
  CHECK(j["max_scene_memory"] == std::uint64_t{3} << 30);
  CHECK(spec_from_json(j).value() == s);
  j["max_scene_memory"] = -1;
  CHECK(spec_from_json(j).error().code == Errc::InvalidArgument);
  j["max_scene_memory"] = "4G";
  CHECK(spec_from_json(j).error().code == Errc::InvalidArgument);
}
