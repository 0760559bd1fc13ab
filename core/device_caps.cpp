#include "core/device_caps.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/json_text.hpp"

namespace renderq {

namespace {
constexpr int kVersion = 1;
constexpr std::size_t kMaxFileBytes = 1 << 16;
}  // namespace

Result<void> write_device_caps(const std::filesystem::path& dir, const std::vector<DeviceCaps>& caps) {
  nlohmann::json list = nlohmann::json::array();
  for (const DeviceCaps& c : caps) list.push_back({{"device", c.device}, {"max_samples", c.max_samples}});
  const std::string text =
      json_text(nlohmann::json{{"version", kVersion}, {"devices", list}}) +
      "\n";
  const std::filesystem::path path = dir / kDeviceCapsFile;
  const std::filesystem::path tmp = dir / (std::string(".") + kDeviceCapsFile + "." + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return fail(Errc::Io, "cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return fail(Errc::Io, "cannot write " + path.string());
  }
  return {};
}

std::optional<std::vector<DeviceCaps>> read_device_caps(const std::filesystem::path& dir) {
  std::ifstream in(dir / kDeviceCapsFile);
  if (!in) return std::nullopt;
  std::string text(kMaxFileBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("version") || !j["version"].is_number_integer() ||
      j["version"].get<int>() > kVersion || !j.contains("devices") || !j["devices"].is_array())
    return std::nullopt;
  std::vector<DeviceCaps> out;
  for (const nlohmann::json& d : j["devices"]) {
    if (!d.is_object() || !d.contains("max_samples") || !d["max_samples"].is_number_integer()) return std::nullopt;
    out.push_back(DeviceCaps{.device = d.value("device", std::string()), .max_samples = d["max_samples"].get<int>()});
  }
  return out;
}

Result<void> check_device_caps(const RenderSpec& spec, const std::vector<DeviceCaps>& caps) {
  if (caps.empty() || spec.samples <= 1) return {};
  const DeviceCaps* best = nullptr;
  for (const DeviceCaps& c : caps) {
    if (c.max_samples <= 0 || c.max_samples >= spec.samples) return {};  // unknown, or enough
    if (!best || c.max_samples > best->max_samples) best = &c;
  }
  return fail(Errc::SamplesOutOfRange, "--samples " + std::to_string(spec.samples) + " is more than any device of " +
                                           "this spool's daemon allows: at most " + std::to_string(best->max_samples) +
                                           " on " + best->device);
}

}  // namespace renderq
