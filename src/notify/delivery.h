// How a notification's email goes out, as steps (store/notification_store.h)
// a sender appends, and what the next one should be.
//
// A sender first appends "claim" with the next attempt number: the store
// refuses a second claim of the same attempt, so of two senders (two
// servers) only one sends it. Then it sends and appends "sent", or
// "failed" with the same attempt. A claim with no outcome after the lease
// means the sender died mid-send: the next attempt goes out with the same
// Message-ID, so a mail system that did receive the first drops the second.
// The only way to deliver twice is a crash between the SMTP server's
// acceptance and the "sent" commit.
//
//   skipped  nobody to send to (no address, email turned off)
//   held     the person reads email in the weekly digest
//   gave_up  every attempt failed
//
// The digest uses the same scheme with "digest_claim", "digest_failed" and
// "digested".
//
// Thread safety: pure functions.
#pragma once

#include <span>

#include "common/time.h"
#include "store/notification_store.h"

namespace cairn {

struct DeliveryChannel {
  const char* claim;
  const char* failed;
  const char* done;
};
inline constexpr DeliveryChannel kEmailChannel{"claim", "failed", "sent"};
inline constexpr DeliveryChannel kDigestChannel{"digest_claim", "digest_failed", "digested"};

struct DeliveryPolicy {
  Instant lease = 10 * 60;   // seconds: a claim older than this was interrupted
  Instant retry_after = 60;  // seconds after the first failure, doubled after each
  int max_attempts = 5;
};

enum class DeliveryAction { kSend, kWait, kGiveUp, kDone };

struct DeliveryPlan {
  DeliveryAction action = DeliveryAction::kWait;
  int attempt = 0;  // the attempt to claim, for kSend
};

// The next step for one notification on `channel`, from its steps (any
// order) at `now`. Any final step ("sent", "skipped", "held", "gave_up" for
// email; "digested", "gave_up" for the digest) means kDone.
DeliveryPlan PlanDelivery(std::span<const DeliveryStep> steps, const DeliveryChannel& channel,
                          Instant now, const DeliveryPolicy& policy);

}  // namespace cairn
