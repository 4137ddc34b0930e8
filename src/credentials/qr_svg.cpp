#include "credentials/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace cairn {

Result<std::string> QrCodeSvg(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, /*casesensitive=*/1),
      QRcode_free);
  if (!code)
    return Status::Invalid("too long for a QR code (" + std::to_string(text.size()) + " bytes)");
  const int n = code->width;
  const int size = n + 8;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      // One horizontal run of dark modules per path segment.
      if (!(code->data[y * n + x] & 1)) continue;
      int end = x;
      while (end + 1 < n && (code->data[y * n + end + 1] & 1)) ++end;
      svg += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h" +
             std::to_string(end - x + 1) + "v1h-" + std::to_string(end - x + 1) + "z";
      x = end;
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace cairn
