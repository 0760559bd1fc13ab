#include "render/encode_webp.hpp"

#include <webp/encode.h>
#include <webp/mux.h>

#include <cmath>
#include <string>

namespace renderq {
namespace {

bool image_ok(const StraightImage& img) {
  return img.depth == 8 && img.width > 0 && img.height > 0 && img.width <= WEBP_MAX_DIMENSION &&
         img.height <= WEBP_MAX_DIMENSION &&
         img.rgba8.size() == static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4;
}

Result<WebPConfig> make_config(int quality) {
  WebPConfig config;
  if (quality < 0 || quality > 100 || !WebPConfigInit(&config))
    return fail(Errc::ImageEncode, "WebP quality must be 0 (lossless) or 1..100");
  if (quality == 0) {
    if (!WebPConfigLosslessPreset(&config, kWebPLosslessLevel))
      return fail(Errc::ImageEncode, "WebP lossless preset refused");
    config.exact = 1;  // lossless means every value, even under alpha 0
  } else {
    if (!WebPConfigPreset(&config, WEBP_PRESET_DEFAULT, static_cast<float>(quality)))
      return fail(Errc::ImageEncode, "WebP preset refused");
  }
  if (!WebPValidateConfig(&config)) return fail(Errc::ImageEncode, "WebP configuration invalid");
  return config;
}

// A WebPPicture that frees itself.
struct Picture {
  WebPPicture pic;
  Picture() { WebPPictureInit(&pic); }
  ~Picture() { WebPPictureFree(&pic); }
  Picture(const Picture&) = delete;
  Picture& operator=(const Picture&) = delete;
};

Result<void> import(Picture& p, const StraightImage& img, bool argb) {
  p.pic.width = img.width;
  p.pic.height = img.height;
  p.pic.use_argb = argb ? 1 : 0;
  if (!WebPPictureImportRGBA(&p.pic, img.rgba8.data(), img.width * 4))
    return fail(Errc::ImageEncode, "out of memory importing the WebP picture");
  return {};
}

int writer(const std::uint8_t* data, std::size_t size, const WebPPicture* pic) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(pic->custom_ptr);
  out->insert(out->end(), data, data + size);
  return 1;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_webp(const StraightImage& img, const WebPOptions& o) {
  if (!image_ok(img)) return fail(Errc::ImageEncode, "WebP takes an 8-bit RGBA image of at most 16383 pixels a side");
  auto config = make_config(o.quality);
  if (!config) return std::unexpected(config.error());
  Picture p;
  if (auto ok = import(p, img, config->lossless != 0); !ok) return std::unexpected(ok.error());
  std::vector<std::uint8_t> out;
  p.pic.writer = writer;
  p.pic.custom_ptr = &out;
  if (!WebPEncode(&*config, &p.pic))
    return fail(Errc::ImageEncode, "libwebp error " + std::to_string(static_cast<int>(p.pic.error_code)));
  return out;
}

Result<std::vector<std::uint8_t>> add_webp_xmp(const std::vector<std::uint8_t>& webp, const std::string& xmp) {
  WebPData in{webp.data(), webp.size()};
  std::unique_ptr<WebPMux, void (*)(WebPMux*)> mux(WebPMuxCreate(&in, 0), WebPMuxDelete);
  if (!mux) return fail(Errc::ImageEncode, "libwebpmux cannot read the encoded WebP");
  WebPData chunk{reinterpret_cast<const std::uint8_t*>(xmp.data()), xmp.size()};
  WebPData out;
  WebPDataInit(&out);
  if (WebPMuxSetChunk(mux.get(), "XMP ", &chunk, 0) != WEBP_MUX_OK || WebPMuxAssemble(mux.get(), &out) != WEBP_MUX_OK) {
    WebPDataClear(&out);
    return fail(Errc::ImageEncode, "libwebpmux could not add the XMP chunk");
  }
  std::vector<std::uint8_t> bytes(out.bytes, out.bytes + out.size);
  WebPDataClear(&out);
  return bytes;
}

std::string xmp_packet(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      default: escaped += c;
    }
  }
  return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
         "<rdf:Description rdf:about=\"\" xmlns:renderq=\"urn:renderq:ns:1#\"><renderq:spec>" +
         escaped + "</renderq:spec></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";
}

