// The world the server simulates: bots, users, chats, their members, and invite links.
// Plain data, no I/O. Field names follow the Bot API where one exists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "common/shared_text.h"
#include "text/formatted_text.h"

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

// ChatPermissions, by their Bot API names (spec bot-api-moderation.md 4.3). The legacy
// can_send_media_messages is not a bit of its own: it reads as the OR of the six media bits. The
// order of the enum is the bit order used by the stores; append only.
enum class Permission : int {
  kCanSendMessages,
  kCanSendAudios,
  kCanSendDocuments,
  kCanSendPhotos,
  kCanSendVideos,
  kCanSendVideoNotes,
  kCanSendVoiceNotes,
  kCanSendPolls,
  kCanSendOtherMessages,
  kCanAddWebPagePreviews,
  kCanReactToMessages,
  kCanEditTag,
  kCanChangeInfo,
  kCanInviteUsers,
  kCanPinMessages,
  kCanManageTopics,
  kCount,
};

struct Permissions {
  uint32_t bits = 0;  // 0: everything forbidden
  bool Has(Permission p) const { return (bits >> static_cast<int>(p)) & 1u; }
  void Set(Permission p, bool on) {
    uint32_t mask = 1u << static_cast<int>(p);
    bits = on ? (bits | mask) : (bits & ~mask);
  }
  // can_send_media_messages as the Bot API writes it: any of the six media permissions.
  bool AnyMedia() const;
  bool AllSet() const { return bits == All().bits; }
  static Permissions All() { return {(1u << static_cast<int>(Permission::kCount)) - 1}; }
  // A new chat's defaults: members may send anything, react and invite users; changing the info,
  // pinning, topics and tags are for administrators.
  static Permissions ChatDefaults();
  bool operator==(const Permissions&) const = default;
};

// The Bot API name of each permission ("can_send_messages", ...), indexed by Permission.
const char* PermissionName(Permission p);
std::optional<Permission> PermissionFromName(std::string_view name);

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
  // Groups and supergroups: what members may do by default (setChatPermissions).
  Permissions permissions = Permissions::ChatDefaults();
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
  Permissions permissions;   // restricted only: what the member may do (0: nothing)
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

// True for the creator and administrators.
inline bool IsAdminLike(MemberStatus s) {
  return s == MemberStatus::kCreator || s == MemberStatus::kAdministrator;
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
  ChatId chat;  // the chat it is about: webhook delivery keeps each chat's updates in order
  // The Update object as sent: {"update_id":...,"chat_member":{...}}; shared, not copied, by
  // the getUpdates answers and webhook deliveries that send it.
  SharedText json;
  bool operator==(const Update&) const = default;
};

// Removes every update of `bot` with an id below `below_id` (confirmed, delivered or expired).
struct DropUpdates {
  UserId bot;
  int64_t below_id = 0;
  bool operator==(const DropUpdates&) const = default;
};

// --- Conversations (spec bot-api-messages.md).

// What a message is. The order of the enum is the stores'; append only.
enum class MessageKind : uint8_t {
  kText,
  // Service messages (spec 1.7), with the users in Message::users.
  kNewChatMembers,
  kLeftChatMember,
  // A message was pinned (pinChatMessage): Message::reply_to is the pinned message's id, as
  // MTProto's messageActionPinMessage carries it in the service message's reply header.
  kPinnedMessage,
  // A basic group was upgraded (spec moderation 9.1): in the old group, migrate_to_chat_id (the
  // group's Chat::migrated_to); in the new supergroup, migrate_from_chat_id (the group whose
  // migrated_to it is). The ids are read from the chats, so the message carries none.
  kMigrateToChatId,
  kMigrateFromChatId,
};

// Message::flags bits. The order is the stores'; append only.
enum class MessageFlag : uint32_t {
  kProtectedContent = 1u << 0,   // sent with protect_content: has_protected_content
  kHadReplyKeyboard = 1u << 1,   // sent with a non-inline reply markup: never editable (spec 7.5)
  kDeleted = 1u << 2,            // deleted: kept so that its id is never given again
  kPreviewDisabled = 1u << 3,    // link_preview_options.is_disabled
  kPreviewSmallMedia = 1u << 4,  // link_preview_options.prefer_small_media
  kPreviewLargeMedia = 1u << 5,  // link_preview_options.prefer_large_media
  kPreviewAboveText = 1u << 6,   // link_preview_options.show_above_text
  kDisableNotification = 1u << 7,
  kPinned = 1u << 8,  // in the chat's list of pinned messages
};

