#include "fuzz/fuzz_util.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

namespace renderq::fuzz {

namespace {

void die(const char* what) {
  std::perror(what);
  std::abort();
}

void remove_temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(temp_dir(), ec);
}

std::atomic<long> g_bad_allocs{0};

void print_bad_allocs() {
  if (long n = g_bad_allocs.load())
    std::fprintf(stderr, "renderq fuzz: %ld inputs hit the allocation cap (std::bad_alloc)\n", n);
}

}  // namespace

void note_bad_alloc() {
  static const bool registered = [] { return std::atexit(print_bad_allocs) == 0; }();
  (void)registered;
  ++g_bad_allocs;
}

const std::filesystem::path& temp_dir() {
  static const std::filesystem::path dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/renderq-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl.data())) die("renderq fuzz: mkdtemp");
    return std::filesystem::path(tmpl);
  }();
  // Registered once `dir` exists, so it runs before `dir` is destroyed.
  static const bool cleanup = std::atexit(remove_temp_dir) == 0;
  (void)cleanup;
  return dir;
}

void write_input(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) die("renderq fuzz: open");
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0) die("renderq fuzz: write");
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) die("renderq fuzz: close");
}

}  // namespace renderq::fuzz
