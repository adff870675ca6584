// Faults set through the control plane (docs/control-api.md, "Faults"): the next N calls of a
// method by a bot are answered with an error (by default 429 Too Many Requests) instead of
// running, so that tests of bots and client libraries can meet errors on demand.
//
// Named decision: faults are test-time state, not world state. They live in memory only, are
// never written to the store, and are gone after a restart. Several instances on one database
// share them (domain::SharedEntry, not durable either): each change given a Mutation adds the
// changed (bot, method) entries to it, and ApplyShared takes in another instance's.
//
// Thread-safe. Take() costs one atomic load while no fault is set, so the Bot API's fast path
// (getMe, ...) does not pay for the feature.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "botapi/errors.h"
#include "common/ids.h"
#include "domain/store.h"

namespace tgi::botapi {

class Faults {
 public:
  // The method name that stands for every method of the bot.
  static constexpr std::string_view kAnyMethod = "*";

  struct Entry {
    UserId bot;
    std::string method;  // as given to Set: a method's documented name, or "*"
    int64_t remaining = 0;
    ApiError error;
  };

  // Sets the fault for (bot, method), replacing one already set for them. `method` is matched
  // case-insensitively; "*" matches every method. REQUIRES: remaining >= 1.
  // In this and the calls below, `shared` (cluster mode; else null) gets what changed.
  void Set(UserId bot, std::string_view method, int64_t remaining, ApiError error,
           domain::Mutation* shared = nullptr);

  // When a fault is pending for (bot, method), or else for (bot, "*"), uses one call of it
  // (removing it when none is left) and returns it: `error` is the answer, `remaining` what is
  // left after this call. Otherwise nullopt.
  std::optional<Entry> Take(UserId bot, std::string_view method,
                            domain::Mutation* shared = nullptr) {
    if (pending_.load(std::memory_order_acquire) == 0) return std::nullopt;
    return TakeSlow(bot, method, shared);
  }

  // Every pending fault, by bot id, then by method name (lowercased; "*" first).
  std::vector<Entry> List() const;

  // Removes every fault (of one bot); returns how many there were.
  size_t Clear(domain::Mutation* shared = nullptr);
  size_t Clear(UserId bot, domain::Mutation* shared = nullptr);

  // The keys of the faults' shared entries start with this: "faults/<bot>/<method, lowercased>".
  static constexpr std::string_view kSharedPrefix = "faults/";
  // Takes in a shared entry another instance wrote (an empty value: the fault is gone). Returns
  // false, changing nothing, for an entry it cannot read.
  bool ApplyShared(std::string_view key, std::string_view value);

 private:
  using Key = std::pair<int64_t, std::string>;  // bot id, lowercased method name

  std::optional<Entry> TakeSlow(UserId bot, std::string_view method, domain::Mutation* shared);
  // Adds the entry of `key` to `shared` (if given): `entry`, or none (empty) when null.
  static void Share(const Key& key, const Entry* entry, domain::Mutation* shared);
  void UpdatePendingLocked() { pending_.store(table_.size(), std::memory_order_release); }

  mutable std::mutex mu_;  // guards table_
  std::map<Key, Entry> table_;
  std::atomic<size_t> pending_{0};  // table_.size(), readable without the lock
};

}  // namespace tgi::botapi
