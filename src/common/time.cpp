#include "common/time.h"

#include <chrono>
#include <cstdio>

namespace cairn {
namespace {

bool ParseInt(std::string_view text, int& out) {
  if (text.empty()) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

}  // namespace

Result<Day> ParseDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseInt(text.substr(0, 4), y) ||
      !ParseInt(text.substr(5, 2), m) || !ParseInt(text.substr(8, 2), d)) {
    return Status::Invalid("expected a date YYYY-MM-DD, got '" + std::string(text) + "'");
  }
  // Records of school work: nothing before 1900 or after 9999 is a real date
  // here, and year 0 is not a calendar year at all.
  if (y < 1900) return Status::Invalid("not a plausible date: '" + std::string(text) + "'");
  std::chrono::year_month_day ymd{std::chrono::year{y},
                                  std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return Status::Invalid("not a calendar date: '" + std::string(text) + "'");
  return static_cast<Day>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

std::string FormatDate(Day day) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Result<Instant> ParseInstant(std::string_view text) {
  if (text.size() == 10) {
    CAIRN_ASSIGN_OR_RETURN(Day day, ParseDate(text));
    return StartOf(day);
  }
  int hh = 0, mm = 0, ss = 0;
  bool shape = text.size() == 20 && text[10] == 'T' && text[13] == ':' && text[16] == ':' &&
               text[19] == 'Z' && ParseInt(text.substr(11, 2), hh) &&
               ParseInt(text.substr(14, 2), mm) && ParseInt(text.substr(17, 2), ss);
  if (!shape || hh > 23 || mm > 59 || ss > 59) {
    return Status::Invalid("expected a UTC time YYYY-MM-DDThh:mm:ssZ, got '" + std::string(text) +
                           "'");
  }
  CAIRN_ASSIGN_OR_RETURN(Day day, ParseDate(text.substr(0, 10)));
  return StartOf(day) + hh * 3600 + mm * 60 + ss;
}

std::string FormatInstant(Instant instant) {
  Day day = DayOf(instant);
  Instant rest = instant - StartOf(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return FormatDate(day) + buf;
}

Day DayOf(Instant instant) {
  Instant day = instant / 86400;
  if (instant % 86400 < 0) --day;
  return static_cast<Day>(day);
}

Instant StartOf(Day day) { return static_cast<Instant>(day) * 86400; }

}  // namespace cairn
