// Long polling (spec 5.4): getUpdates calls that found nothing wait here, one per bot, until an
// update for their bot is durable, their timeout ends, a newer getUpdates or a setWebhook ends
// them, or the server stops.
//
// Lost wake-ups are avoided with a per-bot sequence number: a caller reads Seq(bot) while it
// looks at the queue (under the world lock), and Wait() wakes it at once if Notify() ran since.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/ids.h"

namespace tgi::app {

class LongPollHub {
 public:
  enum class Wake { kUpdates, kTimeout, kReplaced, kWebhookSet, kStopping };
  using Callback = std::function<void(Wake)>;
  using Deadline = std::chrono::steady_clock::time_point;
  // One getUpdates' wait: when it began (its first parking: a wait woken for nothing the bot can
  // see parks again with the same window) and when it times out.
  struct Window {
    Deadline since;
    Deadline deadline;
  };

  LongPollHub();
  ~LongPollHub();
  LongPollHub(const LongPollHub&) = delete;
  LongPollHub& operator=(const LongPollHub&) = delete;

  // Called with the bot each time a getUpdates parks (in Wait, not under the hub's lock): in
  // cluster mode, so that the other instances end their parked poll for the bot (409). Set
  // before the first Wait.
  void SetParkHook(std::function<void(UserId)> hook) { park_hook_ = std::move(hook); }

  // How many times Notify() named `bot`. Thread-safe.
  uint64_t Seq(UserId bot) const;
  // getUpdates calls parked now. Thread-safe.
  size_t waiting() const;
  // Parks `callback` for `bot` until `window.deadline`. Wakes it at once (kUpdates) if Notify()
  // named the bot since `seen_seq` was read, or (kStopping) after Stop(). A waiter already parked
  // for the bot is woken with kReplaced. The callback runs exactly once, on the hub's thread or the
  // caller's, never under the hub's lock.
  void Wait(UserId bot, uint64_t seen_seq, Window window, Callback callback);
  // The window of the bot's parked waiter, if one is parked now; nullopt while a woken one runs
  // getUpdates again. Else the window SetRemote gave, until its deadline. For observers (the
  // control plane), not for deciding anything. Thread-safe.
  std::optional<Window> Parked(UserId bot) const;
  // Cluster mode: the window of the bot's getUpdates parked on another instance, as that
  // instance shared it (nullopt: none is parked there now). Thread-safe.
  void SetRemote(UserId bot, std::optional<Window> window);
  // Wakes the waiters of these bots with kUpdates.
  void Notify(const std::vector<UserId>& bots);
  // Wakes the bot's waiter, if any, with `reason` (kWebhookSet).
  void Cancel(UserId bot, Wake reason);
  // Runs `task` once, at `at` (on the hub's thread), or at Stop() if that comes first, or at
  // once if the hub is stopped: a reply held back (the reference's 3 s hold-back of repeated
  // 409 Conflict answers). Never under the hub's lock.
  void After(Deadline at, std::function<void()> task);
  // Wakes every waiter with kStopping, and runs every task given to After; later Waits are
  // woken at once. Idempotent.
  void Stop();

 private:
  struct Waiter {
    uint64_t ticket = 0;
    Window window;
    Callback callback;
  };
  void TimerLoop();

  std::function<void(UserId)> park_hook_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<UserId, uint64_t> seq_;
  std::unordered_map<UserId, Waiter> waiters_;
  std::unordered_map<UserId, Window> remote_;               // SetRemote's
  std::multimap<Deadline, std::function<void()>> delayed_;  // After's tasks, by time
  uint64_t next_ticket_ = 1;
  bool stopping_ = false;
  bool exit_ = false;
  std::thread timer_;
};

}  // namespace tgi::app
