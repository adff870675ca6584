// An in-memory Store: the fake that domain and server tests run on (as leveldb's helpers/memenv).
//
// It enforces the same invariants as the SQLite schema (src/store/sqlite/migrations/), checked
// op by op in the order a mutation lists them, as SQLite checks each statement:
//   - users and bots have positive ids, chats negative ones;
//   - a non-empty chat username is unique among chats, ignoring ASCII case;
//   - at most one active (not revoked) primary invite link per (chat, creator);
//   - a primary link has no name, expiry, member limit, join-request flag or subscription;
//   - a link has a non-empty hash, and its numbers are not negative; a member limit and
//     creates_join_request are not set together;
//   - a join request is decided (decided != 0) exactly when it is no longer pending;
//   - the clock's offset is not negative and never decreases;
//   - bot update settings: a positive bot id, next_update_id >= 1, max_connections in
//     1..100000;
//   - an update has a positive bot id and update id and a non-negative type, and its
//     (bot, id) is not already stored (updates are only inserted).
// A mutation that breaks one fails whole: nothing of it is applied. Nothing is durable.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/store.h"

namespace tgi::store {

class MemoryStore final : public domain::Store {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;
  ~MemoryStore() override = default;

  // Everything applied so far, in the order SqliteStore::Load uses: bots, users and chats by
  // id, members and join requests by (chat, user), links and joins in the order they were first
  // recorded, bot update settings by bot, updates by (bot, id).
  Result<domain::WorldState> Load() override;

  // Applies `m` and runs `done` before returning, on the calling thread. Submissions from several
  // threads are serialized; `done` runs under the store's (recursive) lock, so callbacks run in
  // the order the mutations were applied, and a callback may Submit again.
  void Submit(domain::Mutation m, Done done) override;

  // Returns once no Submit is running on another thread.
  void Flush() override;

  // Makes the next Submit fail with `message` without applying anything, to test how callers
  // handle a store error. Thread-safe.
  void FailNextSubmitForTesting(std::string message);

  // Number of mutations applied (ok) so far. Thread-safe.
  size_t applied_for_testing() const;

 private:
  using MemberKey = std::pair<int64_t, int64_t>;  // chat, user
  using OwnerKey = std::pair<int64_t, int64_t>;   // chat, creator
  using UpdateKey = std::pair<int64_t, int64_t>;  // bot, update id

  // What to restore if a later op of the same mutation fails.
  struct Undo {
    enum class Kind {
      kBot,
      kUser,
      kChat,
      kMember,
      kLink,
      kJoin,
      kJoinRequest,
      kClock,
      kBotSettings,
      kUpdate,
      kDropUpdates,
    } kind;
    int64_t id = 0;                         // bot, user, chat, bot settings
    MemberKey member{};                     // member, join request
    std::string hash{};                     // link
    UpdateKey update{};                     // update
    std::optional<domain::Op> previous{};   // nullopt: the op inserted a new record
    std::vector<domain::Update> dropped{};  // drop updates: what it removed
  };

  Status Apply(const domain::Op& op, std::vector<Undo>& undo);
  Status ApplyBot(const domain::Bot& bot, std::vector<Undo>& undo);
  Status ApplyUser(const domain::User& user, std::vector<Undo>& undo);
  Status ApplyChat(const domain::Chat& chat, std::vector<Undo>& undo);
  Status ApplyMember(const domain::Member& member, std::vector<Undo>& undo);
  Status ApplyLink(const domain::InviteLink& link, std::vector<Undo>& undo);
  Status ApplyJoin(const domain::Join& join, std::vector<Undo>& undo);
  Status ApplyJoinRequest(const domain::JoinRequest& request, std::vector<Undo>& undo);
  Status ApplyClock(const domain::ClockState& clock, std::vector<Undo>& undo);
  Status ApplyBotSettings(const domain::BotUpdateSettings& settings, std::vector<Undo>& undo);
  Status ApplyUpdate(const domain::Update& update, std::vector<Undo>& undo);
  Status ApplyDropUpdates(const domain::DropUpdates& drop, std::vector<Undo>& undo);
  void Revert(Undo& undo);

  // Replace or insert, keeping the secondary indexes in step. No checks.
  void PutChat(domain::Chat chat);
  void EraseChat(int64_t id);
  void PutLink(domain::InviteLink link);
  void PopLastLink();

  mutable std::recursive_mutex mu_;
  std::map<int64_t, domain::Bot> bots_;
  std::map<int64_t, domain::User> users_;
  std::map<int64_t, domain::Chat> chats_;
  std::map<MemberKey, domain::Member> members_;
  std::vector<domain::InviteLink> links_;               // in insertion order
  std::unordered_map<std::string, size_t> link_index_;  // hash -> position in links_
  std::vector<domain::Join> joins_;
  std::map<MemberKey, domain::JoinRequest> join_requests_;
  domain::ClockState clock_;
  std::map<int64_t, domain::BotUpdateSettings> bot_settings_;
  std::map<UpdateKey, domain::Update> updates_;
  std::unordered_map<std::string, int64_t> username_owner_;  // ASCII-lowercased -> chat id
  std::map<OwnerKey, std::string> active_primary_;           // -> hash
  std::optional<std::string> fail_next_;
  size_t applied_ = 0;
};

}  // namespace tgi::store
