#include "core/scene_probe.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/input_file.hpp"
#include "core/memory_budget.hpp"
#include "core/percent_decode.hpp"

namespace renderq {

namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kChunkJson = 0x4E4F534A;  // "JSON"
constexpr std::uint32_t kChunkBin = 0x004E4942;   // "BIN\0"

std::uint32_t le32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  std::memcpy(&v, b.data() + at, 4);  // glTF is little-endian, as every host renderq builds for
  return v;
}

Error not_gltf(const RenderSpec& spec, const std::string& why) {
  return Error{Errc::SceneNotGltf, spec.scene + ": " + why};
}

// Where the scene's JSON lies in its file: [offset, offset + length).
struct JsonRegion {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

Result<JsonRegion> json_region(const RenderSpec& spec, std::uint64_t file_size, bool& has_bin) {
  auto head = read_file_head(spec.scene, 20);
  if (!head) return fail(Errc::SceneMissing, "scene not readable: " + spec.scene + ": " + head.error().detail);
  has_bin = false;
  if (head->size() < 4 || head->compare(0, 4, "glTF") != 0) return JsonRegion{0, file_size};
  if (head->size() < 20) return std::unexpected(not_gltf(spec, "truncated .glb: " + std::to_string(file_size) + " bytes, shorter than its header"));
  const std::uint32_t version = le32(*head, 4), length = le32(*head, 8);
  if (version != 2) return std::unexpected(not_gltf(spec, ".glb version " + std::to_string(version) + ", renderq reads glTF 2.0"));
  if (length != file_size)
    return std::unexpected(not_gltf(spec, "truncated or padded .glb: its header says " + std::to_string(length) +
                                              " bytes, the file has " + std::to_string(file_size)));
  const std::uint32_t json_len = le32(*head, 12), json_type = le32(*head, 16);
  if (json_type != kChunkJson) return std::unexpected(not_gltf(spec, ".glb's first chunk is not JSON"));
  if (std::uint64_t{20} + json_len > file_size)
    return std::unexpected(not_gltf(spec, ".glb's JSON chunk runs past the end of the file"));
  const std::uint64_t after_json = 20 + std::uint64_t{json_len};
  if (after_json + 8 <= file_size) {
    auto bin_head = read_file_head(spec.scene, static_cast<std::size_t>(after_json + 8));
    if (!bin_head || bin_head->size() < after_json + 8) return fail(Errc::SceneMissing, "scene not readable: " + spec.scene);
    const std::uint32_t bin_len = le32(*bin_head, static_cast<std::size_t>(after_json));
    if (le32(*bin_head, static_cast<std::size_t>(after_json + 4)) == kChunkBin) {
      if (after_json + 8 + bin_len > file_size)
        return std::unexpected(not_gltf(spec, ".glb's BIN chunk runs past the end of the file"));
      has_bin = true;
    }
  } else if (after_json != file_size) {
    return std::unexpected(not_gltf(spec, "truncated .glb: a chunk header is cut off"));
  }
  return JsonRegion{20, json_len};
}

// A region of an open file read through a buffer, as the character
// iterator nlohmann::json parses from: large JSON is parsed without holding
// its text.
class RegionReader {
 public:
  RegionReader(int fd, JsonRegion region) : fd_(fd), next_(region.offset), end_(region.offset + region.length) {}
  // Whether every byte was read (refilling the buffer when it is used up);
  // also true after a read error (error() says so).
  bool at_end() {
    if (pos_ < buf_.size()) return false;
    if (next_ >= end_ || error_ != 0) return true;
    buf_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(end_ - next_, kBuffer)));
    for (;;) {
      const ssize_t n = ::pread(fd_, buf_.data(), buf_.size(), static_cast<off_t>(next_));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = n < 0 ? errno : EIO;  // 0: the file shrank under us
        buf_.clear();
        return true;
      }
      buf_.resize(static_cast<std::size_t>(n));
      next_ += static_cast<std::uint64_t>(n);
      pos_ = 0;
      return false;
    }
  }
  char get() const { return buf_[pos_]; }
  void advance() { ++pos_; }
  int error() const { return error_; }

 private:
  static constexpr std::size_t kBuffer = 1u << 16;
  int fd_;
  std::uint64_t next_, end_;
  std::string buf_;
  std::size_t pos_ = 0;
  int error_ = 0;
};

