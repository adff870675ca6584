// The world the server simulates: bots, users, chats, their members, and invite links.
// Plain data, no I/O. Field names follow the Bot API where one exists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/ids.h"

namespace tginvite::domain {

struct User {
  UserId id;
  bool is_bot = false;
  std::string first_name;
  std::string last_name;      // empty: none
  std::string username;       // without '@'; empty: none
  std::string language_code;  // empty: none
  bool is_premium = false;
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
};

enum class MemberStatus { kCreator, kAdministrator, kMember, kRestricted, kLeft, kKicked };

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
  bool operator==(const Join&) const = default;
};

std::string InviteLinkUrl(const std::string& hash);  // "https://t.me/+" + hash

}  // namespace tginvite::domain
