// The job table of `renderq list` and its --format templates.
//
// The table fits a terminal: given a width, NAME is cut to 24 columns and
// OUTPUT to what is left, both marked with "…" (OUTPUT keeps its end, where
// the file name is). Without a width (stdout is not a terminal and $COLUMNS
// is unset, or --wide) nothing is cut, so `awk` sees whole values, as `ps`
// does for pipes. CREATED is relative ("45s ago", "3h ago"); scripts that
// need times use --json or --format '{created}' (ISO 8601 with offset).
//
// Templates: "{field}" placeholders with \t and \n escapes, one line per
// job, e.g. --format '{id}\t{state}\t{name}'. Fields are job_template_fields().
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "spool/job.hpp"

namespace renderq {

struct TableOptions {
  std::size_t width = 0;     // terminal columns; 0 = no limit, nothing is cut
  std::int64_t now_ms = 0;   // "now" for relative times (Unix ms)
};

// One line per job under a header: ID STATE PRIO PROGRESS CREATED NAME OUTPUT.
// STATE shows a queued job as "held" (renderq hold) or "scheduled" (its
// not-before time lies ahead), since the claim skips both. When the jobs
// come from more than one submitter (a shared spool), a USER column
// (job_user, cut to 12 columns given a width) comes before NAME; jobs with
// no recorded submitter do not count, so a private spool's table, old jobs
// included, never has one.
std::string format_job_table(std::span<const Job> jobs, const TableOptions& options);

// "45s", "12m", "3h", "5d" for a duration in milliseconds (negative: "0s").
std::string format_age(std::int64_t ms);

// Rows as lines of left-aligned columns two spaces apart, widths in display
// columns (UTF-8 code points); the last column is not padded.
std::string align_columns(const std::vector<std::vector<std::string>>& rows);

// `s` cut to `columns` display columns (UTF-8 code points), "…" marking the
// cut at the end (keep_end = false) or at the start (keep_end = true).
std::string fit_columns(std::string_view s, std::size_t columns, bool keep_end);

// A parsed --format template.
struct JobTemplate {
  struct Part {
    std::string text;   // literal text, or the field name when is_field
    bool is_field = false;
  };
  std::vector<Part> parts;
};

// The field names a template may use, in the order --help lists them.
std::span<const std::string_view> job_template_fields();

// Errc::InvalidArgument naming an unknown field or an unclosed "{".
Result<JobTemplate> parse_job_template(std::string_view text);

// One job through the template (no newline added).
std::string format_job_line(const Job& job, const JobTemplate& tmpl, std::int64_t now_ms);

// The terminal width for stdout: 0 when stdout is not a terminal, unless
// $COLUMNS holds a positive number, which wins either way.
std::size_t stdout_columns();

}  // namespace renderq
