// Who may use the API: the token (401), paths outside the roots (403, see
// also api_submit_test), browsers from other origins and rebinding host
// names (403), and the refusal to listen off loopback without a token.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "tests/serve/server_fixture.hpp"

using namespace renderq;
using namespace renderq::serve;
using namespace renderq::serve::testing;
using nlohmann::json;

namespace {
const std::string kToken = "test-token-0123456789abcdef";
}

TEST_CASE("with a token, /v1 and /metrics answer 401 without it, / and /healthz stay open", "[serve][security]") {
  ServerFixture f([](ServeOptions& o) { o.token = kToken; });
  std::string req = job_request({{"scene", (f.root / "Box.glb").string()}});
  for (const char* path : {"/v1/jobs", "/v1/jobs/1", "/v1/jobs/1/output", "/v1/jobs/1/log", "/metrics"}) {
    INFO(path);
    auto r = f.client->Get(path);
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(error_code(r) == "unauthorized");
    CHECK(r->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0);
  }
  auto post = f.client->Post("/v1/jobs", req, "application/json");
  REQUIRE(post);
  CHECK(post->status == 401);
  auto del = f.client->Delete("/v1/jobs/1");
  REQUIRE(del);
  CHECK(del->status == 401);
  f.client->set_bearer_token_auth("wrong-token-0123456789abcdef");
  CHECK(f.client->Get("/v1/jobs")->status == 401);
  CHECK(f.job_count() == 0);

  f.client->set_bearer_token_auth(kToken);
  auto ok = f.client->Post("/v1/jobs", req, "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 202);
  CHECK(f.client->Get("/v1/jobs")->status == 200);
  CHECK(f.client->Get("/metrics")->status == 200);

  httplib::Client anon("127.0.0.1", f.server->port());
  CHECK(anon.Get("/")->status == 200);
  CHECK(anon.Get("/healthz")->status == 200);
}

TEST_CASE("without --allow-root no path is accepted (403), uploads still work", "[serve][security]") {
  ServerFixture f([](ServeOptions& o) { o.allow_roots.clear(); });
  auto r = f.client->Post("/v1/jobs", job_request({{"scene", (f.root / "Box.glb").string()}}), "application/json");
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK(error_code(r) == "permission_denied");
  auto up = f.client->Post("/v1/jobs", read_all(sample("Box")), "model/gltf-binary");
  REQUIRE(up);
  CHECK(up->status == 202);
}

TEST_CASE("a symlink under the root that leads outside is refused (403)", "[serve][security]") {
  ServerFixture f;
  // The queue's database, or (PostgreSQL) a scene outside the root.
  fs::path outside = f.spool_dir / "queue.db";
  if (f.pg) fs::copy_file(sample("Box"), outside = f.tmp.path / "outside.glb");
  fs::create_symlink(outside, f.root / "db.glb");
  auto r = f.client->Post("/v1/jobs", job_request({{"scene", (f.root / "db.glb").string()}}), "application/json");
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK(f.job_count() == 0);
}

TEST_CASE("cross-origin browser posts and rebinding host names are refused (403)", "[serve][security]") {
  ServerFixture f;
  std::string req = job_request({{"scene", (f.root / "Box.glb").string()}});
  auto evil = f.client->Post("/v1/jobs", httplib::Headers{{"Origin", "http://evil.example"}}, req, "application/json");
  REQUIRE(evil);
  CHECK(evil->status == 403);
  CHECK(error_code(evil) == "cross_origin");
  auto rebind = f.client->Get("/v1/jobs", httplib::Headers{{"Host", "evil.example:8080"}});
  REQUIRE(rebind);
  CHECK(rebind->status == 403);
  CHECK(error_code(rebind) == "host_not_allowed");
  std::string own = "http://127.0.0.1:" + std::to_string(f.server->port());
  auto same = f.client->Post("/v1/jobs", httplib::Headers{{"Origin", own}}, req, "application/json");
  REQUIRE(same);
  CHECK(same->status == 202);
  CHECK(f.job_count() == 1);
}

TEST_CASE("listening off loopback without a token is refused", "[serve][security]") {
  TempDir t;
  ServeOptions o;
  o.host = "0.0.0.0";
  o.port = 0;
  o.spool = SpoolOptions{.dir = (t.path / "spool").string(), .allow_network_fs = false, .create = true};
  auto s = Server::create(o);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == Errc::PermissionDenied);
  o.token = kToken;
  auto with_token = Server::create(o);
  CHECK(with_token);
}

TEST_CASE("a body over --max-upload is refused with 413 before it is stored", "[serve][security]") {
  ServerFixture f([](ServeOptions& o) { o.max_upload = 4096; });
  std::string glb = read_all(sample("NegativeScaleTest"));
  REQUIRE(glb.size() > 4096);
  auto r = f.client->Post("/v1/jobs", glb, "model/gltf-binary");
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(error_code(r) == "payload_too_large");
  CHECK(f.job_count() == 0);
  CHECK(f.stray_files() == 0);
}
