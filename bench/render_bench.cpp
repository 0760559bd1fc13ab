// render_bench: per-stage times of one renderq render process, printed as
// one tab-separated line per model for bench/render_bench.sh to tabulate.
//
//   render_bench [--frames N] [--size S] [--samples N] [--out DIR]
//                [--format png|jpg|webp] [--background #RRGGBB] MODEL...
//
// For each model the process renders one job of N frames (a turntable, so
// encoding overlaps the next frame's draw). The first frame of the first
// model pays the cold costs (context, shader JIT, IBL); "per frame" figures
// are averages over the job. Run it with N = 1 in a fresh process per image
// for cold figures, and with several models and N > 1 for warm ones.
// --format picks the output's extension (a .webp job of N frames is one
// animation); JPEG needs --background. A MODEL ending in "@animate" plays its
// first animation over the frames (with the turntable), so its figures
// include posing on the CPU and re-uploading the deformed vertices.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "render/renderer.hpp"

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
// CPU time of the whole process (every thread: llvmpipe's rasterisers and
// the encoders too), in ms: on a shared machine steadier than wall time.
double process_cpu_ms() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0; };
  return ms(ru.ru_utime) + ms(ru.ru_stime);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace renderq;
  int frames = 1, size = 1024, samples = 4, repeat = 1;
  std::string out_dir = "/tmp", format = "png", background;
  std::vector<std::string> models;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--frames") frames = std::atoi(next().c_str());
    else if (a == "--size") size = std::atoi(next().c_str());
    else if (a == "--samples") samples = std::atoi(next().c_str());
    else if (a == "--repeat") repeat = std::atoi(next().c_str());
    else if (a == "--out") out_dir = next();
    else if (a == "--format") format = next();
    else if (a == "--background") background = next();
    else models.push_back(a);
  }
  if (models.empty()) {
    std::fprintf(stderr, "usage: render_bench [--frames N] [--size S] [--samples N] [--repeat R] [--out DIR] MODEL...\n");
    return 2;
  }

  auto t0 = Clock::now();
  auto renderer = Renderer::create(DeviceSelector{});
  if (!renderer) {
    std::fprintf(stderr, "render_bench: %s\n", renderer.error().message().c_str());
    return 1;
  }
  double context_ms = ms_since(t0);
  std::fprintf(stderr, "render_bench: %s | %s\n", (*renderer)->device().renderer.c_str(),
               (*renderer)->device().gl_version.c_str());

  // Columns: model run frames context load decode upload ibl draw readback encode wall_per_frame peak_mb
  // (per frame: draw, readback, encode, wall), then wait_per_frame encoder_threads textures_cached frames_per_s
  // cpu_per_frame (process CPU time, all threads, ms).
  // Stage times are busy times (render/renderer.hpp): with frames overlapping
  // they may add up to more than the wall time.
  for (int r = 0; r < repeat; ++r) {
    for (const std::string& model : models) {
      RenderSpec spec;
      const bool animate = model.ends_with("@animate");
      spec.scene = std::filesystem::absolute(animate ? model.substr(0, model.size() - 8) : model).string();
      spec.animate = animate;
      spec.output = out_dir + "/bench_" + std::filesystem::path(spec.scene).stem().string() + "." + format;
      if (auto bg = parse_color(background); bg) spec.background = *bg;
      spec.width = spec.height = size;
      spec.samples = samples;
      spec.frames = frames;
      spec.turntable = frames > 1;
      auto t = Clock::now();
      double cpu0 = process_cpu_ms();
      auto rep = (*renderer)->render(spec);
      double wall = ms_since(t);
      double cpu = process_cpu_ms() - cpu0;
      if (!rep) {
        std::fprintf(stderr, "render_bench: %s: %s\n", model.c_str(), rep.error().message().c_str());
        return 1;
      }
      rusage ru{};
      getrusage(RUSAGE_SELF, &ru);
      const StageTimes& s = rep->times;
      double n = frames;
      // The name says what the row exercises: Avocado and Avocado-draco differ.
      std::filesystem::path scene_path(spec.scene);
      std::string name = scene_path.stem().string();
      if (scene_path.parent_path().filename() == "glTF-Draco") name += "-draco";
      if (animate) name += "-animated";
      std::printf("%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%.1f\t%d\t%d\t%.2f\t%.1f\n",
                  name.c_str(), r, frames, context_ms, s.load, s.decode, s.upload, s.ibl,
                  s.draw / n, s.readback / n, s.encode / n, wall / n, static_cast<double>(ru.ru_maxrss) / 1024.0,
                  s.wait / n, s.encoder_threads, s.textures_cached, 1000.0 * n / wall, cpu / n);
      std::fflush(stdout);
      context_ms = 0;  // paid once per process
    }
  }
  return 0;
}
