// The storage port: what the domain needs from a durable store, in the domain's terms.
// SQLite implements it today (src/store/sqlite), PostgreSQL next; src/store/memory is the
// in-memory fake for tests.
//
// The server keeps the whole world in memory and treats the store as its durable log: at start
// it loads everything (Load), and each change is submitted as one Mutation, applied atomically.
// A Mutation's callback runs only once the change is durable (fsync'd), which is what lets the
// server answer a request only after what it did is safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "domain/model.h"

namespace tgi::domain {

// Upserts: each carries the whole record; the store inserts it or replaces the one with the
// same key (bot/user: id; chat: id; member: chat+user; link: hash; join request: chat+user;
// bot update settings: bot; clock: the single row; message: chat+bot+id; private chat:
// user+bot; callback query: id; bot profile entry: bot+key, removed when its value is empty;
// sender chat ban: chat+sender_chat, removed when it is no longer banned).
// Joins and updates are only appended (update key: bot+id, never reused); DropUpdates deletes a
// bot's updates below an id.
using Op = std::variant<Bot, User, Chat, Member, InviteLink, Join, JoinRequest, ClockState,
                        BotUpdateSettings, Update, DropUpdates, Message, PrivateChat, CallbackQuery,
                        BotProfileEntry, SenderChatBan>;

// State that the instances of a cluster share besides the world (ClusterStore): one key's latest
// value, an empty value when it no longer holds anything. It is the Bot API's guards, flood
// control's counters and the control plane's faults, which one instance keeps in memory only
// (botapi::Guards, ...). Only a ClusterStore stores it, and not durably: a crash may lose it, as
// it loses one instance's memory. Stores write nothing for it.
struct SharedEntry {
  std::string key;
  std::string value;
  bool operator==(const SharedEntry&) const = default;
};

struct Mutation {
  std::vector<Op> ops;  // applied in this order, in one transaction
  // Cluster mode only (Engine::clustered): shared entries, in the order they changed.
  std::vector<SharedEntry> shared;
  bool empty() const { return ops.empty() && shared.empty(); }
};

struct WorldState {
  std::vector<Bot> bots;
  std::vector<User> users;
  std::vector<Chat> chats;
  std::vector<Member> members;
  std::vector<InviteLink> links;
  std::vector<Join> joins;  // in the order they were recorded
  std::vector<JoinRequest> join_requests;
  ClockState clock;
  std::vector<BotUpdateSettings> bot_settings;
  std::vector<Update> updates;  // ordered by (bot, id)
  // Each message's latest state, in the order the messages were first stored.
  std::vector<Message> messages;
  std::vector<PrivateChat> private_chats;
  std::vector<CallbackQuery> callback_queries;  // ordered by id
  std::vector<BotProfileEntry> bot_profile;     // no empty values
  std::vector<SenderChatBan> sender_chat_bans;  // banned only, ordered by (chat, sender_chat)
  // ClusterStore only: every shared entry, in no particular order.
  std::vector<SharedEntry> shared;
};

class Store {
 public:
  using Done = std::function<void(Status)>;

  virtual ~Store() = default;

  // Everything stored. Called once, before any Submit.
  virtual Result<WorldState> Load() = 0;

  // Queues `m` to be applied atomically. `done` runs exactly once, on a thread of the store's
  // choosing, after the mutation is durable (ok) or has failed (error; nothing of it applied).
  // Mutations are applied and their callbacks run in submission order. Thread-safe.
  // Implementations may commit several queued mutations in one transaction (group commit).
  virtual void Submit(Mutation m, Done done) = 0;

  // Blocks until every mutation submitted so far has been committed (or failed) and its
  // callback has run. Thread-safe.
  virtual void Flush() = 0;

  // Adds the store's own metrics (GET /metrics) to `out`: for SQLite, commit batch sizes, fsync
  // times and queue depths. Thread-safe; the default has none.
  virtual void WriteMetrics(metrics::TextWriter& out) const { (void)out; }
};

// The storage port of several instances on one database (PostgreSQL; docs/postgresql-design.md).
// Every instance keeps the whole world in memory, as with a Store. Writes run in rounds, one
// instance at a time: a round takes the cluster's write lock, first brings the instance's world
// up to every change the others committed, then runs its requests and commits what they changed
// as one numbered change. Changes are numbered 1, 2, 3, ... in commit order, without gaps.
// Not thread-safe, but for WaitForNotice: one thread (the engine's round thread) calls the rest.
class ClusterStore {
 public:
  // What other instances committed after some change: the records they wrote, each in its
  // latest state, and the rows they removed, as ops to replay in order (World::Replay); `last`
  // is the newest change included.
  struct Changes {
    uint64_t last = 0;
    Mutation replay;
    // The latest time a committed round used (Unix milliseconds, the world's time): a round
    // uses no earlier one, so the clock moves forward only across instances. BeginRound only.
    int64_t last_now_ms = 0;
  };

  virtual ~ClusterStore() = default;

  // Everything stored, and the newest change it holds in *last. *cluster_now_ms (if given): the
  // latest time a round used (Unix milliseconds, the world's), if another instance lived when
  // this one started; else 0.
  virtual Result<WorldState> LoadAll(uint64_t* last, int64_t* cluster_now_ms = nullptr) = 0;

  // Begins a round: takes the write lock (waiting while another instance holds it), then returns
  // the changes after `after` (the newest change this instance has).
  virtual Result<Changes> BeginRound(uint64_t after) = 0;
  // Ends the round: commits `m` as the next change, durably, with `now_ms`, the time the round
  // used, and releases the lock. Returns the newest change: the new one, or, if `m` is empty
  // (nothing is written), the round's. On an error the round is over too; nothing of `m` was
  // committed, unless the connection was lost while committing (the error says so).
  virtual Result<uint64_t> CommitRound(const Mutation& m, int64_t now_ms) = 0;

  // The changes after `after`, without the lock (an instance catching up between rounds).
  virtual Result<Changes> ChangesAfter(uint64_t after) = 0;

  // What came from other instances while WaitForNotice waited.
  struct Notices {
    // Another instance committed a change (or the notices' connection was lost, so some notice
    // may have been missed): the caller should catch up.
    bool changed = false;
    std::vector<std::string> messages;  // their Broadcasts, in the order sent
  };
  // Waits up to `timeout` for notices from other instances, returning early when one comes;
  // first sends what Broadcast queued. Not for two threads at once; thread-safe against the
  // other methods.
  virtual Notices WaitForNotice(std::chrono::milliseconds timeout) = 0;
  // Takes or renews the cluster's webhook delivery lease for `ttl`: true while this instance
  // holds it (it alone delivers webhooks). Call from the thread that calls WaitForNotice.
  virtual Result<bool> RenewDeliveryLease(std::chrono::seconds ttl) = 0;
  // Lets the lease go (at a clean stop), so that another instance takes it at once. Same thread.
  virtual void ReleaseDeliveryLease() = 0;

  // Queues `message` for every other instance (their WaitForNotice returns it). Best effort: an
  // instance not listening then never gets it. Thread-safe, non-blocking.
  virtual void Broadcast(std::string message) = 0;

  // Adds the store's own metrics to `out`. Thread-safe; the default has none.
  virtual void WriteMetrics(metrics::TextWriter& out) const { (void)out; }
};

}  // namespace tgi::domain
