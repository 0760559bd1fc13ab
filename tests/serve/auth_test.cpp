#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "serve/auth.hpp"

using namespace renderq;
using namespace renderq::serve;
namespace fs = std::filesystem;

TEST_CASE("loopback addresses are told from the rest", "[serve][auth]") {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) CHECK(is_loopback_address(h));
  for (const char* h : {"0.0.0.0", "::", "192.168.1.2", "10.0.0.1", "example.com", ""}) CHECK_FALSE(is_loopback_address(h));
}

TEST_CASE("Host headers must name loopback, Origin must be our own", "[serve][auth]") {
  CHECK(host_is_loopback("127.0.0.1:8080"));
  CHECK(host_is_loopback("localhost:8080"));
  CHECK(host_is_loopback("[::1]:8080"));
  CHECK(host_is_loopback("localhost"));
  CHECK_FALSE(host_is_loopback("evil.example:8080"));  // DNS rebinding
  CHECK_FALSE(host_is_loopback("127.0.0.1.evil.example"));
  CHECK_FALSE(host_is_loopback(""));
  CHECK(origin_matches("http://127.0.0.1:8080", "127.0.0.1:8080"));
  CHECK_FALSE(origin_matches("http://evil.example", "127.0.0.1:8080"));
  CHECK_FALSE(origin_matches("null", "127.0.0.1:8080"));
}

TEST_CASE("bearer tokens match exactly", "[serve][auth]") {
  const std::string token = "0123456789abcdef0123";
  CHECK(bearer_matches("Bearer 0123456789abcdef0123", token));
  CHECK_FALSE(bearer_matches("Bearer 0123456789abcdef0124", token));
  CHECK_FALSE(bearer_matches("Bearer 0123456789abcdef012", token));
  CHECK_FALSE(bearer_matches("bearer 0123456789abcdef0123", token));
  CHECK_FALSE(bearer_matches("Basic 0123456789abcdef0123", token));
  CHECK_FALSE(bearer_matches("", token));
}

TEST_CASE("token files must be private and hold a long token", "[serve][auth]") {
  std::string t = (fs::temp_directory_path() / "renderq-token-XXXXXX").string();
  fs::path dir = ::mkdtemp(t.data());
  fs::path f = dir / "token";
  std::ofstream(f) << "  s3cr3t-token-0123456789\n";
  ::chmod(f.c_str(), 0600);
  auto ok = load_token(f.string());
  REQUIRE(ok);
  CHECK(*ok == "s3cr3t-token-0123456789");
  ::chmod(f.c_str(), 0644);
  CHECK(load_token(f.string()).error().code == Errc::PermissionDenied);
  std::ofstream(f) << "short\n";
  ::chmod(f.c_str(), 0600);
  CHECK(load_token(f.string()).error().code == Errc::InvalidArgument);
  CHECK(load_token((dir / "missing").string()).error().code == Errc::Io);
  fs::remove_all(dir);
}
