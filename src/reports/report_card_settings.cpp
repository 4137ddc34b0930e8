#include "reports/report_card_settings.h"

#include <cairo.h>
#include <sodium.h>

#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

#include "common/json_fields.h"

namespace cairn {

namespace {

using nlohmann::json;

constexpr std::string_view kRoot = "report_card";
constexpr std::size_t kMaxSettingBytes = 1024 * 1024;

// Control characters other than line breaks (allowed only in long texts)
// would print as boxes or move the pen.
bool HasControl(std::string_view text, bool allow_newlines) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\n' && allow_newlines) continue;
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

void ReadText(JsonFieldReader& r, const json& j, const char* key, std::size_t max_bytes,
              bool allow_newlines, std::string& into) {
  auto value = r.OptionalString(j, std::string(kRoot), key);
  if (!value) return;
  const std::string field = JsonFieldReader::Join(kRoot, key);
  if (value->size() > max_bytes) {
    r.Error(field, "longer than " + std::to_string(max_bytes) + " bytes");
  } else if (HasControl(*value, allow_newlines)) {
    r.Error(field, allow_newlines ? "control characters other than line breaks"
                                  : "control characters (line breaks included)");
  } else {
    into = std::move(*value);
  }
}

struct PngReader {
  std::string_view bytes;
  std::size_t at = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (reader->bytes.size() - reader->at < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, reader->bytes.data() + reader->at, length);
  reader->at += length;
  return CAIRO_STATUS_SUCCESS;
}

// Empty when `png` is a PNG cairo can draw within the size limits, else
// what is wrong with it.
std::string CheckLogo(std::string_view png) {
  static constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  if (png.substr(0, kSignature.size()) != kSignature) return "not a PNG image";
  PngReader reader{png};
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> image(
      cairo_image_surface_create_from_png_stream(ReadPng, &reader), cairo_surface_destroy);
  if (cairo_surface_status(image.get()) != CAIRO_STATUS_SUCCESS) {
    return std::string("the PNG cannot be read (") +
           cairo_status_to_string(cairo_surface_status(image.get())) + ")";
  }
  const int width = cairo_image_surface_get_width(image.get());
  const int height = cairo_image_surface_get_height(image.get());
  if (width > kMaxReportCardLogoPixels || height > kMaxReportCardLogoPixels) {
    return "larger than " + std::to_string(kMaxReportCardLogoPixels) + " x " +
           std::to_string(kMaxReportCardLogoPixels) + " pixels";
  }
  return {};
}

void ReadLogo(JsonFieldReader& r, const json& j, std::string& into) {
  auto value = r.OptionalString(j, std::string(kRoot), "logo_png");
  if (!value) return;
  const std::string field = JsonFieldReader::Join(kRoot, "logo_png");
  if (value->empty()) {  // "" removes the logo
    into.clear();
    return;
  }
  if (value->size() > kMaxReportCardLogoBytes / 3 * 4 + 1024) {
    r.Error(field, "larger than " + std::to_string(kMaxReportCardLogoBytes / 1024) + " KB");
    return;
  }
  std::string bytes(value->size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), value->data(),
                        value->size(), " \t\r\n", &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    r.Error(field, "not base64 (RFC 4648, with padding)");
    return;
  }
  bytes.resize(length);
  if (bytes.size() > kMaxReportCardLogoBytes) {
    r.Error(field, "larger than " + std::to_string(kMaxReportCardLogoBytes / 1024) + " KB");
    return;
  }
  if (std::string problem = CheckLogo(bytes); !problem.empty()) {
    r.Error(field, problem);
    return;
  }
  into = std::move(bytes);
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace

std::string_view PaperName(Paper paper) { return paper == Paper::kA4 ? "a4" : "letter"; }

Result<ReportCardSettings> ParseReportCardSettings(std::string_view json_text) {
  if (json_text.size() > kMaxSettingBytes) {
    return Status::InvalidField(std::string(kRoot), "larger than 1 MB");
  }
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidField(std::string(kRoot), "not valid JSON");
  JsonFieldReader r;
  ReportCardSettings settings;
  if (!j.is_object()) return Status::InvalidField(std::string(kRoot), "expected a JSON object");
  r.CheckObject(
      j, std::string(kRoot),
      {"title", "transcript_title", "intro", "habits_heading", "footer", "paper", "logo_png"});
  ReadText(r, j, "title", kMaxReportCardHeading, false, settings.title);
  ReadText(r, j, "transcript_title", kMaxReportCardHeading, false, settings.transcript_title);
  ReadText(r, j, "habits_heading", kMaxReportCardHeading, false, settings.habits_heading);
  ReadText(r, j, "intro", kMaxReportCardText, true, settings.intro);
  ReadText(r, j, "footer", kMaxReportCardText, true, settings.footer);
  for (const char* key : {"title", "transcript_title", "habits_heading"}) {
    if (j.contains(key) && j[key].is_string() && j[key].get_ref<const std::string&>().empty()) {
      r.Error(JsonFieldReader::Join(kRoot, key), "must not be empty");
    }
  }
  if (auto paper = r.OptionalString(j, std::string(kRoot), "paper")) {
    if (*paper == "letter") {
      settings.paper = Paper::kLetter;
    } else if (*paper == "a4") {
      settings.paper = Paper::kA4;
    } else {
      r.Error(JsonFieldReader::Join(kRoot, "paper"), "expected \"letter\" or \"a4\"");
    }
  }
  ReadLogo(r, j, settings.logo_png);
  CAIRN_RETURN_IF_ERROR(r.ToStatus());
  return settings;
}

std::string ReportCardSettingsToJson(const ReportCardSettings& settings) {
  json j{{"title", settings.title},   {"transcript_title", settings.transcript_title},
         {"intro", settings.intro},   {"habits_heading", settings.habits_heading},
         {"footer", settings.footer}, {"paper", PaperName(settings.paper)}};
  if (!settings.logo_png.empty()) j["logo_png"] = Base64(settings.logo_png);
  return j.dump();
}

Result<ReportCardSettings> LoadReportCardSettings(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto stored, store.GetSetting(kReportCardSettingKey));
  if (!stored) return ReportCardSettings{};
  auto parsed = ParseReportCardSettings(*stored);
  if (!parsed.ok()) {
    return Status::Internal("stored setting " + std::string(kReportCardSettingKey) + ": " +
                            parsed.status().message());
  }
  return parsed;
}

Result<ReportCardSettings> StoreReportCardSettings(Store& store, std::string_view json_text) {
  if (json_text.size() > kMaxSettingBytes) {
    return Status::InvalidField(std::string(kRoot), "larger than 1 MB");
  }
  json change = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (change.is_discarded()) return Status::InvalidField(std::string(kRoot), "not valid JSON");
  if (!change.is_object())
    return Status::InvalidField(std::string(kRoot), "expected a JSON object");
  CAIRN_ASSIGN_OR_RETURN(auto stored, store.GetSetting(kReportCardSettingKey));
  json merged = json::object();
  if (stored) {
    merged = json::parse(*stored, nullptr, false);
    if (!merged.is_object()) merged = json::object();
  }
  // What is given replaces what was stored; null puts a field back to its default.
  for (const auto& [key, value] : change.items()) {
    if (value.is_null()) {
      merged.erase(key);
    } else {
      merged[key] = value;
    }
  }
  const std::string text = merged.dump();
  CAIRN_ASSIGN_OR_RETURN(ReportCardSettings settings, ParseReportCardSettings(text));
  CAIRN_RETURN_IF_ERROR(store.PutSetting(kReportCardSettingKey, text));
  return settings;
}

}  // namespace cairn
