// The reference server's guards against bots that call it in a busy loop (telegram-bot-api's
// Client.cpp), per bot:
//   - getUpdates (process_get_updates_query): a call with the same offset as the previous one,
//     started less than 3 s after it, waits at least 3 s for updates (its timeout is raised to
//     3); started less than 0.5 s after it, it gets at most 1 update;
//   - setWebhook with a URL (process_set_webhook_query): less than 1 s after the last one that
//     passed this check, it is answered "429 Too Many Requests: retry after 1";
//   - 409 Conflict answers (fail_query_conflict): one is answered at once, and for the next 3 s
//     every other one is held back 3 s before it is answered.
//
// Named decision: the windows are measured on the server's clock in milliseconds
// (app::Engine::NowMillis: real time plus the control plane's offset; with --frozen-clock only
// the offset moves), where the reference uses its monotonic time, so that tests can step over a
// window with POST /control/v1/clock instead of waiting. The waits themselves (the 3 s of a
// stretched getUpdates and of a held-back 409) are real time, as in the reference. The state is
// in memory only, as the reference's: a restart forgets it. Several instances on one database
// share it (domain::SharedEntry): each call given a Mutation adds the bot's new state to it, and
// ApplyShared takes in another instance's, so a bot meets the same guards whichever instance
// answers it.
//
// Thread-safe: every member takes the object's own lock.
#pragma once

#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/ids.h"
#include "domain/store.h"

namespace tgi::botapi {

class Guards {
 public:
  static constexpr UnixMillis kStretchWindowMs = 3000;     // the same offset within 3 s...
  static constexpr int kStretchedTimeoutSeconds = 3;       // ... waits at least 3 s
  static constexpr UnixMillis kLimitOneWindowMs = 500;     // within 0.5 s: limit=1
  static constexpr UnixMillis kSetWebhookWindowMs = 1000;  // setWebhook: once a second
  static constexpr UnixMillis kConflictHoldMs = 3000;      // 409s: one per 3 s answered at once

  struct Poll {
    int timeout_seconds;
    int limit;
  };

  // In each call, `shared` (cluster mode; else null) gets the bot's state if the call changed it.

  // A getUpdates call of `bot` with these parameters, starting at `now`: returns the timeout and
  // limit it runs with, and remembers its offset and start.
  Poll StartGetUpdates(UserId bot, int32_t offset, int timeout_seconds, int limit, UnixMillis now,
                       domain::Mutation* shared = nullptr);

  // A setWebhook call of `bot` with a non-empty URL at `now`: false when it is to be answered
  // 429 (retry after 1); true when it may go on, which closes the window for the next second.
  bool AllowSetWebhook(UserId bot, UnixMillis now, domain::Mutation* shared = nullptr);

  // A 409 Conflict for `bot` is ready at `now`: true when it is answered at once (and the next
  // 3 s start), false when it is to be held back kConflictHoldMs first.
  bool AnswerConflictNow(UserId bot, UnixMillis now, domain::Mutation* shared = nullptr);

  // The keys of the guards' shared entries start with this.
  static constexpr std::string_view kSharedPrefix = "guards/";
  // Takes in a shared entry another instance wrote (its key starts with kSharedPrefix). Returns
  // false, changing nothing, for an entry it cannot read.
  bool ApplyShared(std::string_view key, std::string_view value);

 private:
  struct BotState {
    int32_t previous_offset = -1;  // as the reference's previous_get_updates_offset_
    // The reference starts it 100 s in the past, so the first call is never stretched.
    bool polled = false;
    UnixMillis previous_start = 0;
    UnixMillis next_set_webhook = 0;
    UnixMillis next_conflict = 0;
    bool operator==(const BotState&) const = default;
  };

  // Adds `bot`'s state `s` to `shared`, if given. REQUIRES: mu_ held.
  static void ShareLocked(UserId bot, const BotState& s, domain::Mutation* shared);

  std::mutex mu_;  // guards bots_
  std::unordered_map<UserId, BotState> bots_;
};

}  // namespace tgi::botapi
