#include "botapi/guards.h"

#include <string>

#include "common/shared_codec.h"

namespace tgi::botapi {

void Guards::ShareLocked(UserId bot, const BotState& s, domain::Mutation* shared) {
  if (shared == nullptr) return;
  shared->shared.push_back(domain::SharedEntry{
      .key = std::string(kSharedPrefix) + std::to_string(bot.value),
      .value = shared_codec::Ints({s.previous_offset, s.polled ? 1 : 0, s.previous_start,
                                   s.next_set_webhook, s.next_conflict})});
}

bool Guards::ApplyShared(std::string_view key, std::string_view value) {
  if (!key.starts_with(kSharedPrefix)) return false;
  auto ids = shared_codec::ParseKeyIds(key.substr(kSharedPrefix.size()));
  auto fields = shared_codec::ParseInts(value);
  if (!ids || ids->size() != 1 || !fields || fields->size() != 5) return false;
  const auto& f = *fields;
  std::lock_guard lock(mu_);
  BotState& s = bots_[UserId((*ids)[0])];
  s.previous_offset = static_cast<int32_t>(f[0]);
  s.polled = f[1] != 0;
  s.previous_start = f[2];
  s.next_set_webhook = f[3];
  s.next_conflict = f[4];
  return true;
}

Guards::Poll Guards::StartGetUpdates(UserId bot, int32_t offset, int timeout_seconds, int limit,
                                     UnixMillis now, domain::Mutation* shared) {
  std::lock_guard lock(mu_);
  BotState& s = bots_[bot];
  const BotState before = s;
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
  // The hot path of long polling in cluster mode: a call that leaves the state as it was (the
  // same offset in the same millisecond, or with the clock standing still) shares nothing, as
  // every instance already holds that state (each change is shared in the round that makes it).
  if (s != before) ShareLocked(bot, s, shared);
  return Poll{.timeout_seconds = timeout_seconds, .limit = limit};
}

bool Guards::AllowSetWebhook(UserId bot, UnixMillis now, domain::Mutation* shared) {
  std::lock_guard lock(mu_);
  BotState& s = bots_[bot];
  if (now < s.next_set_webhook) return false;
  s.next_set_webhook = now + kSetWebhookWindowMs;
  ShareLocked(bot, s, shared);
  return true;
}

bool Guards::AnswerConflictNow(UserId bot, UnixMillis now, domain::Mutation* shared) {
  std::lock_guard lock(mu_);
  BotState& s = bots_[bot];
  if (now < s.next_conflict) return false;
  // Only a conflict answered at once moves the window (Client::fail_query_conflict).
  s.next_conflict = now + kConflictHoldMs;
  ShareLocked(bot, s, shared);
  return true;
}

}  // namespace tgi::botapi
