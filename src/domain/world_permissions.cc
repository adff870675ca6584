// Moderation (spec bot-api-moderation.md): restrictChatMember, setChatPermissions, the
// permissions that govern who may send what, and restrictions that end by themselves.
#include <utility>

#include "domain/world.h"

namespace tgi::domain {
namespace {

bool MayRestrict(const Member* m) {
  if (!m) return false;
  return m->status == MemberStatus::kCreator ||
         (m->status == MemberStatus::kAdministrator && m->rights.Has(Right::kCanRestrictMembers));
}

}  // namespace

Permissions World::EffectivePermissions(const Chat& chat, const Member* member) {
  if (!member) return Permissions{};
  switch (member->status) {
    case MemberStatus::kCreator:
    case MemberStatus::kAdministrator:
      return Permissions::All();
    case MemberStatus::kMember:
      return chat.permissions;
    case MemberStatus::kRestricted:
      return Permissions{member->permissions.bits & chat.permissions.bits};
    case MemberStatus::kLeft:
    case MemberStatus::kKicked:
      break;
  }
  return Permissions{};
}

Result<void, DomainError> World::RestrictMember(UserId bot, const ChatRef& ref, UserId user,
                                                const Restriction& restriction, UnixTime now,
                                                Mutation& m) {
  // 4.2 step 3: check_chat(Write), then the chat type.
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  if (!target->chat) return Unexpected{DomainError{Err::kOnlyForSupergroups}};
  const Chat& chat = *target->chat;
  if (auto access = CheckAccess(bot, chat, Access::kWrite); !access)
    return Unexpected{access.error()};
  if (chat.type != ChatType::kSupergroup)
    return Unexpected{DomainError{Err::kOnlyForSupergroups, chat.type}};

  // Step 4: the target's current status. Named decision: a user the server does not know is
  // "user not found", as getChatMember answers here.
  if (!FindUser(user)) return Unexpected{DomainError{Err::kUserNotFound}};
  const Member* found = FindMember(chat.id, user);
  Member before =
      found ? *found : Member{.chat = chat.id, .user = user, .status = MemberStatus::kLeft};
  const bool is_member = IsPresent(before.status);

  // Step 5: the legacy form keeps what it cannot express of a current restriction.
  Permissions wanted = restriction.permissions;
  if (restriction.keep_legacy_extras && before.status == MemberStatus::kRestricted) {
    for (Permission kept :
         {Permission::kCanSendPolls, Permission::kCanChangeInfo, Permission::kCanInviteUsers,
          Permission::kCanPinMessages, Permission::kCanManageTopics})
      wanted.Set(kept, before.permissions.Has(kept));
  }

  // The new status (4.5): all true lifts the restriction.
  Member after = before;
  after.rights = Rights{};
  // A member's tag (setChatMemberTag) stays with them, restricted or not; an administrator's
  // title does not (an administrator is refused below anyway).
  if (IsAdminLike(before.status)) after.custom_title.clear();
  if (wanted.AllSet()) {
    after.status = is_member ? MemberStatus::kMember : MemberStatus::kLeft;
    after.until_date = 0;
    after.permissions = Permissions{};
  } else {
    if (!is_member) {
      // Named decision: the emulator keeps no "restricted, not a member" records (TDLib's
      // restricted status with is_member false), so restricting someone who is not in the chat
      // is refused as the server refuses other changes to non-participants.
      return Unexpected{DomainError{Err::kUserNotParticipant}};
    }
    after.status = MemberStatus::kRestricted;
    after.until_date = restriction.until_date;
    after.permissions = wanted;
  }

  // 1.3 step 5: nothing changes -> true, no update.
  if (before.status != MemberStatus::kCreator && before == after) return {};
  // Step 6, then 8.3 and 8.6, then the server's USER_ADMIN_INVALID.
  if (before.status == MemberStatus::kCreator)
    return Unexpected{DomainError{Err::kCantRemoveChatOwner}};
  if (user == bot) {
    return Unexpected{DomainError{after.status == MemberStatus::kRestricted
                                      ? Err::kCantRestrictSelf
                                      : Err::kCantUnrestrictSelf}};
  }
  if (!MayRestrict(FindMember(chat.id, bot)))
    return Unexpected{DomainError{Err::kNotEnoughRightsToRestrict}};
  if (before.status == MemberStatus::kAdministrator)
    return Unexpected{DomainError{Err::kUserIsAdministrator}};

  ChangeMember(after, bot, now, m);
  return {};
}

Result<void, DomainError> World::SetChatPermissions(UserId bot, const ChatRef& ref, Permissions p,
                                                    Mutation& m) {
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  if (!target->chat) return Unexpected{DomainError{Err::kCantChangePrivatePermissions}};
  const Chat& chat = *target->chat;
  if (auto access = CheckAccess(bot, chat, Access::kWrite); !access)
    return Unexpected{access.error()};
  if (chat.type == ChatType::kChannel)
    return Unexpected{DomainError{Err::kCantChangeChannelPermissions, chat.type}};
  if (!MayRestrict(FindMember(chat.id, bot)))
    return Unexpected{DomainError{Err::kNotEnoughRightsToChangePermissions, chat.type}};
  if (chat.permissions == p) return {};  // 6.1: equal to the cached ones, no server call
  Chat changed = chat;
  changed.permissions = p;
  StoreChat(changed);
  m.ops.emplace_back(changed);
  return {};
}

void World::ExpireRestrictionsAndBans(UnixTime now, Mutation& m) {
  while (!restriction_ends_.empty() && restriction_ends_.begin()->first <= now) {
    auto [until, key] = *restriction_ends_.begin();
    restriction_ends_.erase(restriction_ends_.begin());
    const Member* mb = FindMember(key.first, key.second);
    if (!mb || mb->until_date != until ||
        (mb->status != MemberStatus::kRestricted && mb->status != MemberStatus::kKicked))
      continue;
    // Named decision: the end of a restriction or a ban makes no chat_member update (the
    // reference gets none from the server for it; the member's status simply reads `member`, or
    // `left` after a ban, again, as EffectiveMember already shows it).
    Member freed = *mb;
    freed.status =
        mb->status == MemberStatus::kKicked ? MemberStatus::kLeft : MemberStatus::kMember;
    freed.until_date = 0;
    freed.permissions = Permissions{};
    StoreMember(freed);
    m.ops.emplace_back(freed);
  }
}

}  // namespace tgi::domain
