#include "core/staged_output.hpp"

#include <algorithm>
#include <charconv>

#include "core/output_format.hpp"

namespace renderq {

namespace {

constexpr std::string_view kInfix = ".stage-";

bool tag_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// A decimal number filling all of `digits` (no sign, no empty string).
template <typename T>
std::optional<T> number(std::string_view digits) {
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  T v{};
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string stage_tag(std::int64_t job, int attempt, std::string_view host, std::int64_t pid) {
  std::string h(host);
  std::replace_if(h.begin(), h.end(), [](char c) { return !tag_char(c); }, '_');
  return std::to_string(job) + "-" + std::to_string(attempt) + "-" + h + "-" + std::to_string(pid);
}

std::string staged_path(const std::string& path, std::string_view tag) {
  const std::size_t slash = path.rfind('/');
  const std::size_t at = slash == std::string::npos ? 0 : slash + 1;
  return path.substr(0, at) + "." + path.substr(at) + std::string(kInfix) + std::string(tag);
}

std::optional<StageTag> staged_tag_of(std::string_view name, std::string_view output_name) {
  // "." output_name ".stage-" job "-" attempt "-" host "-" pid; the host may
  // hold '-', so it is what lies between the attempt and the last '-'.
  if (output_name.empty() || name.size() <= 1 + output_name.size() + kInfix.size()) return std::nullopt;
  if (name[0] != '.' || name.substr(1, output_name.size()) != output_name) return std::nullopt;
  std::string_view rest = name.substr(1 + output_name.size());
  if (rest.substr(0, kInfix.size()) != kInfix) return std::nullopt;
  rest.remove_prefix(kInfix.size());
  const std::size_t a = rest.find('-');
  const std::size_t b = a == std::string_view::npos ? a : rest.find('-', a + 1);
  const std::size_t c = rest.rfind('-');
  if (b == std::string_view::npos || c <= b) return std::nullopt;
  StageTag tag;
  std::optional<std::int64_t> job = number<std::int64_t>(rest.substr(0, a));
  std::optional<int> attempt = number<int>(rest.substr(a + 1, b - a - 1));
  std::optional<std::int64_t> pid = number<std::int64_t>(rest.substr(c + 1));
  tag.host = std::string(rest.substr(b + 1, c - b - 1));
  if (!job || !attempt || !pid || tag.host.empty() || !std::all_of(tag.host.begin(), tag.host.end(), tag_char))
    return std::nullopt;
  tag.job = *job;
  tag.attempt = *attempt;
  tag.pid = *pid;
  return tag;
}

std::vector<std::string> output_files(const RenderSpec& spec) {
  if (spec.output.empty()) return {};
  if (spec.frames <= 1 || writes_animation(spec)) return {frame_path(spec, 0)};
  std::vector<std::string> files;
  files.reserve(static_cast<std::size_t>(spec.frames));
  for (int i = 0; i < spec.frames; ++i) files.push_back(frame_path(spec, i));
  return files;
}

}  // namespace renderq
