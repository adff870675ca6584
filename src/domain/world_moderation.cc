// Moderation (spec bot-api-moderation.md 1-3, 5, 6.2, 6.3): banChatMember, unbanChatMember,
// promoteChatMember, setChatAdministratorCustomTitle, leaveChat, banChatSenderChat and
// unbanChatSenderChat. Every status change goes through ChangeMember, which stores it and emits
// the member updates; sender chat bans are records of their own (SenderChatBan), without updates.
#include <cstdint>
#include <string>

#include "common/utf8.h"
#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr int64_t kMaxUserId = (int64_t{1} << 40) - 1;  // TDLib's UserId.h MAX_USER_ID

// Whether `m` holds right `r`: the creator holds every right.
bool Holds(const Member* m, Right r) {
  if (!m) return false;
  if (m->status == MemberStatus::kCreator) return true;
  return m->status == MemberStatus::kAdministrator && m->rights.Has(r);
}

bool IsAdministrator(const Member* m) { return m && IsAdminLike(m->status); }

// The rights promoteChatMember may grant, each only by a bot that holds it (RIGHT_FORBIDDEN,
// spec 5.1 step 7); can_manage_chat, implied for every administrator, is not checked.
constexpr Right kGrantable[] = {
    Right::kCanManageChat,      Right::kCanChangeInfo,       Right::kCanPostMessages,
    Right::kCanEditMessages,    Right::kCanDeleteMessages,   Right::kCanInviteUsers,
    Right::kCanRestrictMembers, Right::kCanPinMessages,      Right::kCanManageTopics,
    Right::kCanPromoteMembers,  Right::kCanManageVideoChats, Right::kCanPostStories,
    Right::kCanEditStories,     Right::kCanDeleteStories,    Right::kCanManageDirectMessages,
    Right::kCanManageTags,      Right::kIsAnonymous,
};

// Spec 5.1 step 4: TDLib's AdministratorRights drops the rights a chat type does not have.
Rights MaskRights(Rights rights, ChatType type) {
  rights.Set(Right::kCanBeEdited, false);
  if (type == ChatType::kChannel) {
    for (Right r : {Right::kCanPinMessages, Right::kCanManageTopics, Right::kCanManageTags,
                    Right::kIsAnonymous})
      rights.Set(r, false);
  } else {
    for (Right r :
         {Right::kCanPostMessages, Right::kCanEditMessages, Right::kCanManageDirectMessages})
      rights.Set(r, false);
  }
  // can_manage_chat is implied by any other right (is_anonymous included, as in TDLib).
  if (rights.bits != 0) rights.Set(Right::kCanManageChat, true);
  return rights;
}

