#include "cli/option_rules.hpp"

#include <array>
#include <charconv>
#include <limits>

namespace renderq {

namespace {

constexpr std::array<std::string_view, 5> kWholeNumberTypes = {"N", "P", "BITS", "INT", "UINT"};

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// The digits without leading zeros ("0" stays "0").
std::string_view trim_zeros(std::string_view digits) {
  const std::size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? digits.substr(digits.size() - 1) : digits.substr(first);
}

// One rule as a CLI11 validator: no description, so --help is unchanged.
CLI::Validator rule(std::function<std::string(std::string&)> fn) { return CLI::Validator(std::move(fn), "", ""); }

std::string message_of(const Error& e) { return e.detail; }

}  // namespace

Result<JobId> parse_job_id(std::string_view text) {
  const std::string shown = "'" + std::string(text) + "'";
  if (text.empty()) return fail(Errc::InvalidArgument, "empty job id");
  if (!all_digits(text))
    return fail(Errc::InvalidArgument, shown + " is not a valid job id (ids are decimal digits, 1 or more)");
  const std::string_view digits = trim_zeros(text);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 10);
  if (ec != std::errc{} || end != digits.data() + digits.size())
    return fail(Errc::InvalidArgument, shown + " is not a valid job id (ids go up to " +
                                           std::to_string(std::numeric_limits<std::int64_t>::max()) + ")");
  if (value == 0) return fail(Errc::InvalidArgument, shown + " is not a valid job id (ids start at 1)");
  return JobId{value};
}

Result<std::vector<JobId>> parse_job_id_list(std::string_view text) {
  if (text.empty()) return fail(Errc::InvalidArgument, "empty job id");
  std::vector<JobId> ids;
  std::size_t pos = 0;
  while (true) {
    std::size_t comma = text.find(',', pos);
    const std::string_view piece = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (piece.empty())
      return fail(Errc::InvalidArgument, "'" + std::string(text) + "' has an empty job id (ids are separated by one comma)");
    Result<JobId> id = parse_job_id(piece);
    if (!id) return std::unexpected(id.error());
    ids.push_back(*id);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return ids;
}

Result<std::string> canonical_decimal(std::string_view text) {
  const std::string shown = "'" + std::string(text) + "'";
  const bool negative = text.starts_with('-');
  const std::string_view digits = negative ? text.substr(1) : text;
  if (!all_digits(digits)) return fail(Errc::InvalidArgument, shown + " is not a whole number in decimal digits");
  std::string canonical = (negative ? "-" : "") + std::string(trim_zeros(digits));
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(canonical.data(), canonical.data() + canonical.size(), value, 10);
  if (ec != std::errc{} || end != canonical.data() + canonical.size())
    return fail(Errc::InvalidArgument, shown + " is out of range");
  if (canonical == "-0") canonical = "0";
  return canonical;
}

void apply_option_rules(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    // Flags take no value; CLI11's own --help and --version are flags too.
    if (opt->get_type_size_max() == 0) continue;
    const std::string type = opt->get_type_name();
    if (type == "ID") {
      // A job id, or a comma list of them (submit --after); a list given
      // where one id is taken then fails CLI11's conversion.
      opt->transform(rule([](std::string& text) -> std::string {
        Result<std::vector<JobId>> ids = parse_job_id_list(text);
        if (!ids) return message_of(ids.error());
        std::string canonical;
        for (JobId id : *ids) canonical += (canonical.empty() ? "" : ",") + std::to_string(id.value);
        text = canonical;
        return {};
      }));
      continue;
    }
    bool whole = false;
    for (std::string_view t : kWholeNumberTypes) whole = whole || type == t;
    // Positional words stay as typed: an empty argument is a fine argument
    // of a command job (submit --exec -- printf '').
    if (opt->get_positional() && !whole) continue;
    // One validator per option: CLI11 runs transforms before checks, and
    // the empty value must be named as such whatever the type.
    opt->transform(rule([whole](std::string& text) -> std::string {
      if (text.empty()) return "empty value";
      if (!whole) return {};
      Result<std::string> canonical = canonical_decimal(text);
      if (!canonical) return message_of(canonical.error());
      text = *canonical;
      return {};
    }));
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) apply_option_rules(*sub);
}

}  // namespace renderq
