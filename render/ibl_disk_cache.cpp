#include "render/ibl_disk_cache.hpp"

#include <unistd.h>

#include <atomic>
#include <bit>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

namespace renderq {
namespace {

constexpr char kMagic[8] = {'R', 'Q', 'I', 'B', 'L', 'C', '\r', '\n'};
constexpr std::uint32_t kMaxLevels = 64;

std::uint64_t fmix64(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

template <typename T>
void put(std::vector<std::uint8_t>& out, T value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> b) : b_(b) {}
  template <typename T>
  bool get(T& value) {
    if (b_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&value, b_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool bytes(std::size_t n, std::vector<std::uint8_t>& out) {
    if (b_.size() - pos_ < n) return false;
    out.assign(b_.begin() + static_cast<std::ptrdiff_t>(pos_),
               b_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return true;
  }
  bool at_end() const { return pos_ == b_.size(); }

 private:
  std::span<const std::uint8_t> b_;
  std::size_t pos_ = 0;
};

std::unexpected<Error> corrupt(const std::filesystem::path& path, const char* why) {
  return fail(Errc::Io, path.string() + ": " + why);
}

}  // namespace

std::uint64_t hash64(std::span<const std::uint8_t> bytes, std::uint64_t seed) {
  // MurmurHash3-style mixing over 8-byte words: fast enough to hash a 2k
  // environment (~12 MB) in a few milliseconds.
  std::uint64_t h = seed ^ (bytes.size() * 0x9e3779b97f4a7c15ULL);
  const std::size_t words = bytes.size() / 8;
  for (std::size_t i = 0; i < words; ++i) {
    std::uint64_t k;
    std::memcpy(&k, bytes.data() + i * 8, 8);
    k *= 0x87c37b91114253d5ULL;
    k = std::rotl(k, 31);
    k *= 0x4cf5ad432745937fULL;
    h ^= k;
    h = std::rotl(h, 27) * 5 + 0x52dce729;
  }
  std::uint64_t tail = 0;
  for (std::size_t i = words * 8; i < bytes.size(); ++i) {
    tail = (tail << 8) | bytes[i];
  }
  h ^= fmix64(tail + 1);
  return fmix64(h);
}

std::uint64_t hash64(std::string_view text, std::uint64_t seed) {
  return hash64(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), seed);
}

std::filesystem::path cache_file_path(const std::filesystem::path& dir, std::uint64_t key) {
  char name[64];
  std::snprintf(name, sizeof name, "ibl-v%u-%016llx.bin", kIblCacheFormat,
                static_cast<unsigned long long>(key));
  return dir / name;
}

Result<std::vector<CacheLevel>> read_cache_file(const std::filesystem::path& dir,
                                                std::uint64_t key) {
  const std::filesystem::path path = cache_file_path(dir, key);
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) return fail(Errc::NotFound, path.string());
  const std::streamoff size = file.tellg();
  if (size < 0) return corrupt(path, "cannot size");
  std::vector<std::uint8_t> data(static_cast<std::size_t>(size));
  file.seekg(0);
  if (!file.read(reinterpret_cast<char*>(data.data()), size)) return corrupt(path, "read failed");

  Reader in(data);
  char magic[8];
  std::uint32_t version = 0, count = 0;
  std::uint64_t stored_key = 0, checksum = 0;
  if (!in.get(magic) || std::memcmp(magic, kMagic, 8) != 0) return corrupt(path, "bad magic");
  if (!in.get(version) || version != kIblCacheFormat) return corrupt(path, "other format version");
  if (!in.get(count) || count == 0 || count > kMaxLevels) return corrupt(path, "bad level count");
  if (!in.get(stored_key) || stored_key != key) return corrupt(path, "key mismatch");
  if (!in.get(checksum)) return corrupt(path, "truncated header");
  std::vector<CacheLevel> levels(count);
  std::vector<std::uint64_t> sizes(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    CacheLevel& l = levels[i];
    if (!in.get(l.width) || !in.get(l.height) || !in.get(l.layers) || !in.get(l.format) ||
        !in.get(sizes[i])) {
      return corrupt(path, "truncated level table");
    }
  }
  std::uint64_t h = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (sizes[i] > data.size() || !in.bytes(static_cast<std::size_t>(sizes[i]), levels[i].bytes)) {
      return corrupt(path, "truncated data");
    }
    h = hash64(levels[i].bytes, h);
  }
  if (!in.at_end()) return corrupt(path, "trailing bytes");
  if (h != checksum) return corrupt(path, "checksum mismatch");
  return levels;
}

Result<void> write_cache_file(const std::filesystem::path& dir, std::uint64_t key,
                              std::span<const CacheLevel> levels) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(Errc::Io, dir.string() + ": " + ec.message());

  std::uint64_t h = 0;
  for (const CacheLevel& l : levels) h = hash64(l.bytes, h);
  std::vector<std::uint8_t> header;
  header.resize(sizeof kMagic);
  std::memcpy(header.data(), kMagic, sizeof kMagic);
  put(header, kIblCacheFormat);
  put(header, static_cast<std::uint32_t>(levels.size()));
  put(header, key);
  put(header, h);
  for (const CacheLevel& l : levels) {
    put(header, l.width);
    put(header, l.height);
    put(header, l.layers);
    put(header, l.format);
    put(header, static_cast<std::uint64_t>(l.bytes.size()));
  }

  // A name unique to this process and call, in the same folder (rename is
  // atomic only within one filesystem).
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path final_path = cache_file_path(dir, key);
  std::filesystem::path tmp = final_path;
  tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);

  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return fail(Errc::Io, tmp.string() + ": cannot create");
  bool ok = std::fwrite(header.data(), 1, header.size(), f) == header.size();
  for (const CacheLevel& l : levels) {
    ok = ok && std::fwrite(l.bytes.data(), 1, l.bytes.size(), f) == l.bytes.size();
  }
  ok = std::fflush(f) == 0 && ok;
  ok = ::fsync(::fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    std::filesystem::remove(tmp, ec);
    return fail(Errc::Io, tmp.string() + ": write failed");
  }
  std::filesystem::rename(tmp, final_path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return fail(Errc::Io, final_path.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace renderq
