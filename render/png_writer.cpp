#include "render/png_writer.hpp"

#include <png.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "render/color.hpp"

namespace renderq {
namespace {

struct PngWriteError {
  std::string message;
};

void on_png_error(png_structp png, png_const_charp msg) {
  auto* err = static_cast<PngWriteError*>(png_get_error_ptr(png));
  if (err) err->message = msg ? msg : "libpng error";
  png_longjmp(png, 1);
}
void on_png_warning(png_structp, png_const_charp) {}

// Kept apart from C++ objects with destructors: libpng reports errors by longjmp.
bool encode(std::FILE* file, const RgbaFrame& f, int level, png_bytep* rows, PngWriteError* err) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, err, on_png_error, on_png_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_init_io(png, file);
  png_set_compression_level(png, level);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, level == 0 ? PNG_FILTER_NONE : PNG_FILTER_SUB);
  png_set_IHDR(png, info, static_cast<png_uint_32>(f.width), static_cast<png_uint_32>(f.height), 8,
               PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
  png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

Result<void> write_png_atomic(const std::string& path, RgbaFrame frame, int level) {
  namespace fs = std::filesystem;
  if (frame.width <= 0 || frame.height <= 0 ||
      frame.pixels.size() != static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height) * 4)
    return fail(Errc::PngEncode, "frame size does not match its pixels");
  if (level < 0 || level > 9) return fail(Errc::InvalidArgument, "PNG level must be 0..9");
  if (frame.premultiplied) unpremultiply_srgb_rgba8(frame.pixels);

  fs::path target(path);
  // A fresh name in the target's folder (rename is atomic only within one
  // file system); O_EXCL so two writers never share it, mode 0666 so the
  // umask applies as for any file (mkstemp would give 0600).
  static std::atomic<unsigned> counter{0};
  std::string tmpl;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    tmpl = (target.parent_path() / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                    std::to_string(counter.fetch_add(1))))
               .string();
    fd = ::open(tmpl.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return fail(Errc::OutputNotWritable, "cannot create a file beside '" + path + "': " + std::strerror(errno));
  std::FILE* file = fdopen(fd, "wb");
  if (!file) {
    ::close(fd);
    ::unlink(tmpl.c_str());
    return fail(Errc::OutputNotWritable, "cannot open '" + tmpl + "'");
  }
  std::vector<png_bytep> rows(static_cast<std::size_t>(frame.height));
  const std::size_t stride = static_cast<std::size_t>(frame.width) * 4;
  for (std::size_t y = 0; y < rows.size(); ++y) {
    std::size_t src = frame.bottom_up ? rows.size() - 1 - y : y;
    rows[y] = frame.pixels.data() + src * stride;
  }
  PngWriteError err;
  bool ok = encode(file, frame, level, rows.data(), &err);
  ok = (std::fflush(file) == 0) && ok;
  ok = (std::fclose(file) == 0) && ok;
  if (!ok) {
    ::unlink(tmpl.c_str());
    return fail(Errc::PngEncode, "writing '" + path + "': " + (err.message.empty() ? "I/O error" : err.message));
  }
  std::error_code ec;
  fs::rename(tmpl, target, ec);
  if (ec) {
    ::unlink(tmpl.c_str());
    return fail(Errc::OutputNotWritable, "renaming onto '" + path + "': " + ec.message());
  }
  return {};
}

PngEncoder::PngEncoder() : thread_([this] { run(); }) {}

PngEncoder::~PngEncoder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PngEncoder::submit(std::string path, RgbaFrame frame, int level) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Job{std::move(path), std::move(frame), level});
    ++pending_;
  }
  cv_.notify_all();
}

std::vector<PngEncoder::Done> PngEncoder::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return pending_ == 0; });
  return std::exchange(done_, {});
}

void PngEncoder::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ with nothing left
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    auto t0 = std::chrono::steady_clock::now();
    Result<void> r = write_png_atomic(job.path, std::move(job.frame), job.level);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    lock.lock();
    done_.push_back(Done{std::move(job.path), ms, std::move(r)});
    --pending_;
    cv_.notify_all();
  }
}

}  // namespace renderq
