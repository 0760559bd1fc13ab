#include "core/exec_template.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace renderq {

namespace {

Error bad(const std::string& name, const std::string& what) {
  return Error{Errc::ConfigInvalid, "templates." + name + ": " + what};
}

bool identifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Calls on(name, begin, end) for each "{name}" in `s` (name an identifier).
template <typename F>
void each_placeholder(const std::string& s, F&& on) {
  for (std::size_t open = s.find('{'); open != std::string::npos; open = s.find('{', open + 1)) {
    const std::size_t close = s.find('}', open + 1);
    if (close == std::string::npos) return;
    const std::string_view name(s.data() + open + 1, close - open - 1);
    if (identifier(name)) on(std::string(name), open, close + 1);
  }
}

Result<TemplateParam> param_from_json(const std::string& tname, const std::string& pname, const nlohmann::json& j) {
  if (!identifier(pname)) return std::unexpected(bad(tname, "parameter name '" + pname + "' must be letters, digits or _"));
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
    return std::unexpected(bad(tname, "params." + pname + " needs a type (file, int or enum)"));
  TemplateParam p{.name = pname};
  const std::string type = j["type"].get<std::string>();
  for (const auto& [k, v] : j.items()) {
    const bool known = k == "type" || (type == "int" && (k == "min" || k == "max")) || (type == "enum" && k == "values");
    if (!known) return std::unexpected(bad(tname, "params." + pname + ": unknown key '" + k + "' for type " + type));
  }
  if (type == "file") {
    p.type = ParamType::File;
  } else if (type == "int") {
    p.type = ParamType::Int;
    if (j.contains("min")) {
      if (!j["min"].is_number_integer()) return std::unexpected(bad(tname, "params." + pname + ".min must be an integer"));
      p.min = j["min"].get<std::int64_t>();
    }
    if (j.contains("max")) {
      if (!j["max"].is_number_integer()) return std::unexpected(bad(tname, "params." + pname + ".max must be an integer"));
      p.max = j["max"].get<std::int64_t>();
    }
    if (p.min > p.max) return std::unexpected(bad(tname, "params." + pname + ": min is larger than max"));
  } else if (type == "enum") {
    p.type = ParamType::Enum;
    if (!j.contains("values") || !j["values"].is_array() || j["values"].empty())
      return std::unexpected(bad(tname, "params." + pname + ".values must list the allowed words"));
    for (const auto& v : j["values"]) {
      if (!v.is_string() || !identifier(v.get<std::string>()))
        return std::unexpected(bad(tname, "params." + pname + ".values must be words of letters, digits or _"));
      p.values.push_back(v.get<std::string>());
    }
  } else {
    return std::unexpected(bad(tname, "params." + pname + ": unknown type '" + type + "' (file, int or enum)"));
  }
  return p;
}

// Shell metacharacters and control characters: never in a file value.
bool unsafe_path(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f || std::string_view(";&|`$<>(){}[]*?!'\"\\~#").find(static_cast<char>(c)) != std::string_view::npos)
      return true;
  return false;
}

}  // namespace

