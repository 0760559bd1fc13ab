#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "serve/file_area.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
using namespace renderq::serve;
namespace fs = std::filesystem;

namespace {

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("a shared folder must name an existing folder", "[serve][files]") {
  renderq::test::TempDir tmp;
  for (const std::string& bad : {std::string(), (tmp.path / "missing").string()}) {
    auto area = shared_file_area(bad);
    REQUIRE_FALSE(area);
    CHECK(area.error().code == Errc::InvalidArgument);
  }
  std::ofstream(tmp.path / "file") << "x";
  auto file = shared_file_area((tmp.path / "file").string());
  REQUIRE_FALSE(file);
  CHECK(file.error().code == Errc::InvalidArgument);
}

TEST_CASE("a private shared folder keeps job folders and uploads private", "[serve][files]") {
  renderq::test::TempDir tmp;
  ::chmod(tmp.path.c_str(), 0755);
  auto area = shared_file_area(tmp.path.string());
  REQUIRE(area);
  CHECK_FALSE(area->spool);
  CHECK_FALSE(area->group);
  CHECK(area->upload_mode() == 0600);
  auto dir = area->make_job_dir(JobId{7});
  REQUIRE(dir);
  CHECK(*dir == fs::canonical(tmp.path) / "jobs" / "7");
  CHECK(mode_of(*dir) == 0700);
}

TEST_CASE("a group's shared folder gives the group its job folders, whatever the umask", "[serve][files]") {
  renderq::test::TempDir tmp;
  ::chmod(tmp.path.c_str(), 02770);
  const mode_t old = ::umask(022);
  auto area = shared_file_area(tmp.path.string());
  REQUIRE(area);
  CHECK(area->group);
  CHECK(area->upload_mode() == 0640);
  auto dir = area->make_job_dir(JobId{8});
  ::umask(old);
  REQUIRE(dir);
  CHECK((mode_of(*dir) & 0777) == 0770);
  CHECK((mode_of(tmp.path / "jobs") & 0777) == 0770);
}
