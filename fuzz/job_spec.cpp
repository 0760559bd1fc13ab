// Fuzzing target job_spec: a job's JSON as the HTTP API receives it (the
// server's limited parser, serve/limits) and as the spool stores it: the
// render spec (core/render_spec) and the command spec (core/exec_spec),
// read from the document itself and from its "spec" member (the form of
// POST /v1/jobs).
//
// Properties checked beyond "no crash": a spec that parses and validates
// (what the spool stores) survives the trip through its stored form
// (to_json, text, from_json) unchanged, and a render spec gives a frame
// path for its first and last frame.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/exec_spec.hpp"
#include "core/render_spec.hpp"
#include "serve/limits.hpp"

namespace {

nlohmann::json stored(const nlohmann::json& j) { return nlohmann::json::parse(j.dump()); }

void check_render_spec(const nlohmann::json& j) {
  auto spec = renderq::spec_from_json(j);
  if (!spec || !renderq::validate_values(*spec)) return;  // only valid specs are stored
  auto again = renderq::spec_from_json(stored(renderq::to_json(*spec)));
  if (!again || !(*again == *spec)) std::abort();
  (void)renderq::frame_path(*spec, 0);
  (void)renderq::frame_path(*spec, spec->frames - 1);
}

void check_exec_spec(const nlohmann::json& j) {
  auto spec = renderq::exec_spec_from_json(j);
  if (!spec) return;
  auto again = renderq::exec_spec_from_json(stored(renderq::to_json(*spec)));
  if (!again || !(*again == *spec)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = renderq::serve::parse_json_limited(text, renderq::serve::JsonLimits{}, "job request");
  if (!doc) return 0;
  check_render_spec(*doc);
  check_exec_spec(*doc);
  if (doc->is_object() && doc->contains("spec")) check_render_spec((*doc)["spec"]);
  return 0;
}
