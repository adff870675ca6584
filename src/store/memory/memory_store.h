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
//     (bot, id) is not already stored (updates are only inserted);
//   - a message has an id >= 1 and a nonzero chat; a private chat's message (chat > 0) has a
//     positive bot, a group's, supergroup's or channel's (chat < 0) has bot 0; its kind is one
//     of MessageKind's; its flags are any uint32 (bits not yet named included); its sender,
//     reply_to, forward_from and forward_from_message_id are not negative, forward_from_chat not
//     positive, edit_date not negative; its entities have known types (below
//     text::EntityType::kCount: not a CHECK but what SqliteStore's blobs can hold, refused when
//     it encodes them, store/sqlite/message_blobs.h);
//   - a private chat has a positive user and bot, and contact_until is not negative;
//   - a callback query has an id >= 1, a positive bot and sender, a nonzero chat, a message id
//     >= 1, a cache_time that is not negative, and no answer (text, alert, URL, cache_time)
//     until it is answered;
//   - a bot profile entry has a positive bot and a non-empty key, also when its empty value
//     removes the entry (SqliteStore checks that before its DELETE, which no CHECK guards);
//     removing an entry that is not there does nothing;
//   - a sender chat ban has a negative chat and sender chat, also when it is lifted; lifting a
//     ban that is not there does nothing.
// Messages are upserted on (chat, bot, id) and keep the place of their first version;
// callback queries are upserted on id, private chats on (user, bot), profile entries on
// (bot, key), sender chat bans on (chat, sender chat).
// A mutation that breaks one fails whole: nothing of it is applied. Nothing is durable.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
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
  // recorded, bot update settings by bot, updates by (bot, id), messages in the order they were
  // first stored (each in its latest state), private chats by (user, bot), callback queries by
  // id, bot profile entries by (bot, key) (keys compared bytewise), sender chat bans by (chat,
  // sender chat).
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
  using MemberKey = std::pair<int64_t, int64_t>;       // chat, user
  using OwnerKey = std::pair<int64_t, int64_t>;        // chat, creator
  using UpdateKey = std::pair<int64_t, int64_t>;       // bot, update id
  using PrivateChatKey = std::pair<int64_t, int64_t>;  // user, bot
  using ProfileKey = std::pair<int64_t, std::string>;  // bot, key
  struct MessageKey {
    int64_t chat = 0, bot = 0, id = 0;
    bool operator==(const MessageKey&) const = default;
  };
  struct MessageKeyHash {
    size_t operator()(const MessageKey& k) const noexcept;
  };

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
      kMessage,
      kPrivateChat,
      kCallbackQuery,
      kBotProfile,
      kSenderChatBan,
    } kind;
    int64_t id = 0;        // bot, user, chat, bot settings, callback query
    MemberKey member{};    // member, join request, private chat (user, bot), sender chat ban
    std::string hash{};    // link
    UpdateKey update{};    // update
    MessageKey message{};  // message
    ProfileKey profile{};  // bot profile entry
    // The record before the op; null: the op inserted a new one. On the heap, so that an Undo
    // stays small now that Op holds messages (and GCC 12's ASan build sees no uninitialized
    // variant index when a disengaged optional<Op> is moved).
    std::unique_ptr<domain::Op> previous{};
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
  Status ApplyMessage(const domain::Message& message, std::vector<Undo>& undo);
  Status ApplyPrivateChat(const domain::PrivateChat& chat, std::vector<Undo>& undo);
  Status ApplyCallbackQuery(const domain::CallbackQuery& query, std::vector<Undo>& undo);
  Status ApplyBotProfile(const domain::BotProfileEntry& entry, std::vector<Undo>& undo);
  Status ApplySenderChatBan(const domain::SenderChatBan& ban, std::vector<Undo>& undo);
  void Revert(Undo& undo);

  // Replace or insert, keeping the secondary indexes in step. No checks.
  void PutChat(domain::Chat chat);
  void EraseChat(int64_t id);
  void PutLink(domain::InviteLink link);
  void PopLastLink();
  void PopLastMessage();

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
  std::vector<domain::Message> messages_;  // in the order first stored
  std::unordered_map<MessageKey, size_t, MessageKeyHash> message_index_;  // -> in messages_
  std::map<PrivateChatKey, domain::PrivateChat> private_chats_;
  std::map<int64_t, domain::CallbackQuery> callback_queries_;
  std::map<ProfileKey, std::string> bot_profile_;            // never an empty value
  std::set<MemberKey> sender_chat_bans_;                     // (chat, sender chat), banned only
  std::unordered_map<std::string, int64_t> username_owner_;  // ASCII-lowercased -> chat id
  std::map<OwnerKey, std::string> active_primary_;           // -> hash
  std::optional<std::string> fail_next_;
  size_t applied_ = 0;
};

}  // namespace tgi::store
