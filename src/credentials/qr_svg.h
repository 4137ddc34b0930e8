// A QR code as a standalone SVG image (libqrencode, error correction M), for
// links a phone scans: the wallet offer (wallet_exchange.h).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

// Black modules on white with a 4-module quiet zone, scaled by the viewer
// (viewBox in modules). kInvalidArgument when `text` does not fit a QR code.
Result<std::string> QrCodeSvg(std::string_view text);

}  // namespace cairn
