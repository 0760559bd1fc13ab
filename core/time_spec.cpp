#include "core/time_spec.hpp"

#include <ctime>
#include <optional>
#include <string>

#include "core/duration.hpp"

namespace renderq {

namespace {

// Reads exactly `digits` decimal digits at text[pos] into out.
bool read_number(std::string_view text, std::size_t& pos, std::size_t digits, int& out) {
  if (pos + digits > text.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += digits;
  out = v;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

struct Clock {
  int hour = 0, minute = 0, second = 0;
};

// HH:MM[:SS] at pos.
bool read_clock(std::string_view text, std::size_t& pos, Clock& c) {
  if (!read_number(text, pos, 2, c.hour) || !expect(text, pos, ':') || !read_number(text, pos, 2, c.minute))
    return false;
  if (pos < text.size() && text[pos] == ':' && !(++pos, read_number(text, pos, 2, c.second))) return false;
  return c.hour < 24 && c.minute < 60 && c.second < 60;
}

// Local broken-down time -> epoch seconds; nullopt when mktime cannot.
std::optional<std::int64_t> local_seconds(std::tm tm) {
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<std::int64_t>(t);
}

}  // namespace

Result<std::int64_t> parse_time_spec(std::string_view text, std::int64_t now_ms) {
  auto bad = [&] {
    return fail(Errc::BadDuration, "'" + std::string(text.substr(0, 64)) +
                                       "' is not a time: use now, +DURATION (+10m), HH:MM, YYYY-MM-DD or "
                                       "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
  };
  if (text == "now") return now_ms;
  if (!text.empty() && text.front() == '+') {
    Result<Millis> d = parse_duration(text.substr(1));
    if (!d) return bad();
    return now_ms + d->count();
  }
  const auto now_s = static_cast<std::time_t>(now_ms / 1000);
  std::tm today{};
  localtime_r(&now_s, &today);
  std::size_t pos = 0;
  if (text.size() >= 5 && text[2] == ':') {
    Clock c;
    if (!read_clock(text, pos, c) || pos != text.size()) return bad();
    std::tm tm = today;
    tm.tm_hour = c.hour;
    tm.tm_min = c.minute;
    tm.tm_sec = c.second;
    std::optional<std::int64_t> s = local_seconds(tm);
    if (!s) return bad();
    if (*s * 1000 <= now_ms) {  // passed today: tomorrow
      tm.tm_mday += 1;
      s = local_seconds(tm);
      if (!s) return bad();
    }
    return *s * 1000;
  }
  std::tm tm{};
  int year = 0, month = 0, day = 0;
  if (!read_number(text, pos, 4, year) || !expect(text, pos, '-') || !read_number(text, pos, 2, month) ||
      !expect(text, pos, '-') || !read_number(text, pos, 2, day) || month < 1 || month > 12 || day < 1 || day > 31)
    return bad();
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  std::optional<int> offset_s;  // set: the text gave its own zone
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ') return bad();
    ++pos;
    Clock c;
    if (!read_clock(text, pos, c)) return bad();
    tm.tm_hour = c.hour;
    tm.tm_min = c.minute;
    tm.tm_sec = c.second;
    if (pos < text.size()) {
      if (text[pos] == 'Z' && pos + 1 == text.size()) {
        offset_s = 0;
        ++pos;
      } else if (text[pos] == '+' || text[pos] == '-') {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int oh = 0, om = 0;
        if (!read_number(text, pos, 2, oh) || !expect(text, pos, ':') || !read_number(text, pos, 2, om) || oh > 14 ||
            om > 59)
          return bad();
        offset_s = sign * (oh * 3600 + om * 60);
      }
    }
  }
  if (pos != text.size()) return bad();
  std::int64_t seconds = 0;
  if (offset_s) {
    const std::time_t utc = timegm(&tm);
    if (utc == static_cast<std::time_t>(-1)) return bad();
    seconds = static_cast<std::int64_t>(utc) - *offset_s;
  } else {
    std::optional<std::int64_t> s = local_seconds(tm);
    if (!s) return bad();
    seconds = *s;
  }
  // mktime normalises 2026-02-31 to March: refuse a date that moved.
  std::tm check{};
  const auto t = static_cast<std::time_t>(seconds + offset_s.value_or(0));
  if (offset_s) gmtime_r(&t, &check); else localtime_r(&t, &check);
  if (check.tm_mday != day || check.tm_mon != month - 1) return bad();
  return seconds * 1000;
}

}  // namespace renderq
