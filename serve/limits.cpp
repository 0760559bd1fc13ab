#include "serve/limits.hpp"

#include <algorithm>

namespace renderq::serve {

int json_depth(std::string_view text, int stop_at) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > stop_at) return deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

std::expected<nlohmann::json, ApiError> parse_json_limited(std::string_view text, const JsonLimits& limits,
                                                           std::string_view what) {
  std::string w(what);
  if (text.size() > limits.max_bytes)
    return api_fail(413, "payload_too_large",
                    w + " is larger than the limit of " + std::to_string(limits.max_bytes) + " bytes");
  if (json_depth(text, limits.max_depth) > limits.max_depth)
    return api_fail(400, "json_too_deep", w + " nests deeper than " + std::to_string(limits.max_depth) + " levels");
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return api_fail(400, "bad_json", w + " is not well-formed JSON");
  return j;
}

ClientQuota::Ticket::~Ticket() {
  if (!quota_) return;
  std::lock_guard lock(quota_->mu_);
  auto it = quota_->clients_.find(client_);
  if (it == quota_->clients_.end()) return;
  --it->second.pending;
  if (it->second.pending == 0 && it->second.jobs.empty()) quota_->clients_.erase(it);
}

void ClientQuota::Ticket::commit(JobId id) {
  if (!quota_) return;
  {
    std::lock_guard lock(quota_->mu_);
    Entry& e = quota_->clients_[client_];
    --e.pending;
    e.jobs.push_back(id);
  }
  quota_ = nullptr;
}

std::expected<ClientQuota::Ticket, ApiError> ClientQuota::admit(const std::string& client,
                                                                const std::function<bool(JobId)>& still_queued) {
  std::vector<JobId> known;
  {
    std::lock_guard lock(mu_);
    known = clients_[client].jobs;
  }
  // Ask the store outside the lock. A job that left the queue is forgotten
  // for good (if it is retried later it no longer counts against anyone).
  std::vector<JobId> gone;
  for (JobId id : known)
    if (!still_queued(id)) gone.push_back(id);
  std::lock_guard lock(mu_);
  Entry& e = clients_[client];
  std::erase_if(e.jobs, [&](JobId id) { return std::find(gone.begin(), gone.end(), id) != gone.end(); });
  if (static_cast<int>(e.jobs.size()) + e.pending >= max_queued_) {
    if (e.jobs.empty() && e.pending == 0) clients_.erase(client);
    return api_fail(429, "too_many_queued",
                    "this client already has " + std::to_string(max_queued_) + " queued jobs; wait for some to start");
  }
  ++e.pending;
  return Ticket(this, client);
}

}  // namespace renderq::serve
