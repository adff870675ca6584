// The world the server simulates: bots, users, chats, their members, and invite links.
// Plain data, no I/O. Field names follow the Bot API where one exists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/ids.h"

namespace tgi::domain {

struct User {
  UserId id;
  bool is_bot = false;
  std::string first_name;
  std::string last_name;      // empty: none
  std::string username;       // without '@'; empty: none
  std::string language_code;  // empty: none
  bool is_premium = false;
  bool operator==(const User&) const = default;
};

// What only a bot has. Every bot also has a User record with is_bot = true.
struct Bot {
  UserId id;
  crypto::Sha256Digest token_sha256{};  // the token itself is never stored
  // getMe flags.
  bool can_join_groups = true;
  bool can_read_all_group_messages = false;
  bool supports_inline_queries = false;
  bool supports_guest_queries = false;
  bool can_connect_to_business = false;
  bool has_main_web_app = false;
  bool has_topics_enabled = false;
  bool allows_users_to_create_topics = false;
  bool can_manage_bots = false;
  // Set by logOut; every later request with this token is answered "Logged out" until the
  // control plane puts the bot again.
  bool logged_out = false;
  bool operator==(const Bot&) const = default;
};

enum class ChatType { kGroup, kSupergroup, kChannel };

struct Chat {
  ChatId id;
  ChatType type = ChatType::kSupergroup;
  std::string title;
  std::string username;     // public chats only (supergroups and channels); empty: private
  std::string description;  // empty: none
  // A basic group upgraded to a supergroup: the new chat's id. The old group is then deactivated.
  std::optional<ChatId> migrated_to;
  UnixTime created = 0;
  bool operator==(const Chat&) const = default;
};

enum class MemberStatus { kCreator, kAdministrator, kMember, kRestricted, kLeft, kKicked };

// The Bot API's (and the stores') names of chat types and member statuses: "group",
// "supergroup", "channel"; "creator", "administrator", "member", "restricted", "left", "kicked".
const char* ChatTypeName(ChatType t);
std::optional<ChatType> ChatTypeFromName(std::string_view s);
const char* MemberStatusName(MemberStatus s);
std::optional<MemberStatus> MemberStatusFromName(std::string_view s);

// ChatMemberAdministrator rights, by their Bot API names. The order of the enum is the bit order
// used by the stores; append only.
enum class Right : int {
  kCanManageChat,
  kCanChangeInfo,
  kCanPostMessages,
  kCanEditMessages,
  kCanDeleteMessages,
  kCanInviteUsers,
  kCanRestrictMembers,
  kCanPinMessages,
  kCanManageTopics,
  kCanPromoteMembers,
  kCanManageVideoChats,
  kCanPostStories,
  kCanEditStories,
  kCanDeleteStories,
  kCanManageDirectMessages,
  kCanManageTags,
  kIsAnonymous,
  kCanBeEdited,
  kCount,
};

struct Rights {
  uint32_t bits = 0;
  bool Has(Right r) const { return (bits >> static_cast<int>(r)) & 1u; }
  void Set(Right r, bool on) {
    uint32_t mask = 1u << static_cast<int>(r);
    bits = on ? (bits | mask) : (bits & ~mask);
  }
  bool operator==(const Rights&) const = default;
};

// The Bot API name of each right ("can_invite_users", ...), indexed by Right.
const char* RightName(Right r);
// The right with this Bot API name, or nullopt.
std::optional<Right> RightFromName(std::string_view name);

struct Member {
  ChatId chat;
  UserId user;
  MemberStatus status = MemberStatus::kMember;
  Rights rights;             // administrators only
  std::string custom_title;  // creators and administrators; empty: none
  UnixTime until_date = 0;   // restricted and kicked: 0 means forever
  UnixTime joined = 0;
  // While the member is in the chat: the hash of the invite link they joined through ("" if not
  // through a link). member_limit counts the members a link brought in (spec 3.2).
  std::string joined_via;
  bool operator==(const Member&) const = default;
};

// True for statuses that count as being in the chat.
inline bool IsPresent(MemberStatus s) {
  return s == MemberStatus::kCreator || s == MemberStatus::kAdministrator ||
         s == MemberStatus::kMember || s == MemberStatus::kRestricted;
}

struct InviteLink {
  std::string hash;  // 16 characters of [A-Za-z0-9_-], never all digits; the link is t.me/+hash
  ChatId chat;
  UserId creator;
  bool is_primary = false;
  bool is_revoked = false;
  std::string name;
  UnixTime expire_date = 0;  // 0: never
  int32_t member_limit = 0;  // 0: unlimited
  bool creates_join_request = false;
  int32_t subscription_period = 0;
  int32_t subscription_price = 0;
  UnixTime created = 0;
  bool operator==(const InviteLink&) const = default;
};

// A user who joined a chat through an invite link.
struct Join {
  ChatId chat;
  UserId user;
  std::string link_hash;
  UnixTime date = 0;
  bool via_join_request = false;  // joined when an administrator approved their request
  bool operator==(const Join&) const = default;
};

enum class JoinRequestState { kPending, kApproved, kDeclined, kWithdrawn };
// "pending", "approved", "declined", "withdrawn".
const char* JoinRequestStateName(JoinRequestState s);
std::optional<JoinRequestState> JoinRequestStateFromName(std::string_view s);

// A user's request to join a chat, through a link that creates join requests (spec 3.6, 5.2).
// One per (chat, user): a new request replaces the previous, handled one.
struct JoinRequest {
  ChatId chat;
  UserId user;
  std::string link_hash;  // empty: asked without a link
  UnixTime date = 0;
  std::string bio;  // empty: none
  JoinRequestState state = JoinRequestState::kPending;
  UnixTime decided = 0;  // when it left kPending; 0 while pending
  bool operator==(const JoinRequest&) const = default;
};

// The server's clock: real time plus `offset` seconds, moved forward by the control plane
// (POST /control/v1/clock). The offset never decreases.
struct ClockState {
  int64_t offset = 0;
  bool operator==(const ClockState&) const = default;
};

// The kinds of Update the Bot API knows (spec 5.4), in a fixed order: the order of the enum is
// the bit order of allowed_updates masks in the stores; append only.
enum class UpdateType : int {
  kMessage,
  kEditedMessage,
  kChannelPost,
  kEditedChannelPost,
  kInlineQuery,
  kChosenInlineResult,
  kCallbackQuery,
  kShippingQuery,
  kPreCheckoutQuery,
  kPoll,
  kPollAnswer,
  kMyChatMember,
  kChatMember,
  kChatJoinRequest,
  kChatBoost,
  kRemovedChatBoost,
  kMessageReaction,
  kMessageReactionCount,
  kBusinessConnection,
  kBusinessMessage,
  kEditedBusinessMessage,
  kDeletedBusinessMessages,
  kPurchasedPaidMedia,
  kManagedBot,
  kGuestMessage,
  kCount,
};
const char* UpdateTypeName(UpdateType t);                          // "chat_member", ...
std::optional<UpdateType> UpdateTypeFromName(std::string_view s);  // case-insensitive
inline uint32_t UpdateBit(UpdateType t) { return 1u << static_cast<int>(t); }
// Everything but chat_member, message_reaction and message_reaction_count (spec 5.4).
uint32_t DefaultAllowedUpdates();

// How a bot receives its updates, and where its update ids are.
struct BotUpdateSettings {
  UserId bot;
  uint32_t allowed_updates = 0;  // a mask of UpdateBit; see DefaultAllowedUpdates()
  int64_t next_update_id = 1;    // ids start at 1 and never repeat
  std::string webhook_url;       // empty: the bot uses getUpdates
  std::string webhook_secret;    // X-Telegram-Bot-Api-Secret-Token; empty: none
  int32_t max_connections = 40;
  std::string webhook_ip_address;  // empty: none given
  bool operator==(const BotUpdateSettings&) const = default;
};

// One update waiting in a bot's queue until the bot confirms it or it expires (24 h).
struct Update {
  UserId bot;
  int64_t id = 0;
  UnixTime date = 0;
  UpdateType type = UpdateType::kChatMember;
  ChatId chat;       // the chat it is about: webhook delivery keeps each chat's updates in order
  std::string json;  // the Update object as sent: {"update_id":...,"chat_member":{...}}
  bool operator==(const Update&) const = default;
};

// Removes every update of `bot` with an id below `below_id` (confirmed, delivered or expired).
struct DropUpdates {
  UserId bot;
  int64_t below_id = 0;
  bool operator==(const DropUpdates&) const = default;
};

std::string InviteLinkUrl(const std::string& hash);  // "https://t.me/+" + hash

}  // namespace tgi::domain
