// Images of a glTF file: found (data: URI, bufferView or a file beside the
// scene) and decoded to RGBA8. Only images some texture uses are decoded,
// on several threads, and not at all when the content caches have them.
#include <future>
#include <memory>
#include <thread>

#include "gltf/image_cache.hpp"
#include "gltf/image_decode.hpp"
#include "gltf/parts.hpp"
#include "gltf/uri.hpp"

namespace renderq::gltf {

namespace {

// The encoded bytes of image `i`. Borrowed from the document for bufferView
// images, otherwise stored in `owned`.
Result<std::span<const std::uint8_t>> image_bytes(const Document& doc, std::size_t i,
                                                  std::vector<std::uint8_t>& owned) {
  const Json& img = array_or_empty(doc.json, "images")[i];
  std::string where = "images[" + std::to_string(i) + "]";
  JsonReader r;
  std::string uri = r.string(img, "uri", where);
  int view = r.index(img, "bufferView", array_or_empty(doc.json, "bufferViews").size(), -1, false,
                     where);
  if (r.failed()) return std::unexpected(r.error());
  if (view >= 0 && !uri.empty())
    return fail(Errc::GltfInvalid, where + " has both a uri and a bufferView");
  if (view >= 0) {
    auto bytes = buffer_view_bytes(doc, view);
    if (!bytes) return std::unexpected(bytes.error());
    return std::span<const std::uint8_t>(bytes->data, bytes->size);
  }
  if (uri.empty()) return fail(Errc::GltfInvalid, where + " has neither a uri nor a bufferView");
  if (is_data_uri(uri)) {
    auto data = decode_data_uri(uri, nullptr);
    if (!data) return fail(Errc::ImageDecode, where + ": " + data.error().detail);
    owned = std::move(*data);
  } else {
    auto path = resolve_uri(doc.base_dir, uri);
    if (!path) return std::unexpected(path.error());
    auto data = read_file(*path);
    if (!data) return fail(Errc::ImageDecode, where + ": " + data.error().detail);
    owned = std::move(*data);
  }
  return std::span<const std::uint8_t>(owned);
}

// Which colour spaces the materials use image `i` in.
struct Uses {
  bool srgb = false, linear = false;
};

std::vector<Uses> image_uses(const Scene& scene) {
  std::vector<Uses> uses(scene.images.size());
  auto mark = [&](const TextureRef& ref, bool srgb) {
    if (ref.texture < 0 || ref.texture >= static_cast<int>(scene.textures.size())) return;
    int image = scene.textures[static_cast<std::size_t>(ref.texture)].image;
    if (image < 0 || image >= static_cast<int>(uses.size())) return;
    (srgb ? uses[static_cast<std::size_t>(image)].srgb : uses[static_cast<std::size_t>(image)].linear) = true;
  };
  for (const Material& m : scene.materials) Material::each_texture(m, mark);
  return uses;
}

Result<Image> load_image(const Document& doc, std::size_t i, Uses uses, const LoadOptions& options) {
  std::vector<std::uint8_t> owned;
  auto bytes = image_bytes(doc, i, owned);
  if (!bytes) return std::unexpected(bytes.error());
  const std::uint64_t hash = content_hash(*bytes);
  // Every use already uploaded: nothing to decode.
  if (options.uploaded && (uses.srgb || uses.linear) && (!uses.srgb || options.uploaded(hash, true)) &&
      (!uses.linear || options.uploaded(hash, false))) {
    Image on_gpu;  // no pixels: GlScene::upload takes the texture from its cache
    on_gpu.content_hash = hash;
    return on_gpu;
  }
  if (options.decoded_images != nullptr) {
    if (std::shared_ptr<const Image> hit = options.decoded_images->find(hash)) {
      Image copy = *hit;
      copy.content_hash = hash;
      return copy;
    }
  }
  auto image = decode_image(*bytes);
  if (!image)
    return fail(Errc::ImageDecode, "images[" + std::to_string(i) + "]: " + image.error().detail);
  image->content_hash = hash;
  if (options.decoded_images != nullptr) options.decoded_images->insert(hash, std::make_shared<const Image>(*image));
  return image;
}

}  // namespace

Result<void> read_images(const Document& doc, Scene& scene, const LoadOptions& options) {
  std::vector<bool> used(scene.images.size(), false);
  for (const Texture& t : scene.textures)
    if (t.image >= 0) used[static_cast<std::size_t>(t.image)] = true;
  const std::vector<Uses> uses = image_uses(scene);

  // Decoding dominates loading for textured models; images are independent,
  // so decode them on up to hardware_concurrency threads.
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < used.size(); ++i)
    if (used[i]) todo.push_back(i);
  std::vector<std::optional<Result<Image>>> results(todo.size());
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, todo.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < todo.size();)
      results[k] = load_image(doc, todo[k], uses[todo[k]], options);
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  }
  for (std::size_t k = 0; k < todo.size(); ++k) {
    Result<Image>& res = *results[k];
    if (!res) return std::unexpected(res.error());
    std::string name = std::move(scene.images[todo[k]].name);
    scene.images[todo[k]] = std::move(*res);
    scene.images[todo[k]].name = std::move(name);
  }
  return {};
}

}  // namespace renderq::gltf
