// A renderq HTTP server running in this process on a free loopback port,
// over a private spool in a fresh temporary folder (removed afterwards),
// with an httplib client pointed at it. Also a few helpers the API tests
// share: reading sample scenes, counting what the spool holds.
#pragma once

#include <httplib.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "serve/server.hpp"
#include "spool/spool.hpp"

namespace renderq::serve::testing {

namespace fs = std::filesystem;

inline std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline fs::path sample(const std::string& name) {
  return fs::path(RENDERQ_SAMPLES_DIR) / name / "glTF-Binary" / (name + ".glb");
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "renderq-serve-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct ServerFixture {
  TempDir tmp;
  fs::path spool_dir, root;
  std::unique_ptr<Server> server;
  std::thread thread;
  std::unique_ptr<httplib::Client> client;

  // `tweak` adjusts the options before the server starts; by default the
  // server allows paths under <tmp>/root, which holds a copy of Box.glb.
  template <typename Tweak>
  explicit ServerFixture(Tweak tweak) {
    spool_dir = tmp.path / "spool";
    root = tmp.path / "root";
    fs::create_directories(root);
    fs::copy_file(sample("Box"), root / "Box.glb");
    ServeOptions opt;
    opt.port = 0;
    opt.threads = 4;
    opt.allow_roots = {root.string()};
    opt.spool = SpoolOptions{.dir = spool_dir.string(), .allow_network_fs = false, .create = true};
    tweak(opt);
    auto s = Server::create(opt);
    if (!s) throw std::runtime_error("server: " + s.error().message());
    server = std::move(*s);
    thread = std::thread([this] { (void)server->run(); });
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    client->set_read_timeout(30, 0);
    // Wait until the listener answers, so stop() never races its start.
    for (int i = 0; i < 500 && !client->Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ServerFixture() : ServerFixture([](ServeOptions&) {}) {}
  ~ServerFixture() {
    server->stop();
    thread.join();
  }

  // The store as the daemon or the CLI would see it.
  Spool open_spool() const {
    auto s = Spool::open(SpoolOptions{.dir = spool_dir.string(), .allow_network_fs = false, .create = false});
    if (!s) throw std::runtime_error("spool: " + s.error().message());
    return std::move(*s);
  }
  std::int64_t job_count() const {
    Spool s = open_spool();
    auto c = s.store().counts();
    if (!c) throw std::runtime_error("counts: " + c.error().message());
    return c->queued + c->running + c->succeeded + c->failed + c->canceled;
  }
  // Files left in the spool's job and upload folders.
  std::size_t stray_files() const {
    std::size_t n = 0;
    std::error_code ec;
    for (const char* sub : {"jobs", "uploads"})
      for (auto it = fs::recursive_directory_iterator(spool_dir / sub, ec); !ec && it != fs::recursive_directory_iterator();
           ++it)
        if (it->is_regular_file()) ++n;
    return n;
  }
};

inline nlohmann::json body_json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

inline std::string error_code(const httplib::Result& r) {
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  if (j.is_discarded() || !j.contains("error")) return "<not an API error: " + r->body.substr(0, 200) + ">";
  return j["error"]["code"].get<std::string>();
}

// Percent-encodes everything but unreserved characters (RFC 3986).
inline std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

inline std::string job_request(const nlohmann::json& spec, const nlohmann::json& extra = nlohmann::json::object()) {
  nlohmann::json j = extra;
  j["spec"] = spec;
  return j.dump();
}

}  // namespace renderq::serve::testing
