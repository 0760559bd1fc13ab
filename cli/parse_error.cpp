#include "cli/parse_error.hpp"

#include <algorithm>
#include <sstream>

namespace renderq {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The subcommand being parsed when the error came, or the root.
const CLI::App* active_command(const CLI::App& app) {
  auto subs = app.get_subcommands();
  return subs.empty() ? &app : subs.front();
}

std::string command_text(const CLI::App& app, const CLI::App* cmd) {
  return cmd == &app ? "renderq" : "renderq " + cmd->get_name();
}

// Every spelling of the options `cmd` accepts, its parent's (global) ones too.
std::vector<std::string> option_spellings(const CLI::App& app, const CLI::App* cmd) {
  std::vector<std::string> out;
  for (const CLI::App* a : {cmd, &app}) {
    for (const CLI::Option* o : a->get_options()) {
      if (o->get_positional()) continue;
      for (const std::string& l : o->get_lnames()) out.push_back("--" + l);
      for (const std::string& s : o->get_snames()) out.push_back("-" + s);
    }
    if (a == &app) break;
  }
  return out;
}

const CLI::Option* find_option(const CLI::App& app, const CLI::App* cmd, const std::string& name) {
  for (const CLI::App* a : {cmd, &app})
    for (const CLI::Option* o : a->get_options())
      if (o->check_name(name) || (o->get_positional() && o->get_name() == name)) return o;
  return nullptr;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string extras_message(const CLI::App& app, const CLI::App* cmd, std::string_view what) {
  const std::size_t colon = what.find(": ");
  const std::vector<std::string> extras =
      colon == std::string_view::npos ? std::vector<std::string>{} : split_words(what.substr(colon + 2));
  const std::string where = command_text(app, cmd);
  for (const std::string& w : extras) {
    if (w.size() < 2 || w[0] != '-') continue;
    const std::string name = w.substr(0, w.find('='));
    std::string msg = "unknown option '" + name + "' for `" + where + "`";
    if (std::string near = closest_word(name, option_spellings(app, cmd)); !near.empty())
      return msg + " (did you mean " + near + "?)";
    return msg + " (see " + where + " --help)";
  }
  if (extras.empty()) return std::string(what);
  std::string list;
  for (const std::string& w : extras) list += (list.empty() ? "'" : ", '") + w + "'";
  return "unexpected argument" + std::string(extras.size() > 1 ? "s " : " ") + list + " for `" + where +
         "` (see " + where + " --help)";
}

std::string conversion_message(const CLI::App& app, const CLI::App* cmd, std::string_view what) {
  constexpr std::string_view kPrefix = "Could not convert: ";
  if (!what.starts_with(kPrefix)) return std::string(what);
  const std::string_view rest = what.substr(kPrefix.size());
  const std::size_t eq = rest.find(" = ");
  if (eq == std::string_view::npos) return std::string(what);
  const std::string name(rest.substr(0, eq));
  const std::string value(rest.substr(eq + 3));
  const CLI::Option* o = find_option(app, cmd, name);
  std::string type = o ? o->get_type_name() : "";
  if (type == "ID") type = "job id";
  else if (type == "N") type = "whole number";
  return name + ": '" + value + "' is not a valid " + (type.empty() ? "value" : type) + " (see " +
         command_text(app, cmd) + " --help)";
}

std::string required_message(const CLI::App& app, const CLI::App* cmd, std::string_view what) {
  constexpr std::string_view kSuffix = " is required";
  if (!what.ends_with(kSuffix)) return std::string(what);
  const std::string name(what.substr(0, what.size() - kSuffix.size()));
  const CLI::Option* o = find_option(app, cmd, name);
  std::string shown = name;
  if (o && o->get_positional()) shown = o->get_type_name().empty() ? name : o->get_type_name();
  return "`" + command_text(app, cmd) + "` needs " + shown + " (see " + command_text(app, cmd) + " --help)";
}

// "ids: 'x' is not a valid job id": the name of a positional list of ids
// means nothing to the user (the message names the value), so it goes.
std::string validation_message(const CLI::App& app, const CLI::App* cmd, std::string_view what) {
  const std::size_t colon = what.find(": ");
  if (colon == std::string_view::npos) return std::string(what);
  const CLI::Option* o = find_option(app, cmd, std::string(what.substr(0, colon)));
  if (o == nullptr || !o->get_positional() || o->get_type_name() != "ID") return std::string(what);
  return std::string(what.substr(colon + 2));
}

}  // namespace

std::string closest_word(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 3;  // more than 2 edits is not a typo
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance && 2 * d < word.size()) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App* cmd = active_command(app);
  const std::string_view what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) return extras_message(app, cmd, what);
  if (dynamic_cast<const CLI::ConversionError*>(&e)) return conversion_message(app, cmd, what);
  if (dynamic_cast<const CLI::RequiredError*>(&e)) return required_message(app, cmd, what);
  if (dynamic_cast<const CLI::ValidationError*>(&e)) return validation_message(app, cmd, what);
  return std::string(what);
}

}  // namespace renderq
