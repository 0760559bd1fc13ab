#include "gltf/uri.hpp"

#include <algorithm>
#include <system_error>

#include "core/input_file.hpp"

namespace renderq::gltf {

namespace fs = std::filesystem;

namespace {


int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // '-' and '_': the URL-safe alphabet
  if (c == '/' || c == '_') return 63;
  return -1;
}

Result<std::vector<std::uint8_t>> base64_decode(std::string_view s) {
  std::vector<std::uint8_t> out;
  out.reserve(s.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '=') break;
    if (c == '\r' || c == '\n' || c == ' ') continue;
    int v = base64_value(c);
    if (v < 0) return fail(Errc::GltfInvalid, "data URI holds a character outside base64");
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xFF));
    }
  }
  for (; i < s.size(); ++i) {
    if (s[i] != '=' && s[i] != '\r' && s[i] != '\n' && s[i] != ' ')
      return fail(Errc::GltfInvalid, "data URI has data after its base64 padding");
  }
  return out;
}

// True when `uri` starts with a scheme ("file:", "http:", "C:").
bool has_scheme(std::string_view uri) {
  std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(uri[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = uri[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

bool starts_with_dotdot(const fs::path& p) {
  return !p.empty() && *p.begin() == "..";
}

}  // namespace

bool is_data_uri(std::string_view uri) { return uri.starts_with("data:"); }

Result<std::vector<std::uint8_t>> decode_data_uri(std::string_view uri, std::string* mime) {
  std::size_t comma = uri.find(',');
  if (!is_data_uri(uri) || comma == std::string_view::npos)
    return fail(Errc::GltfInvalid, "malformed data URI");
  std::string_view header = uri.substr(5, comma - 5);
  std::string_view payload = uri.substr(comma + 1);
  bool base64 = header.ends_with(";base64");
  if (base64) header.remove_suffix(7);
  if (mime) *mime = std::string(header.substr(0, header.find(';')));
  if (base64) return base64_decode(payload);
  auto text = percent_decode(payload);
  if (!text) return std::unexpected(text.error());
  return std::vector<std::uint8_t>(text->begin(), text->end());
}

Result<fs::path> resolve_uri(const fs::path& base_dir, std::string_view uri) {
  std::string shown(uri.substr(0, 200));
  if (has_scheme(uri))
    return fail(Errc::GltfUriEscapes, "URI '" + shown + "' names a scheme; only relative "
                                      "paths inside the scene's folder are read");
  auto decoded = percent_decode(uri);
  if (!decoded) return std::unexpected(decoded.error());
  // A query or fragment never names a different file.
  std::string rel = decoded->substr(0, decoded->find_first_of("?#"));
  fs::path p(rel);
  if (rel.empty() || p.is_absolute() || p.has_root_name() || p.has_root_directory())
    return fail(Errc::GltfUriEscapes, "URI '" + shown + "' is absolute or empty");
  fs::path norm = p.lexically_normal();
  if (starts_with_dotdot(norm))
    return fail(Errc::GltfUriEscapes, "URI '" + shown + "' leaves the scene's folder");
  std::error_code ec;
  fs::path base = fs::canonical(base_dir, ec);
  if (ec) return fail(Errc::Io, "cannot resolve the scene's folder: " + ec.message());
  // Symlinks inside the folder may still point outside it.
  fs::path full = fs::weakly_canonical(base / norm, ec);
  if (ec) return fail(Errc::Io, "cannot resolve URI '" + shown + "': " + ec.message());
  fs::path inside = full.lexically_relative(base);
  if (inside.empty() || starts_with_dotdot(inside) || inside == ".")
    return fail(Errc::GltfUriEscapes, "URI '" + shown + "' resolves outside the scene's folder");
  return full;
}

Result<std::vector<std::uint8_t>> read_file(const fs::path& path, BudgetLease* lease, std::uint64_t limit) {
  auto file = open_input_file(path.string(), /*follow_symlink=*/false);
  if (!file) {
    const InputFileError& e = file.error();
    switch (e.problem) {
      case InputProblem::Missing: return fail(Errc::NotFound, path.string() + ": " + e.detail);
      case InputProblem::NotRegular: return fail(Errc::GltfInvalid, path.string() + " is " + e.detail + ", not a regular file");
      case InputProblem::Unreadable: break;
    }
    return fail(Errc::Io, path.string() + ": " + e.detail);
  }
  const std::uint64_t bytes = std::min(file->size, limit);
  if (lease)
    if (auto ok = lease->charge(bytes, path.filename().string()); !ok) return std::unexpected(ok.error());
  auto data = read_input_file(*file, bytes);
  if (!data) return fail(Errc::Io, path.string() + ": " + data.error().detail);
  return std::move(*data);
}

}  // namespace renderq::gltf
