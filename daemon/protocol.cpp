#include "daemon/protocol.hpp"

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"

namespace renderq::wire {

using nlohmann::json;

namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

json to_json_msg(const Message& m) {
  json j = std::visit(
      Overloaded{
          [](const Ready& r) {
            return json{{"type", "ready"}, {"index", r.index}, {"device", r.device}, {"software", r.software},
                        {"cuda", r.cuda_id}, {"max_samples", r.max_samples}};
          },
          [](const StartFailed& s) {
            return json{{"type", "start_failed"}, {"code", s.code}, {"message", s.message}};
          },
          [](const Devices& d) {
            json list = json::array();
            for (const DeviceEntry& e : d.devices)
              list.push_back({{"index", e.index}, {"device", e.device}, {"software", e.software}});
            return json{{"type", "devices"}, {"devices", list}};
          },
          [](const Progress& p) {
            return json{{"type", "progress"}, {"id", p.id}, {"done", p.done}, {"total", p.total}};
          },
          [](const Done& d) {
            return json{{"type", "done"},       {"id", d.id},
                        {"ok", d.ok},           {"code", d.code},
                        {"message", d.message}, {"retryable", d.retryable},
                        {"restart", d.restart}, {"rss", d.rss}};
          },
          [](const JobRequest& r) {
            return json{{"type", "job"},
                        {"id", r.id},
                        {"name", r.name},
                        {"log", r.log_path},
                        {"spec", renderq::to_json(r.spec)},
                        {"stage", r.stage}};
          },
      },
      m);
  j["v"] = kVersion;
  return j;
}

}  // namespace

std::string encode(const Message& m) {
  // Replaced, not thrown: a spec stored before renderq checked its bytes.
  std::string s = json_text(to_json_msg(m));
  s.push_back('\n');
  return s;
}

Result<Message> decode(std::string_view line) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return fail(Errc::InvalidArgument, "worker message is not a JSON object");
  try {
    int v = j.value("v", 0);
    if (v != kVersion)
      return fail(Errc::InvalidArgument, "worker protocol version " + std::to_string(v) + ", expected " +
                                             std::to_string(kVersion));
    std::string type = j.at("type").get<std::string>();
    if (type == "ready")
      return Ready{j.at("index").get<int>(), j.at("device").get<std::string>(), j.at("software").get<bool>(),
                   j.value("cuda", -1), j.value("max_samples", 0)};
    if (type == "start_failed")
      return StartFailed{j.at("code").get<std::string>(), j.at("message").get<std::string>()};
    if (type == "devices") {
      Devices d;
      for (const json& e : j.at("devices"))
        d.devices.push_back({e.at("index").get<int>(), e.at("device").get<std::string>(),
                             e.at("software").get<bool>()});
      return d;
    }
    if (type == "progress")
      return Progress{j.at("id").get<std::int64_t>(), j.at("done").get<int>(), j.at("total").get<int>()};
    if (type == "done")
      return Done{j.at("id").get<std::int64_t>(),       j.at("ok").get<bool>(),
                  j.at("code").get<std::string>(),      j.at("message").get<std::string>(),
                  j.at("retryable").get<bool>(),        j.at("restart").get<bool>(),
                  j.value("rss", std::int64_t{0})};
    if (type == "job") {
      Result<RenderSpec> spec = spec_from_json(j.at("spec"));
      if (!spec) return std::unexpected(spec.error());
      return JobRequest{j.at("id").get<std::int64_t>(), j.at("name").get<std::string>(),
                        j.at("log").get<std::string>(), std::move(*spec), j.value("stage", std::string())};
    }
    return fail(Errc::InvalidArgument, "unknown worker message type '" + type + "'");
  } catch (const json::exception& e) {
    return fail(Errc::InvalidArgument, std::string("bad worker message: ") + e.what());
  }
}

std::optional<std::string> LineBuffer::next_line() {
  std::size_t nl = buf_.find('\n');
  if (nl == std::string::npos) return std::nullopt;
  std::string line = buf_.substr(0, nl);
  buf_.erase(0, nl + 1);
  return line;
}

}  // namespace renderq::wire
