#include "serve/metrics.hpp"

#include <cstdio>
#include <string_view>

namespace renderq::serve {

namespace {

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Label values escape backslash, quote and newline (exposition format).
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// The label values are a fixed set whatever clients send: each unknown
// method once made a new series (20,000 requests grew /metrics to 15 MB).
std::string method_label(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    if (method == known) return std::string(known);
  return "other";
}

int status_label(int status) { return status >= 100 && status <= 599 ? status : 0; }

}  // namespace

void HttpCounters::count(const std::string& method, const std::string& route, int status) {
  std::lock_guard lock(mu_);
  ++counts_[{method_label(method), route, status_label(status)}];
}

std::string HttpCounters::render() const {
  std::string out =
      "# HELP renderq_http_requests_total HTTP requests answered by this server.\n"
      "# TYPE renderq_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : counts_) {
    const auto& [method, route, status] = key;
    out += "renderq_http_requests_total{method=\"" + label(method) + "\",route=\"" + label(route) + "\",code=\"" +
           std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  }
  return out;
}

const std::vector<double>& render_duration_buckets() {
  static const std::vector<double> b = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};
  return b;
}

std::string render_queue_metrics(const QueueCounts& c, bool paused, const std::vector<Job>& finished) {
  std::string out =
      "# HELP renderq_jobs Jobs in the spool by state.\n"
      "# TYPE renderq_jobs gauge\n";
  const std::pair<const char*, std::int64_t> states[] = {{"queued", c.queued},
                                                         {"running", c.running},
                                                         {"succeeded", c.succeeded},
                                                         {"failed", c.failed},
                                                         {"canceled", c.canceled}};
  for (const auto& [name, n] : states)
    out += std::string("renderq_jobs{state=\"") + name + "\"} " + std::to_string(n) + "\n";
  out += "# HELP renderq_queue_depth Jobs waiting to run.\n# TYPE renderq_queue_depth gauge\n";
  out += "renderq_queue_depth " + std::to_string(c.queued) + "\n";
  out += "# HELP renderq_workers_busy Workers rendering a job now.\n# TYPE renderq_workers_busy gauge\n";
  out += "renderq_workers_busy " + std::to_string(c.running) + "\n";
  out += "# HELP renderq_queue_paused Whether the queue is paused (1) or not (0).\n";
  out += "# TYPE renderq_queue_paused gauge\n";
  out += std::string("renderq_queue_paused ") + (paused ? "1" : "0") + "\n";

  out +=
      "# HELP renderq_render_duration_seconds Time from start to finish of the last attempt of finished jobs "
      "still in the spool.\n"
      "# TYPE renderq_render_duration_seconds histogram\n";
  const std::vector<double>& bounds = render_duration_buckets();
  for (const char* outcome : {"succeeded", "failed"}) {
    std::vector<std::uint64_t> in_bucket(bounds.size(), 0);
    std::uint64_t count = 0;
    double sum = 0;
    for (const Job& j : finished) {
      if (!j.started_ms || !j.finished_ms) continue;
      if (state_name(j.state) != outcome) continue;
      double s = static_cast<double>(*j.finished_ms - *j.started_ms) / 1000.0;
      if (s < 0) s = 0;
      ++count;
      sum += s;
      for (std::size_t i = 0; i < bounds.size(); ++i)
        if (s <= bounds[i]) ++in_bucket[i];
    }
    std::string lbl = std::string("outcome=\"") + outcome + "\"";
    for (std::size_t i = 0; i < bounds.size(); ++i)
      out += "renderq_render_duration_seconds_bucket{" + lbl + ",le=\"" + num(bounds[i]) + "\"} " +
             std::to_string(in_bucket[i]) + "\n";
    out += "renderq_render_duration_seconds_bucket{" + lbl + ",le=\"+Inf\"} " + std::to_string(count) + "\n";
    out += "renderq_render_duration_seconds_sum{" + lbl + "} " + num(sum) + "\n";
    out += "renderq_render_duration_seconds_count{" + lbl + "} " + std::to_string(count) + "\n";
  }
  return out;
}

}  // namespace renderq::serve
