// image_diff A.png B.png [DIFF.png]: prints the RMS YIQ difference of two
// PNGs in dB (the golden tests' metric; -inf when identical) for shell tests.
// Exit 0 when both images were read and have the same size, 1 otherwise.
#include <cstdio>

#include "tests/render/image_util.hpp"

int main(int argc, char** argv) {
  using namespace renderq::test;
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: image_diff A.png B.png [DIFF.png]\n");
    return 2;
  }
  auto a = read_png(argv[1]);
  auto b = read_png(argv[2]);
  for (auto* r : {&a, &b})
    if (!*r) {
      std::fprintf(stderr, "image_diff: %s\n", r->error().message().c_str());
      return 1;
    }
  if (a->width != b->width || a->height != b->height) {
    std::fprintf(stderr, "image_diff: sizes differ: %dx%d vs %dx%d\n", a->width, a->height, b->width, b->height);
    return 1;
  }
  std::printf("%.2f\n", yiq_rms_db(*a, *b, argc == 4 ? argv[3] : ""));
  return 0;
}
