#include "serve/file_sweep.hpp"

#include <charconv>
#include <string>

namespace renderq::serve {

namespace fs = std::filesystem;

namespace {

bool older_than(const fs::directory_entry& entry, std::chrono::seconds min_age) {
  std::error_code ec;
  const auto written = entry.last_write_time(ec);
  return !ec && written < fs::file_time_type::clock::now() - min_age;
}

}  // namespace

std::size_t sweep_stale_uploads(const fs::path& files_dir, std::chrono::seconds min_age) {
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(files_dir / "uploads", ec)) {
    if (entry.path().filename().string().rfind("upload-", 0) != 0 || !older_than(entry, min_age)) continue;
    std::error_code rm;
    if (fs::remove(entry.path(), rm)) ++removed;
  }
  return removed;
}

std::size_t sweep_purged_job_dirs(Queue& queue, const fs::path& files_dir, std::chrono::seconds min_age) {
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(files_dir / "jobs", ec)) {
    const std::string name = entry.path().filename().string();
    std::int64_t id = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (err != std::errc() || end != name.data() + name.size() || id <= 0) continue;  // not ours
    if (!older_than(entry, min_age)) continue;
    auto job = queue.store().get(JobId{id});
    if (job) continue;
    if (job.error().code != Errc::JobNotFound) break;
    std::error_code rm;
    if (fs::remove_all(entry.path(), rm) > 0 && !rm) ++removed;
  }
  return removed;
}

}  // namespace renderq::serve
