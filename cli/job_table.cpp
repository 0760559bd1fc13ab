#include "cli/job_table.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/job_format.hpp"

namespace renderq {

namespace {

constexpr std::size_t kNameColumns = 24;
constexpr std::size_t kMinNameColumns = 8;
constexpr std::size_t kUserColumns = 12;
constexpr std::size_t kMinOutputColumns = 12;
constexpr std::string_view kEllipsis = "\u2026";

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t display_columns(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return !is_continuation(c); }));
}

std::string progress_text(const Job& job) {
  if (job.progress_total <= 0) return "-";
  return std::to_string(job.progress_done) + "/" + std::to_string(job.progress_total);
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string optional_time(const std::optional<std::int64_t>& ms) {
  return ms ? format_local_time(*ms) : "-";
}

constexpr std::array<std::string_view, 20> kFields = {
    "id",   "name",     "user",   "state",  "priority", "progress", "created", "started", "finished",   "age",
    "took", "attempts", "device", "worker", "host",     "scene",    "output",  "error",   "not_before", "labels"};

std::string field_value(const Job& job, std::string_view f, std::int64_t now_ms) {
  if (f == "id") return std::to_string(job.id.value);
  if (f == "name") return job.name;
  if (f == "user") return job_user(job);
  if (f == "state") return std::string(state_name(job.state));
  if (f == "priority") return std::to_string(job.priority);
  if (f == "progress") return progress_text(job);
  if (f == "created") return format_local_time(job.created_ms);
  if (f == "started") return optional_time(job.started_ms);
  if (f == "finished") return optional_time(job.finished_ms);
  if (f == "age") return format_age(now_ms - job.created_ms);
  if (f == "took") {
    if (!job.started_ms) return "-";
    return format_age((job.finished_ms ? *job.finished_ms : now_ms) - *job.started_ms);
  }
  if (f == "attempts") return std::to_string(job.attempts) + "/" + std::to_string(job.max_attempts);
  if (f == "device") return job.device;
  if (f == "worker") return job.worker;
  if (f == "host") return job_host(job);
  if (f == "scene") return job.exec ? command_text(*job.exec) : job.spec.scene;
  if (f == "output") return job.spec.output;
  if (f == "error")  // how the job ended; a requeued job's last error is not that
    return job.state == JobState::Failed || job.state == JobState::Canceled ? job.error_code : std::string();
  if (f == "not_before") return optional_time(job.not_before_ms);
  if (f == "labels") {
    std::string out;
    for (const auto& [k, v] : job.labels) out += (out.empty() ? "" : ",") + k + "=" + v;
    return out;
  }
  return {};
}

// Whether the jobs come from more than one recorded submitter: only then
// does the table say whose each job is (a private spool's never does).
bool several_submitters(std::span<const Job> jobs) {
  std::optional<std::int64_t> first;
  for (const Job& job : jobs) {
    if (!job.submitter_uid) continue;
    if (!first) first = job.submitter_uid;
    else if (*first != *job.submitter_uid) return true;
  }
  return false;
}

}  // namespace

std::string format_age(std::int64_t ms) {
  const std::int64_t s = std::max<std::int64_t>(ms, 0) / 1000;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m";
  if (s < 86400) return std::to_string(s / 3600) + "h";
  return std::to_string(s / 86400) + "d";
}

std::string fit_columns(std::string_view s, std::size_t columns, bool keep_end) {
  const std::size_t have = display_columns(s);
  if (have <= columns) return std::string(s);
  if (columns == 0) return {};
  std::size_t keep = columns - 1;  // one column for the ellipsis
  if (keep_end) {
    std::size_t start = s.size();
    for (std::size_t n = 0; n < keep && start > 0;) {
      --start;
      if (!is_continuation(s[start])) ++n;
    }
    return std::string(kEllipsis) + std::string(s.substr(start));
  }
  std::size_t end = 0;
  for (std::size_t n = 0; end < s.size();) {
    if (!is_continuation(s[end])) {
      if (n == keep) break;
      ++n;
    }
    ++end;
  }
  return std::string(s.substr(0, end)) + std::string(kEllipsis);
}

namespace {

// A cell on one line: control characters (a newline in a path or a name)
// shown as C escapes, so every job stays one row.
std::string one_line(std::string s) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return s;
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (u < 0x20 || u == 0x7f) out += std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
    else out += c;
  }
  return out;
}

}  // namespace

