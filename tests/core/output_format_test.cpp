#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/output_format.hpp"
#include "core/render_spec.hpp"

using namespace renderq;

TEST_CASE("the output's extension picks the format, without case", "[spec][format]") {
  CHECK(image_format_of("/a/x.png").value() == ImageFormat::Png);
  CHECK(image_format_of("/a/x.PNG").value() == ImageFormat::Png);
  CHECK(image_format_of("/a/x.jpg").value() == ImageFormat::Jpeg);
  CHECK(image_format_of("/a/x.JPEG").value() == ImageFormat::Jpeg);
  CHECK(image_format_of("/a/x.webp").value() == ImageFormat::WebP);
  CHECK(image_format_of("/a/f_%04d.webp").value() == ImageFormat::WebP);
  for (const char* bad : {"/a/x.exr", "/a/x", "/a.png/x", "/a/.png", "/a/x.png.gz", "/a/x."})
    CHECK(image_format_of(bad).error().code == Errc::OutputFormatUnknown);
}

TEST_CASE("validate_values refuses an output its format cannot hold", "[spec][format]") {
  RenderSpec s;
  s.output = "/o/x.exr";
  CHECK(validate_values(s).error().code == Errc::OutputFormatUnknown);
  s.output = "/o/x";
  CHECK(validate_values(s).error().code == Errc::OutputFormatUnknown);
  s.output = "/o/x.jpg";  // transparent background: JPEG has no alpha
  CHECK(validate_values(s).error().code == Errc::OutputFormatUnsupported);
  s.background = std::array<std::uint8_t, 3>{255, 255, 255};
  CHECK(validate_values(s));
  s.depth = 16;
  CHECK(validate_values(s).error().code == Errc::OutputFormatUnsupported);
  s.output = "/o/x.webp";
  CHECK(validate_values(s).error().code == Errc::OutputFormatUnsupported);
  s.output = "/o/x.png";
  CHECK(validate_values(s));
  s.depth = 12;
  CHECK(validate_values(s).error().code == Errc::InvalidArgument);
  s.depth = 8;
  s.quality = 101;
  CHECK(validate_values(s).error().code == Errc::InvalidArgument);
  s.quality = 50;  // ignored by PNG, as png_level is by JPEG: one config serves all
  CHECK(validate_values(s));
  s.fps = 121;
  CHECK(validate_values(s).error().code == Errc::InvalidArgument);
  s.fps = 0;
  s.output = "/o/x_%04d";  // a frame pattern needs an extension too
  s.frames = 3;
  s.turntable = true;
  CHECK(validate_values(s).error().code == Errc::OutputFormatUnknown);
}

TEST_CASE("a multi-frame .webp is one animated file, other formats one file a frame", "[spec][format]") {
  RenderSpec s;
  s.output = "/o/spin.webp";
  CHECK(frame_path(s, 0) == "/o/spin.webp");
  CHECK_FALSE(writes_animation(s));  // one frame: a still
  s.frames = 36;
  CHECK(writes_animation(s));
  CHECK(frame_path(s, 7) == "/o/spin.webp");
  s.output = "/o/spin_%02d.webp";  // a field asks for stills
  CHECK_FALSE(writes_animation(s));
  CHECK(frame_path(s, 7) == "/o/spin_07.webp");
  s.output = "/o/spin.jpg";
  CHECK_FALSE(writes_animation(s));
  CHECK(frame_path(s, 7) == "/o/spin_0007.jpg");
}

TEST_CASE("the new spec keys round-trip and old JSON reads with their defaults", "[spec][format]") {
  RenderSpec s;
  s.output = "/o/x.webp";
  s.depth = 16;
  s.quality = 80;
  s.fps = 30;
  auto back = spec_from_json(to_json(s));
  REQUIRE(back);
  CHECK(*back == s);
  // Defaults are left out, so a spec that does not use them reads in older renderq.
  const nlohmann::json plain = to_json(RenderSpec{});
  CHECK_FALSE(plain.contains("depth"));
  CHECK_FALSE(plain.contains("quality"));
  CHECK_FALSE(plain.contains("fps"));
  auto old = spec_from_json(nlohmann::json{{"version", 1}, {"output", "/o/x.png"}, {"png_level", 3}});
  REQUIRE(old);
  CHECK(old->depth == 8);
  CHECK(old->quality == 0);
  CHECK(old->fps == 0);
  CHECK(spec_from_json(nlohmann::json{{"depth", "16"}}).error().code == Errc::InvalidArgument);
}
