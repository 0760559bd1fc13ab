#include "daemon/staged_outputs.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>

#include <unistd.h>

namespace renderq {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kUnlinkEach = 64;  // up to this many outputs, unlink each staged name
}  // namespace

StagedOutputs::StagedOutputs(const RenderSpec& spec, std::string tag)
    : spec_(spec), tag_(std::move(tag)), files_(output_files(spec)) {}

Result<void> StagedOutputs::publish(std::size_t count) {
  count = std::min(count, files_.size());
  std::vector<std::size_t> now;
  for (std::size_t i = 0; i < count; ++i) {
    if (published_.contains(i)) continue;
    const std::string staged = staged_path(files_[i], tag_);
    if (std::rename(staged.c_str(), files_[i].c_str()) != 0) {
      const int err = errno;
      publish_errno_ = err;
      for (std::size_t j : now) {
        std::error_code ec;
        fs::remove(files_[j], ec);
        published_.erase(j);
      }
      return fail(Errc::OutputNotWritable, "cannot publish '" + files_[i] + "' (from " +
                                               fs::path(staged).filename().string() + "): " + std::strerror(err));
    }
    published_.insert(i);
    now.push_back(i);
  }
  return {};
}

void StagedOutputs::mark_published(std::size_t count) {
  for (std::size_t i = 0; i < std::min(count, files_.size()); ++i) published_.insert(i);
}

int StagedOutputs::remove_unpublished() const {
  // A long sequence stopped early staged a few of its many names: one
  // listing per folder beats an unlink per frame.
  if (files_.size() > kUnlinkEach) {
    const fs::path first(files_[0]);
    const std::optional<StageTag> mine =
        staged_tag_of(fs::path(staged_path(files_[0], tag_)).filename().string(), first.filename().string());
    if (mine) return remove_staged(spec_, [&](const StageTag& t) { return t == *mine; });
  }
  int removed = 0;
  for (std::size_t i = 0; i < files_.size(); ++i)
    if (!published_.contains(i) && ::unlink(staged_path(files_[i], tag_).c_str()) == 0) ++removed;
  return removed;
}

int remove_staged(const RenderSpec& spec, const std::function<bool(const StageTag&)>& which) {
  // The output names by folder: frames usually share one, so one listing
  // covers them all however many frames there are.
  std::map<fs::path, std::set<std::string, std::less<>>> by_dir;
  for (const std::string& file : output_files(spec)) {
    fs::path out(file);
    by_dir[out.parent_path()].insert(out.filename().string());
  }
  static constexpr std::string_view kInfix = ".stage-";
  int removed = 0;
  for (const auto& [dir, names] : by_dir) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.size() < 2 || name[0] != '.') continue;
      // The output's name ends at one of the ".stage-" in the name (either
      // the output's name or the host may hold one too).
      std::optional<StageTag> tag;
      for (std::size_t at = name.find(kInfix, 1); at != std::string::npos && !tag; at = name.find(kInfix, at + 1))
        if (auto output = names.find(std::string_view(name).substr(1, at - 1)); output != names.end())
          tag = staged_tag_of(name, *output);
      if (!tag || !which(*tag)) continue;
      std::error_code rm;
      if (fs::remove(it->path(), rm)) ++removed;
    }
  }
  return removed;
}

}  // namespace renderq