std::string format_job_table(std::span<const Job> jobs, const TableOptions& options) {
  using Row = std::vector<std::string>;
  const bool with_user = several_submitters(jobs);
  std::vector<Row> rows;
  rows.reserve(jobs.size() + 1);
  rows.push_back({"ID", "STATE", "PRIO", "PROGRESS", "CREATED"});
  if (with_user) rows.back().push_back("USER");
  rows.back().insert(rows.back().end(), {"NAME", "OUTPUT"});
  for (const Job& job : jobs) {
    std::string state(state_name(job.state));
    if (job.cancel_requested && job.state == JobState::Running) state = "canceling";
    if (job.state == JobState::Queued && job.held) state = "held";
    if (job.state == JobState::Queued && !job.held && job.not_before_ms && *job.not_before_ms > options.now_ms)
      state = "scheduled";
    Row row{std::to_string(job.id.value), state, std::to_string(job.priority), progress_text(job),
            format_age(options.now_ms - job.created_ms) + " ago"};
    if (with_user) row.push_back(job_user(job));
    row.push_back(one_line(or_dash(job.name)));
    row.push_back(one_line(job.exec ? "$ " + command_text(*job.exec) : job.spec.output));
    rows.push_back(std::move(row));
  }
  // NAME and OUTPUT are the last two columns; USER, when shown, is just
  // before NAME.
  const std::size_t name_col = rows.front().size() - 2, output_col = name_col + 1;
  if (options.width > 0) {
    if (with_user)
      for (Row& row : rows) row[name_col - 1] = fit_columns(row[name_col - 1], kUserColumns, false);
    std::size_t fixed = 0;
    for (std::size_t c = 0; c < name_col; ++c) {
      std::size_t w = 0;
      for (const Row& row : rows) w = std::max(w, display_columns(row[c]));
      fixed += w + 2;
    }
    // NAME gives up columns, down to kMinNameColumns, before OUTPUT would
    // go under its minimum (a narrow terminal, or the USER column).
    const std::size_t others = fixed + 2 + kMinOutputColumns;  // NAME's gap and OUTPUT's minimum
    const std::size_t room = options.width > others ? options.width - others : 0;
    const std::size_t name_cap = std::clamp(room, kMinNameColumns, kNameColumns);
    std::size_t name_w = 0;
    for (Row& row : rows) {
      row[name_col] = fit_columns(row[name_col], name_cap, false);
      name_w = std::max(name_w, display_columns(row[name_col]));
    }
    const std::size_t used = fixed + name_w + 2;
    const std::size_t left = options.width > used ? options.width - used : 0;
    for (Row& row : rows) row[output_col] = fit_columns(row[output_col], std::max(left, kMinOutputColumns), true);
  }
  return align_columns(rows);
}

std::string align_columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_columns(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      // The last column is not padded: no trailing blanks.
      if (c + 1 < row.size()) out.append(width[c] - display_columns(row[c]) + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

std::span<const std::string_view> job_template_fields() { return kFields; }

Result<JobTemplate> parse_job_template(std::string_view text) {
  JobTemplate t;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) t.parts.push_back({std::move(literal), false});
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == 't' || text[i + 1] == 'n' || text[i + 1] == '\\')) {
      literal += text[i + 1] == 't' ? '\t' : text[i + 1] == 'n' ? '\n' : '\\';
      ++i;
    } else if (c == '{') {
      std::size_t close = text.find('}', i);
      if (close == std::string_view::npos)
        return std::unexpected(Error{Errc::InvalidArgument, "--format: \"{\" at column " + std::to_string(i + 1) +
                                                                " is not closed by \"}\""});
      std::string_view name = text.substr(i + 1, close - i - 1);
      if (std::find(kFields.begin(), kFields.end(), name) == kFields.end()) {
        std::string known;
        for (std::string_view f : kFields) known += (known.empty() ? "" : ", ") + std::string(f);
        return std::unexpected(
            Error{Errc::InvalidArgument, "--format: unknown field {" + std::string(name) + "}; fields: " + known});
      }
      flush();
      t.parts.push_back({std::string(name), true});
      i = close;
    } else {
      literal += c;
    }
  }
  flush();
  return t;
}

std::string format_job_line(const Job& job, const JobTemplate& tmpl, std::int64_t now_ms) {
  std::string out;
  for (const JobTemplate::Part& p : tmpl.parts) out += p.is_field ? field_value(job, p.text, now_ms) : p.text;
  return out;
}

std::size_t stdout_columns() {
  if (const char* env = std::getenv("COLUMNS"); env && *env) {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end && *end == '\0' && v > 0) return static_cast<std::size_t>(v);
  }
  if (!::isatty(STDOUT_FILENO)) return 0;
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace renderq
