#include "credentials/public_url_history.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace cairn {

using nlohmann::json;

namespace {
constexpr std::string_view kSetting = "former_public_urls";
}

Result<std::vector<std::string>> FormerPublicUrls(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto stored, store.GetSetting(kSetting));
  std::vector<std::string> out;
  if (!stored) return out;
  json list = json::parse(*stored, nullptr, false);
  if (!list.is_array()) return Status::Internal("setting former_public_urls is not a JSON array");
  for (const json& url : list) {
    if (url.is_string()) out.push_back(url.get<std::string>());
  }
  return out;
}

Status RememberFormerPublicUrl(Store& store, std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty()) return Status::Ok();
  CAIRN_ASSIGN_OR_RETURN(auto urls, FormerPublicUrls(store));
  if (std::find(urls.begin(), urls.end(), url) != urls.end()) return Status::Ok();
  urls.push_back(std::move(url));
  return store.PutSetting(kSetting, json(urls).dump());
}

}  // namespace cairn
