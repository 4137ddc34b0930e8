// Internals shared by the PostgreSQL store's source files (pg_store.cpp,
// pg_credentials.cpp, pg_portfolio.cpp, pg_roster_import.cpp). Not a public
// header. Parameters and results travel as text (libpq's text format): the
// server casts each parameter to its column's type.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/pg_store.h"

namespace cairn {

// A statement's parameters ($1, $2, ...), in order.
class PgParams {
 public:
  PgParams& Add(std::int64_t value) { return Push(std::to_string(value)); }
  PgParams& Add(std::string_view value) { return Push(std::string(value)); }
  PgParams& Add(const char* value) { return Push(std::string(value)); }
  PgParams& Add(const std::string& value) { return Push(value); }
  PgParams& AddBool(bool value) { return Push(value ? "t" : "f"); }
  PgParams& AddNull() {
    values_.emplace_back();
    nulls_.push_back(true);
    return *this;
  }
  template <typename T>
  PgParams& AddOptional(const std::optional<T>& value) {
    if (!value) return AddNull();
    if constexpr (std::is_same_v<T, bool>) {
      return AddBool(*value);
    } else {
      return Add(static_cast<std::int64_t>(*value));
    }
  }

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into the values (null for SQL NULL); valid until the next Add.
  std::vector<const char*> pointers() const {
    std::vector<const char*> out;
    out.reserve(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
      out.push_back(nulls_[i] ? nullptr : values_[i].c_str());
    }
    return out;
  }

 private:
  PgParams& Push(std::string value) {
    values_.push_back(std::move(value));
    nulls_.push_back(false);
    return *this;
  }
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
};

// A PostgreSQL array literal ("{...}") of `values`, each quoted; nullopt
// elements are NULL. For unnest($n::text[]) and = ANY($n::bigint[]).
std::string PgArray(const std::vector<std::optional<std::string>>& values);
std::string PgArray(const std::vector<std::int64_t>& values);

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};

// A statement's result rows, read as text.
class PgRows {
 public:
  PgRows() = default;
  explicit PgRows(PGresult* result) : result_(result) {}

  int size() const { return result_ ? PQntuples(result_.get()) : 0; }
  bool empty() const { return size() == 0; }
  bool null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string text(int row, int column) const {
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
  }
  std::int64_t integer(int row, int column) const {
    return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
  }
  int small(int row, int column) const { return static_cast<int>(integer(row, column)); }
  bool boolean(int row, int column) const {
    return PQgetvalue(result_.get(), row, column)[0] == 't';
  }
  std::optional<bool> optional_bool(int row, int column) const {
    if (null(row, column)) return std::nullopt;
    return boolean(row, column);
  }
  std::optional<std::int64_t> optional_integer(int row, int column) const {
    if (null(row, column)) return std::nullopt;
    return integer(row, column);
  }
  // Rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const {
    return result_ ? std::strtoll(PQcmdTuples(result_.get()), nullptr, 10) : 0;
  }

 private:
  std::unique_ptr<PGresult, PgResultDeleter> result_;
};

// Instants and dates are stored as text in the same formats as the SQLite
// engine (common/time.h), so both engines order and compare them alike.
Instant PgInstant(const PgRows& rows, int row, int column);
std::optional<Instant> PgOptionalInstant(const PgRows& rows, int row, int column);

}  // namespace cairn
