// Fuzzing target hdr_decode: the Radiance .hdr decoder (render/hdr_image),
// as image-based lighting reads an environment file. Every input must give
// a float RGB image of the size it reports, or Errc::EnvironmentInvalid.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <span>

#include "fuzz/fuzz_util.hpp"
#include "render/hdr_image.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) try {
  auto image = renderq::decode_hdr(std::span<const std::uint8_t>(data, size), "fuzz.hdr");
  if (!image) {
    if (image.error().code != renderq::Errc::EnvironmentInvalid) std::abort();
    return 0;
  }
  if (image->width < 1 || image->height < 1 || image->width > renderq::kHdrMaxDimension ||
      image->height > renderq::kHdrMaxDimension ||
      image->rgb.size() != std::size_t(image->width) * std::size_t(image->height) * 3)
    std::abort();
  return 0;
} catch (const std::bad_alloc&) {
  renderq::fuzz::note_bad_alloc();
  return 0;
}
