// docs/openapi.json describes exactly the routes the server registers
// (serve/routes.cpp), with the same security, and the server answers each.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <set>

#include "serve/routes.hpp"
#include "tests/serve/server_fixture.hpp"

using namespace renderq;
using namespace renderq::serve;
using namespace renderq::serve::testing;

namespace {

nlohmann::json openapi() {
  return nlohmann::json::parse(read_all(fs::path(RENDERQ_SOURCE_DIR) / "docs" / "openapi.json"));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

TEST_CASE("docs/openapi.json lists exactly the server's routes", "[serve][openapi]") {
  nlohmann::json doc = openapi();
  REQUIRE(doc["openapi"].get<std::string>().rfind("3.", 0) == 0);
  std::set<std::pair<std::string, std::string>> documented, registered;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [key, op] : item.items())
      if (key == "get" || key == "post" || key == "delete" || key == "put" || key == "patch" || key == "head")
        documented.insert({key, path});
  for (const Route& r : routes()) registered.insert({lower(method_name(r.method)), std::string(r.path)});
  CHECK(documented == registered);

  // Open routes are documented with an empty security list; the rest inherit
  // the bearer scheme.
  for (const Route& r : routes()) {
    INFO(method_name(r.method) << " " << r.path);
    const auto& op = doc["paths"][std::string(r.path)][lower(method_name(r.method))];
    bool open = op.contains("security") && op["security"].empty();
    CHECK(open == !r.needs_token);
    CHECK(op.contains("responses"));
  }
}

TEST_CASE("every documented route is answered by the server", "[serve][openapi]") {
  ServerFixture f;
  for (const Route& r : routes()) {
    std::string path(r.path);
    if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, "1");
    INFO(method_name(r.method) << " " << path);
    httplib::Result res = r.method == Method::Get    ? f.client->Get(path)
                          : r.method == Method::Post ? f.client->Post(path, "{}", "application/json")
                                                     : f.client->Delete(path);
    REQUIRE(res);
    CHECK(res->status != 405);
    if (res->status == 404) CHECK(error_code(res) != "route_not_found");
  }
}

TEST_CASE("GET /openapi.json serves docs/openapi.json, without a token", "[serve][openapi]") {
  ServerFixture f;
  httplib::Result res = f.client->Get("/openapi.json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type").rfind("application/json", 0) == 0);
  CHECK(nlohmann::json::parse(res->body) == openapi());
}
