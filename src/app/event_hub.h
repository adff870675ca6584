// The live event stream's fan-out (GET /control/v1/events, docs/control-api.md): small events
// naming what changed in the world, for pages that refetch it (the web console).
//
// Costs nothing without subscribers: the Engine asks HasSubscribers() (one atomic load) before it
// derives any event from a change. Each subscriber has a bounded queue of events not yet taken
// by its connection; a subscriber whose queue would overflow is dropped: its queue is freed and
// it gets one final "dropped" event, so a slow reader never grows memory or slows the others.
// Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/store.h"

namespace tgi::app {

struct Event {
  std::string kind;  // "member", "invite_link", "update", ... (also in `json`)
  std::string json;  // one JSON object, e.g. {"kind":"member","chat_id":-100...,"user_id":7}
  bool operator==(const Event&) const = default;
};

// The events a durable change produces, in the order of its records: one per record, without
// repeats (e.g. {"kind":"member","chat_id":C,"user_id":U}); a change of more than
// kEventsPerChangeLimit records (a world file) is one {"kind":"world"} event instead.
std::vector<Event> EventsOf(const domain::Mutation& m);
inline constexpr size_t kEventsPerChangeLimit = 256;

// One subscriber's queue.
class EventSubscription {
 public:
  // Receives a batch of events; an empty batch means the stream has ended.
  using Give = std::function<void(std::vector<Event>)>;

  explicit EventSubscription(size_t limit) : limit_(limit) {}

  // Asks for the next events. `give` is called once, from any thread (now, or later from the one
  // that publishes): with everything queued (at least one event), or, once the stream has ended,
  // with the queued events left, then its final event, then with an empty batch. One Pull at a
  // time.
  void Pull(Give give);

  // What Offer did with a batch.
  enum class Offered { kQueued, kOverflowed, kGone };
  // Queues `events`, or, when that would make more than `limit` queued events, frees the queue
  // and ends the stream with `dropped` (kOverflowed). kGone: already ended or cancelled.
  Offered Offer(const std::vector<Event>& events, const Event& dropped);
  // Ends the stream after the events already queued, with `last`.
  void End(const Event& last);
  // The reader went away: frees the queue; a pending `give` is forgotten.
  void Cancel();

 private:
  // Takes what a waiting Pull gets now, if anything; the caller calls `give` outside the lock.
  bool TakeLocked(Give& give, std::vector<Event>& batch);

  const size_t limit_;
  std::mutex mu_;
  std::vector<Event> queue_;
  Give waiting_;
  bool ended_ = false;
  bool final_sent_ = false;
  bool cancelled_ = false;
  Event final_;
};

class EventHub {
 public:
  // `queue_limit`: events a subscriber may have waiting before it is dropped.
  explicit EventHub(size_t queue_limit) : queue_limit_(queue_limit) {}

  // Lock-free; false means a change need not make events at all.
  bool HasSubscribers() const { return count_.load(std::memory_order_relaxed) > 0; }

  // A new subscriber whose first event is `first` (so that its reader knows when it is
  // subscribed), or null after Stop.
  std::shared_ptr<EventSubscription> Subscribe(const Event& first);
  // Forgets a subscriber whose reader went away (and cancels it).
  void Unsubscribe(const std::shared_ptr<EventSubscription>& s);

  // Offers `events` to every subscriber, in the order Publish is called; drops those that
  // overflow. Never blocks on a reader. Called once a change is durable.
  void Publish(const std::vector<Event>& events);

  // Ends every stream with `last` after what is queued, and refuses new subscribers.
  void Stop(const Event& last);

  struct Stats {
    size_t subscribers = 0;
    uint64_t dropped = 0;  // subscribers dropped for a full queue since the start
    bool operator==(const Stats&) const = default;
  };
  // This hub's.
  Stats stats() const;

  // Cluster mode: the other instances' hubs share their stats (domain::SharedEntry), so that
  // GET /control/v1/events/subscribers counts every instance's streams.
  // Called, outside the hub's lock, each time stats() changed. Set before the first Subscribe.
  void SetStatsHook(std::function<void()> hook) { stats_hook_ = std::move(hook); }
  // Another instance's stats (`instance` names it), or, nullopt, none.
  void SetRemoteStats(const std::string& instance, std::optional<Stats> stats);
  // The keys of the hubs' shared entries: "events/<instance>", "<subscribers> <dropped>".
  static constexpr std::string_view kSharedPrefix = "events/";
  // This hub's stats as the shared entry of `instance`.
  domain::SharedEntry SharedStats(const std::string& instance) const;
  // Takes in another instance's shared entry (SetRemoteStats). False, changing nothing, for one
  // it cannot read.
  bool ApplyShared(std::string_view key, std::string_view value);
  // stats() plus every other instance's.
  Stats ClusterStats() const;

 private:
  // REQUIRES: mu_ held. Returns whether stats() changed since the last call.
  bool Recount();
  void StatsChanged(bool changed) {
    if (changed && stats_hook_) stats_hook_();
  }

  const size_t queue_limit_;
  mutable std::mutex mu_;  // guards the fields below
  std::vector<std::shared_ptr<EventSubscription>> subscribers_;
  uint64_t dropped_ = 0;
  Stats counted_;                        // stats() at the last Recount
  std::map<std::string, Stats> remote_;  // SetRemoteStats'
  bool stopped_ = false;
  std::function<void()> stats_hook_;
  std::atomic<size_t> count_{0};
};

}  // namespace tgi::app
