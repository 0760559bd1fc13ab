// POST /v1/jobs against a real server: the three ways to send a scene, and
// every kind of bad input answered with a clear 4xx and nothing stored.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/serve/server_fixture.hpp"

using namespace renderq;
using namespace renderq::serve;
using namespace renderq::serve::testing;
using nlohmann::json;

TEST_CASE("POST /v1/jobs with a path under --allow-root answers 202 with Location", "[serve][api]") {
  ServerFixture f;
  std::string scene = (f.root / "Box.glb").string();
  auto r = f.client->Post("/v1/jobs", job_request({{"scene", scene}, {"width", 64}, {"height", 48}}, {{"name", "box"}}),
                          "application/json");
  REQUIRE(r);
  CHECK(r->status == 202);
  json j = body_json(r);
  std::int64_t id = j["id"].get<std::int64_t>();
  CHECK(r->get_header_value("Location") == "/v1/jobs/" + std::to_string(id));
  CHECK(j["state"] == "queued");
  CHECK(j["name"] == "box");
  CHECK(j["spec"]["width"] == 64);
  CHECK_FALSE(j["spec"].contains("output"));  // server paths are not shown
  CHECK(j["links"]["output"] == "/v1/jobs/" + std::to_string(id) + "/output");

  // The store holds it with the output the server chose, in the job's folder.
  auto queue = f.open_queue();
  Queue& s = *queue;
  auto job = s.store().get(JobId{id});
  REQUIRE(job);
  CHECK(job->spec.scene == fs::canonical(scene).string());
  CHECK(job->spec.output == (f.files_dir / "jobs" / std::to_string(id) / "output.png").string());
  CHECK(job->name == "box");
}

TEST_CASE("POST /v1/jobs takes an uploaded .glb as model/gltf-binary or multipart", "[serve][api]") {
  ServerFixture f;
  std::string glb = read_all(sample("BoxVertexColors"));

  auto raw = f.client->Post("/v1/jobs?job=" + url_encode(job_request({{"samples", 1}})), glb,
                            "model/gltf-binary");
  REQUIRE(raw);
  CHECK(raw->status == 202);
  std::int64_t id1 = body_json(raw)["id"];
  CHECK(body_json(raw)["spec"]["scene"] == "upload");
  CHECK(body_json(raw)["spec"]["samples"] == 1);

  httplib::MultipartFormDataItems items = {
      {"scene", glb, "model.glb", "model/gltf-binary"},
      {"job", job_request({{"width", 32}, {"height", 32}}, {{"name", "multi"}, {"priority", 5}}), "", "application/json"},
  };
  auto multi = f.client->Post("/v1/jobs", items);
  REQUIRE(multi);
  CHECK(multi->status == 202);
  std::int64_t id2 = body_json(multi)["id"];
  CHECK(body_json(multi)["priority"] == 5);

  // A bare upload without any job request takes the defaults.
  auto bare = f.client->Post("/v1/jobs", glb, "model/gltf-binary");
  REQUIRE(bare);
  CHECK(bare->status == 202);

  // Each upload lives in its own job folder, byte for byte; the staging
  // folder is empty again.
  auto queue = f.open_queue();
  Queue& s = *queue;
  for (std::int64_t id : {id1, id2}) {
    auto job = s.store().get(JobId{id});
    REQUIRE(job);
    CHECK(job->spec.scene == (job_dir_in(f.files_dir, JobId{id}) / "scene.glb").string());
    CHECK(read_all(job->spec.scene) == glb);
  }
  CHECK(fs::is_empty(f.files_dir / "uploads"));
}

