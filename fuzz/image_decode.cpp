// Fuzzing target image_decode: the texture decoders (gltf/image_decode:
// PNG, JPEG and WebP by signature), as the loader calls them on an image's
// bytes. Every input must give an RGBA8 image of the size it reports, or a
// named error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <span>

#include "fuzz/fuzz_util.hpp"
#include "gltf/image_decode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto image = renderq::decode_image(std::span<const std::uint8_t>(data, size));
    if (!image) {
      if (image.error().code != renderq::Errc::ImageDecode) std::abort();
      return 0;
    }
    if (image->width < 1 || image->height < 1 || image->width > renderq::kMaxImageSide ||
        image->height > renderq::kMaxImageSide ||
        image->rgba.size() != std::size_t(image->width) * std::size_t(image->height) * 4)
      std::abort();
  } catch (const std::bad_alloc&) {
    renderq::fuzz::note_bad_alloc();
  }
  return 0;
}
