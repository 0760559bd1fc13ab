#include "gltf/document.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <system_error>

#include "core/input_file.hpp"

#include "gltf/meshopt.hpp"
#include "gltf/uri.hpp"

namespace renderq::gltf {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kGlbMagic = 0x46546C67;  // "glTF"
constexpr std::uint32_t kChunkJson = 0x4E4F534A;
constexpr std::uint32_t kChunkBin = 0x004E4942;

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

struct Glb {
  std::string_view json;
  const std::uint8_t* bin = nullptr;
  std::size_t bin_size = 0;
  bool has_bin = false;
};

// Splits a .glb into its JSON and BIN chunks; every length is checked
// against the bytes actually present, so a truncated file is an error here.
Result<Glb> split_glb(const std::vector<std::uint8_t>& file) {
  if (file.size() < 20) return fail(Errc::GltfInvalid, "truncated .glb: no room for the header");
  std::uint32_t version = le32(&file[4]);
  std::uint32_t length = le32(&file[8]);
  if (version != 2)
    return fail(Errc::GltfInvalid, "unsupported .glb version " + std::to_string(version));
  if (length > file.size())
    return fail(Errc::GltfInvalid, "truncated .glb: header says " + std::to_string(length) +
                                       " bytes, file has " + std::to_string(file.size()));
  Glb glb;
  std::size_t pos = 12;
  bool first = true;
  while (pos + 8 <= length) {
    std::size_t chunk_len = le32(&file[pos]);
    std::uint32_t type = le32(&file[pos + 4]);
    pos += 8;
    if (chunk_len > length - pos)
      return fail(Errc::GltfInvalid, "truncated .glb: a chunk runs past the end of the file");
    const std::uint8_t* data = file.data() + pos;
    if (first) {
      if (type != kChunkJson) return fail(Errc::GltfInvalid, ".glb does not start with JSON");
      glb.json = std::string_view(reinterpret_cast<const char*>(data), chunk_len);
    } else if (type == kChunkBin && !glb.has_bin) {
      glb.bin = data;
      glb.bin_size = chunk_len;
      glb.has_bin = true;
    }  // other chunk types are skipped, as the specification asks
    first = false;
    pos += chunk_len;
  }
  if (first) return fail(Errc::GltfInvalid, "truncated .glb: no JSON chunk");
  return glb;
}

Result<std::vector<std::uint8_t>> load_buffer(const Document& doc, const Json& b, std::size_t i,
                                              const Glb* glb, BudgetLease& lease) {
  JsonReader r;
  std::string where = "buffers[" + std::to_string(i) + "]";
  std::int64_t length = r.count(b, "byteLength", 0, true, where);
  std::string uri = r.string(b, "uri", where);
  if (r.failed()) return std::unexpected(r.error());
  std::vector<std::uint8_t> data;
  const auto declared = static_cast<std::uint64_t>(length);
  if (uri.empty() && is_meshopt_fallback(b) && !(glb && i == 0 && glb->has_bin)) {
    return data;  // a placeholder: only EXT_meshopt_compression views point into it
  } else if (uri.empty()) {
    if (!glb || i != 0 || !glb->has_bin)
      return fail(Errc::GltfInvalid, where + " has no uri and no GLB BIN chunk to use");
    if (auto ok = lease.charge(std::min<std::uint64_t>(glb->bin_size, declared), where); !ok)
      return std::unexpected(ok.error());
    data.assign(glb->bin, glb->bin + std::min<std::uint64_t>(glb->bin_size, declared));
  } else if (is_data_uri(uri)) {
    // base64 decodes to 3/4 of its length (percent-encoding to at most 1/1).
    if (auto ok = lease.charge(uri.size(), where + " (data URI)"); !ok) return std::unexpected(ok.error());
    auto d = decode_data_uri(uri, nullptr);
    if (!d) return std::unexpected(Error{d.error().code, where + ": " + d.error().detail});
    data = std::move(*d);
  } else {
    auto file = resolve_uri(doc.base_dir, uri);
    if (!file) return std::unexpected(file.error());
    auto d = read_file(*file, &lease, declared);  // only byteLength bytes, charged first
    if (!d) return std::unexpected(Error{d.error().code, where + ": " + d.error().detail});
    data = std::move(*d);
  }
  if (data.size() < static_cast<std::uint64_t>(length))
    return fail(Errc::GltfBufferOutOfRange, where + " holds " + std::to_string(data.size()) +
                                                " bytes, byteLength says " +
                                                std::to_string(length));
  data.resize(static_cast<std::size_t>(length));  // GLB padding and longer files are cut off
  return data;
}

}  // namespace

