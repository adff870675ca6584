#include "botapi/flood.h"

#include <algorithm>

namespace tgi::botapi {
namespace {

// Whole seconds until `at`, rounded up, at least 1.
int64_t RetryAfterSeconds(UnixMillis at, UnixMillis now) {
  return std::max<int64_t>(1, (at - now + 999) / 1000);
}

}  // namespace

UnixMillis FloodControl::Window::NextFree(int limit, UnixMillis period, UnixMillis now) const {
  if (static_cast<int>(sends.size()) < limit) return now;
  return std::max(now, sends.front() + period);
}

void FloodControl::Window::Add(int limit, UnixMillis now) {
  sends.push_back(now);
  while (static_cast<int>(sends.size()) > limit) sends.pop_front();
}

std::optional<int64_t> FloodControl::Admit(UserId bot, ChatId chat, bool group, UnixMillis now) {
  std::lock_guard lock(mu_);
  ChatState& c = chats_[ChatKey{bot.value, chat.value}];
  Window& total = bots_[bot];
  // The bucket lets a message through while it is at most kChatBurst - 1 intervals ahead.
  constexpr UnixMillis kTolerance = (kChatBurst - 1) * kChatIntervalMs;
  UnixMillis free_at = std::max(now, c.theoretical_arrival - kTolerance);
  if (group) free_at = std::max(free_at, c.group.NextFree(kGroupMessages, kGroupPeriodMs, now));
  free_at = std::max(free_at, total.NextFree(kBotMessages, kBotPeriodMs, now));
  if (free_at > now) return RetryAfterSeconds(free_at, now);
  c.theoretical_arrival = std::max(c.theoretical_arrival, now) + kChatIntervalMs;
  if (group) c.group.Add(kGroupMessages, now);
  total.Add(kBotMessages, now);
  if (chats_.size() > prune_above_) Prune(now);
  return std::nullopt;
}

void FloodControl::Prune(UnixMillis now) {
  std::erase_if(chats_, [now](const auto& entry) {
    const ChatState& c = entry.second;
    bool bucket_full = c.theoretical_arrival <= now;
    bool window_empty = c.group.sends.empty() || c.group.sends.back() + kGroupPeriodMs <= now;
    return bucket_full && window_empty;
  });
  // Keep pruning cheap: next time only when the table has doubled from what is left.
  prune_above_ = std::max<size_t>(1024, 2 * chats_.size());
}

}  // namespace tgi::botapi
