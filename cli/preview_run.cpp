// run_preview_command for renderq-full: check the options, then run the
// window (preview/preview_window.hpp).
#include <cstdio>
#include <filesystem>

#include "cli/preview_args.hpp"
#include "preview/preview_window.hpp"

namespace renderq {

int run_preview_command(const PreviewArgs& args, Context&) {
  RenderOptionValues values = args.values;
  if (values.output.empty()) values.output = std::filesystem::path(values.scene).stem().string() + ".png";
  if (values.frames != 1 || values.turntable)
    return report(Error{Errc::InvalidArgument, "preview shows one frame: drop --frames and --turntable"});
  auto spec = to_spec(values);
  if (!spec) return report(spec.error());
  PreviewOptions options;
  options.device.index = args.device;
  options.log_frames = args.log_frames;
  options.print = [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  };
  options.log = [](const std::string& line) { diag(line); };
  auto ran = run_preview(*spec, options);
  return ran ? 0 : report(ran.error());
}

}  // namespace renderq
