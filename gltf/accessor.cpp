#include "gltf/accessor.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

namespace renderq::gltf {

namespace {

constexpr int kByte = 5120, kUByte = 5121, kShort = 5122, kUShort = 5123, kUInt = 5125,
              kFloat = 5126;

std::size_t component_size(int type) {
  switch (type) {
    case kByte: case kUByte: return 1;
    case kShort: case kUShort: return 2;
    case kUInt: case kFloat: return 4;
    default: return 0;
  }
}

int components_of(const std::string& type) {
  if (type == "SCALAR") return 1;
  if (type == "VEC2") return 2;
  if (type == "VEC3") return 3;
  if (type == "VEC4") return 4;
  if (type == "MAT2") return 4;
  if (type == "MAT3") return 9;
  if (type == "MAT4") return 16;
  return 0;
}

// One component as double; memcpy because glTF data need not be aligned.
double load_component(const std::uint8_t* p, int type, bool normalized) {
  switch (type) {
    case kByte: {
      std::int8_t v;
      std::memcpy(&v, p, 1);
      return normalized ? std::max(v / 127.0, -1.0) : v;
    }
    case kUByte: return normalized ? p[0] / 255.0 : p[0];
    case kShort: {
      std::int16_t v;
      std::memcpy(&v, p, 2);
      return normalized ? std::max(v / 32767.0, -1.0) : v;
    }
    case kUShort: {
      std::uint16_t v;
      std::memcpy(&v, p, 2);
      return normalized ? v / 65535.0 : v;
    }
    case kUInt: {
      std::uint32_t v;
      std::memcpy(&v, p, 4);
      return normalized ? v / 4294967295.0 : v;
    }
    case kFloat: {
      float v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: return 0;
  }
}

// A strided run of `count` elements of `elem_size` bytes starting at
// `offset` inside a buffer view, checked to lie inside it.
struct Strided {
  const std::uint8_t* data = nullptr;
  std::size_t stride = 0;
};

Result<Strided> strided_range(const Document& doc, int view, std::size_t offset,
                              std::size_t count, std::size_t elem_size, bool allow_stride,
                              const std::string& where) {
  auto bytes = buffer_view_bytes(doc, view);
  if (!bytes) return std::unexpected(bytes.error());
  std::size_t stride = (allow_stride && bytes->stride) ? bytes->stride : elem_size;
  if (stride < elem_size)
    return fail(Errc::GltfInvalid, where + ": byteStride " + std::to_string(stride) +
                                       " is smaller than an element (" +
                                       std::to_string(elem_size) + " bytes)");
  // count < 2^48 and stride <= 252, so this cannot overflow.
  std::uint64_t need = count == 0 ? 0 : offset + (count - 1) * stride + elem_size;
  if (need > bytes->size)
    return fail(Errc::GltfBufferOutOfRange,
                where + " needs " + std::to_string(need) + " bytes of bufferView " +
                    std::to_string(view) + ", which has " + std::to_string(bytes->size));
  return Strided{bytes->data + offset, stride};
}

// Reads an accessor, converting each component to T.
template <typename T>
Result<std::vector<T>> read_accessor(const Document& doc, int index) {
  auto info = accessor_info(doc, index);
  if (!info) return std::unexpected(info.error());
  const Json& a = array_or_empty(doc.json, "accessors")[static_cast<std::size_t>(index)];
  std::string where = "accessors[" + std::to_string(index) + "]";
  JsonReader r;
  std::size_t csize = component_size(info->component_type);
  std::size_t elem = csize * static_cast<std::size_t>(info->components);
  std::size_t n = info->count * static_cast<std::size_t>(info->components);
  // Guard the allocation: an accessor without a buffer view could otherwise
  // ask for terabytes of zeros.
  if (n > (std::size_t{1} << 28))
    return fail(Errc::GltfInvalid, where + ".count " + std::to_string(info->count) +
                                       " is too large");

  int view = r.index(a, "bufferView", array_or_empty(doc.json, "bufferViews").size(), -1, false,
                     where);
  std::size_t offset = static_cast<std::size_t>(r.count(a, "byteOffset", 0, false, where));
  if (r.failed()) return std::unexpected(r.error());
  // Matrices of 1- and 2-byte components have padded columns; none of the
  // attributes the renderer reads are matrices, so refuse rather than guess.
  if (info->matrix && csize < 4)
    return fail(Errc::GltfInvalid, where + ": matrix of small components is not supported");
  std::optional<Strided> range;
  if (view >= 0) {
    auto rg = strided_range(doc, view, offset, info->count, elem, true, where);
    if (!rg) return std::unexpected(rg.error());
    range = *rg;
  }
  std::vector<T> out(n, T{});
  if (range) {
    for (std::size_t i = 0; i < info->count; ++i) {
      const std::uint8_t* p = range->data + i * range->stride;
      for (int c = 0; c < info->components; ++c)
        out[i * static_cast<std::size_t>(info->components) + static_cast<std::size_t>(c)] =
            static_cast<T>(load_component(p + static_cast<std::size_t>(c) * csize,
                                          info->component_type, info->normalized));
    }
  }

  const Json* sparse = r.object(a, "sparse", where);
  if (sparse) {
    std::string sw = where + ".sparse";
    std::size_t scount = static_cast<std::size_t>(r.count(*sparse, "count", 0, true, sw));
    const Json* idx = r.object(*sparse, "indices", sw);
    const Json* val = r.object(*sparse, "values", sw);
    if (!r.failed() && (!idx || !val)) r.fail(Errc::GltfInvalid, sw + " lacks indices or values");
    if (r.failed()) return std::unexpected(r.error());
    if (scount > info->count)
      return fail(Errc::GltfInvalid, sw + ".count exceeds the accessor's count");
    std::size_t nviews = array_or_empty(doc.json, "bufferViews").size();
    int iview = r.index(*idx, "bufferView", nviews, -1, true, sw + ".indices");
    std::size_t ioff = static_cast<std::size_t>(r.count(*idx, "byteOffset", 0, false, sw));
    int itype = static_cast<int>(r.count(*idx, "componentType", 0, true, sw + ".indices"));
    int vview = r.index(*val, "bufferView", nviews, -1, true, sw + ".values");
    std::size_t voff = static_cast<std::size_t>(r.count(*val, "byteOffset", 0, false, sw));
    if (r.failed()) return std::unexpected(r.error());
    if (itype != kUByte && itype != kUShort && itype != kUInt)
      return fail(Errc::GltfInvalid, sw + ".indices.componentType is not an unsigned integer");
    std::size_t isize = component_size(itype);
    auto irange = strided_range(doc, iview, ioff, scount, isize, false, sw + ".indices");
    if (!irange) return std::unexpected(irange.error());
    auto vrange = strided_range(doc, vview, voff, scount, elem, false, sw + ".values");
    if (!vrange) return std::unexpected(vrange.error());
    for (std::size_t s = 0; s < scount; ++s) {
      auto target = static_cast<std::size_t>(
          load_component(irange->data + s * isize, itype, false));
      if (target >= info->count)
        return fail(Errc::GltfInvalid, sw + " index " + std::to_string(target) +
                                           " is not below the accessor's count " +
                                           std::to_string(info->count));
      const std::uint8_t* p = vrange->data + s * elem;
      for (int c = 0; c < info->components; ++c)
        out[target * static_cast<std::size_t>(info->components) + static_cast<std::size_t>(c)] =
            static_cast<T>(load_component(p + static_cast<std::size_t>(c) * csize,
                                          info->component_type, info->normalized));
    }
  }
  return out;
}

}  // namespace

Result<AccessorInfo> accessor_info(const Document& doc, int index) {
  const Json& accessors = array_or_empty(doc.json, "accessors");
  if (index < 0 || static_cast<std::size_t>(index) >= accessors.size())
    return fail(Errc::GltfInvalid, "accessor " + std::to_string(index) + " does not exist");
  const Json& a = accessors[static_cast<std::size_t>(index)];
  std::string where = "accessors[" + std::to_string(index) + "]";
  JsonReader r;
  AccessorInfo info;
  info.component_type = static_cast<int>(r.count(a, "componentType", 0, true, where));
  info.count = static_cast<std::size_t>(r.count(a, "count", 0, true, where));
  info.normalized = r.boolean(a, "normalized", false, where);
  std::string type = r.string(a, "type", where);
  if (r.failed()) return std::unexpected(r.error());
  info.components = components_of(type);
  info.matrix = type.starts_with("MAT");
  if (info.components == 0)
    return fail(Errc::GltfInvalid, where + ".type '" + type + "' is not a glTF accessor type");
  if (component_size(info.component_type) == 0)
    return fail(Errc::GltfInvalid, where + ".componentType " +
                                       std::to_string(info.component_type) + " is not valid");
  if (info.normalized && (info.component_type == kFloat || info.component_type == kUInt))
    return fail(Errc::GltfInvalid, where + " is normalized but not 8- or 16-bit");
  return info;
}

Result<std::vector<float>> read_floats(const Document& doc, int index) {
  return read_accessor<float>(doc, index);
}

Result<std::vector<std::uint32_t>> read_indices(const Document& doc, int index) {
  auto info = accessor_info(doc, index);
  if (!info) return std::unexpected(info.error());
  if (info->components != 1 || info->normalized ||
      (info->component_type != kUByte && info->component_type != kUShort &&
       info->component_type != kUInt))
    return fail(Errc::GltfInvalid, "accessors[" + std::to_string(index) +
                                       "] is not an unsigned integer SCALAR accessor");
  return read_accessor<std::uint32_t>(doc, index);
}

}  // namespace renderq::gltf
