#include "serve/upload.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

namespace renderq::serve {

namespace {

std::uint32_t le32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return v;
}

constexpr std::uint32_t kChunkJson = 0x4E4F534A;  // "JSON"
constexpr std::uint32_t kChunkBin = 0x004E4942;   // "BIN\0"

Result<void> check_uris(const nlohmann::json& doc, const char* array) {
  if (!doc.contains(array)) return {};
  const auto& items = doc[array];
  if (!items.is_array()) return fail(Errc::GltfInvalid, std::string("glTF '") + array + "' is not an array");
  for (const auto& item : items) {
    if (!item.is_object() || !item.contains("uri")) continue;
    const auto& uri = item["uri"];
    if (!uri.is_string() || uri.get<std::string>().rfind("data:", 0) != 0)
      return fail(Errc::GltfUriEscapes,
                  std::string("uploaded .glb refers to an external file in '") + array +
                      "'; upload a self-contained .glb");
  }
  return {};
}

}  // namespace

Result<void> check_glb(std::string_view b) {
  if (b.size() < 4 || b.substr(0, 4) != "glTF")
    return fail(Errc::SceneNotGltf, "upload is not a binary glTF (.glb) file: no 'glTF' magic");
  if (b.size() < 20) return fail(Errc::GltfInvalid, "upload is truncated: shorter than a .glb header");
  if (le32(b, 4) != 2) return fail(Errc::GltfInvalid, "upload is glTF version " + std::to_string(le32(b, 4)) + ", not 2");
  std::uint64_t total = le32(b, 8);
  if (total != b.size())
    return fail(Errc::GltfInvalid, "upload is truncated or padded: the .glb header says " + std::to_string(total) +
                                       " bytes, " + std::to_string(b.size()) + " arrived");
  std::size_t at = 12;
  bool first = true;
  nlohmann::json doc;
  while (at < b.size()) {
    if (b.size() - at < 8) return fail(Errc::GltfInvalid, "upload has a truncated chunk header");
    std::uint64_t len = le32(b, at);
    std::uint32_t type = le32(b, at + 4);
    if (len > b.size() - at - 8) return fail(Errc::GltfInvalid, "upload has a chunk longer than the file");
    std::string_view data = b.substr(at + 8, static_cast<std::size_t>(len));
    if (first) {
      if (type != kChunkJson) return fail(Errc::GltfInvalid, "upload's first chunk is not JSON");
      doc = nlohmann::json::parse(data.begin(), data.end(), nullptr, false);
      if (doc.is_discarded() || !doc.is_object() || !doc.contains("asset"))
        return fail(Errc::GltfInvalid, "upload's JSON chunk is not a glTF document");
      first = false;
    } else if (type != kChunkBin) {
      // Unknown chunk types must be ignored by readers (glTF 2.0, 4.4.3).
    }
    at += 8 + static_cast<std::size_t>(len);
  }
  if (first) return fail(Errc::GltfInvalid, "upload has no JSON chunk");
  if (auto r = check_uris(doc, "buffers"); !r) return r;
  if (auto r = check_uris(doc, "images"); !r) return r;
  return {};
}

Result<std::filesystem::path> stage_upload(const std::filesystem::path& files_dir, std::string_view bytes,
                                           mode_t mode) {
  std::filesystem::path dir = files_dir / "uploads";
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return fail(Errc::Io, "cannot create " + dir.string() + ": " + std::strerror(errno));
  std::string tmpl = (dir / "upload-XXXXXX").string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return fail(Errc::Io, "cannot create an upload file in " + dir.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmpl.c_str());
      return fail(Errc::Io, "cannot write the upload: " + std::string(std::strerror(err)));
    }
    done += static_cast<std::size_t>(n);
  }
  const bool written = (mode == 0600 || ::fchmod(fd, mode) == 0) && ::fsync(fd) == 0;
  const int err = errno;
  if (::close(fd) != 0 || !written) {
    ::unlink(tmpl.c_str());
    return fail(Errc::Io, "cannot write the upload: " + std::string(std::strerror(written ? errno : err)));
  }
  return std::filesystem::path(tmpl);
}

}  // namespace renderq::serve
