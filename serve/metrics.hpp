// Prometheus text exposition (format 0.0.4) for GET /metrics: queue gauges
// read from the store on each scrape, a histogram of render durations over
// the finished jobs still in the spool, and this server's request counters.
//
// Thread-safety: HttpCounters is internally synchronised; the render
// functions are pure.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "spool/job.hpp"
#include "spool/store.hpp"

namespace renderq::serve {

// Requests answered by this server, by method, route template and status.
// Labels come from fixed sets: a method other than the standard seven is
// "other"; `route` must be a route template or "other".
class HttpCounters {
 public:
  void count(const std::string& method, const std::string& route, int status);
  // The renderq_http_requests_total family.
  std::string render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> counts_;
};

// The bucket bounds of renderq_render_duration_seconds, in seconds.
const std::vector<double>& render_duration_buckets();

// The queue families: renderq_jobs{state}, renderq_queue_depth,
// renderq_workers_busy, renderq_queue_paused and the histogram
// renderq_render_duration_seconds{outcome} over `finished` (jobs with both
// start and finish times; others are skipped).
std::string render_queue_metrics(const QueueCounts& counts, bool paused, const std::vector<Job>& finished);

}  // namespace renderq::serve
