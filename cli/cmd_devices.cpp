// `renderq devices [--json]`: the EGL devices this machine offers, with the
// renderer string, so a user can see whether they got the GPU or llvmpipe.
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "render/renderer.hpp"

namespace renderq {

void add_devices(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("devices", "List the EGL devices renderq can render on");
  // Owned by the callback, so it lives as long as the app (CLI11 binds by reference).
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "One JSON array instead of a table");
  cmd->callback([&ctx, json] {
    auto devices = enumerate_devices();
    if (!devices) {
      ctx.exit_code = report(devices.error());
      return;
    }
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const DeviceInfo& d : *devices) {
        nlohmann::json j = {{"index", d.index},
                            {"vendor", d.vendor},
                            {"renderer", d.renderer},
                            {"gl_version", d.gl_version},
                            {"software", d.software},
                            {"max_texture_size", d.max_texture_size},
                            {"max_samples", d.max_samples},
                            {"cuda_id", d.cuda_id ? nlohmann::json(*d.cuda_id) : nlohmann::json(nullptr)},
                            {"drm_node", d.drm_node.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.drm_node)}};
        out.push_back(std::move(j));
      }
      std::printf("%s\n", out.dump(2).c_str());
    } else {
      std::printf("%-7s %-8s %-9s %-7s %-5s %-19s %s\n", "DEVICE", "KIND", "MAX_TEX", "SAMPLES", "CUDA", "NODE",
                  "RENDERER / GL");
      for (const DeviceInfo& d : *devices) {
        std::string index = d.index >= 0 ? std::to_string(d.index) : "-";
        std::string cuda = d.cuda_id ? std::to_string(*d.cuda_id) : "-";
        std::printf("%-7s %-8s %-9d %-7d %-5s %-19s %s / %s\n", index.c_str(), d.software ? "software" : "hardware",
                    d.max_texture_size, d.max_samples, cuda.c_str(), d.drm_node.empty() ? "-" : d.drm_node.c_str(),
                    d.renderer.c_str(), d.gl_version.c_str());
      }
    }
    ctx.exit_code = 0;
  });
}

}  // namespace renderq
