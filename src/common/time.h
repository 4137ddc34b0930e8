// Calendar dates and instants as plain integers, so the mastery core can sort
// and compare them without time zones or allocation. Dates are days since
// 1970-01-01 (proleptic Gregorian); instants are UTC seconds since the epoch.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

using Day = std::int32_t;      // days since 1970-01-01
using Instant = std::int64_t;  // UTC seconds since 1970-01-01T00:00:00Z
// Injected wherever "now" matters, so tests control time.
using Clock = std::function<Instant()>;

// "2026-09-14" -> day number. Rejects impossible dates (2026-02-30).
Result<Day> ParseDate(std::string_view text);
std::string FormatDate(Day day);

// "2026-09-14T08:30:00Z" (or a bare date, read as midnight UTC) -> instant.
Result<Instant> ParseInstant(std::string_view text);
std::string FormatInstant(Instant instant);

Day DayOf(Instant instant);
Instant StartOf(Day day);

}  // namespace cairn
