// A student's credential into their own wallet (credentials/wallet_exchange.h):
// the student's offer (QR code and link), and the VC-API exchange the wallet
// talks to, which needs no login: the exchange URL's secret is the
// capability, usable once and for a quarter of an hour.
#pragma once

#include <vector>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class WalletHandlers {
 public:
  explicit WalletHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<WalletHandlers>> Routes();

 private:
  HttpResponse CreateOffer(RequestContext& ctx);
  HttpResponse Exchange(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
