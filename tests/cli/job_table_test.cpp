#include "cli/job_table.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace renderq {
namespace {

Job job(std::int64_t id, std::string name, std::string output, std::int64_t created_ms) {
  Job j;
  j.id = JobId{id};
  j.name = std::move(name);
  j.spec.output = std::move(output);
  j.created_ms = created_ms;
  return j;
}

std::size_t widest_line(const std::string& text) {
  std::istringstream in(text);
  std::size_t w = 0;
  for (std::string line; std::getline(in, line);) {
    std::size_t cols = 0;
    for (char c : line) cols += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    w = std::max(w, cols);
  }
  return w;
}

TEST_CASE("format_age picks one unit") {
  CHECK(format_age(-5) == "0s");
  CHECK(format_age(59'999) == "59s");
  CHECK(format_age(60'000) == "1m");
  CHECK(format_age(3 * 3600'000) == "3h");
  CHECK(format_age(2 * 86400'000LL + 5) == "2d");
}

TEST_CASE("fit_columns cuts by code points and marks the cut") {
  CHECK(fit_columns("abcdef", 6, false) == "abcdef");
  CHECK(fit_columns("abcdef", 4, false) == "abc\u2026");
  CHECK(fit_columns("abcdef", 4, true) == "\u2026def");
  CHECK(fit_columns("\u00e9\u00e9\u00e9\u00e9", 3, false) == "\u00e9\u00e9\u2026");
  CHECK(fit_columns("abc", 0, false).empty());
}

TEST_CASE("the table fits the width it is given, and cuts nothing without one") {
  const std::string name(101, 'n');
  const std::string output = "/srv/" + std::string(120, 'd') + "/frame.png";
  std::vector<Job> jobs{job(12, name, output, 1000), job(11, "short", "/tmp/a.png", 1000)};
  for (std::size_t width : {80u, 200u}) {
    const std::string t = format_job_table(jobs, TableOptions{.width = width, .now_ms = 61'000});
    CHECK(widest_line(t) <= width);
    CHECK(t.find("frame.png") != std::string::npos);
    CHECK(t.find("1m ago") != std::string::npos);
  }
  const std::string whole = format_job_table(jobs, TableOptions{.width = 0, .now_ms = 61'000});
  CHECK(whole.find(name) != std::string::npos);
  CHECK(whole.find(output) != std::string::npos);
}

TEST_CASE("a newline or other control character in a name or path keeps its job on one row") {
  std::vector<Job> jobs{job(3, "two\nlines", "/tmp/a\nb\x01.png", 1000), job(2, "plain", "/tmp/p.png", 1000)};
  const std::string t = format_job_table(jobs, TableOptions{.width = 0, .now_ms = 2000});
  CHECK(std::count(t.begin(), t.end(), '\n') == 3);  // the header and two rows
  CHECK(t.find("two\\nlines") != std::string::npos);
  CHECK(t.find("/tmp/a\\nb\\x01.png") != std::string::npos);
}

TEST_CASE("templates print fields and refuse unknown ones") {
  auto t = parse_job_template("{id}\\t{name}\\n");
  REQUIRE(t);
  CHECK(format_job_line(job(7, "x", "/o.png", 0), *t, 0) == "7\tx\n");
  auto bad = parse_job_template("{id} {colour}");
  REQUIRE(!bad);
  CHECK(bad.error().code == Errc::InvalidArgument);
  CHECK(!parse_job_template("{id"));
}

Job job_of(std::int64_t id, std::optional<std::int64_t> uid) {
  Job j = job(id, "j" + std::to_string(id), "/tmp/o.png", 1000);
  j.submitter_uid = uid;
  return j;
}

std::string header(const std::string& table) { return table.substr(0, table.find('\n')); }

TEST_CASE("the user field names the submitter, else its uid, else -") {
  auto t = parse_job_template("{user}");
  REQUIRE(t);
  CHECK(format_job_line(job_of(1, 0), *t, 0) == "root");
  CHECK(format_job_line(job_of(2, 4'000'000'000), *t, 0) == "4000000000");
  CHECK(format_job_line(job_of(3, std::nullopt), *t, 0) == "-");
}

TEST_CASE("the table has a USER column only for jobs of more than one submitter") {
  const TableOptions o{.width = 0, .now_ms = 61'000};
  std::vector<Job> one{job_of(3, 1000), job_of(2, 1000), job_of(1, std::nullopt)};
  CHECK(header(format_job_table(one, o)) == header(format_job_table(std::vector<Job>{job(1, "a", "/o", 0)}, o)));
  CHECK(header(format_job_table(one, o)).find("USER") == std::string::npos);
  CHECK(header(format_job_table(std::vector<Job>{}, o)).find("USER") == std::string::npos);

  std::vector<Job> two{job_of(3, 0), job_of(2, 4'000'000'000), job_of(1, std::nullopt)};
  const std::string t = format_job_table(two, o);
  CHECK(header(t).find("CREATED  USER        NAME") != std::string::npos);
  CHECK(t.find("ago   root        j3") != std::string::npos);
  CHECK(t.find("ago   4000000000  j2") != std::string::npos);
  CHECK(t.find("ago   -           j1") != std::string::npos);
}

TEST_CASE("with a USER column the table still fits its width") {
  std::vector<Job> jobs{job(2, std::string(101, 'n'), "/srv/" + std::string(120, 'd') + "/frame.png", 1000),
                        job(1, "short", "/tmp/a.png", 1000)};
  jobs[0].submitter_uid = 0;
  jobs[1].submitter_uid = 4'000'000'000'000;  // a 13-digit uid: cut to 12 columns
  for (std::size_t width : {80u, 200u}) {
    const std::string t = format_job_table(jobs, TableOptions{.width = width, .now_ms = 61'000});
    CHECK(widest_line(t) <= width);
    CHECK(header(t).find("USER") != std::string::npos);
    CHECK(t.find("frame.png") != std::string::npos);
    CHECK(t.find("40000000000\u2026") != std::string::npos);
  }
  CHECK(format_job_table(jobs, TableOptions{.width = 0, .now_ms = 61'000}).find("4000000000000") != std::string::npos);
}

}  // namespace
}  // namespace renderq
