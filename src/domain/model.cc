#include "domain/model.h"

#include <array>
#include <string_view>

namespace tgi::domain {
namespace {

constexpr std::array<const char*, static_cast<size_t>(Right::kCount)> kRightNames = {
    "can_manage_chat",     "can_change_info",     "can_post_messages",          "can_edit_messages",
    "can_delete_messages", "can_invite_users",    "can_restrict_members",       "can_pin_messages",
    "can_manage_topics",   "can_promote_members", "can_manage_video_chats",     "can_post_stories",
    "can_edit_stories",    "can_delete_stories",  "can_manage_direct_messages", "can_manage_tags",
    "is_anonymous",        "can_be_edited",
};

constexpr std::array<const char*, static_cast<size_t>(Permission::kCount)> kPermissionNames = {
    "can_send_messages",         "can_send_audios",       "can_send_documents",
    "can_send_photos",           "can_send_videos",       "can_send_video_notes",
    "can_send_voice_notes",      "can_send_polls",        "can_send_other_messages",
    "can_add_web_page_previews", "can_react_to_messages", "can_edit_tag",
    "can_change_info",           "can_invite_users",      "can_pin_messages",
    "can_manage_topics",
};

constexpr uint32_t Bit(Permission p) { return 1u << static_cast<int>(p); }
constexpr uint32_t kMediaBits =
    Bit(Permission::kCanSendAudios) | Bit(Permission::kCanSendDocuments) |
    Bit(Permission::kCanSendPhotos) | Bit(Permission::kCanSendVideos) |
    Bit(Permission::kCanSendVideoNotes) | Bit(Permission::kCanSendVoiceNotes);

constexpr std::array<const char*, static_cast<size_t>(UpdateType::kCount)> kUpdateTypeNames = {
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
    "message_reaction",
    "message_reaction_count",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "purchased_paid_media",
    "managed_bot",
    "guest_message",
};

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

constexpr std::array<const char*, 3> kChatTypeNames = {"group", "supergroup", "channel"};
constexpr std::array<const char*, 6> kMemberStatusNames = {"creator",    "administrator", "member",
                                                           "restricted", "left",          "kicked"};
constexpr std::array<const char*, 4> kJoinRequestStateNames = {"pending", "approved", "declined",
                                                               "withdrawn"};

// The enum value whose name is `s` in `names` (indexed by the enum), or nullopt.
template <typename Enum, size_t N>
std::optional<Enum> FromName(const std::array<const char*, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i)
    if (s == names[i]) return static_cast<Enum>(i);
  return std::nullopt;
}

// The name of enum value `v`, or "?" for a value outside the enum (which a store's CHECK then
// refuses).
template <typename Enum, size_t N>
const char* NameOf(const std::array<const char*, N>& names, Enum v) {
  auto i = static_cast<size_t>(v);
  return i < N ? names[i] : "?";
}

}  // namespace

const char* ChatTypeName(ChatType t) { return NameOf(kChatTypeNames, t); }
std::optional<ChatType> ChatTypeFromName(std::string_view s) {
  return FromName<ChatType>(kChatTypeNames, s);
}
const char* MemberStatusName(MemberStatus s) { return NameOf(kMemberStatusNames, s); }
std::optional<MemberStatus> MemberStatusFromName(std::string_view s) {
  return FromName<MemberStatus>(kMemberStatusNames, s);
}
const char* JoinRequestStateName(JoinRequestState s) { return NameOf(kJoinRequestStateNames, s); }
std::optional<JoinRequestState> JoinRequestStateFromName(std::string_view s) {
  return FromName<JoinRequestState>(kJoinRequestStateNames, s);
}

const char* UpdateTypeName(UpdateType t) { return kUpdateTypeNames[static_cast<size_t>(t)]; }

std::optional<UpdateType> UpdateTypeFromName(std::string_view s) {
  for (size_t i = 0; i < kUpdateTypeNames.size(); ++i)
    if (EqualsIgnoreAsciiCase(s, kUpdateTypeNames[i])) return static_cast<UpdateType>(i);
  return std::nullopt;
}

uint32_t DefaultAllowedUpdates() {
  uint32_t all = (1u << static_cast<int>(UpdateType::kCount)) - 1;
  return all & ~UpdateBit(UpdateType::kChatMember) & ~UpdateBit(UpdateType::kMessageReaction) &
         ~UpdateBit(UpdateType::kMessageReactionCount);
}

const char* RightName(Right r) { return kRightNames[static_cast<size_t>(r)]; }

std::optional<Right> RightFromName(std::string_view name) {
  for (size_t i = 0; i < kRightNames.size(); ++i)
    if (name == kRightNames[i]) return static_cast<Right>(i);
  return std::nullopt;
}

bool Permissions::AnyMedia() const { return (bits & kMediaBits) != 0; }

Permissions Permissions::ChatDefaults() {
  Permissions p = All();
  for (Permission off : {Permission::kCanEditTag, Permission::kCanChangeInfo,
                         Permission::kCanPinMessages, Permission::kCanManageTopics})
    p.Set(off, false);
  return p;
}

const char* PermissionName(Permission p) { return kPermissionNames[static_cast<size_t>(p)]; }

std::optional<Permission> PermissionFromName(std::string_view name) {
  for (size_t i = 0; i < kPermissionNames.size(); ++i)
    if (name == kPermissionNames[i]) return static_cast<Permission>(i);
  return std::nullopt;
}

std::string InviteLinkUrl(const std::string& hash) { return "https://t.me/+" + hash; }

}  // namespace tgi::domain
