// `renderq submit --batch FILE|-`: many jobs from JSON Lines, one job per
// line in the HTTP API's job-request form (spool/job_request.hpp), with
// "spec.output" required and "exec" allowed. Every line is checked (values,
// then files, then the command's program) before anything is stored; an
// error names its line and nothing is stored. Blank lines and lines that
// start with '#' are skipped.
//
// Thread-safety: plain functions.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "spool/job.hpp"

namespace renderq {

struct BatchJobs {
  std::vector<NewJob> jobs;
  std::vector<std::size_t> lines;  // the 1-based line of each job
};

// Reads and checks every line of `in`; `source` names it in errors
// ("jobs.jsonl:3: field 'priority' must be ..."). Relative paths are taken
// from the current folder, as on the command line.
Result<BatchJobs> read_batch(std::istream& in, const std::string& source, char** environ);

}  // namespace renderq
