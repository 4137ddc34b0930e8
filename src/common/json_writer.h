// A streaming JSON writer for hot paths: appends to one string, no tree of
// nodes and no map of keys (nlohmann::json builds both and sorts keys, which
// costs more than the work being reported). Keys come out in the order
// written. Strings are escaped per RFC 8259 and assumed to be UTF-8; numbers
// that are not finite are written as null, as nlohmann does.
//
// The caller keeps the nesting balanced; the writer does not check it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

// Which characters AppendEscaped writes as escapes. The defaults are JSON's
// (RFC 8259, and the canonical form of RFC 8785): '"', '\\' and the control
// characters below U+0020, as \b \f \n \r \t where JSON has a short form,
// else as \u00xx in lower-case hex. Canonical N-Quads (RDFC-1.0) escapes the
// same way but for the two options.
struct StringEscapes {
  bool upper_case_hex = false;  // \u001F rather than \u001f
  bool escape_delete = false;   // U+007F as \u007F too
};

// Appends `value` escaped, without the surrounding quotes. Other bytes
// (UTF-8 included) are copied as they are. JsonWriter::String, the JSON-LD
// canonical JSON and the N-Quads literals all escape with this.
void AppendEscaped(std::string_view value, std::string& out, StringEscapes escapes = {});

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  // Shortest text that reads back as the same double; always with a '.' or
  // an exponent, so it reads back as a floating-point number.
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  // Key(key) then the value.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, std::int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, double value) { return Key(key).Double(value); }
  JsonWriter& StringArray(std::string_view key, const std::vector<std::string>& values);

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();

  std::string out_;
  bool need_comma_ = false;  // a value was written at this level
};

}  // namespace cairn