struct RegionIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = char;

  RegionReader* reader = nullptr;  // nullptr: the end

  char operator*() const { return reader->get(); }
  RegionIterator& operator++() {
    reader->advance();
    return *this;
  }
  RegionIterator operator++(int) {
    RegionIterator before = *this;
    reader->advance();
    return before;
  }
  friend bool operator==(const RegionIterator& a, const RegionIterator& b) {
    return (!a.reader || a.reader->at_end()) == (!b.reader || b.reader->at_end());
  }
};

// Parses JSON larger than kMaxProbeJson from the file, cutting every string
// value to kMaxProbeString bytes as it is read: what the probe looks at
// (URIs of files, "data:" prefixes, camera names) fits, and a .gltf of
// embedded data: URIs costs the probe its structure, not its size.
// Errc::SceneMissing when the file cannot be read.
Result<nlohmann::json> parse_large(const RenderSpec& spec, JsonRegion region) {
  auto file = open_input_file(spec.scene);
  if (!file) return fail(Errc::SceneMissing, "scene not readable: " + spec.scene + ": " + file.error().detail);
  RegionReader reader(file->fd.get(), region);
  auto cut_strings = [](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::value && parsed.is_string()) {
      auto& text = parsed.get_ref<std::string&>();
      if (text.size() > kMaxProbeString) {
        text.resize(kMaxProbeString);
        text.shrink_to_fit();
      }
    }
    return true;
  };
  nlohmann::json doc = nlohmann::json::parse(RegionIterator{&reader}, RegionIterator{}, cut_strings,
                                             /*allow_exceptions=*/false);
  if (reader.error() != 0)
    return fail(Errc::SceneMissing, "scene not readable: " + spec.scene + ": " + std::strerror(reader.error()));
  return doc;
}

// The scene's JSON, parsed; a discarded value when it does not parse.
Result<nlohmann::json> parse_json(const RenderSpec& spec, JsonRegion region) {
  if (region.length > kMaxProbeJson) return parse_large(spec, region);
  auto text = read_file_head(spec.scene, static_cast<std::size_t>(region.offset + region.length));
  if (!text) return fail(Errc::SceneMissing, "scene not readable: " + spec.scene + ": " + text.error().detail);
  if (text->size() < region.offset + region.length) return fail(Errc::SceneMissing, "scene not readable: " + spec.scene);
  return nlohmann::json::parse(std::string_view(*text).substr(static_cast<std::size_t>(region.offset)), nullptr,
                               /*allow_exceptions=*/false);
}

// A relative URI's file must exist beside the scene; data: URIs are the
// loader's business. Percent-escapes are decoded for the check, as the
// loader decodes them (core/percent_decode).
Result<std::uint64_t> referenced_file(const RenderSpec& spec, const std::string& uri, const std::string& what) {
  Result<std::string> path = percent_decode(uri);
  if (!path) return fail(Errc::SceneNotGltf, what + " '" + uri + "' of " + spec.scene + ": " + path.error().message());
  const fs::path full = fs::path(spec.scene).parent_path() / *path;
  std::error_code ec;
  const fs::file_status st = fs::status(full, ec);
  if (ec || !fs::exists(st))
    return fail(Errc::SceneMissing, what + " '" + uri + "' of " + spec.scene + " not found: " + full.string());
  if (!fs::is_regular_file(st))
    return fail(Errc::SceneMissing, what + " '" + uri + "' of " + spec.scene + " is not a regular file");
  return static_cast<std::uint64_t>(fs::file_size(full, ec));
}

bool is_external(const std::string& uri) {
  return !uri.empty() && uri.rfind("data:", 0) != 0 && uri.find("://") == std::string::npos;
}

}  // namespace

