// ViewState: input changes the spec as documented, and submit_args prints
// options that parse back to the very same spec.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "preview/view_state.hpp"

using renderq::PreviewAction;
using renderq::RenderSpec;
using renderq::ToneMap;
using renderq::ViewState;

namespace {

RenderSpec resolved() {
  RenderSpec s;
  s.scene = "/scenes/box.glb";
  s.output = "/out/box.png";
  s.width = 320;
  s.height = 240;
  s.orbit.yaw_deg = 30;
  s.orbit.pitch_deg = 20;
  s.orbit.distance = 3.25;
  s.orbit.target = std::array<double, 3>{0.1, -0.2, 0.3};
  s.orbit.fov_deg = 45;
  return s;
}

}  // namespace

TEST_CASE("dragging orbits and scrolling zooms", "[preview]") {
  ViewState v = renderq::make_view_state(resolved());
  renderq::orbit_drag(v, -120, 60, 240);  // half a window's height down: +45 deg pitch
  CHECK(*v.spec.orbit.yaw_deg == Approx(120));
  CHECK(*v.spec.orbit.pitch_deg == Approx(65));
  renderq::orbit_drag(v, 0, 1000, 240);
  CHECK(*v.spec.orbit.pitch_deg == Approx(89.9));  // clamped to what validate_values accepts
  renderq::zoom(v, 1);
  CHECK(*v.spec.orbit.distance == Approx(3.25 * 0.9));
  CHECK(renderq::handle_key(v, 'r') == PreviewAction::Redraw);
  CHECK(v.spec.orbit == resolved().orbit);
}

TEST_CASE("keys switch tone mapping, exposure and environment", "[preview]") {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "renderq-preview-XXXXXX").string();
  fs::path dir = mkdtemp(tmpl.data());
  std::ofstream(dir / "a.hdr") << "x";
  std::ofstream(dir / "b.hdr") << "x";
  std::ofstream(dir / "notes.txt") << "x";
  RenderSpec spec = resolved();
  spec.environment = (dir / "b.hdr").string();
  ViewState v = renderq::make_view_state(spec);
  REQUIRE(v.environments.size() == 3);  // studio, a.hdr, b.hdr
  CHECK(renderq::handle_key(v, 'e') == PreviewAction::Redraw);
  CHECK(v.spec.environment.empty());  // wrapped round to the built-in studio
  renderq::handle_key(v, 'e');
  CHECK(v.spec.environment == (dir / "a.hdr").string());
  renderq::handle_key(v, 't');
  CHECK(v.spec.tonemap == ToneMap::Aces);
  renderq::handle_key(v, 't');
  CHECK(v.spec.tonemap == ToneMap::None);
  renderq::handle_key(v, '+');
  renderq::handle_key(v, '+');
  renderq::handle_key(v, '-');
  CHECK(v.spec.exposure == 0.5);
  CHECK(renderq::handle_key(v, 'p') == PreviewAction::PrintSubmit);
  CHECK(renderq::handle_key(v, 'q') == PreviewAction::Quit);
  CHECK(renderq::handle_key(v, 27) == PreviewAction::Quit);
  CHECK(renderq::handle_key(v, 'z') == PreviewAction::None);
  fs::remove_all(dir);
}

TEST_CASE("submit_args prints every value, exactly", "[preview]") {
  RenderSpec s = resolved();
  s.orbit.yaw_deg = 0.1 + 0.2;  // not representable in few digits
  s.background = std::array<std::uint8_t, 3>{0x33, 0x66, 0x99};
  s.exposure = -1.5;
  CHECK(renderq::submit_args(s) ==
        "renderq submit /scenes/box.glb -o /out/box.png --size 320x240 --samples 4 --yaw 0.30000000000000004 "
        "--pitch 20 --distance 3.25 --target 0.1,-0.2,0.3 --fov 45 --tonemap pbr-neutral --exposure -1.5 "
        "--background '#336699'");
  s.scene = "/my scenes/it's.glb";
  CHECK_THAT(renderq::submit_args(s), Catch::StartsWith("renderq submit '/my scenes/it'\\''s.glb' -o"));
}
