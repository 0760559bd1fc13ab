// Named command templates: the only way a command job comes in over HTTP,
// and a short form for the CLI (`renderq submit --template NAME key=value`).
// Defined in the config file, never by a client:
//
//   [templates.blender]
//   argv = ["blender", "-b", "{scene}", "-o", "/srv/out/frame_", "-f", "{frame}"]
//   cwd = "/srv/render"                     # optional
//   params.scene = { type = "file" }        # a file under the allowed roots (HTTP) / a file (CLI)
//   params.frame = { type = "int", min = 1, max = 10000 }
//   params.quality = { type = "enum", values = ["draft", "final"] }
//
// A client names the template and gives each parameter a value; the values
// are checked by type and substituted into the argv elements that name them
// ("{frame}"), never through a shell. Free text is not a type: a value can
// only be a number in bounds, one of the listed words, or a file path
// without shell metacharacters.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace renderq {

enum class ParamType { File, Int, Enum };

struct TemplateParam {
  std::string name;
  ParamType type = ParamType::Int;
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::vector<std::string> values;  // Enum
};

struct ExecTemplate {
  std::string name;
  std::vector<std::string> argv;     // elements may hold {param} placeholders
  std::string cwd;                   // "" = the submitter's folder (CLI) / the server's (HTTP)
  std::vector<TemplateParam> params;
};

// From the config file's [templates.NAME] table as JSON. Errc::ConfigInvalid
// naming the field: a missing or empty argv, an argv[0] with a placeholder,
// a placeholder no parameter defines, a parameter no placeholder uses, an
// unknown type or key, min > max, an enum without values.
Result<ExecTemplate> exec_template_from_json(const std::string& name, const nlohmann::json& j);

// Turns a file parameter's text into the path to pass (absolute, checked);
// the CLI takes any regular file, the HTTP server one under its roots.
using FileResolver = std::function<Result<std::string>(const std::string& param, const std::string& value)>;

// The argv with every placeholder replaced. `values` maps each parameter to
// a JSON string or number (the CLI passes strings). Errc::InvalidArgument
// naming the parameter: unknown, missing, wrong type, out of bounds, not
// one of the enum's words, or a file value with a shell metacharacter or a
// control character (never needed in a path, refused so they never reach a
// program); the resolver's own errors for files.
Result<std::vector<std::string>> instantiate(const ExecTemplate& t, const std::map<std::string, nlohmann::json>& values,
                                             const FileResolver& resolve_file);

}  // namespace renderq
