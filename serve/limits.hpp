// Request limits that protect the server and the queue: the size and
// nesting depth of JSON documents (checked before the parser runs, so a deep
// document cannot exhaust the stack) and the number of queued jobs one
// client may hold.
//
// Thread-safety: parse_json_limited is a pure function; ClientQuota is
// internally synchronised.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/api_error.hpp"
#include "spool/job.hpp"

namespace renderq::serve {

struct JsonLimits {
  std::size_t max_bytes = 64 * 1024;
  int max_depth = 16;
};

// The nesting depth of a JSON text (objects and arrays), ignoring brackets
// inside strings. Stops counting at `stop_at` + 1.
int json_depth(std::string_view text, int stop_at);

// Parses a client's JSON document: 413 payload_too_large above max_bytes,
// 400 json_too_deep above max_depth, 400 bad_json for anything that is not
// well-formed JSON (invalid UTF-8 included). `what` names it in messages.
std::expected<nlohmann::json, ApiError> parse_json_limited(std::string_view text, const JsonLimits& limits,
                                                           std::string_view what);

// At most `max_queued` jobs in state queued per client (a client is its
// remote address). Jobs are remembered in memory when this server queues
// them; their states are looked up again on each admission.
class ClientQuota {
 public:
  explicit ClientQuota(int max_queued) : max_queued_(max_queued) {}

  // A slot held between admission and the store's answer, so that two
  // concurrent requests cannot both take the last slot.
  class Ticket {
   public:
    Ticket(ClientQuota* quota, std::string client) : quota_(quota), client_(std::move(client)) {}
    Ticket(Ticket&& o) noexcept : quota_(std::exchange(o.quota_, nullptr)), client_(std::move(o.client_)) {}
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();
    // The job was stored: it now counts until it leaves state queued.
    void commit(JobId id);

   private:
    ClientQuota* quota_;
    std::string client_;
  };

  // A ticket, or 429 too_many_queued when the client already holds
  // max_queued jobs that `still_queued` confirms are queued.
  std::expected<Ticket, ApiError> admit(const std::string& client, const std::function<bool(JobId)>& still_queued);

 private:
  struct Entry {
    std::vector<JobId> jobs;
    int pending = 0;
  };
  int max_queued_;
  std::mutex mu_;
  std::map<std::string, Entry> clients_;
};

}  // namespace renderq::serve