// A message in a chat. Its key is (chat, bot, id): the messages of a group, supergroup or channel
// belong to the chat (bot is 0); a private chat is between one user and one bot, and the Bot API
// names it by the user's id, so its messages are keyed by the user's id as `chat` and the bot.
// Named decision (spec 1.8): a bot numbers the messages of all its private chats with one counter,
// as Telegram does; a group, supergroup or channel numbers its messages with one counter of the
// chat's (Telegram gives each member of a basic group its own numbers). Ids start at 1 and are
// never given twice: a deleted message keeps its record, flagged kDeleted.
struct Message {
  ChatId chat;
  UserId bot;  // private chats: the bot; 0 otherwise
  int64_t id = 0;
  UserId from;  // the sender; 0 for a channel post (its sender_chat is the channel)
  UnixTime date = 0;
  UnixTime edit_date = 0;  // 0: never edited
  MessageKind kind = MessageKind::kText;
  text::FormattedText text;  // kText: the text and its entities, normalised
  // The message of the same chat it replies to (kPinnedMessage: the one pinned); 0: none.
  int64_t reply_to = 0;
  // The inline keyboard as the Message echoes it (spec 1.6), a JSON object
  // {"inline_keyboard":[...]}, made by the Bot API layer; "" for none.
  std::string inline_keyboard;
  // The callback_data of every callback button of inline_keyboard, in order: what a user may
  // press (POST /control/v1/callback-queries).
  std::vector<std::string> callback_data;
  // The reply keyboard, keyboard removal or force reply the bot sent with the message, a JSON
  // object made by the Bot API layer ({"keyboard":[...],...}, {"remove_keyboard":true,...} or
  // {"force_reply":true,...}); "" for none. A Message never shows it (spec 1.6: only inline
  // keyboards are echoed); it is kept for the control plane's listings (the console draws the
  // keyboard a user would see).
  std::string reply_keyboard;
  uint32_t flags = 0;            // MessageFlag bits
  std::string link_preview_url;  // link_preview_options.url; "" for none
  // Forwarded messages (forwardMessage): where the original came from.
  UserId forward_from;       // the original's sender user; 0: none
  ChatId forward_from_chat;  // the original's chat when it was a channel post; 0: none
  int64_t forward_from_message_id = 0;
  UnixTime forward_date = 0;  // the original's date; 0: not forwarded
  std::vector<UserId> users;  // kNewChatMembers: the users added; kLeftChatMember: the one who left
  bool Has(MessageFlag f) const { return (flags & static_cast<uint32_t>(f)) != 0; }
  void Set(MessageFlag f, bool on) {
    flags = on ? (flags | static_cast<uint32_t>(f)) : (flags & ~static_cast<uint32_t>(f));
  }
  bool operator==(const Message&) const = default;
};

// A private chat between a user and a bot: whether the bot may write to the user (spec
// bot-api-messages.md 2.3).
struct PrivateChat {
  UserId user;
  UserId bot;
  bool started = false;  // the user has written to the bot
  bool blocked = false;  // the user has blocked the bot
  // The bot may write to a user who asked to join one of its chats until then (the request's date
  // plus 5 minutes), while the request is pending; 0: no such window.
  UnixTime contact_until = 0;
  bool operator==(const PrivateChat&) const = default;
};

// A press of an inline keyboard's callback button (spec 6), and the bot's answer.
struct CallbackQuery {
  int64_t id = 0;  // sent as a decimal string
  UserId bot;      // the bot whose message has the button
  UserId from;     // the user who pressed it
  ChatId chat;     // the message's chat (the user's id for a private chat)
  int64_t message_id = 0;
  std::string data;
  UnixTime date = 0;
  bool answered = false;
  std::string answer_text;
  bool show_alert = false;
  std::string answer_url;
  int32_t cache_time = 0;
  bool operator==(const CallbackQuery&) const = default;
};

// One entry of a bot's profile: what setMyCommands, setMyName, setMyDescription,
// setMyShortDescription and setChatMenuButton store, read back by their get* methods. The key
// names the setting and its scope ("commands/default/en", ...: chosen by the code that uses it);
// the value is what it reads back. An empty value removes the entry.
struct BotProfileEntry {
  UserId bot;
  std::string key;
  std::string value;
  bool operator==(const BotProfileEntry&) const = default;
};

// A chat that banChatSenderChat banned in a supergroup or channel (spec bot-api-moderation.md
// 6.3): it may not send messages there as itself until unbanChatSenderChat. One record per
// (chat, sender_chat); `banned` false (unbanChatSenderChat) removes it from the stores.
struct SenderChatBan {
  ChatId chat;
  ChatId sender_chat;  // a supergroup's or channel's id (-100...)
  bool banned = true;
  bool operator==(const SenderChatBan&) const = default;
};

std::string InviteLinkUrl(const std::string& hash);  // "https://t.me/+" + hash

}  // namespace tgi::domain
