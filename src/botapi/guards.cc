#include "botapi/guards.h"

namespace tgi::botapi {

Guards::Poll Guards::StartGetUpdates(UserId bot, int32_t offset, int timeout_seconds, int limit,
                                     UnixMillis now) {
  std::lock_guard lock(mu_);
  BotState& s = bots_[bot];
  const bool same = s.polled && offset == s.previous_offset;
  // A bot that polls in a loop without long polling, or without confirming what it got, is made
  // to wait (Client::process_get_updates_query).
  if (same && timeout_seconds < kStretchedTimeoutSeconds &&
      now < s.previous_start + kStretchWindowMs)
    timeout_seconds = kStretchedTimeoutSeconds;
  if (same && now < s.previous_start + kLimitOneWindowMs) limit = 1;
  s.polled = true;
  s.previous_offset = offset;
  s.previous_start = now;
  return Poll{.timeout_seconds = timeout_seconds, .limit = limit};
}

bool Guards::AllowSetWebhook(UserId bot, UnixMillis now) {
  std::lock_guard lock(mu_);
  BotState& s = bots_[bot];
  if (now < s.next_set_webhook) return false;
  s.next_set_webhook = now + kSetWebhookWindowMs;
  return true;
}

bool Guards::AnswerConflictNow(UserId bot, UnixMillis now) {
  std::lock_guard lock(mu_);
  BotState& s = bots_[bot];
  if (now < s.next_conflict) return false;
  // Only a conflict answered at once moves the window (Client::fail_query_conflict).
  s.next_conflict = now + kConflictHoldMs;
  return true;
}

}  // namespace tgi::botapi
