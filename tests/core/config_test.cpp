// Config: file < environment precedence, paths, and named errors for unknown
// keys, wrong types and bad values (with the file's line).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "core/config.hpp"
#include "core/render_spec.hpp"

namespace fs = std::filesystem;
using renderq::Config;
using renderq::ConfigLoadOptions;
using renderq::ConfigSource;
using renderq::Errc;

namespace {

// A scratch folder holding one config file, removed afterwards.
struct Scratch {
  fs::path dir;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "renderq-config-XXXXXX").string();
    dir = mkdtemp(tmpl.data());
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string& text) {
    fs::path p = dir / "config.toml";
    std::ofstream(p) << text;
    return p.string();
  }
};

renderq::EnvFn env_of(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

renderq::Result<Config> load(const std::string& path, std::map<std::string, std::string> vars = {}) {
  return Config::load(ConfigLoadOptions{.explicit_path = path, .env = env_of(std::move(vars))});
}

}  // namespace

TEST_CASE("config defaults apply without a file", "[config]") {
  Scratch s;
  auto c = Config::load(ConfigLoadOptions{.explicit_path = "", .env = env_of({{"XDG_CONFIG_HOME", s.dir.string()}})});
  REQUIRE(c);
  CHECK_FALSE(c->file_found());
  CHECK(c->path() == (s.dir / "renderq" / "config.toml").string());
  CHECK(c->get("render.samples").text == "4");
  CHECK(c->get("render.samples").source == ConfigSource::Default);
  CHECK(c->get("spool.dir").text.empty());
}

TEST_CASE("config file values carry their line, environment beats file", "[config]") {
  Scratch s;
  std::string path = s.write(
      "# renderq settings\n"
      "[render]\n"
      "samples = 8\n"
      "size = \"640X480\"\n"
      "exposure = 1\n"
      "tonemap = \"neutral\"\n"
      "background = \"#FF8000\"\n"
      "env = \"studio.hdr\"\n"
      "[spool]\n"
      "dir = \"~/queue\"\n"
      "[timeouts]\n"
      "job = 90\n");
  auto c = load(path, {{"HOME", "/home/u"}, {"RENDERQ_SAMPLES", "2"}});
  REQUIRE(c);
  CHECK(c->file_found());
  CHECK(c->get("render.samples").text == "2");
  CHECK(c->get("render.samples").source == ConfigSource::Env);
  CHECK(c->get("render.samples").origin == "RENDERQ_SAMPLES");
  CHECK(c->get("render.size").text == "640x480");
  CHECK(c->get("render.size").source == ConfigSource::File);
  CHECK(c->get("render.size").origin == path + ":4");
  CHECK(c->get("render.exposure").text == "1");
  CHECK(c->get("render.tonemap").text == "pbr-neutral");
  CHECK(c->get("render.background").text == "#ff8000");
  CHECK(c->get("render.env").text == (s.dir / "studio.hdr").string());  // relative to the file
  CHECK(c->get("spool.dir").text == "/home/u/queue");
  CHECK(c->get("timeouts.job").text == "90");
}

TEST_CASE("flags beat the environment and are checked", "[config]") {
  Scratch s;
  auto c = load(s.write("[render]\nsamples = 8\n"), {{"RENDERQ_SAMPLES", "2"}});
  REQUIRE(c);
  REQUIRE(c->set_from_flag("render.samples", "16"));
  CHECK(c->get("render.samples").text == "16");
  CHECK(c->get("render.samples").source == ConfigSource::Flag);
  auto bad = c->set_from_flag("render.size", "big");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == Errc::ConfigInvalid);
}

TEST_CASE("config errors name the key and the line", "[config]") {
  Scratch s;
  struct Case {
    const char* text;
    const char* needle;
  };
  const Case cases[] = {
      {"[render]\nsamples = 8\nsampels = 8\n", ":3: unknown key 'render.sampels'"},
      {"[render]\n\nsamples = \"8\"\n", ":3: render.samples: must be an integer"},
      {"[render]\nsize = \"huge\"\n", ":2: render.size"},
      {"[render]\nbackground = \"#12\"\n", ":2: render.background"},
      {"[render]\ntonemap = \"filmic\"\n", ":2: render.tonemap"},
      {"[timeouts]\njob = \"soon\"\n", ":2: timeouts.job"},
      {"[render]\nexposure = true\n", ":2: render.exposure: must be a number"},
      {"samples = 8\n", ":1: unknown key 'samples'"},
      {"[nope]\nx = 1\n", ":2: unknown key 'nope.x'"},
      {"[render\nsamples = 8\n", ":1: "},  // TOML syntax error
      // Values of the right type out of the bounds their flags hold.
      {"[render]\nsamples = 3\n", ":2: render.samples: '3': samples 3 must be a power of two"},
      {"[render]\nsize = \"99999x10\"\n", ":2: render.size: '99999x10': size 99999x10 is out of range"},
      {"[render]\npng_level = 10\n", ":2: render.png_level: '10': PNG level 10 is out of range"},
      {"[render]\nquality = 0\n", ":2: render.quality"},
      {"[render]\nexposure = 30\n", ":2: render.exposure"},
      {"[render]\nfov = 180\n", ":2: render.fov"},
      {"[render]\nfps = 0\n", ":2: render.fps"},
      {"[submit]\n\nretries = -3\n", ":3: submit.retries: '-3' is out of range (0..100)"},
      {"[submit]\npriority = 5000\n", ":2: submit.priority: '5000' is out of range (-1000..1000)"},
  };
  for (const Case& k : cases) {
    INFO(k.text);
    auto c = load(s.write(k.text));
    REQUIRE_FALSE(c);
    CHECK(c.error().code == Errc::ConfigInvalid);
    CHECK_THAT(c.error().detail, Catch::Contains(k.needle));
  }
}

