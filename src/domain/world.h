// The rules of the simulated world: who may do what to which chat, and what changes when they do.
// Pure logic over in-memory state: no I/O, no locks, no clock of its own (callers pass `now`).
//
// Every method that changes the world also appends what it changed, as whole records, to the
// Mutation it is given; the caller hands that to the Store so the change becomes durable.
// Not thread-safe: the caller serializes access (app::Engine holds one lock around it).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "domain/errors.h"
#include "domain/model.h"
#include "domain/store.h"

namespace tginvite::domain {

// How a request names a chat: a Bot API id, or a public @username (stored without the '@').
struct ChatRef {
  std::optional<int64_t> id;
  std::string username;
};

// The chat a bot addressed: either a group/supergroup/channel, or a private chat with a user.
struct Target {
  const Chat* chat = nullptr;
  const User* user = nullptr;  // private chats
};

struct ChatView {
  Target target;
  std::string invite_link_hash;  // the bot's primary link, when it may have one; else empty
};

struct MemberView {
  const Chat* chat = nullptr;  // null for a private chat
  const User* user = nullptr;
  Member member;  // a synthesized `left` record for users who were never in the chat
};

struct LinkView {
  const InviteLink* link = nullptr;
  std::vector<const Join*> joins;
};

// A world file (see docs/control-api.md), parsed but not yet checked against the world.
struct WorldFile {
  struct BotEntry {
    Bot bot;
    User user;  // is_bot = true
  };
  struct ChatEntry {
    Chat chat;
    std::vector<Member> members;
  };
  std::vector<BotEntry> bots;
  std::vector<User> users;
  std::vector<ChatEntry> chats;
};

class World {
 public:
  // Makes the hash of a new invite link. Production: 16 cryptographically random base64url chars.
  using HashSource = std::function<std::string()>;

  World(WorldState state, HashSource hashes);

  // --- Lookups.
  const Bot* FindBot(UserId id) const;
  const User* FindUser(UserId id) const;
  const Chat* FindChat(ChatId id) const;
  const Member* FindMember(ChatId chat, UserId user) const;
  const InviteLink* FindLink(std::string_view hash) const;
  size_t chat_count() const { return chats_.size(); }

  // --- The Bot API, as bot `bot` (which must exist).

  // exportChatInviteLink: revokes the bot's active primary link in the chat and makes a new one.
  // Returns the new link's hash. Checks, in order: the chat resolves (spec 2.2.1), the bot has
  // write access (2.2.2), the bot may manage invite links (2.2.3).
  Result<std::string, DomainError> ExportPrimaryLink(UserId bot, const ChatRef& ref, UnixTime now,
                                                     Mutation& m);

  // getChat: read access (spec 4.1). Makes the bot's primary link if it may have one and has none.
  Result<ChatView, DomainError> GetChat(UserId bot, const ChatRef& ref, UnixTime now, Mutation& m);

  Result<MemberView, DomainError> GetChatMember(UserId bot, const ChatRef& ref, UserId user) const;
  // The creator first, then administrators. Other bots only with `return_bots`; the calling bot
  // always.
  Result<std::vector<MemberView>, DomainError> GetChatAdministrators(UserId bot, const ChatRef& ref,
                                                                     bool return_bots) const;
  Result<int, DomainError> GetChatMemberCount(UserId bot, const ChatRef& ref) const;

  // logOut: the bot answers "Logged out" from now on, until the control plane puts it again.
  void LogOut(UserId bot, Mutation& m);

  // Remembers when each bot first made a request since the server started (not persisted): the
  // Bot API's `close` is refused during a bot instance's first 10 minutes.
  void NoteRequest(UserId bot, UnixTime now);
  // Seconds until `close` is allowed for this bot, or 0 if it is allowed now.
  int64_t CloseRetryAfter(UserId bot, UnixTime now) const;
  // `close`: the bot instance ends; its next request launches it again.
  void Close(UserId bot) { launched_.erase(bot); }

  // --- The control plane. Errors are human-readable sentences for the person or test.

  // Checks the whole file against the world first and applies nothing if any part is wrong (the
  // error names the JSON path). Records equal to what is stored produce no ops.
  Status ApplyWorld(const WorldFile& file, UnixTime now, Mutation& m);
  Status PutBot(const Bot& bot, const User& user, Mutation& m);  // keeps logged_out cleared
  Status PutUser(const User& user, Mutation& m);
  Status PutChat(const Chat& chat, Mutation& m);
  Status PutMember(const Member& member, UnixTime now, Mutation& m);

  // A user joins through an invite link (given by its hash).
  Result<Join, DomainError> JoinByLink(UserId user, std::string_view hash, UnixTime now,
                                       Mutation& m);

  // Every link of the chat, oldest first, with the joins made through each.
  std::vector<LinkView> ListLinks(ChatId chat) const;

  // Upgrades basic group `group` to a new supergroup and returns the new chat's id.
  Result<ChatId, Error> Upgrade(ChatId group, std::optional<ChatId> new_id, UnixTime now,
                                Mutation& m);

  // Everything, as the store would hold it. For tests.
  WorldState SnapshotForTesting() const;

  // Bot API id ranges.
  static bool IsValidBasicGroupId(int64_t id) { return id < 0 && id > -1'000'000'000'000; }
  static bool IsValidChannelId(int64_t id) {
    return id < -1'000'000'000'000 && id > -2'000'000'000'000;
  }

 private:
  enum class Access { kRead, kWrite };

  Result<Target, DomainError> Resolve(UserId bot, const ChatRef& ref) const;
  // Spec 2.2.2 for write access, 4.1 for read access.
  Result<void, DomainError> CheckAccess(UserId bot, const Chat& chat, Access access) const;
  bool CanManageInviteLinks(UserId bot, const Chat& chat) const;
  const InviteLink* ActivePrimary(ChatId chat, UserId creator) const;
  // Revokes `creator`'s active primary link in `chat` (if any) and makes a new one.
  const InviteLink& ReplacePrimary(ChatId chat, UserId creator, UnixTime now, Mutation& m);
  std::string NewHash() const;
  Status CheckUsername(std::string_view username, bool for_bot) const;
  Status CheckMember(const Member& member, const Chat& chat,
                     const std::vector<Member>* siblings) const;

  void StoreBot(const Bot& bot);
  void StoreUser(const User& user);
  void StoreChat(const Chat& chat);
  void StoreMember(const Member& member);
  void StoreLink(const InviteLink& link);
  void StoreJoin(const Join& join);

  HashSource hashes_;
  std::unordered_map<UserId, Bot> bots_;
  std::unordered_map<UserId, User> users_;
  std::unordered_map<std::string, UserId> user_by_username_;  // lowercased
  std::unordered_map<ChatId, Chat> chats_;
  std::unordered_map<std::string, ChatId> chat_by_username_;  // lowercased
  std::unordered_map<ChatId, std::map<UserId, Member>> members_;
  std::unordered_map<std::string, InviteLink> links_;                   // by hash
  std::unordered_map<ChatId, std::vector<std::string>> chat_links_;     // hashes, oldest first
  std::map<std::pair<ChatId, UserId>, std::string> active_primary_;     // (chat, creator) -> hash
  std::vector<Join> joins_;                                             // in recorded order
  std::unordered_map<std::string, std::vector<size_t>> joins_by_link_;  // indexes into joins_
  std::unordered_map<UserId, UnixTime> launched_;
};

std::string ToLower(std::string_view s);

}  // namespace tginvite::domain