// Named decision (spec 5.2 says only "emoji are not allowed"): these code point ranges count as
// emoji: the pictographs and symbols planes U+1F000-U+1FAFF, Miscellaneous Symbols and Dingbats
// U+2600-U+27BF, and the emoji variation selector U+FE0F.
bool HasEmoji(std::string_view s) {
  for (size_t pos = 0; pos < s.size();) {
    char32_t cp = 0;
    size_t n = utf8::Decode(s, pos, &cp);
    if (n == 0) return false;
    if ((cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F)
      return true;
    pos += n;
  }
  return false;
}

// TDLib's strip_empty_characters(rank, 16), for the characters this server sees: surrounding
// spaces go, then at most 16 code points are kept.
std::string CleanCustomTitle(std::string_view title) {
  while (!title.empty() && (title.front() == ' ' || title.front() == '\n')) title.remove_prefix(1);
  while (!title.empty() && (title.back() == ' ' || title.back() == '\n')) title.remove_suffix(1);
  std::string out(utf8::Truncate(title, kCustomTitleMaxLength));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

// What TDLib's DialogId makes of an id a request gives as a sender chat (DialogId::get_type and
// is_valid): a user (1 to 2^40 - 1), a basic group (-1 to -999999999999), a channel or supergroup
// (-1000000000000 - c, 0 < c < 10^12 - 2^31), a secret chat (-2000000000000 + s, s a nonzero
// int32), or no valid chat at all.
enum class DialogKind { kInvalid, kUser, kBasicGroup, kChannel, kSecretChat };
DialogKind KindOfDialogId(int64_t id) {
  constexpr int64_t kZeroChannelId = -1'000'000'000'000;
  constexpr int64_t kMaxChannelId = 1'000'000'000'000 - (int64_t{1} << 31);
  constexpr int64_t kZeroSecretChatId = -2'000'000'000'000;
  if (id > 0) return id <= kMaxUserId ? DialogKind::kUser : DialogKind::kInvalid;
  if (id < 0 && id >= -999'999'999'999) return DialogKind::kBasicGroup;
  if (id < kZeroChannelId && id > kZeroChannelId - kMaxChannelId) return DialogKind::kChannel;
  if (id != kZeroSecretChatId && id >= kZeroSecretChatId + INT32_MIN &&
      id <= kZeroSecretChatId + INT32_MAX)
    return DialogKind::kSecretChat;
  return DialogKind::kInvalid;
}

// A member's new status, keeping the record's other fields as ChangeMember expects.
Member WithStatus(Member mb, MemberStatus status, UnixTime until_date) {
  mb.status = status;
  mb.until_date = until_date;
  if (status != MemberStatus::kAdministrator && status != MemberStatus::kCreator) {
    mb.rights = {};
    mb.custom_title.clear();
  }
  if (!IsPresent(status)) mb.joined = 0;
  return mb;
}

}  // namespace

UnixTime NormalizeUntilDate(UnixTime until_date, UnixTime now) {
  if (until_date == 0) return 0;
  if (until_date < now + 30 || until_date > now + 366 * 86400) return 0;
  return until_date;
}

Member EffectiveMember(const Member& member, UnixTime now) {
  if (member.status != MemberStatus::kKicked || member.until_date == 0 || member.until_date > now)
    return member;
  Member left = member;
  left.status = MemberStatus::kLeft;
  left.until_date = 0;
  return left;
}

Member World::CurrentMember(ChatId chat, UserId user, UnixTime now) const {
  if (const Member* mb = FindMember(chat, user)) return EffectiveMember(*mb, now);
  return Member{.chat = chat, .user = user, .status = MemberStatus::kLeft};
}

void World::DeclinePendingRequest(ChatId chat, UserId user, UnixTime now, Mutation& m) {
  auto it = join_requests_.find({chat, user});
  if (it == join_requests_.end() || it->second.state != JoinRequestState::kPending) return;
  JoinRequest declined = it->second;
  declined.state = JoinRequestState::kDeclined;
  declined.decided = now;
  StoreJoinRequest(declined);
  m.ops.emplace_back(declined);
  CloseContactWindows(chat, user, m);
}

Result<const Chat*, DomainError> World::ModerationChat(UserId bot, const ChatRef& ref,
                                                       MessageAccess access, UserId user,
                                                       Err type_error) const {
  auto target = ResolveMessageChat(bot, ref, access);
  if (!target) return Unexpected{target.error()};
  // banChatMember: TDLib refuses an id no user can have before it looks at the chat's type (spec
  // 2.2 step 4); the other methods check the type in the Bot API layer first.
  const bool ban = type_error == Err::kCantBanInPrivate;
  if (ban && user.value > kMaxUserId) return Unexpected{DomainError{Err::kInvalidUserIdentifier}};
  if (!target->chat) return Unexpected{DomainError{type_error}};
  const Chat& chat = *target->chat;
  if (type_error == Err::kSupergroupOrChannelOnly && chat.type == ChatType::kGroup)
    return Unexpected{DomainError{type_error}};
  if (type_error == Err::kGroupsOnly && chat.type == ChatType::kChannel)
    return Unexpected{DomainError{type_error}};
  if (!ban && user.value > kMaxUserId) return Unexpected{DomainError{Err::kInvalidUserIdentifier}};
  return &chat;
}

Result<void, DomainError> World::BotLeaves(const Chat& chat, UserId bot, UnixTime now,
                                           Mutation& m) {
  Member before = CurrentMember(chat.id, bot, now);
  if (!IsPresent(before.status)) return {};  // not a member: nothing to leave (spec 6.2)
  if (before.status == MemberStatus::kCreator)
    return Unexpected{DomainError{Err::kCantRemoveChatOwner}};
  ChangeMember(WithStatus(before, MemberStatus::kLeft, 0), bot, now, m);
  return {};
}

Result<void, DomainError> World::BanChatMember(UserId bot, const ChatRef& ref, UserId user,
                                               UnixTime until_date, UnixTime now, Mutation& m) {
  auto resolved = ModerationChat(bot, ref, MessageAccess::kWrite, user, Err::kCantBanInPrivate);
  if (!resolved) return Unexpected{resolved.error()};
  const Chat& chat = **resolved;
  const Member* me = FindMember(chat.id, bot);
  const Member* target = FindMember(chat.id, user);
  if (chat.type == ChatType::kGroup) {
    // messages.deleteChatUser (spec 2.2 step 5): until_date is ignored; the bot removing itself
    // leaves. Named decisions for what the server answers (spec 2.3, 13: not observed): a user
    // unknown to the world is USER_ID_INVALID; anyone not in the group USER_NOT_PARTICIPANT; a
    // bot that is not an administrator (all basic-group administrators may ban, spec 7.2), and the
    // creator or an administrator as the target, CHAT_ADMIN_REQUIRED (a bot never can_be_edited a
    // basic-group administrator).
    if (chat.migrated_to) return Unexpected{DomainError{Err::kChatDeactivated}};
    if (user == bot) return BotLeaves(chat, bot, now, m);
    if (!FindUser(user)) return Unexpected{DomainError{Err::kUserIdInvalid}};
    if (!IsAdministrator(me)) return Unexpected{DomainError{Err::kChatAdminRequired}};
    if (!target || !IsPresent(target->status))
      return Unexpected{DomainError{Err::kUserNotParticipant}};
    if (IsAdministrator(target)) return Unexpected{DomainError{Err::kChatAdminRequired}};
    ChangeMember(WithStatus(*target, MemberStatus::kLeft, 0), bot, now, m);
    return {};
  }
  // Supergroups and channels: spec 1.3 with new status kicked.
  const UnixTime until = NormalizeUntilDate(until_date, now);
  if (user != bot) {
    // Named decision (spec 1.1, 2.3): a user the world does not know is one the server cannot
    // resolve for the bot.
    if (!FindUser(user)) return Unexpected{DomainError{Err::kParticipantIdInvalid}};
    if (chat.type == ChatType::kChannel && !IsAdministrator(me))
      return Unexpected{DomainError{Err::kMemberListInaccessible}};
  }
  Member before = CurrentMember(chat.id, user, now);
  if (before.status == MemberStatus::kKicked && before.until_date == until) return {};  // step 5
  if (before.status == MemberStatus::kCreator)
    return Unexpected{DomainError{Err::kCantRemoveChatOwner}};
  if (user == bot) return Unexpected{DomainError{Err::kCantRestrictSelf}};
  if (!Holds(me, Right::kCanRestrictMembers))
    return Unexpected{DomainError{Err::kNotEnoughRightsToRestrict}};
  // Named decision (spec 2.3: "not verified"): an administrator can be banned only if their
  // can_be_edited is set (one that a bot promoted); any other is USER_ADMIN_INVALID.
  if (before.status == MemberStatus::kAdministrator && !before.rights.Has(Right::kCanBeEdited))
    return Unexpected{DomainError{Err::kUserIsAdministrator}};
  DeclinePendingRequest(chat.id, user, now, m);
  ChangeMember(WithStatus(before, MemberStatus::kKicked, until), bot, now, m);
  return {};
}

Result<void, DomainError> World::UnbanChatMember(UserId bot, const ChatRef& ref, UserId user,
                                                 bool only_if_banned, UnixTime now, Mutation& m) {
  auto resolved =
      ModerationChat(bot, ref, MessageAccess::kWrite, user, Err::kSupergroupOrChannelOnly);
  if (!resolved) return Unexpected{resolved.error()};
  const Chat& chat = **resolved;
  const Member* me = FindMember(chat.id, bot);
  if (only_if_banned) {
    // The reference asks getChatMember first (spec 3.2); its errors pass through. Named
    // decision: an unknown user is "user not found", as getChatMember answers here.
    if (!FindUser(user)) return Unexpected{DomainError{Err::kUserNotFound}};
    if (CurrentMember(chat.id, user, now).status != MemberStatus::kKicked) return {};
  }
  if (user == bot) return BotLeaves(chat, bot, now, m);  // spec 1.3 step 8.3
  if (!FindUser(user)) return Unexpected{DomainError{Err::kParticipantIdInvalid}};
  if (chat.type == ChatType::kChannel && !IsAdministrator(me))
    return Unexpected{DomainError{Err::kMemberListInaccessible}};
  Member before = CurrentMember(chat.id, user, now);
  if (before.status == MemberStatus::kLeft) return {};  // step 5: nothing changes
  if (before.status == MemberStatus::kCreator)
    return Unexpected{DomainError{Err::kCantRemoveChatOwner}};
  if (!Holds(me, Right::kCanRestrictMembers))
    return Unexpected{DomainError{Err::kNotEnoughRightsToRestrict}};
  // The removal starts with a ban, which the server refuses for an administrator (spec 3.2);
  // the named decision of BanChatMember about administrators the bot promoted applies.
  if (before.status == MemberStatus::kAdministrator && !before.rights.Has(Right::kCanBeEdited))
    return Unexpected{DomainError{Err::kUserIsAdministrator}};
  if (IsPresent(before.status)) {
    // The reference's "kick": banned until now + 60, then left (spec 1.3 step 8.7). Named
    // decision: both changes happen at once here (the reference waits 1 s between them).
    Member kicked = WithStatus(before, MemberStatus::kKicked, now + 60);
    ChangeMember(kicked, bot, now, m);
    before = kicked;
  }
  ChangeMember(WithStatus(before, MemberStatus::kLeft, 0), bot, now, m);
  return {};
}

Result<void, DomainError> World::PromoteChatMember(UserId bot, const ChatRef& ref, UserId user,
                                                   Rights rights, bool has_can_restrict_members,
                                                   UnixTime now, Mutation& m) {
  auto resolved =
      ModerationChat(bot, ref, MessageAccess::kWrite, user, Err::kSupergroupOrChannelOnly);
  if (!resolved) return Unexpected{resolved.error()};
  const Chat& chat = **resolved;
  rights.Set(Right::kCanBeEdited, false);
  // Spec 5.1 step 3: in a channel, can_restrict_members defaults to true for a promotion.
  if (chat.type == ChatType::kChannel && rights.bits != 0 && !has_can_restrict_members)
    rights.Set(Right::kCanRestrictMembers, true);
  rights = MaskRights(rights, chat.type);
  const bool promote = rights.bits != 0;
  const Member* me = FindMember(chat.id, bot);
  if (user != bot) {
    if (!FindUser(user)) return Unexpected{DomainError{Err::kParticipantIdInvalid}};
    if (chat.type == ChatType::kChannel && !IsAdministrator(me))
      return Unexpected{DomainError{Err::kMemberListInaccessible}};
  }
  Member before = CurrentMember(chat.id, user, now);
  Member after = before;
  if (promote) {
    after.status = MemberStatus::kAdministrator;
    after.until_date = 0;
    after.rights = rights;
    after.rights.Set(Right::kCanBeEdited, true);  // the bot promoted them
  } else {
    after = WithStatus(before, IsPresent(before.status) ? MemberStatus::kMember : before.status, 0);
  }
  if (before.status != MemberStatus::kCreator && before == after) return {};  // step 5
  if (before.status == MemberStatus::kCreator)
    return Unexpected{DomainError{Err::kCantRemoveChatOwner}};
  if (user == bot) {
    if (promote) return Unexpected{DomainError{Err::kCantPromoteSelf}};
    // Named decision (spec 5.1 step 5, 13: the server's answer is not known): a bot may demote
    // itself to a plain member.
    ChangeMember(after, bot, now, m);
    return {};
  }
  if (!Holds(me, Right::kCanPromoteMembers)) return Unexpected{DomainError{Err::kNotEnoughRights}};
  // Named decision (spec 5.1 step 7, 13): someone not in the chat cannot be promoted or demoted
  // (channels.editAdmin of a non-participant): USER_NOT_PARTICIPANT.
  if (!IsPresent(before.status)) return Unexpected{DomainError{Err::kUserNotParticipant}};
  if (before.status == MemberStatus::kAdministrator && !before.rights.Has(Right::kCanBeEdited))
    return Unexpected{DomainError{Err::kChatAdminRequired}};
  if (me->status != MemberStatus::kCreator)
    for (Right r : kGrantable)
      if (r != Right::kCanManageChat && rights.Has(r) && !me->rights.Has(r))
        return Unexpected{DomainError{Err::kRightForbidden}};
  ChangeMember(after, bot, now, m);
  return {};
}

Result<void, DomainError> World::SetChatAdministratorCustomTitle(UserId bot, const ChatRef& ref,
                                                                 UserId user,
                                                                 std::string_view title,
                                                                 UnixTime now, Mutation& m) {
  auto resolved = ModerationChat(bot, ref, MessageAccess::kWrite, user, Err::kGroupsOnly);
  if (!resolved) return Unexpected{resolved.error()};
  const Chat& chat = **resolved;
  // TDLib's getChatMember (spec 5.2 step 3): named decision, as for unbanChatMember.
  if (!FindUser(user)) return Unexpected{DomainError{Err::kUserNotFound}};
  Member before = CurrentMember(chat.id, user, now);
  if (before.status == MemberStatus::kCreator)
    return Unexpected{DomainError{Err::kOnlyOwnerEditsTitle}};
  if (before.status != MemberStatus::kAdministrator)
    return Unexpected{DomainError{Err::kUserNotAdministrator}};
  // A bot never may edit a basic group's administrators (spec 5.2 step 3).
  if (chat.type == ChatType::kGroup || !before.rights.Has(Right::kCanBeEdited))
    return Unexpected{DomainError{Err::kNotEnoughRightsToEditTitle}};
  if (!utf8::IsValid(title)) return Unexpected{DomainError{Err::kStringsMustBeUtf8}};
  if (HasEmoji(title)) return Unexpected{DomainError{Err::kCustomTitleEmojiNotAllowed}};
  Member after = before;
  after.custom_title = CleanCustomTitle(title);
  if (after == before) return {};
  ChangeMember(after, bot, now, m);
  return {};
}

Result<void, DomainError> World::SetChatMemberTag(UserId bot, const ChatRef& ref, UserId user,
                                                  std::string_view tag, UnixTime now, Mutation& m) {
  auto resolved = ModerationChat(bot, ref, MessageAccess::kWrite, user, Err::kGroupsOnly);
  if (!resolved) return Unexpected{resolved.error()};
  const Chat& chat = **resolved;
  // check_user_no_fail, then TDLib's setChatMemberTag (spec 5.3): as setChatAdministratorCustom
  // Title without its status checks.
  if (!FindUser(user)) return Unexpected{DomainError{Err::kUserNotFound}};
  if (!utf8::IsValid(tag)) return Unexpected{DomainError{Err::kStringsMustBeUtf8}};
  // Named decision (spec 5.3 names the right, not the server's answer without it): a bot that
  // is not the creator or an administrator with can_manage_tags gets CHAT_ADMIN_REQUIRED, as
  // messages.editChatParticipantRank answers. Every basic-group administrator has the right
  // (spec 7.2).
  const Member* me = FindMember(chat.id, bot);
  const bool may =
      me && (me->status == MemberStatus::kCreator ||
             (me->status == MemberStatus::kAdministrator &&
              (chat.type == ChatType::kGroup || me->rights.Has(Right::kCanManageTags))));
  if (!may) return Unexpected{DomainError{Err::kChatAdminRequired}};
  Member before = CurrentMember(chat.id, user, now);
  if (!IsPresent(before.status)) return Unexpected{DomainError{Err::kUserNotParticipant}};
  // Named decision: an administrator's or the creator's rank is their custom title, which
  // setChatAdministratorCustomTitle sets; here it is TAG_CHANGE_FORBIDDEN.
  if (IsAdminLike(before.status)) return Unexpected{DomainError{Err::kTagChangeForbidden}};
  if (HasEmoji(tag)) return Unexpected{DomainError{Err::kTagEmojiNotAllowed}};
  Member after = before;
  after.custom_title = CleanCustomTitle(tag);
  if (after == before) return {};
  ChangeMember(after, bot, now, m);
  return {};
}

Result<void, DomainError> World::LeaveChat(UserId bot, const ChatRef& ref, UnixTime now,
                                           Mutation& m) {
  auto resolved = ModerationChat(bot, ref, MessageAccess::kRead, bot, Err::kStatusInPrivate);
  if (!resolved) return Unexpected{resolved.error()};
  const Chat& chat = **resolved;
  // With read access check_chat does not report an upgrade; TDLib does (spec 6.2).
  if (chat.type == ChatType::kGroup && chat.migrated_to)
    return Unexpected{DomainError{Err::kChatDeactivated}};
  return BotLeaves(chat, bot, now, m);
}

Result<void, DomainError> World::BanChatSenderChat(UserId bot, const ChatRef& ref,
                                                   int64_t sender_chat, UnixTime until_date,
                                                   UnixTime now, Mutation& m) {
  auto target = ResolveMessageChat(bot, ref, MessageAccess::kWrite);
  if (!target) return Unexpected{target.error()};
  // TDLib reads the sender (get_message_sender_dialog_id) before it looks at the chat's type.
  const DialogKind kind = KindOfDialogId(sender_chat);
  if (kind == DialogKind::kInvalid) return Unexpected{DomainError{Err::kInvalidChatIdentifier}};
  if (!target->chat) return Unexpected{DomainError{Err::kCantBanInPrivate}};
  // A positive id is a user, banned as banChatMember bans (spec 6.3), until_date included.
  if (kind == DialogKind::kUser)
    return BanChatMember(bot, ref, UserId(sender_chat), until_date, now, m);
  if (target->chat->type == ChatType::kGroup)
    return Unexpected{DomainError{Err::kCantBanChatsInBasicGroups}};
  // until_date is ignored for a chat (TDLib: "Ignored ... if a chat is banned"): bans of chats
  // are forever.
  return SetSenderChatBan(bot, *target->chat, ChatId(sender_chat), true, m);
}

Result<void, DomainError> World::UnbanChatSenderChat(UserId bot, const ChatRef& ref,
                                                     int64_t sender_chat, UnixTime now,
                                                     Mutation& m) {
  auto target = ResolveMessageChat(bot, ref, MessageAccess::kWrite);
  if (!target) return Unexpected{target.error()};
  const DialogKind kind = KindOfDialogId(sender_chat);
  if (kind == DialogKind::kInvalid) return Unexpected{DomainError{Err::kInvalidChatIdentifier}};
  if (!target->chat) return Unexpected{DomainError{Err::kStatusInPrivate}};
  if (target->chat->type == ChatType::kGroup) {
    if (kind != DialogKind::kUser) return {};  // chats are never members of basic groups
    // Named decision (spec 6.3: "exactly like unbanChatMember", which basic groups refuse before
    // TDLib is asked): TDLib's setChatMemberStatus(left) removes the user from the basic group,
    // as banChatMember does there (messages.deleteChatUser), with the same errors.
    return BanChatMember(bot, ref, UserId(sender_chat), 0, now, m);
  }
  if (kind == DialogKind::kUser)
    return UnbanChatMember(bot, ref, UserId(sender_chat), /*only_if_banned=*/false, now, m);
  return SetSenderChatBan(bot, *target->chat, ChatId(sender_chat), false, m);
}

Result<void, DomainError> World::SetSenderChatBan(UserId bot, const Chat& chat, ChatId sender_chat,
                                                  bool banned, Mutation& m) {
  // TDLib's restrict_channel_participant (spec 1.3 step 8), for a chat as the target. Named
  // decision: the chats of the world are the chats the bot knows; TDLib has no input peer for
  // any other (a secret chat included), and says "member not found" (step 8.2).
  const Chat* sender = FindChat(sender_chat);
  if (!sender) return Unexpected{DomainError{Err::kMemberNotFound}};
  if (sender->type == ChatType::kGroup) return Unexpected{DomainError{Err::kCantRestrictTheChat}};
  if (!Holds(FindMember(chat.id, bot), Right::kCanRestrictMembers))
    return Unexpected{DomainError{Err::kNotEnoughRightsToRestrict}};
  // The server is always asked (step 3), and no chat_member update is sent for a chat (spec
  // 6.3); only a change is written.
  auto it = sender_chat_bans_.find(chat.id);
  const bool was = it != sender_chat_bans_.end() && it->second.contains(sender_chat);
  if (was == banned) return {};
  SenderChatBan record{.chat = chat.id, .sender_chat = sender_chat, .banned = banned};
  StoreSenderChatBan(record);
  m.ops.emplace_back(record);
  return {};
}

void World::StoreSenderChatBan(const SenderChatBan& ban) {
  if (ban.banned) {
    sender_chat_bans_[ban.chat].insert(ban.sender_chat);
    return;
  }
  auto it = sender_chat_bans_.find(ban.chat);
  if (it == sender_chat_bans_.end()) return;
  it->second.erase(ban.sender_chat);
  if (it->second.empty()) sender_chat_bans_.erase(it);
}

std::vector<ChatId> World::BannedSenderChats(ChatId chat) const {
  auto it = sender_chat_bans_.find(chat);
  if (it == sender_chat_bans_.end()) return {};
  return std::vector<ChatId>(it->second.begin(), it->second.end());
}

}  // namespace tgi::domain
