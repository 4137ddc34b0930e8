// The catalog JSON format (catalog/catalog_json.h), as an admin uploads it:
// ParseCatalog answers every input with a Catalog or a Status naming the
// source, and what it accepts round-trips through CatalogToJson (the
// header's promise: ParseCatalog(CatalogToJson(c).dump()) == c).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "catalog/catalog_json.h"
#include "fuzz_check.h"

using cairn::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto catalog = cairn::ParseCatalog(cairn::fuzz::AsText(data, size), "catalog.json");
  if (!catalog.ok()) {
    Check(!catalog.status().message().empty(), "error without a message");
    Check(catalog.status().message().find("catalog.json") != std::string::npos,
          "error does not name the source");
    return 0;
  }
  const nlohmann::json once = cairn::CatalogToJson(*catalog);
  const auto again = cairn::ParseCatalog(once.dump(), "round trip");
  Check(again.ok(), "CatalogToJson output does not parse");
  Check(cairn::CatalogToJson(*again) == once, "catalog round trip changed it");
  return 0;
}
