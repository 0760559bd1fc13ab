#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "serve/paths.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
using namespace renderq::serve;
namespace fs = std::filesystem;

namespace {

using renderq::test::TempDir;

}  // namespace

TEST_CASE("resolve_allowed accepts files under a root and nothing else", "[serve][paths]") {
  TempDir t;
  fs::create_directories(t.path / "root" / "sub");
  fs::create_directories(t.path / "rootx");
  std::ofstream(t.path / "root" / "sub" / "a.glb") << "glTF";
  std::ofstream(t.path / "rootx" / "b.glb") << "glTF";
  std::ofstream(t.path / "secret.glb") << "glTF";
  fs::create_symlink(t.path / "secret.glb", t.path / "root" / "link.glb");
  std::vector<std::string> given = {(t.path / "root").string()};
  auto roots = canonical_roots(given);
  REQUIRE(roots);
  std::string root = (*roots)[0].string();

  auto ok = resolve_allowed("spec.scene", root + "/sub/a.glb", *roots, Errc::SceneMissing);
  REQUIRE(ok);
  CHECK(*ok == root + "/sub/a.glb");

  auto code = [&](const std::string& p) { return resolve_allowed("spec.scene", p, *roots, Errc::SceneMissing).error().code; };
  CHECK(code(root + "/sub/../sub/a.glb") == Errc::PermissionDenied);          // ".." refused outright
  CHECK(code(root + "/../secret.glb") == Errc::PermissionDenied);
  CHECK(code(root + "/../../../../etc/passwd") == Errc::PermissionDenied);
  CHECK(code((t.path / "rootx" / "b.glb").string()) == Errc::PermissionDenied);  // prefix is not a parent
  CHECK(code(root + "/link.glb") == Errc::PermissionDenied);                    // symlink escapes
  CHECK(code("sub/a.glb") == Errc::PermissionDenied);                           // relative
  CHECK(code("/etc/passwd") == Errc::PermissionDenied);
  CHECK(code(root + "/missing.glb") == Errc::SceneMissing);
  CHECK(code(root + "/sub") == Errc::SceneMissing);                             // a folder
  CHECK(code(root + "/sub/a.glb\n") == Errc::InvalidArgument);
  CHECK(code("") == Errc::InvalidArgument);
  CHECK(code(std::string(5000, 'a')) == Errc::InvalidArgument);
  CHECK(resolve_allowed("spec.scene", root + "/sub/a.glb", {}, Errc::SceneMissing).error().code ==
        Errc::PermissionDenied);  // no roots: no paths at all
}

TEST_CASE("canonical_roots refuses a missing folder", "[serve][paths]") {
  std::vector<std::string> given = {"/nonexistent/renderq/root"};
  CHECK(canonical_roots(given).error().code == Errc::InvalidArgument);
}

TEST_CASE("labels refuse separators, dot-dot and control bytes", "[serve][paths]") {
  CHECK(check_label("name", "turntable 12 – final"));
  CHECK(check_label("name", ""));
  CHECK(check_label("name", "../../etc/passwd").error().code == Errc::InvalidArgument);
  CHECK(check_label("name", "a/b").error().code == Errc::InvalidArgument);
  CHECK(check_label("name", "a\\b").error().code == Errc::InvalidArgument);
  CHECK(check_label("name", "..").error().code == Errc::InvalidArgument);
  CHECK(check_label("name", "a\tb").error().code == Errc::InvalidArgument);
  CHECK(check_label("name", std::string(201, 'x')).error().code == Errc::InvalidArgument);
}
