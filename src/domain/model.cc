#include "domain/model.h"

#include <array>
#include <string_view>

namespace tginvite::domain {
namespace {

constexpr std::array<const char*, static_cast<size_t>(Right::kCount)> kRightNames = {
    "can_manage_chat",     "can_change_info",     "can_post_messages",          "can_edit_messages",
    "can_delete_messages", "can_invite_users",    "can_restrict_members",       "can_pin_messages",
    "can_manage_topics",   "can_promote_members", "can_manage_video_chats",     "can_post_stories",
    "can_edit_stories",    "can_delete_stories",  "can_manage_direct_messages", "can_manage_tags",
    "is_anonymous",        "can_be_edited",
};

}  // namespace

const char* RightName(Right r) { return kRightNames[static_cast<size_t>(r)]; }

std::optional<Right> RightFromName(std::string_view name) {
  for (size_t i = 0; i < kRightNames.size(); ++i)
    if (name == kRightNames[i]) return static_cast<Right>(i);
  return std::nullopt;
}

std::string InviteLinkUrl(const std::string& hash) { return "https://t.me/+" + hash; }

}  // namespace tginvite::domain
