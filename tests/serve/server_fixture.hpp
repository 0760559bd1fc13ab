// A renderq HTTP server running in this process on a free loopback port,
// over a private queue, with an httplib client pointed at it. Also a few
// helpers the API tests share: reading sample scenes, counting what the
// queue holds, writing a job's log as a daemon would.
//
// The queue is a spool in a fresh temporary folder (removed afterwards),
// or, when $RENDERQ_SERVE_TEST_STORE is "postgres", a fresh schema on a
// private PostgreSQL server (tests/spool/pg_server.hpp) with a shared
// folder in the temporary folder: CTest runs every API test body on both
// (tests/serve/CMakeLists.txt), except those tagged [spool] that test the
// spool folder itself.
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
#include "spool/pg_job_log.hpp"
#include "spool/pg_queue.hpp"
#include "spool/spool.hpp"
#include "spool/spool_queue.hpp"
#include "tests/spool/pg_server.hpp"

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

inline bool on_postgres() {
  const char* store = std::getenv("RENDERQ_SERVE_TEST_STORE");
  return store != nullptr && std::string(store) == "postgres";
}

struct ServerFixture {
  TempDir tmp;
  const bool pg = on_postgres();
  std::string pg_url;      // pg: the queue's URL
  fs::path spool_dir;      // spool: the queue's folder
  fs::path files_dir;      // where the server keeps uploads and outputs (canonical)
  fs::path root;
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
    if (pg) {
      pg_url = renderq::test::PgServer::instance().fresh_url();
      opt.open_queue = [url = pg_url]() -> Result<std::unique_ptr<Queue>> {
        auto q = PgQueue::open(url);
        if (!q) return std::unexpected(q.error());
        return std::unique_ptr<Queue>(std::move(*q));
      };
      fs::create_directories(tmp.path / "shared");
      opt.shared_dir = (tmp.path / "shared").string();
      files_dir = fs::canonical(tmp.path / "shared");
    }
    tweak(opt);
    auto s = Server::create(opt);
    if (!s) throw std::runtime_error("server: " + s.error().message());
    if (!pg) files_dir = fs::canonical(spool_dir);
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

  // The queue as the daemon or the CLI would see it.
  std::unique_ptr<Queue> open_queue() const {
    if (pg) {
      auto q = PgQueue::open(pg_url);
      if (!q) throw std::runtime_error("queue: " + q.error().message());
      return std::move(*q);
    }
    auto s = Spool::open(SpoolOptions{.dir = spool_dir.string(), .allow_network_fs = false, .create = false});
    if (!s) throw std::runtime_error("spool: " + s.error().message());
    return std::make_unique<SpoolQueue>(std::move(*s));
  }
  std::int64_t job_count() const {
    auto q = open_queue();
    auto c = q->store().counts();
    if (!c) throw std::runtime_error("counts: " + c.error().message());
    return c->queued + c->running + c->succeeded + c->failed + c->canceled;
  }
  // Adds `text` to job `id`'s log, as its daemon would: the spool's job.log
  // file, or PostgreSQL's job_log table.
  void append_log(JobId id, std::string_view text) const {
    auto q = open_queue();
    if (pg) {
      PgConn& conn = static_cast<PgQueue&>(*q).pg_store().connection();
      auto end = pg_log_source_end(conn, id, "test");
      if (!end || !pg_append_log(conn, id, "test", *end, text)) throw std::runtime_error("cannot store the log");
      return;
    }
    Spool* s = q->spool();
    if (!s->make_job_dir(id)) throw std::runtime_error("cannot make the job folder");
    std::ofstream(s->job_log(id), std::ios::app) << text;
  }
  // Files left in the job and upload folders.
  std::size_t stray_files() const {
    std::size_t n = 0;
    std::error_code ec;
    for (const char* sub : {"jobs", "uploads"})
      for (auto it = fs::recursive_directory_iterator(files_dir / sub, ec); !ec && it != fs::recursive_directory_iterator();
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