Result<void> probe_scene(const RenderSpec& spec) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(spec.scene, ec);
  if (ec) return fail(Errc::SceneMissing, "scene not readable: " + spec.scene + ": " + ec.message());
  bool has_bin = false;
  Result<JsonRegion> region = json_region(spec, size, has_bin);
  if (!region) return std::unexpected(region.error());
  // JSON larger than this process's scene memory budget is left to the
  // daemon's loader, whose budget may be larger (and which refuses it
  // otherwise, Errc::SceneTooLarge).
  if (region->length > kMaxProbeJson && region->length > default_scene_memory()) return {};
  Result<nlohmann::json> parsed = parse_json(spec, *region);
  if (!parsed) return std::unexpected(parsed.error());
  const nlohmann::json& doc = *parsed;
  if (doc.is_discarded()) return std::unexpected(not_gltf(spec, "its JSON does not parse"));
  if (!doc.is_object() || !doc.contains("asset") || !doc["asset"].is_object() || !doc["asset"].contains("version") ||
      !doc["asset"]["version"].is_string() || doc["asset"]["version"].get<std::string>().rfind("2.", 0) != 0)
    return std::unexpected(not_gltf(spec, "not glTF 2.0 (asset.version must be \"2.x\")"));

  if (doc.contains("buffers") && doc["buffers"].is_array()) {
    const nlohmann::json& buffers = doc["buffers"];
    for (std::size_t i = 0; i < buffers.size(); ++i) {
      const nlohmann::json& b = buffers[i];
      if (!b.is_object()) continue;
      if (!b.contains("uri")) {
        if (i == 0 && !has_bin && b.value("byteLength", 0) > 0)
          return std::unexpected(not_gltf(spec, "buffer 0 has no uri and the file has no BIN chunk"));
        continue;
      }
      if (!b["uri"].is_string() || !is_external(b["uri"].get<std::string>())) continue;
      Result<std::uint64_t> bytes = referenced_file(spec, b["uri"].get<std::string>(), "buffer");
      if (!bytes) return std::unexpected(bytes.error());
      if (b.contains("byteLength") && b["byteLength"].is_number_unsigned() &&
          *bytes < b["byteLength"].get<std::uint64_t>())
        return fail(Errc::SceneMissing, "buffer '" + b["uri"].get<std::string>() + "' of " + spec.scene + " has " +
                                            std::to_string(*bytes) + " bytes; the scene says " +
                                            std::to_string(b["byteLength"].get<std::uint64_t>()));
    }
  }
  if (doc.contains("images") && doc["images"].is_array())
    for (const nlohmann::json& img : doc["images"])
      if (img.is_object() && img.contains("uri") && img["uri"].is_string() && is_external(img["uri"].get<std::string>()))
        if (auto f = referenced_file(spec, img["uri"].get<std::string>(), "image"); !f) return std::unexpected(f.error());

  const std::size_t scenes = doc.contains("scenes") && doc["scenes"].is_array() ? doc["scenes"].size() : 0;
  if (spec.scene_index >= 0 && static_cast<std::size_t>(spec.scene_index) >= scenes)
    return fail(Errc::GltfSceneNotFound, "--scene " + std::to_string(spec.scene_index) + " does not exist: " +
                                             spec.scene + " has " + std::to_string(scenes) + " scene(s)");
  if (!spec.camera.empty()) {
    const nlohmann::json empty = nlohmann::json::array();
    const nlohmann::json& cams = doc.contains("cameras") && doc["cameras"].is_array() ? doc["cameras"] : empty;
    int index = -1;
    auto [end, err] = std::from_chars(spec.camera.data(), spec.camera.data() + spec.camera.size(), index);
    bool found = false;
    if (err == std::errc() && end == spec.camera.data() + spec.camera.size()) {
      found = index >= 0 && static_cast<std::size_t>(index) < cams.size();
    } else {
      for (const nlohmann::json& c : cams)
        if (c.is_object() && c.contains("name") && c["name"].is_string() && c["name"].get<std::string>() == spec.camera)
          found = true;
    }
    if (!found) {
      std::string names;
      for (std::size_t i = 0; i < cams.size() && i < 8; ++i)
        names += (names.empty() ? "" : ", ") +
                 (cams[i].is_object() && cams[i].contains("name") && cams[i]["name"].is_string()
                      ? "'" + cams[i]["name"].get<std::string>() + "'"
                      : std::to_string(i));
      return fail(Errc::CameraNotFound, "no camera '" + spec.camera + "' in " + spec.scene +
                                            (cams.empty() ? " (it has no cameras)" : " (it has " + names + ")"));
    }
  }
  return {};
}

}  // namespace renderq
