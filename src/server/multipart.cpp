#include "server/multipart.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace cairn {
namespace {

// Feed() appends at most this much at a time, which bounds the buffer however
// large the caller's chunks are.
constexpr std::size_t kSliceBytes = 64 * 1024;
constexpr std::size_t kMaxPaddingBytes = 256;

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return lower;
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

struct Parameter {
  std::string name;  // lowercased
  std::string value;
};

// `type; a=b; c="quoted"` -> the type and the parameters. Inside quotes a
// backslash escapes only '"' and '\\': browsers do not escape, and old ones
// send Windows paths ("C:\dir\name.jpg") that must survive intact.
std::pair<std::string_view, std::vector<Parameter>> SplitHeaderValue(std::string_view value) {
  const std::size_t semicolon = value.find(';');
  const std::string_view type = TrimSpace(value.substr(0, semicolon));
  std::vector<Parameter> parameters;
  std::size_t pos = semicolon == std::string_view::npos ? value.size() : semicolon + 1;
  while (pos < value.size()) {
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t' || value[pos] == ';')) {
      ++pos;
    }
    const std::size_t equals = value.find('=', pos);
    if (equals == std::string_view::npos) break;
    Parameter parameter{Lower(TrimSpace(value.substr(pos, equals - pos))), ""};
    pos = equals + 1;
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
    if (pos < value.size() && value[pos] == '"') {
      for (++pos; pos < value.size() && value[pos] != '"'; ++pos) {
        if (value[pos] == '\\' && pos + 1 < value.size() &&
            (value[pos + 1] == '"' || value[pos + 1] == '\\')) {
          ++pos;
        }
        parameter.value += value[pos];
      }
      pos = value.find(';', pos);
      if (pos == std::string_view::npos) pos = value.size();
    } else {
      const std::size_t end = std::min(value.find(';', pos), value.size());
      parameter.value = std::string(TrimSpace(value.substr(pos, end - pos)));
      pos = end;
    }
    parameters.push_back(std::move(parameter));
  }
  return {type, std::move(parameters)};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value: charset'language'percent-encoded. Only UTF-8 is used in
// practice; anything else or a bad escape yields nullopt (filename= is used).
std::optional<std::string> DecodeExtValue(std::string_view ext_value) {
  const std::size_t first = ext_value.find('\'');
  const std::size_t second =
      first == std::string_view::npos ? first : ext_value.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (Lower(ext_value.substr(0, first)) != "utf-8") return std::nullopt;
  std::string decoded;
  for (std::size_t pos = second + 1; pos < ext_value.size(); ++pos) {
    if (ext_value[pos] != '%') {
      decoded += ext_value[pos];
      continue;
    }
    if (pos + 2 >= ext_value.size()) return std::nullopt;
    const int high = HexValue(ext_value[pos + 1]);
    const int low = HexValue(ext_value[pos + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    decoded += static_cast<char>(high * 16 + low);
    pos += 2;
  }
  return decoded;
}

bool IsBoundaryChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

MultipartParser::MultipartParser(std::string boundary, MultipartSink& sink, MultipartLimits limits)
    : delimiter_("\r\n--" + std::move(boundary)), sink_(sink), limits_(limits) {
  // RFC 2046: the first delimiter may open the body without a CRLF before it.
  buffer_ = "\r\n";
  max_buffered_ = buffer_.size();
}

std::string MultipartParser::PartPrefix() const { return "part " + std::to_string(parts_) + ": "; }

Status MultipartParser::Fail(Status status) {
  state_ = State::kFailed;
  failure_ = status;
  buffer_.clear();
  buffer_.shrink_to_fit();
  return status;
}

Status MultipartParser::Feed(std::string_view chunk) {
  while (!chunk.empty()) {
    if (state_ == State::kFailed) return failure_;
    if (state_ == State::kEpilogue) return Status::Ok();  // ignored, RFC 2046
    const std::string_view slice = chunk.substr(0, kSliceBytes);
    chunk.remove_prefix(slice.size());
    buffer_.append(slice);
    max_buffered_ = std::max(max_buffered_, buffer_.size());
    bool progressed = true;
    while (progressed) {
      progressed = false;
      if (Status status = Process(progressed); !status.ok()) return Fail(status);
    }
  }
  return state_ == State::kFailed ? failure_ : Status::Ok();
}

Status MultipartParser::Finish() {
  if (state_ == State::kFailed) return failure_;
  if (state_ != State::kEpilogue)
    return Fail(Status::Invalid("body ended before closing boundary"));
  return Status::Ok();
}

Status MultipartParser::Process(bool& progressed) {
  switch (state_) {
    case State::kPreamble:
      return ProcessPreamble(progressed);
    case State::kAfterDelimiter:
      return ProcessAfterDelimiter(progressed);
    case State::kHeaders:
      return ProcessHeaders(progressed);
    case State::kBody:
      return ProcessBody(progressed);
    case State::kEpilogue:
      buffer_.clear();
      return Status::Ok();
    case State::kFailed:
      return failure_;
  }
  return Status::Ok();
}

Status MultipartParser::ProcessPreamble(bool& progressed) {
  const std::size_t found = buffer_.find(delimiter_);
  if (found == std::string::npos) {
    // Keep only what could be the start of a delimiter.
    const std::size_t keep = delimiter_.size() - 1;
    if (buffer_.size() > keep) buffer_.erase(0, buffer_.size() - keep);
    return Status::Ok();
  }
  buffer_.erase(0, found + delimiter_.size());
  state_ = State::kAfterDelimiter;
  progressed = true;
  return Status::Ok();
}

Status MultipartParser::ProcessAfterDelimiter(bool& progressed) {
  if (buffer_.size() < 2) return Status::Ok();
  if (buffer_.starts_with("--")) {
    buffer_.clear();
    state_ = State::kEpilogue;
    progressed = true;
    return Status::Ok();
  }
  // Transport padding (spaces, tabs) may precede the CRLF.
  std::size_t pos = 0;
  while (pos < buffer_.size() && (buffer_[pos] == ' ' || buffer_[pos] == '\t')) ++pos;
  if (pos > kMaxPaddingBytes) return Status::Invalid("boundary followed by too much padding");
  if (buffer_.size() - pos < 2) return Status::Ok();
  if (buffer_.compare(pos, 2, "\r\n") != 0) {
    return Status::Invalid("part " + std::to_string(parts_ + 1) +
                           ": boundary followed by unexpected bytes");
  }
  buffer_.erase(0, pos + 2);
  if (++parts_ > limits_.max_parts) {
    return Status::Invalid("more than " + std::to_string(limits_.max_parts) + " parts");
  }
  current_ = MultipartPartHeaders{};
  current_.index = parts_;
  state_ = State::kHeaders;
  progressed = true;
  return Status::Ok();
}

Status MultipartParser::ProcessHeaders(bool& progressed) {
  std::size_t end = 0;
  std::size_t skip = 0;
  if (buffer_.starts_with("\r\n")) {
    skip = 2;  // no headers at all (reported below as no Content-Disposition)
  } else {
    end = buffer_.find("\r\n\r\n");
    skip = end + 4;
    if (end == std::string::npos || end > limits_.max_header_bytes) {
      // Before the blank line arrives, the buffer may hold a block of the
      // limit and up to 3 bytes of "\r\n\r\n": the verdict must not depend
      // on how the body was split into chunks.
      if (end == std::string::npos ? buffer_.size() > limits_.max_header_bytes + 3
                                   : end > limits_.max_header_bytes) {
        return Status::Invalid(PartPrefix() + "headers exceed " +
                               std::to_string(limits_.max_header_bytes) + " bytes");
      }
      return Status::Ok();  // wait for the blank line
    }
  }
  const std::string block = buffer_.substr(0, end);
  buffer_.erase(0, skip);

  // Unfold obsolete line folding, then read "Name: value" lines.
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < block.size();) {
    std::size_t line_end = block.find("\r\n", pos);
    if (line_end == std::string::npos) line_end = block.size();
    const std::string_view line(block.data() + pos, line_end - pos);
    if (!lines.empty() && !line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      lines.back() += ' ';
      lines.back() += TrimSpace(line);
    } else {
      lines.emplace_back(line);
    }
    pos = line_end + 2;
  }
  bool has_disposition = false;
  current_.content_type = "text/plain";
  for (const std::string& line : lines) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) return Status::Invalid(PartPrefix() + "malformed header line");
    const std::string name = Lower(TrimSpace(std::string_view(line).substr(0, colon)));
    const std::string_view value = TrimSpace(std::string_view(line).substr(colon + 1));
    if (name == "content-type") {
      if (!value.empty()) current_.content_type = std::string(value);
      continue;
    }
    if (name != "content-disposition") continue;
    has_disposition = true;
    const auto [type, parameters] = SplitHeaderValue(value);
    if (Lower(type) != "form-data") {
      return Status::Invalid(PartPrefix() + "Content-Disposition is not form-data");
    }
    bool has_name = false;
    std::optional<std::string> extended_filename;
    for (const Parameter& parameter : parameters) {
      if (parameter.name == "name") {
        current_.name = parameter.value;
        has_name = true;
      } else if (parameter.name == "filename") {
        current_.filename = parameter.value;
      } else if (parameter.name == "filename*") {
        extended_filename = DecodeExtValue(parameter.value);
      }
    }
    if (extended_filename) current_.filename = std::move(extended_filename);
    if (!has_name) return Status::Invalid(PartPrefix() + "Content-Disposition has no name");
  }
  if (!has_disposition) return Status::Invalid(PartPrefix() + "missing Content-Disposition");

