// The engine: the one place where the in-memory world, its lock and the durable store meet.
//
// A request runs as a function over the World under one lock (the World's rules are fast and
// pure), and what it changed goes to the Store as one Mutation. The request's continuation runs
// only when everything the request could have seen is durable: its own change, or, for a request
// that only read, every change submitted before it. So no answer ever shows state that a crash
// could take back. The store commits queued mutations together (group commit), so waiting costs
// one fsync per batch, not per request.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "domain/store.h"
#include "domain/world.h"

namespace tgi::app {

class EventHub;

class Engine {
 public:
  // Runs under the world lock. May read and change the world; changes go into `m`.
  using Work = std::function<void(domain::World& world, domain::Mutation& m, UnixTime now)>;
  // Runs once what Work saw is durable (ok), or the store failed (error). On any thread; must
  // not block and must not call back into the Engine synchronously.
  using Then = std::function<void(Status)>;

  Engine(domain::Store& store, const Clock& clock, domain::World::HashSource hashes);
  // Cluster mode: one of several instances on one database (domain::ClusterStore). Every Run
  // is queued for the round thread (started by Start), which runs the queued works in rounds:
  // the cluster's write lock taken, the world brought up to the other instances' changes
  // (World::Replay), the works run, their changes committed as one change, then the Thens. A
  // notice thread catches the world up between rounds when another instance commits (and at
  // least every second), waking long polls for replayed updates. A failed round fails its
  // requests only: the world is reloaded from the database before the next round, and the
  // engine never enters the failed state (PostgreSQL may come back).
  Engine(domain::ClusterStore& cluster, const Clock& clock, domain::World::HashSource hashes);
  // Stop() if not yet stopped.
  ~Engine();
  // Cluster mode: runs what is queued, then stops the round and notice threads; a Run after it
  // fails at once. Call it while what the queued Thens call still exists. Nothing otherwise.
  void Stop();

  // How updates are encoded (botapi::EncodeUpdate). Set before Start.
  void SetUpdateEncoder(domain::UpdateEncoder encoder) { encoder_ = std::move(encoder); }
  // The clock stands still but for the control plane's offset (--frozen-clock). Cluster mode:
  // an instance that starts while others live then takes the cluster's time (the latest a round
  // used) as its own, so that every instance's clock stands at the same time (each would stand
  // at its own start-up otherwise, and the max rule of rounds would make the time depend on
  // which instance answers). Set before Start.
  void SetClockStandsStill() { clock_stands_still_ = true; }
  // World::SetQuietJoinsAbove (0: never). Set before Start.
  void SetQuietJoinsAbove(int64_t members) { quiet_joins_above_ = members; }
  // World::SetMaxQueuedUpdates. Set before Start.
  void SetMaxQueuedUpdates(size_t updates) { max_queued_updates_ = updates; }
  // Called with the bots that received new updates, once those updates are durable, on the
  // store's thread. Must not block. Set before Start.
  void SetUpdatesHook(std::function<void(const std::vector<UserId>&)> hook) {
    updates_hook_ = std::move(hook);
  }

  // Where the events of durable changes go (GET /control/v1/events). While it has no
  // subscriber, no event is made. Must outlive the Engine. Set before Start.
  void SetEventHub(EventHub* events) { events_ = events; }

  // Cluster mode: what other instances do that this one must act on. Set before Start.
  struct ClusterHooks {
    // Another instance's Broadcast, on the notice thread. Must not block.
    std::function<void(const std::string& message)> message;
    // Another instance set, changed or deleted the bot's webhook, or dropped pending updates of
    // a bot with a webhook (seen when its change was replayed here; webhook_set: a setWebhook
    // with a URL, which ends a waiting poll). The one way the sender here learns of it: each
    // change is reported once, so a delivery started since is not cut off again. Must not
    // block.
    std::function<void(UserId bot, bool webhook_set)> webhook_changed;
    // This instance took (true) or lost (false) the cluster's webhook delivery lease: it alone
    // delivers webhooks while it holds it. Called on the notice thread; must not block.
    std::function<void(bool deliver)> delivery;
  };
  // Cluster mode: the delivery lease's term; it is renewed every third of it. A holder that
  // cannot renew it stops delivering once the term it last got has run out.
  static constexpr std::chrono::seconds kDeliveryLease{9};
  void SetClusterHooks(ClusterHooks hooks) { cluster_hooks_ = std::move(hooks); }
  // Cluster mode: takes in the shared entries (domain::SharedEntry) whose key starts with
  // `prefix`: those another instance wrote, and every one in the database when the world is
  // loaded; before any request that could see them runs, on the round thread. Returns false for
  // an entry it cannot read (logged). Must not block. A Work shares an entry by adding it to its
  // Mutation's `shared`. One handler a prefix, none a prefix of another; the world's own
  // (domain::World::kSharedWebhookPrefix) are the engine's. Thread-safe; a handler registered
  // after Start misses the entries loaded with the world.
  using SharedHandler = std::function<bool(std::string_view key, std::string_view value)>;
  void HandleShared(std::string prefix, SharedHandler handler);
  // Cluster mode: sends `message` to the other instances' ClusterHooks::message. Best effort;
  // does nothing for one instance. Thread-safe, non-blocking.
  void Broadcast(std::string message);
  bool clustered() const { return cluster_ != nullptr; }