void WebPAnimation::EncoderFree::operator()(WebPAnimEncoder* e) const { WebPAnimEncoderDelete(e); }

WebPAnimation::WebPAnimation(WebPAnimation&&) noexcept = default;
WebPAnimation& WebPAnimation::operator=(WebPAnimation&&) noexcept = default;
WebPAnimation::~WebPAnimation() = default;

Result<WebPAnimation> WebPAnimation::create(int width, int height, double fps, const WebPOptions& o) {
  if (width <= 0 || height <= 0 || width > WEBP_MAX_DIMENSION || height > WEBP_MAX_DIMENSION)
    return fail(Errc::ImageEncode, "WebP allows at most 16383 pixels a side");
  if (!(fps > 0 && fps <= 1000)) return fail(Errc::ImageEncode, "fps must be above 0 and at most 1000");
  if (auto c = make_config(o.quality); !c) return std::unexpected(c.error());
  WebPAnimEncoderOptions options;
  if (!WebPAnimEncoderOptionsInit(&options)) return fail(Errc::ImageEncode, "libwebpmux version mismatch");
  options.anim_params.loop_count = 0;         // forever
  options.anim_params.bgcolor = 0x00000000;   // transparent
  WebPAnimation a;
  a.enc_.reset(WebPAnimEncoderNew(width, height, &options));
  if (!a.enc_) return fail(Errc::ImageEncode, "out of memory for the WebP animation encoder");
  a.width_ = width;
  a.height_ = height;
  a.fps_ = fps;
  a.quality_ = o.quality;
  return a;
}

namespace {
int timestamp_ms(int frame, double fps) {
  return static_cast<int>(std::lround(static_cast<double>(frame) * 1000.0 / fps));
}
}  // namespace

Result<void> WebPAnimation::add(const StraightImage& img) {
  if (!enc_) return fail(Errc::ImageEncode, "the WebP animation is finished");
  if (!image_ok(img) || img.width != width_ || img.height != height_)
    return fail(Errc::ImageEncode, "every frame of an animation must be 8-bit RGBA of its size");
  auto config = make_config(quality_);
  if (!config) return std::unexpected(config.error());
  Picture p;
  if (auto ok = import(p, img, true); !ok) return std::unexpected(ok.error());
  if (!WebPAnimEncoderAdd(enc_.get(), &p.pic, timestamp_ms(frames_, fps_), &*config))
    return fail(Errc::ImageEncode, std::string("libwebp: ") + WebPAnimEncoderGetError(enc_.get()));
  ++frames_;
  return {};
}

Result<std::vector<std::uint8_t>> WebPAnimation::finish() {
  if (!enc_ || frames_ == 0) return fail(Errc::ImageEncode, "a WebP animation needs at least one frame");
  // A last, empty frame marks when the previous one ends.
  if (!WebPAnimEncoderAdd(enc_.get(), nullptr, timestamp_ms(frames_, fps_), nullptr))
    return fail(Errc::ImageEncode, std::string("libwebp: ") + WebPAnimEncoderGetError(enc_.get()));
  WebPData data;
  WebPDataInit(&data);
  if (!WebPAnimEncoderAssemble(enc_.get(), &data))
    return fail(Errc::ImageEncode, std::string("libwebp: ") + WebPAnimEncoderGetError(enc_.get()));
  std::vector<std::uint8_t> out(data.bytes, data.bytes + data.size);
  WebPDataClear(&data);
  enc_.reset();
  return out;
}

}  // namespace renderq