Result<Document> read_document(const fs::path& path, BudgetLease* lease) {
  std::optional<MemoryBudget> own_budget;
  std::optional<BudgetLease> own_lease;
  if (lease == nullptr) lease = &own_lease.emplace(own_budget.emplace(0));
  // The scene file itself: a user's path, so a symlink to it is fine.
  auto opened = open_input_file(path.string(), /*follow_symlink=*/true);
  if (!opened) {
    const InputFileError& e = opened.error();
    switch (e.problem) {
      case InputProblem::Missing: return fail(Errc::SceneMissing, path.string() + ": no such file");
      case InputProblem::NotRegular: return fail(Errc::SceneNotGltf, path.string() + " is " + e.detail + ", not a file");
      case InputProblem::Unreadable: break;
    }
    return fail(Errc::Io, path.string() + ": " + e.detail);
  }
  if (auto ok = lease->charge(opened->size, "the scene file"); !ok) return std::unexpected(ok.error());
  auto read = read_input_file(*opened, opened->size);
  if (!read) return fail(Errc::Io, path.string() + ": " + read.error().detail);
  const std::vector<std::uint8_t>* file = &*read;

  Document doc;
  doc.base_dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();

  std::optional<Glb> glb;
  std::string_view text(reinterpret_cast<const char*>(file->data()), file->size());
  if (file->size() >= 4 && le32(file->data()) == kGlbMagic) {
    auto g = split_glb(*file);
    if (!g) return std::unexpected(g.error());
    glb = *g;
    text = glb->json;
  }
  // The parsed JSON: strings about their own size, numbers more. An estimate;
  // std::bad_alloc from the parser is caught by load_gltf.
  if (auto ok = lease->charge(sat_mul(text.size(), 2), "the scene's JSON"); !ok) return std::unexpected(ok.error());
  doc.json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.json.is_discarded()) return fail(Errc::GltfInvalid, path.string() + ": invalid JSON");
  if (!doc.json.is_object()) return fail(Errc::GltfInvalid, path.string() + ": not a glTF object");

  JsonReader r;
  const Json* asset = r.object(doc.json, "asset", "glTF");
  if (!asset) return fail(Errc::GltfInvalid, path.string() + ": no asset object");
  std::string version = r.string(*asset, "version", "asset");
  if (r.failed()) return std::unexpected(r.error());
  if (!version.starts_with("2."))
    return fail(Errc::GltfInvalid, "glTF version '" + version + "' is not 2.x");

  const Json& buffers = array_or_empty(doc.json, "buffers");
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    auto data = load_buffer(doc, buffers[i], i, glb ? &*glb : nullptr, *lease);
    if (!data) return std::unexpected(data.error());
    doc.buffers.push_back(std::move(*data));
  }
  if (auto ok = decode_meshopt_views(doc, lease); !ok) return std::unexpected(ok.error());
  return doc;
}

Result<ViewBytes> buffer_view_bytes(const Document& doc, int view) {
  const Json& views = array_or_empty(doc.json, "bufferViews");
  if (view < 0 || static_cast<std::size_t>(view) >= views.size())
    return fail(Errc::GltfInvalid, "bufferView " + std::to_string(view) + " does not exist");
  const Json& v = views[static_cast<std::size_t>(view)];
  std::string where = "bufferViews[" + std::to_string(view) + "]";
  JsonReader r;
  int buffer = r.index(v, "buffer", doc.buffers.size(), -1, true, where);
  std::int64_t offset = r.count(v, "byteOffset", 0, false, where);
  std::int64_t length = r.count(v, "byteLength", 0, true, where);
  std::int64_t stride = r.count(v, "byteStride", 0, false, where);
  if (r.failed()) return std::unexpected(r.error());
  if (stride != 0 && (stride < 4 || stride > 252))
    return fail(Errc::GltfInvalid, where + ".byteStride " + std::to_string(stride) +
                                       " is outside [4, 252]");
  const auto& data = doc.buffers[static_cast<std::size_t>(buffer)];
  if (static_cast<std::uint64_t>(offset) + static_cast<std::uint64_t>(length) > data.size())
    return fail(Errc::GltfBufferOutOfRange,
                where + " [" + std::to_string(offset) + ", +" + std::to_string(length) +
                    ") runs past buffer " + std::to_string(buffer) + " (" +
                    std::to_string(data.size()) + " bytes)");
  return ViewBytes{data.data() + offset, static_cast<std::size_t>(length),
                   static_cast<std::size_t>(stride)};
}

}  // namespace renderq::gltf
