// Flood control for messages (spec bot-api-messages.md 10, bot-api-moderation.md 11.1), off by
// default and switched on with --flood-control, so that bots can test their own pacing. The
// documented limits, per bot:
//   - in one chat, about one message per second, short bursts allowed: a token bucket of 3
//     messages refilled at one per second;
//   - in a group (basic group or supergroup), at most 20 messages in any 60 s;
//   - in total, at most 30 messages in any second.
// A message over any of them is refused with "429 Too Many Requests: retry after N", N the
// whole seconds (rounded up, at least 1) until every limit it hit lets it through, and does not
// count.
//
// Named decisions (the numbers beyond the documented ones are the spec's suggestion, [inf]):
// the burst of 3 in one chat; sliding windows for the group and total limits ("at most N per
// period" read literally); channels have the per-chat limit only; what counts is a message a bot
// sends (sendMessage, forwardMessage, copyMessage), checked after every other check of the
// method, so a call that fails for another reason neither counts nor gets a 429; time is the
// server's clock in milliseconds (real time plus the control plane's offset), so a test can lift
// a limit with POST /control/v1/clock. Several instances on one database share the counters
// (domain::SharedEntry), as Guards does.
//
// Thread-safe: Admit takes the object's own lock.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/clock.h"
#include "common/ids.h"
#include "domain/store.h"

namespace tgi::botapi {

class FloodControl {
 public:
  static constexpr UnixMillis kChatIntervalMs = 1000;  // one message per second in a chat
  static constexpr int kChatBurst = 3;
  static constexpr int kGroupMessages = 20;  // per minute in a group
  static constexpr UnixMillis kGroupPeriodMs = 60000;
  static constexpr int kBotMessages = 30;  // per second in total
  static constexpr UnixMillis kBotPeriodMs = 1000;

  // A message `bot` is about to send to `chat` (`group`: a basic group or supergroup) at `now`.
  // nullopt: it may, and it is counted. Otherwise the retry_after to answer, in seconds (>= 1);
  // nothing is counted. `shared` (cluster mode; else null) gets what a counted message changed.
  std::optional<int64_t> Admit(UserId bot, ChatId chat, bool group, UnixMillis now,
                               domain::Mutation* shared = nullptr);

  // The keys of flood control's shared entries start with this: "flood/<bot>" for the bot's
  // total, "flood/<bot>/<chat>" for one chat's limits.
  static constexpr std::string_view kSharedPrefix = "flood/";
  // Takes in a shared entry another instance wrote. Returns false, changing nothing, for an
  // entry it cannot read.
  bool ApplyShared(std::string_view key, std::string_view value);

 private:
  // The last sends, oldest first, at most `limit` of them.
  struct Window {
    std::deque<UnixMillis> sends;
    // When one more send fits: now, or when the oldest of the last `limit` leaves the period.
    UnixMillis NextFree(int limit, UnixMillis period, UnixMillis now) const;
    void Add(int limit, UnixMillis now);
  };
  struct ChatState {
    // Generic cell rate algorithm: the time at which the bucket would be full again.
    UnixMillis theoretical_arrival = 0;
    Window group;
  };
  using ChatKey = std::pair<int64_t, int64_t>;  // bot, chat
  struct KeyHash {
    size_t operator()(const ChatKey& k) const noexcept {
      return std::hash<int64_t>{}(k.first) * 1000003u ^ std::hash<int64_t>{}(k.second);
    }
  };

  // Forgets chats whose limits no longer hold anything back, when there are many.
  void Prune(UnixMillis now);

  std::mutex mu_;  // guards what follows
  std::unordered_map<ChatKey, ChatState, KeyHash> chats_;
  std::unordered_map<UserId, Window> bots_;
  size_t prune_above_ = 1024;
};

}  // namespace tgi::botapi
