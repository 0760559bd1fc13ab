#include "serve/file_sweep.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

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
  std::vector<JobId> batch;
  // Removes the folders of `batch` whose jobs are gone; false when the
  // store could not tell.
  auto settle = [&]() -> bool {
    Result<std::vector<JobId>> kept = queue.store().existing(batch);
    if (!kept) return false;
    for (JobId id : batch) {
      if (std::binary_search(kept->begin(), kept->end(), id)) continue;
      std::error_code rm;
      if (fs::remove_all(files_dir / "jobs" / std::to_string(id.value), rm) > 0 && !rm) ++removed;
    }
    batch.clear();
    return true;
  };
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(files_dir / "jobs", ec)) {
    const std::string name = entry.path().filename().string();
    std::int64_t id = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (err != std::errc() || end != name.data() + name.size() || id <= 0) continue;  // not ours
    if (std::to_string(id) != name || !older_than(entry, min_age)) continue;         // "007" is not job 7's
    batch.push_back(JobId{id});
    if (batch.size() == kSweepBatch && !settle()) return removed;
  }
  if (!batch.empty()) settle();
  return removed;
}

}  // namespace renderq::serve