TEST_CASE("bad environment values name the variable", "[config]") {
  Scratch s;
  auto c = load(s.write(""), {{"RENDERQ_SIZE", "12"}});
  REQUIRE_FALSE(c);
  CHECK(c.error().code == Errc::ConfigInvalid);
  CHECK_THAT(c.error().detail, Catch::Contains("RENDERQ_SIZE"));
  auto samples = load(s.write(""), {{"RENDERQ_SAMPLES", "3"}});
  REQUIRE_FALSE(samples);
  CHECK_THAT(samples.error().detail, Catch::Contains("RENDERQ_SAMPLES (render.samples): '3': samples 3 must be a power of two"));
  CHECK(load(s.write("[render]\nsamples = 64\nfps = 120\nfov = 179\n[submit]\npriority = -1000\n"),
             {{"RENDERQ_SAMPLES", "1"}}));
}

TEST_CASE("an explicit config file must exist, RENDERQ_CONFIG counts as explicit", "[config]") {
  Scratch s;
  auto c = load((s.dir / "missing.toml").string());
  REQUIRE_FALSE(c);
  CHECK(c.error().code == Errc::ConfigInvalid);
  std::string path = s.write("[render]\nsamples = 1\n");
  auto e = Config::load(ConfigLoadOptions{.explicit_path = "", .env = env_of({{"RENDERQ_CONFIG", path}})});
  REQUIRE(e);
  CHECK(e->get("render.samples").text == "1");
  CHECK(e->path() == path);
}

TEST_CASE("an empty string leaves a key unset, so printed settings read back", "[config]") {
  Scratch s;
  auto c = load(s.write("[timeouts]\njob = \"\"\n[render]\nfov = \"\"\nsamples = 2\n"));
  REQUIRE(c);
  CHECK(c->get("timeouts.job").text.empty());
  CHECK(c->get("render.fov").text.empty());
  CHECK(c->get("render.samples").text == "2");
}

TEST_CASE("render defaults in the key table match RenderSpec's", "[config]") {
  // `renderq config` shows these as the defaults; RenderSpec is what applies.
  const renderq::RenderSpec spec;
  auto fallback = [](std::string_view key) { return std::string(renderq::find_config_key(key)->fallback); };
  CHECK(fallback("render.size") == std::to_string(spec.width) + "x" + std::to_string(spec.height));
  CHECK(fallback("render.samples") == std::to_string(spec.samples));
  CHECK(fallback("render.tonemap") == renderq::tonemap_name(spec.tonemap));
  CHECK(fallback("render.exposure") == "0");
  CHECK(spec.exposure == 0.0);
  CHECK(fallback("render.background") == renderq::format_color(spec.background));
  CHECK(fallback("render.png_level") == std::to_string(spec.png_level));
}

TEST_CASE("render.max_scene_memory takes byte sizes", "[config][budget]") {
  using renderq::ConfigType;
  CHECK(renderq::check_config_text(ConfigType::Bytes, "4G").value() == "4G");
  CHECK(renderq::check_config_text(ConfigType::Bytes, "1048576").value() == "1048576");
  CHECK(renderq::check_config_text(ConfigType::Bytes, "0").error().code == Errc::ConfigInvalid);
  CHECK(renderq::check_config_text(ConfigType::Bytes, "lots").error().code == Errc::ConfigInvalid);
  const renderq::ConfigKey* key = renderq::find_config_key("render.max_scene_memory");
  REQUIRE(key != nullptr);
  CHECK(key->flag == "--max-scene-memory");
  CHECK(key->env == "RENDERQ_MAX_SCENE_MEMORY");
}

// toml++ 3.3.0 reached __builtin_unreachable() deciding whether these were
// whitespace (undefined behaviour; UBSan stops at it, fuzz/regressions/config/).
TEST_CASE("non-ASCII characters where whitespace may stand are read, not undefined", "[config]") {
  Scratch s;
  auto c = load(s.write("[spool]\ndir = \"\"\"/a\\\n   \xC3\xA9t\xC3\xA9\"\"\"\n"));
  REQUIRE(c);
  CHECK(c->get("spool.dir").text == "/a\xC3\xA9t\xC3\xA9");
  for (const char* text : {"\xC3\xA9 = 1\n", "\xEF\xBB\xB9" "8f8000\n", "[spool]\ndir = 1 \xE3\x84\xB0\n",
                           "[spool]\ndir = \"/x\" \xD0\x96\n"})
    CHECK(load(s.write(text)).error().code == Errc::ConfigInvalid);
}