Result<ExecTemplate> exec_template_from_json(const std::string& name, const nlohmann::json& j) {
  if (!identifier(name)) return std::unexpected(bad(name, "a template name must be letters, digits or _"));
  if (!j.is_object()) return std::unexpected(bad(name, "must be a table"));
  ExecTemplate t{.name = name};
  for (const auto& [k, v] : j.items())
    if (k != "argv" && k != "cwd" && k != "params") return std::unexpected(bad(name, "unknown key '" + k + "'"));
  if (!j.contains("argv") || !j["argv"].is_array() || j["argv"].empty())
    return std::unexpected(bad(name, "argv must be a non-empty array of strings"));
  for (const auto& a : j["argv"]) {
    if (!a.is_string()) return std::unexpected(bad(name, "argv must be a non-empty array of strings"));
    t.argv.push_back(a.get<std::string>());
  }
  if (j.contains("cwd")) {
    if (!j["cwd"].is_string() || j["cwd"].get<std::string>().empty() || j["cwd"].get<std::string>().front() != '/')
      return std::unexpected(bad(name, "cwd must be an absolute path"));
    t.cwd = j["cwd"].get<std::string>();
  }
  if (j.contains("params")) {
    if (!j["params"].is_object()) return std::unexpected(bad(name, "params must be a table"));
    for (const auto& [pname, pj] : j["params"].items()) {
      auto p = param_from_json(name, pname, pj);
      if (!p) return std::unexpected(p.error());
      t.params.push_back(std::move(*p));
    }
  }
  std::set<std::string> used;
  bool in_program = false;
  for (std::size_t i = 0; i < t.argv.size(); ++i)
    each_placeholder(t.argv[i], [&](const std::string& p, std::size_t, std::size_t) {
      used.insert(p);
      if (i == 0) in_program = true;
    });
  if (in_program) return std::unexpected(bad(name, "argv[0] (the program) must not hold a parameter"));
  for (const std::string& u : used)
    if (std::none_of(t.params.begin(), t.params.end(), [&](const TemplateParam& p) { return p.name == u; }))
      return std::unexpected(bad(name, "argv uses {" + u + "}, which params does not define"));
  for (const TemplateParam& p : t.params)
    if (!used.contains(p.name)) return std::unexpected(bad(name, "params." + p.name + " is not used in argv"));
  return t;
}

Result<std::vector<std::string>> instantiate(const ExecTemplate& t, const std::map<std::string, nlohmann::json>& values,
                                             const FileResolver& resolve_file) {
  auto invalid = [&](const std::string& what) {
    return fail(Errc::InvalidArgument, "template '" + t.name + "': " + what);
  };
  for (const auto& value : values) {
    const std::string& k = value.first;  // (a structured binding: clang 14 cannot capture one)
    if (std::none_of(t.params.begin(), t.params.end(), [&](const TemplateParam& p) { return p.name == k; }))
      return invalid("unknown parameter '" + k.substr(0, 64) + "'");
  }
  std::map<std::string, std::string> text;
  for (const TemplateParam& p : t.params) {
    auto it = values.find(p.name);
    if (it == values.end()) return invalid("parameter '" + p.name + "' is missing");
    const nlohmann::json& v = it->second;
    switch (p.type) {
      case ParamType::Int: {
        std::int64_t n = 0;
        if (v.is_number_integer()) {
          n = v.get<std::int64_t>();
        } else if (v.is_string()) {
          const std::string s = v.get<std::string>();
          auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
          if (ec != std::errc() || end != s.data() + s.size() || s.empty())
            return invalid("parameter '" + p.name + "' must be an integer");
        } else {
          return invalid("parameter '" + p.name + "' must be an integer");
        }
        if (n < p.min || n > p.max)
          return invalid("parameter '" + p.name + "' must be from " + std::to_string(p.min) + " to " + std::to_string(p.max));
        text[p.name] = std::to_string(n);
        break;
      }
      case ParamType::Enum: {
        if (!v.is_string() || std::find(p.values.begin(), p.values.end(), v.get<std::string>()) == p.values.end()) {
          std::string list;
          for (const std::string& w : p.values) list += (list.empty() ? "" : ", ") + w;
          return invalid("parameter '" + p.name + "' must be one of: " + list);
        }
        text[p.name] = v.get<std::string>();
        break;
      }
      case ParamType::File: {
        if (!v.is_string() || v.get<std::string>().empty()) return invalid("parameter '" + p.name + "' must be a file path");
        if (unsafe_path(v.get<std::string>()))
          return invalid("parameter '" + p.name + "' holds a shell metacharacter or a control character");
        auto path = resolve_file(p.name, v.get<std::string>());
        if (!path) return std::unexpected(path.error());
        if (unsafe_path(*path)) return invalid("parameter '" + p.name + "' resolves to a path with a shell metacharacter");
        text[p.name] = *path;
        break;
      }
    }
  }
  std::vector<std::string> argv;
  for (const std::string& a : t.argv) {
    std::string out;
    std::size_t last = 0;
    each_placeholder(a, [&](const std::string& name, std::size_t b, std::size_t e) {
      if (b < last) return;
      out.append(a, last, b - last);
      out += text.at(name);
      last = e;
    });
    out.append(a, last, std::string::npos);
    argv.push_back(std::move(out));
  }
  return argv;
}

}  // namespace renderq
