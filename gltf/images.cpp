// Images of a glTF file: found (data: URI, bufferView or a file beside the
// scene) and decoded to RGBA8. Only images some texture uses are decoded,
// on several threads, and not at all when the content caches have them.
// Every image's size is read from its header and charged to the scene's
// memory budget before the first one is decoded.
#include <future>
#include <memory>
#include <thread>

#include "gltf/image_cache.hpp"
#include "gltf/image_decode.hpp"
#include "gltf/image_header.hpp"
#include "gltf/parts.hpp"
#include "gltf/uri.hpp"

namespace renderq::gltf {

namespace {

// The encoded bytes of image `i`. Borrowed from the document for bufferView
// images, otherwise stored in `owned`, charged to `lease` before they are
// read or decoded.
Result<std::span<const std::uint8_t>> image_bytes(const Document& doc, std::size_t i,
                                                  std::vector<std::uint8_t>& owned, BudgetLease& lease) {
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
    if (auto ok = lease.charge(uri.size(), where + " (data URI)"); !ok) return std::unexpected(ok.error());
    auto data = decode_data_uri(uri, nullptr);
    if (!data) return fail(Errc::ImageDecode, where + ": " + data.error().detail);
    owned = std::move(*data);
  } else {
    auto path = resolve_uri(doc.base_dir, uri);
    if (!path) return std::unexpected(path.error());
    auto data = read_file(*path, &lease);
    if (!data && data.error().code != Errc::SceneTooLarge && data.error().code != Errc::Busy)
      return fail(Errc::ImageDecode, where + ": " + data.error().detail);
    if (!data) return std::unexpected(Error{data.error().code, where + ": " + data.error().detail});
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

// One image to produce: its encoded bytes and, when it must be decoded,
// the size its header declares (already charged).
struct Pending {
  std::size_t index = 0;
  std::vector<std::uint8_t> owned;
  std::span<const std::uint8_t> bytes;
  std::uint64_t hash = 0;
  std::optional<Image> ready;        // on the GPU already, or a decoded-cache hit
  std::uint64_t max_pixels = 0;      // what was charged, for decode_image
};

// Sequential, before any decoder runs: reads each image's bytes and header
// and charges what decoding will allocate, so a scene whose images need
// more than the budget is refused before the first pixel is allocated.
Result<Pending> prepare_image(const Document& doc, std::size_t i, Uses uses, const LoadOptions& options,
                              BudgetLease& lease) {
  Pending p;
  p.index = i;
  auto bytes = image_bytes(doc, i, p.owned, lease);
  if (!bytes) return std::unexpected(bytes.error());
  p.bytes = *bytes;
  p.hash = content_hash(p.bytes);
  // Every use already uploaded: nothing to decode.
  if (options.uploaded && (uses.srgb || uses.linear) && (!uses.srgb || options.uploaded(p.hash, true)) &&
      (!uses.linear || options.uploaded(p.hash, false))) {
    Image on_gpu;  // no pixels: GlScene::upload takes the texture from its cache
    on_gpu.content_hash = p.hash;
    p.ready = std::move(on_gpu);
    return p;
  }
  std::string where = "images[" + std::to_string(i) + "]";
  if (options.decoded_images != nullptr) {
    if (std::shared_ptr<const Image> hit = options.decoded_images->find(p.hash)) {
      if (auto ok = lease.charge(hit->rgba.size(), where + " (cached copy)"); !ok) return std::unexpected(ok.error());
      Image copy = *hit;
      copy.content_hash = p.hash;
      p.ready = std::move(copy);
      return p;
    }
  }
  auto header = read_image_header(p.bytes);
  if (!header) return fail(Errc::ImageDecode, where + ": " + header.error().detail);
  // Decoded once, and copied into the decoded-image cache when it can keep it.
  const std::uint64_t pixels = decoded_image_bytes(*header);
  const bool cached = options.decoded_images != nullptr && pixels <= options.decoded_images->max_bytes();
  const std::uint64_t need = cached ? 2 * pixels : pixels;
  if (auto ok = lease.charge(need, where + " (" + std::to_string(header->width) + "x" +
                                       std::to_string(header->height) + " RGBA)");
      !ok)
    return std::unexpected(ok.error());
  p.max_pixels = static_cast<std::uint64_t>(header->width) * static_cast<std::uint64_t>(header->height);
  return p;
}

// On a decode thread. std::bad_alloc becomes Errc::OutOfMemory here: an
// exception leaving a thread would terminate the process.
Result<Image> decode_pending(const Pending& p, const LoadOptions& options) noexcept {
  try {
    auto image = decode_image(p.bytes, p.max_pixels);
    if (!image)
      return fail(Errc::ImageDecode, "images[" + std::to_string(p.index) + "]: " + image.error().detail);
    image->content_hash = p.hash;
    if (options.decoded_images != nullptr && image->rgba.size() <= options.decoded_images->max_bytes())
      options.decoded_images->insert(p.hash, std::make_shared<const Image>(*image));
    return image;
  } catch (const std::bad_alloc&) {
    return fail(Errc::OutOfMemory, "images[" + std::to_string(p.index) + "]: out of memory while decoding");
  } catch (const std::exception& e) {
    return fail(Errc::Internal, "images[" + std::to_string(p.index) + "]: " + e.what());
  }
}

}  // namespace

Result<void> read_images(const Document& doc, Scene& scene, const LoadOptions& options, BudgetLease& lease) {
  std::vector<bool> used(scene.images.size(), false);
  for (const Texture& t : scene.textures)
    if (t.image >= 0) used[static_cast<std::size_t>(t.image)] = true;
  const std::vector<Uses> uses = image_uses(scene);

  std::vector<Pending> todo;
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (!used[i]) continue;
    auto p = prepare_image(doc, i, uses[i], options, lease);
    if (!p) return std::unexpected(p.error());
    todo.push_back(std::move(*p));
  }

  // Decoding dominates loading for textured models; images are independent,
  // so decode them on up to hardware_concurrency threads.
  std::vector<std::optional<Result<Image>>> results(todo.size());
  for (std::size_t k = 0; k < todo.size(); ++k)
    if (todo[k].ready) results[k] = std::move(*todo[k].ready);
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, todo.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < todo.size();)
      if (!results[k]) results[k] = decode_pending(todo[k], options);
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
    std::string name = std::move(scene.images[todo[k].index].name);
    scene.images[todo[k].index] = std::move(*res);
    scene.images[todo[k].index].name = std::move(name);
  }
  return {};
}

}  // namespace renderq::gltf
