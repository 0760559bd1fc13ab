#include "gltf/draco.hpp"

#include <draco/compression/decode.h>
#include <draco/mesh/mesh.h>

namespace renderq::gltf {

Result<DracoPrimitive> decode_draco(const Document& doc, const Json& ext, const std::string& where) {
  std::string w = where + ".extensions.KHR_draco_mesh_compression";
  JsonReader r;
  int view = r.index(ext, "bufferView", array_or_empty(doc.json, "bufferViews").size(), -1, true, w);
  const Json* attrs = r.object(ext, "attributes", w);
  if (!r.failed() && !attrs) r.fail(Errc::GltfInvalid, w + " has no attributes");
  if (r.failed()) return std::unexpected(r.error());
  auto bytes = buffer_view_bytes(doc, view);
  if (!bytes) return std::unexpected(bytes.error());

  draco::DecoderBuffer buffer;
  buffer.Init(reinterpret_cast<const char*>(bytes->data), bytes->size);
  auto type = draco::Decoder::GetEncodedGeometryType(&buffer);
  if (!type.ok() || type.value() != draco::TRIANGULAR_MESH)
    return fail(Errc::GltfInvalid, w + ": the bufferView does not hold a Draco triangle mesh");
  draco::Decoder decoder;
  auto decoded = decoder.DecodeMeshFromBuffer(&buffer);
  if (!decoded.ok())
    return fail(Errc::GltfInvalid, w + ": Draco decoding failed (" +
                                       std::string(decoded.status().error_msg()) + ")");
  const draco::Mesh& mesh = *decoded.value();

  DracoPrimitive out;
  out.vertex_count = mesh.num_points();
  out.indices.reserve(static_cast<std::size_t>(mesh.num_faces()) * 3);
  for (draco::FaceIndex f(0); f < mesh.num_faces(); ++f)
    for (int k = 0; k < 3; ++k) out.indices.push_back(mesh.face(f)[k].value());

  for (const auto& [semantic, id] : attrs->items()) {
    if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > INT32_MAX)
      return fail(Errc::GltfInvalid, w + ".attributes." + semantic + " is not a Draco attribute id");
    const draco::PointAttribute* att =
        mesh.GetAttributeByUniqueId(static_cast<std::uint32_t>(id.get<std::int64_t>()));
    if (!att || att->num_components() < 1 || att->num_components() > 4)
      return fail(Errc::GltfInvalid, w + ": the Draco stream has no usable attribute " +
                                         std::to_string(id.get<std::int64_t>()) + " for " + semantic);
    DracoAttribute a;
    a.components = att->num_components();
    a.values.resize(out.vertex_count * static_cast<std::size_t>(a.components));
    for (draco::PointIndex p(0); p < mesh.num_points(); ++p) {
      float* dst = a.values.data() + static_cast<std::size_t>(p.value()) * static_cast<std::size_t>(a.components);
      if (!att->ConvertValue<float>(att->mapped_index(p), static_cast<std::int8_t>(a.components), dst))
        return fail(Errc::GltfInvalid, w + ": Draco attribute " + semantic + " does not convert to floats");
    }
    out.attributes.emplace(semantic, std::move(a));
  }
  return out;
}

}  // namespace renderq::gltf