  // Loads the world from the store. Call once, before Run.
  Status Start();

  // Thread-safe.
  void Run(Work work, Then then);

  // Runs `work` and waits for it to be durable. For start-up and tests, never on an I/O thread.
  Status RunAndWait(Work work);

  // True once a store write failed: the server can no longer promise durability and should stop.
  bool failed() const;
  // Called once, on the store's thread, when a write fails. Set before Start.
  void SetFailureHook(std::function<void()> hook) { failure_hook_ = std::move(hook); }

  // The world's time: the clock plus the control plane's offset, never going back.
  UnixTime Now();
  // The same in milliseconds (Now() == NowMillis() / 1000), for the Bot API's guards and flood
  // control, whose windows are shorter than a second.
  UnixMillis NowMillis();
  // NowMillis() as read by the Work running now. REQUIRES: called from inside a Work (under the
  // world lock), where NowMillis() would deadlock.
  UnixMillis NowMillisInWork() const { return last_now_ms_; }

 private:
  void OnDurable(uint64_t seq, Status status);
  // Adds to `then` what follows a durable change `m`: the updates hook for bots with new
  // updates, and the events of `m`.
  Then WithHooks(const domain::Mutation& m, Then then);
  std::unique_ptr<domain::World> MakeWorld(domain::WorldState state) const;

  // Cluster mode.
  struct Queued {
    Work work;
    Then then;
  };
  void RunInCluster(Work work, Then then);
  void RoundLoop();
  void NoticeLoop();
  // Round thread: runs `items` in one round.
  void RunRound(std::vector<Queued>& items);
  // Round thread: replays `replay` (changes up to `last`) under the world lock; returns what
  // follows it (wakes and events), to be called after the lock is released.
  std::function<void()> Replay(domain::Mutation replay, uint64_t last);
  // Round thread: reloads the world if a failed round left it ahead of the database.
  Status ReloadIfStale();
  // Round thread: takes in shared entries: the world's (World::ApplyShared), the rest through
  // their prefix's handler (HandleShared).
  void ApplyShared(const std::vector<domain::SharedEntry>& entries);

  domain::Store* store_ = nullptr;
  domain::ClusterStore* cluster_ = nullptr;
  ClusterHooks cluster_hooks_;
  std::mutex shared_mu_;  // guards shared_handlers_
  std::vector<std::pair<std::string, SharedHandler>> shared_handlers_;
  const Clock& clock_;
  domain::World::HashSource hashes_;
  std::function<void()> failure_hook_;
  domain::UpdateEncoder encoder_;
  int64_t quiet_joins_above_ = 0;
  size_t max_queued_updates_ = domain::World::kMaxQueuedUpdates;
  std::function<void(const std::vector<UserId>&)> updates_hook_;
  EventHub* events_ = nullptr;
  UnixMillis last_now_ms_ = 0;  // guarded by world_mu_
  bool clock_stands_still_ = false;
  // Added to clock_'s time (SetClockStandsStill); set in Start, before any thread reads it.
  UnixMillis clock_adjust_ms_ = 0;

  UnixTime NowLocked();

  std::mutex world_mu_;  // guards world_ and submitted_
  std::unique_ptr<domain::World> world_;
  uint64_t submitted_ = 0;  // sequence number of the last submitted mutation

  mutable std::mutex durable_mu_;  // guards the fields below
  uint64_t durable_ = 0;           // every mutation up to this one is durable
  bool failed_ = false;
  Error failure_;
  // Continuations waiting for a sequence number, in the order registered. Registration happens
  // under the world lock, from submitted_, so the sequence numbers never decrease along it.
  std::deque<std::pair<uint64_t, Then>> waiters_;

  // Cluster mode: the round queue and its threads.
  std::mutex rounds_mu_;
  std::condition_variable rounds_cv_;
  std::deque<Queued> round_queue_;  // guarded by rounds_mu_
  bool catch_up_wanted_ = false;    // guarded by rounds_mu_
  bool rounds_stopping_ = false;    // guarded by rounds_mu_
  std::atomic<bool> notices_stopping_{false};
  uint64_t applied_ = 0;      // round thread: the newest change the world holds
  bool world_stale_ = false;  // round thread: a failed round left changes not in the database
  std::thread round_thread_;
  std::thread notice_thread_;
};

}  // namespace tgi::app
