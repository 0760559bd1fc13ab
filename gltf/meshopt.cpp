#include "gltf/meshopt.hpp"

#include <meshoptimizer.h>

namespace renderq::gltf {

bool is_meshopt_fallback(const Json& buffer) {
  auto ext = buffer.find("extensions");
  if (ext == buffer.end() || !ext->is_object()) return false;
  auto m = ext->find("EXT_meshopt_compression");
  if (m == ext->end() || !m->is_object()) return false;
  auto f = m->find("fallback");
  return f != m->end() && f->is_boolean() && f->get<bool>();
}

namespace {

constexpr std::uint64_t kMaxDecoded = std::uint64_t{1} << 30;
// meshopt's best case is about 64:1 (zero deltas cost 2 bits per 16 bytes);
// a view claiming far more than that from a tiny stream is refused before
// anything is allocated.
constexpr std::uint64_t kMaxRatio = 256;

Result<std::vector<std::uint8_t>> decode_view(const Document& doc, const Json& ext, std::int64_t view_length,
                                              const std::string& where, BudgetLease* lease) {
  JsonReader r;
  int buffer = r.index(ext, "buffer", doc.buffers.size(), -1, true, where);
  std::int64_t offset = r.count(ext, "byteOffset", 0, false, where);
  std::int64_t length = r.count(ext, "byteLength", 0, true, where);
  std::int64_t stride = r.count(ext, "byteStride", 0, true, where);
  std::int64_t count = r.count(ext, "count", 0, true, where);
  std::string mode = r.string(ext, "mode", where);
  std::string filter = ext.contains("filter") ? r.string(ext, "filter", where) : "NONE";
  if (r.failed()) return std::unexpected(r.error());
  const auto& src = doc.buffers[static_cast<std::size_t>(buffer)];
  if (static_cast<std::uint64_t>(offset) + static_cast<std::uint64_t>(length) > src.size())
    return fail(Errc::GltfBufferOutOfRange, where + " [" + std::to_string(offset) + ", +" + std::to_string(length) +
                                                ") runs past buffer " + std::to_string(buffer));
  std::uint64_t size = static_cast<std::uint64_t>(count) * static_cast<std::uint64_t>(stride);
  if (stride == 0 || count == 0 || stride > 256 || size > kMaxDecoded)
    return fail(Errc::GltfInvalid, where + ": count " + std::to_string(count) + " x byteStride " +
                                       std::to_string(stride) + " is not a usable size");
  if (size > static_cast<std::uint64_t>(length) * kMaxRatio + 4096)
    return fail(Errc::GltfInvalid, where + ": " + std::to_string(size) + " bytes cannot come from a " +
                                       std::to_string(length) + "-byte stream");
  if (size != static_cast<std::uint64_t>(view_length))
    return fail(Errc::GltfInvalid, where + ": count x byteStride is " + std::to_string(size) +
                                       " bytes, the bufferView's byteLength " + std::to_string(view_length));
  if (lease)
    if (auto ok = lease->charge(size, where + " (decoded)"); !ok) return std::unexpected(ok.error());
  std::vector<std::uint8_t> out(static_cast<std::size_t>(size));
  const unsigned char* data = src.data() + offset;
  auto n = static_cast<std::size_t>(count);
  auto s = static_cast<std::size_t>(stride);
  int rc = -1;
  if (mode == "ATTRIBUTES") {
    if (s % 4 != 0) return fail(Errc::GltfInvalid, where + ": ATTRIBUTES needs a byteStride divisible by 4");
    rc = meshopt_decodeVertexBuffer(out.data(), n, s, data, static_cast<std::size_t>(length));
  } else if (mode == "TRIANGLES" || mode == "INDICES") {
    if (s != 2 && s != 4) return fail(Errc::GltfInvalid, where + ": " + mode + " needs a byteStride of 2 or 4");
    if (mode == "TRIANGLES") {
      if (n % 3 != 0) return fail(Errc::GltfInvalid, where + ": TRIANGLES needs a count divisible by 3");
      rc = meshopt_decodeIndexBuffer(out.data(), n, s, data, static_cast<std::size_t>(length));
    } else {
      rc = meshopt_decodeIndexSequence(out.data(), n, s, data, static_cast<std::size_t>(length));
    }
  } else {
    return fail(Errc::GltfInvalid, where + ".mode '" + mode + "' is unknown");
  }
  if (rc != 0)
    return fail(Errc::GltfInvalid, where + ": the meshopt stream does not decode (error " + std::to_string(rc) +
                                       "): truncated, corrupt, or its count is wrong");
  if (filter == "NONE") return out;
  if (mode != "ATTRIBUTES") return fail(Errc::GltfInvalid, where + ": filters apply to ATTRIBUTES only");
  if (filter == "OCTAHEDRAL") {
    if (s != 4 && s != 8) return fail(Errc::GltfInvalid, where + ": OCTAHEDRAL needs a byteStride of 4 or 8");
    meshopt_decodeFilterOct(out.data(), n, s);
  } else if (filter == "QUATERNION") {
    if (s != 8) return fail(Errc::GltfInvalid, where + ": QUATERNION needs a byteStride of 8");
    meshopt_decodeFilterQuat(out.data(), n, s);
  } else if (filter == "EXPONENTIAL") {
    meshopt_decodeFilterExp(out.data(), n, s);  // s % 4 == 0, checked above
  } else {
    return fail(Errc::GltfInvalid, where + ".filter '" + filter + "' is unknown");
  }
  return out;
}

}  // namespace

Result<void> decode_meshopt_views(Document& doc, BudgetLease* lease) {
  auto views = doc.json.find("bufferViews");
  if (views == doc.json.end() || !views->is_array()) return {};
  for (std::size_t i = 0; i < views->size(); ++i) {
    Json& v = (*views)[i];
    if (!v.is_object()) continue;  // buffer_view_bytes names it later
    auto ext = v.find("extensions");
    if (ext == v.end() || !ext->is_object()) continue;
    auto m = ext->find("EXT_meshopt_compression");
    if (m == ext->end()) continue;
    std::string where = "bufferViews[" + std::to_string(i) + "].extensions.EXT_meshopt_compression";
    if (!m->is_object()) return fail(Errc::GltfInvalid, where + " is not an object");
    JsonReader r;
    std::int64_t view_length = r.count(v, "byteLength", 0, true, "bufferViews[" + std::to_string(i) + "]");
    if (r.failed()) return std::unexpected(r.error());
    auto bytes = decode_view(doc, *m, view_length, where, lease);
    if (!bytes) return std::unexpected(bytes.error());
    doc.buffers.push_back(std::move(*bytes));
    v["buffer"] = doc.buffers.size() - 1;
    v["byteOffset"] = 0;
    v.erase("extensions");
  }
  return {};
}

}  // namespace renderq::gltf
