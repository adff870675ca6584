#include "botapi/flood.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/shared_codec.h"

namespace tgi::botapi {
namespace {

// Whole seconds until `at`, rounded up, at least 1.
int64_t RetryAfterSeconds(UnixMillis at, UnixMillis now) {
  return std::max<int64_t>(1, (at - now + 999) / 1000);
}

std::vector<int64_t> Times(const std::deque<UnixMillis>& sends) {
  return std::vector<int64_t>(sends.begin(), sends.end());
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

std::optional<int64_t> FloodControl::Admit(UserId bot, ChatId chat, bool group, UnixMillis now,
                                           domain::Mutation* shared) {
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
  if (shared != nullptr) {
    // The chat's entry: the bucket's time, then the group window's sends.
    std::vector<int64_t> chat_state{c.theoretical_arrival};
    chat_state.insert(chat_state.end(), c.group.sends.begin(), c.group.sends.end());
    const std::string bot_key = std::string(kSharedPrefix) + std::to_string(bot.value);
    shared->shared.push_back(
        domain::SharedEntry{.key = bot_key, .value = shared_codec::Ints(Times(total.sends))});
    shared->shared.push_back(domain::SharedEntry{.key = bot_key + "/" + std::to_string(chat.value),
                                                 .value = shared_codec::Ints(chat_state)});
  }
  if (chats_.size() > prune_above_) Prune(now);
  return std::nullopt;
}

bool FloodControl::ApplyShared(std::string_view key, std::string_view value) {
  if (!key.starts_with(kSharedPrefix)) return false;
  auto ids = shared_codec::ParseKeyIds(key.substr(kSharedPrefix.size()));
  auto times = shared_codec::ParseInts(value);
  if (!ids || ids->empty() || ids->size() > 2 || !times) return false;
  std::lock_guard lock(mu_);
  if (ids->size() == 1) {
    if (times->size() > static_cast<size_t>(kBotMessages)) return false;
    bots_[UserId((*ids)[0])].sends.assign(times->begin(), times->end());
    return true;
  }
  if (times->empty() || times->size() > 1 + static_cast<size_t>(kGroupMessages)) return false;
  ChatState& c = chats_[ChatKey{(*ids)[0], (*ids)[1]}];
  c.theoretical_arrival = (*times)[0];
  c.group.sends.assign(times->begin() + 1, times->end());
  return true;
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