  current_is_file_ = current_.filename.has_value();
  field_value_.clear();
  if (current_is_file_) CAIRN_RETURN_IF_ERROR(sink_.OnFileBegin(current_));
  state_ = State::kBody;
  progressed = true;
  return Status::Ok();
}

Status MultipartParser::ProcessBody(bool& progressed) {
  const std::size_t found = buffer_.find(delimiter_);
  if (found == std::string::npos) {
    // Everything except a possible delimiter prefix at the end is content.
    const std::size_t keep = delimiter_.size() - 1;
    if (buffer_.size() > keep) {
      const std::size_t emit = buffer_.size() - keep;
      CAIRN_RETURN_IF_ERROR(EmitBody(std::string_view(buffer_).substr(0, emit)));
      buffer_.erase(0, emit);
    }
    return Status::Ok();
  }
  CAIRN_RETURN_IF_ERROR(EmitBody(std::string_view(buffer_).substr(0, found)));
  buffer_.erase(0, found + delimiter_.size());
  CAIRN_RETURN_IF_ERROR(EndPart());
  state_ = State::kAfterDelimiter;
  progressed = true;
  return Status::Ok();
}

Status MultipartParser::EmitBody(std::string_view data) {
  if (data.empty()) return Status::Ok();
  if (current_is_file_) return sink_.OnFileData(data);
  if (data.size() > limits_.max_field_bytes - field_value_.size()) {
    return Status::Invalid(PartPrefix() + "field '" + current_.name + "' exceeds " +
                           std::to_string(limits_.max_field_bytes) + " bytes");
  }
  field_value_.append(data);
  return Status::Ok();
}

Status MultipartParser::EndPart() {
  if (current_is_file_) return sink_.OnFileEnd();
  return sink_.OnField(current_, std::exchange(field_value_, std::string()));
}

Result<std::string> MultipartBoundary(std::string_view content_type) {
  const auto [type, parameters] = SplitHeaderValue(content_type);
  if (Lower(type) != "multipart/form-data") {
    return Status::Invalid("Content-Type is not multipart/form-data");
  }
  for (const Parameter& parameter : parameters) {
    if (parameter.name != "boundary") continue;
    const std::string& boundary = parameter.value;
    if (boundary.empty() || boundary.size() > 70 || boundary.back() == ' ' ||
        !std::all_of(boundary.begin(), boundary.end(), IsBoundaryChar)) {
      return Status::Invalid("multipart boundary must be 1 to 70 characters allowed by RFC 2046");
    }
    return boundary;
  }
  return Status::Invalid("multipart/form-data Content-Type has no boundary");
}

}  // namespace cairn