TEST_CASE("bad job requests get a clear 4xx and store nothing", "[serve][api][bad-input]") {
  ServerFixture f([](ServeOptions& o) { o.json.max_bytes = 4096; });
  std::string scene = (f.root / "Box.glb").string();
  struct Case {
    const char* what;
    std::string body;
    int status;
    const char* code;
  };
  std::string deep = std::string(40, '[') + std::string(40, ']');
  const Case cases[] = {
      {"malformed JSON", R"({"spec": {"scene": )", 400, "bad_json"},
      {"not an object", "[1,2,3]", 422, "invalid_argument"},
      {"deep JSON", R"({"spec":)" + deep + "}", 400, "json_too_deep"},
      {"huge JSON", R"({"name":")" + std::string(5000, 'x') + R"("})", 413, "payload_too_large"},
      {"invalid UTF-8", "{\"name\":\"\xc3\x28\"}", 400, "bad_json"},
      {"wrong type: width", job_request({{"scene", scene}, {"width", "big"}}), 422, "invalid_argument"},
      {"wrong type: spec", R"({"spec": "box"})", 422, "invalid_argument"},
      {"wrong type: name", job_request({{"scene", scene}}, {{"name", 7}}), 422, "invalid_argument"},
      {"wrong type: priority", job_request({{"scene", scene}}, {{"priority", 1.5}}), 422, "invalid_argument"},
      {"wrong type: after", job_request({{"scene", scene}}, {{"after", "3"}}), 422, "invalid_argument"},
      {"unknown field", job_request({{"scene", scene}}, {{"owner", "me"}}), 422, "invalid_argument"},
      {"unknown spec field", job_request({{"scene", scene}, {"shader", "x"}}), 422, "invalid_argument"},
      {"output given", job_request({{"scene", scene}, {"output", "/tmp/x.png"}}), 422, "invalid_argument"},
      {"no scene", job_request({{"width", 10}}), 422, "invalid_argument"},
      {"samples 3", job_request({{"scene", scene}, {"samples", 3}}), 422, "samples_out_of_range"},
      {"size 0", job_request({{"scene", scene}, {"width", 0}}), 422, "size_out_of_range"},
      {"bad timeout", job_request({{"scene", scene}}, {{"timeout", "soon"}}), 422, "bad_duration"},
      {"missing dependency", job_request({{"scene", scene}}, {{"after", {987654}}}), 404, "job_not_found"},
      {"missing scene file", job_request({{"scene", (f.root / "nope.glb").string()}}), 422, "scene_missing"},
      {"not glTF by path", job_request({{"scene", (f.root / "notes.txt").string()}}), 422, "scene_not_gltf"},
      // Path traversal in every string field.
      {"scene ..", job_request({{"scene", (f.root / ".." / ".." / "etc" / "passwd").string()}}), 403, "permission_denied"},
      {"scene outside", job_request({{"scene", "/etc/passwd"}}), 403, "permission_denied"},
      {"scene relative", job_request({{"scene", "../spool/queue.db"}}), 403, "permission_denied"},
      {"environment ..", job_request({{"scene", scene}, {"environment", (f.root / ".." / "x.hdr").string()}}), 403,
       "permission_denied"},
      {"environment outside", job_request({{"scene", scene}, {"environment", "/etc/hostname"}}), 403, "permission_denied"},
      {"camera traversal", job_request({{"scene", scene}, {"camera", "../../etc/passwd"}}), 422, "invalid_argument"},
      {"name traversal", job_request({{"scene", scene}}, {{"name", "../../../tmp/evil"}}), 422, "invalid_argument"},
      {"tonemap traversal", job_request({{"scene", scene}, {"tonemap", "../../x"}}), 422, "invalid_argument"},
      {"background traversal", job_request({{"scene", scene}, {"background", "../../x"}}), 422, "invalid_argument"},
      {"output traversal", job_request({{"scene", scene}, {"output", "../../../tmp/x.png"}}), 422, "invalid_argument"},
      {"scene NUL", std::string(R"({"spec":{"scene":")") + f.root.string() + R"(/Box.glb\u0000.png"}})", 422,
       "invalid_argument"},
  };
  std::ofstream(f.root / "notes.txt") << "just text\n";
  for (const Case& c : cases) {
    INFO(c.what);
    auto r = f.client->Post("/v1/jobs", c.body, "application/json");
    REQUIRE(r);
    CHECK(r->status == c.status);
    CHECK(error_code(r) == c.code);
    CHECK(body_json(r)["error"]["message"].get<std::string>().size() > 5);
  }
  CHECK(f.job_count() == 0);
  CHECK(f.stray_files() == 0);
}

TEST_CASE("bad uploads get a clear 4xx and store nothing", "[serve][api][bad-input]") {
  ServerFixture f([](ServeOptions& o) { o.max_upload = 200 * 1024; });
  std::string glb = read_all(sample("Box"));
  std::string big = read_all(sample("MetalRoughSpheresNoTextures"));
  REQUIRE(big.size() > 200 * 1024);
  std::string external = read_all(sample("Box"));
  struct Case {
    const char* what;
    std::string body;
    std::string type;
    std::string query;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {"not glTF", "\x89PNG\r\n\x1a\nnot a model at all", "model/gltf-binary", "", 422, "scene_not_gltf"},
      {"glTF JSON, not binary", R"({"asset":{"version":"2.0"}})", "model/gltf-binary", "", 422, "scene_not_gltf"},
      {"truncated", glb.substr(0, glb.size() - 100), "model/gltf-binary", "", 422, "gltf_invalid"},
      {"header only", glb.substr(0, 12), "model/gltf-binary", "", 422, "gltf_invalid"},
      {"empty", "", "model/gltf-binary", "", 422, "scene_not_gltf"},
      {"too big", big, "model/gltf-binary", "", 413, "payload_too_large"},
      {"scene named with upload", glb, "model/gltf-binary",
       "?job=" + url_encode(job_request({{"scene", "/etc/passwd"}})), 422, "invalid_argument"},
      {"malformed job parameter", glb, "model/gltf-binary", "?job=%7Bnope", 400, "bad_json"},
      {"output with upload", glb, "model/gltf-binary",
       "?job=" + url_encode(job_request({{"output", "/tmp/evil.png"}})), 422, "invalid_argument"},
      {"text/plain", "hello", "text/plain", "", 415, "unsupported_media_type"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    auto r = f.client->Post("/v1/jobs" + c.query, c.body, c.type);
    REQUIRE(r);
    CHECK(r->status == c.status);
    CHECK(error_code(r) == c.code);
  }

  // Multipart shapes.
  auto post = [&](const httplib::MultipartFormDataItems& items) { return f.client->Post("/v1/jobs", items); };
  auto no_scene = post({{"job", job_request({{"width", 8}}), "", "application/json"}});
  REQUIRE(no_scene);
  CHECK(no_scene->status == 422);
  auto two_scenes = post({{"scene", glb, "a.glb", ""}, {"scene", glb, "b.glb", ""}});
  REQUIRE(two_scenes);
  CHECK(two_scenes->status == 422);
  auto stranger = post({{"scene", glb, "a.glb", ""}, {"../../etc/passwd", "x", "", ""}});
  REQUIRE(stranger);
  CHECK(stranger->status == 422);
  // The client's file name never matters: a traversal in it is simply ignored.
  auto named = post({{"scene", glb.substr(0, 40), "../../../../tmp/evil.glb", ""}});
  REQUIRE(named);
  CHECK(named->status == 422);  // truncated, and nothing written anywhere
  CHECK_FALSE(fs::exists("/tmp/evil.glb"));

  CHECK(f.job_count() == 0);
  CHECK(f.stray_files() == 0);
}

TEST_CASE("an upload cut off mid-body stores nothing", "[serve][api][bad-input]") {
  ServerFixture f;
  std::string glb = read_all(sample("Box"));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(f.server->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string head = "POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: model/gltf-binary\r\nContent-Length: " +
                     std::to_string(glb.size()) + "\r\n\r\n";
  std::string sent = head + glb.substr(0, glb.size() / 2);
  REQUIRE(::write(fd, sent.data(), sent.size()) == static_cast<ssize_t>(sent.size()));
  ::shutdown(fd, SHUT_WR);
  char buf[512];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
  ::close(fd);
  // The server is still fine, and holds nothing.
  auto h = f.client->Get("/healthz");
  REQUIRE(h);
  CHECK(h->status == 200);
  CHECK(f.job_count() == 0);
  CHECK(f.stray_files() == 0);
}

TEST_CASE("a client may hold only --max-queued queued jobs (429)", "[serve][api]") {
  ServerFixture f([](ServeOptions& o) { o.max_queued_per_client = 2; });
  std::string req = job_request({{"scene", (f.root / "Box.glb").string()}});
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 2; ++i) {
    auto r = f.client->Post("/v1/jobs", req, "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 202);
    ids.push_back(body_json(r)["id"]);
  }
  auto third = f.client->Post("/v1/jobs", req, "application/json");
  REQUIRE(third);
  CHECK(third->status == 429);
  CHECK(error_code(third) == "too_many_queued");
  CHECK(f.job_count() == 2);
  // Once one leaves the queue, there is room again.
  auto del = f.client->Delete("/v1/jobs/" + std::to_string(ids[0]));
  REQUIRE(del);
  auto again = f.client->Post("/v1/jobs", req, "application/json");
  REQUIRE(again);
  CHECK(again->status == 202);
}
