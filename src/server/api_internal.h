// Helpers shared by the API's source files (api.cpp and one file per
// resource group). Not a public header.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/api.h"

namespace cairn {

using nlohmann::json;

int HttpStatusOf(StatusCode code);
HttpResponse JsonResponse(int status, const json& body);
HttpResponse JsonTextResponse(int status, std::string body);  // body: JSON text
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message);
HttpResponse ErrorResponse(const Status& status);
json PersonJson(const Person& p);
// The string at `key`, or "" when absent or not a string.
std::string Str(const json& body, const char* key);

struct Api::Context {
  const HttpRequest& request;
  std::map<std::string, std::string> params;
  std::optional<Principal> who;
  std::string csrf;
  json body;
  const Person* student = nullptr;  // the record the route names, if any
};

}  // namespace cairn
