// Whose record a request touches, decided from the path alone.
//
// Every access decision is made on the record the path names: a rating, a
// submission, a file, a credential, a student, a section. One resolver per
// kind of path parameter looks that record up and returns its owner; the
// access rule then runs on the owner. A body field never chooses the subject
// of an access decision. The one exception is explicit in the route table
// (Owner::kBodyStudent): routes that create a new record for a student named
// in the body, where that student is checked as the new record's owner.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "roster/roster.h"

namespace cairn {

class Store;

// Whose record a route's path (or, for creating routes, body) names.
enum class Owner {
  kPath,         // the record the path names, or none
  kBodyStudent,  // a new record for the body's "student" (POST /ratings, /habits)
};

struct Subject {
  // Null when the route names no student, or names a record that does not
  // exist: only admins pass a student rule then, and the handler answers 404.
  const Person* student = nullptr;
  const Section* section = nullptr;
  const School* school = nullptr;      // a {school} path parameter (sourced id)
  const District* district = nullptr;  // a {district} path parameter (sourced id)
  // The path names portfolio work its student has not shared with family:
  // for guardians it does not exist.
  bool hidden_from_guardians = false;
};

// Resolves the path parameters against `roster` (the snapshot the request
// holds, so the pointers stay valid) and `store` (for records the roster does
// not hold: ratings, submissions, files, credentials). `body` is read only
// for Owner::kBodyStudent. Errors: kInvalidArgument when a creating route's
// body names no student (the caller answers 400 before any access decision);
// store failures as they come.
Result<Subject> ResolveSubject(const std::map<std::string, std::string>& params, Owner owner,
                               const nlohmann::json& body, const Roster& roster, Store& store);

// The path id as a number, or nullopt for anything but 1-18 decimal digits
// (so "12abc", "-1" and "1e3" name nothing).
std::optional<long long> PathNumber(const std::map<std::string, std::string>& params,
                                    const std::string& name);

}  // namespace cairn
