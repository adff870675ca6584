// The invite-link family (spec 3), join requests, and the joins and leaves the control plane
// drives. Member changes go through ChangeMember, which emits the updates (world_updates.cc).
#include <algorithm>
#include <string>

#include "domain/world.h"
#include "text/fix.h"

namespace tgi::domain {
namespace {

constexpr size_t kMaxLinkNameCodePoints = 32;     // MAX_INVITE_LINK_TITLE_LENGTH
constexpr int32_t kMaxMemberLimit = 99999;        // the docs' 1-99999; 100000 reaches the server
constexpr int32_t kSubscriptionPeriod = 2592000;  // 30 days, the only period production takes
constexpr int32_t kMaxSubscriptionPrice = 10000;  // Stars

bool IsHashChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool IsHash(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), IsHashChar);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string LinkHashFromString(std::string_view link) {
  for (std::string_view scheme : {"https://", "http://"})
    if (StartsWith(link, scheme)) link.remove_prefix(scheme.size());
  for (std::string_view host : {"t.me/", "telegram.me/", "telegram.dog/"}) {
    if (!StartsWith(link, host)) continue;
    link.remove_prefix(host.size());
    if (StartsWith(link, "+")) {
      link.remove_prefix(1);
    } else if (StartsWith(link, "joinchat/")) {
      link.remove_prefix(9);
    } else {
      return {};
    }
    return IsHash(link) ? std::string(link) : std::string();
  }
  if (StartsWith(link, "tg://join?invite=")) {
    link.remove_prefix(17);
    return IsHash(link) ? std::string(link) : std::string();
  }
  return IsHash(link) ? std::string(link) : std::string();
}

std::optional<std::string> CleanLinkName(std::string_view name) {
  // As TDLib's createChatInviteLink request does it: CLEAN_INPUT_STRING, then clean_name with
  // MAX_INVITE_LINK_TITLE_LENGTH (cut before the collapse, spec 3.2).
  std::string cleaned(name);
  if (!text::CleanInputString(cleaned)) return std::nullopt;
  return text::CleanName(cleaned, kMaxLinkNameCodePoints);
}

// ---------------------------------------------------------------------------------------------
// Lookups.

int World::PendingJoinRequestCount(std::string_view hash) const {
  int n = 0;
  const InviteLink* link = FindLink(hash);
  if (!link) return 0;
  auto lo = join_requests_.lower_bound({link->chat, UserId(INT64_MIN)});
  for (auto it = lo; it != join_requests_.end() && it->first.first == link->chat; ++it)
    if (it->second.state == JoinRequestState::kPending && it->second.link_hash == hash) ++n;
  return n;
}

int World::LinkMemberCount(std::string_view hash) const {
  auto it = link_members_.find(std::string(hash));
  return it == link_members_.end() ? 0 : it->second;
}

const JoinRequest* World::FindJoinRequest(ChatId chat, UserId user) const {
  auto it = join_requests_.find({chat, user});
  return it == join_requests_.end() ? nullptr : &it->second;
}

std::vector<const JoinRequest*> World::ListJoinRequests(ChatId chat) const {
  std::vector<const JoinRequest*> out;
  auto lo = join_requests_.lower_bound({chat, UserId(INT64_MIN)});
  for (auto it = lo; it != join_requests_.end() && it->first.first == chat; ++it)
    out.push_back(&it->second);
  return out;
}

void World::StoreJoinRequest(const JoinRequest& request) {
  join_requests_[{request.chat, request.user}] = request;
}

Result<const Chat*, DomainError> World::LinkChat(UserId bot, const ChatRef& ref) const {
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  if (!target->chat) return Unexpected{DomainError{Err::kPrivateChatNoInvite}};
  const Chat& chat = *target->chat;
  if (auto access = CheckAccess(bot, chat, Access::kWrite); !access)
    return Unexpected{access.error()};
  return &chat;
}

Result<const InviteLink*, DomainError> World::OwnLink(UserId bot, const Chat& chat,
                                                      std::string_view link) const {
  const InviteLink* found = FindLink(LinkHashFromString(link));
  // Named decision (spec 9): a link that is unknown, of another chat, or another
  // administrator's answers INVITE_HASH_EXPIRED, as a dead link does on Telegram.
  if (!found || found->chat != chat.id || found->creator != bot)
    return Unexpected{DomainError{Err::kInviteHashExpired}};
  return found;
}

// ---------------------------------------------------------------------------------------------
// The Bot API methods.

Result<InviteLink, DomainError> World::CreateLink(UserId bot, const ChatRef& ref,
                                                  const LinkSpec& spec, UnixTime now, Mutation& m) {
  auto chat = LinkChat(bot, ref);
  if (!chat) return Unexpected{chat.error()};
  // TDLib's request cleans the name before anything else it checks.
  auto name = CleanLinkName(spec.name);
  if (!name) return Unexpected{DomainError{Err::kStringsMustBeUtf8}};
  // TDLib checks the conflict before the rights (spec 3.2).
  if (spec.creates_join_request && spec.member_limit > 0)
    return Unexpected{DomainError{Err::kMemberLimitWithApproval}};
  if (!CanManageInviteLinks(bot, **chat))
    return Unexpected{DomainError{Err::kNotEnoughRightsInviteLink, (*chat)->type}};
  if (spec.expire_date != 0 && spec.expire_date <= now)
    return Unexpected{DomainError{Err::kExpireDateInvalid}};
  if (spec.member_limit > kMaxMemberLimit) return Unexpected{DomainError{Err::kUsageLimitInvalid}};
  InviteLink link{.hash = NewHash(),
                  .chat = (*chat)->id,
                  .creator = bot,
                  .name = std::move(*name),
                  .expire_date = spec.expire_date,
                  .member_limit = spec.member_limit,
                  .creates_join_request = spec.creates_join_request,
                  .created = now};
  StoreLink(link);
  m.ops.emplace_back(link);
  return link;
}

Result<InviteLink, DomainError> World::EditLink(UserId bot, const ChatRef& ref,
                                                std::string_view link, const LinkSpec& spec,
                                                UnixTime now, Mutation& m) {
  auto chat = LinkChat(bot, ref);
  if (!chat) return Unexpected{chat.error()};
  auto name = CleanLinkName(spec.name);
  if (!name) return Unexpected{DomainError{Err::kStringsMustBeUtf8}};
  // Rights first, then the conflict, then the empty link (spec 3.3).
  if (!CanManageInviteLinks(bot, **chat))
    return Unexpected{DomainError{Err::kNotEnoughRightsInviteLink, (*chat)->type}};
  if (spec.creates_join_request && spec.member_limit > 0)
    return Unexpected{DomainError{Err::kMemberLimitWithApproval}};
  if (link.empty()) return Unexpected{DomainError{Err::kInviteLinkEmpty}};
  auto own = OwnLink(bot, **chat, link);
  if (!own) return Unexpected{own.error()};
  const InviteLink& old = **own;
  if (old.is_revoked) return Unexpected{DomainError{Err::kInviteHashExpired}};
  if (old.is_primary) return Unexpected{DomainError{Err::kChatInvitePermanent}};
  InviteLink edited = old;
  edited.name = std::move(*name);
  if (old.subscription_period == 0) {
    // Full replacement: whatever the request left out is reset.
    if (spec.expire_date != 0 && spec.expire_date <= now)
      return Unexpected{DomainError{Err::kExpireDateInvalid}};
    if (spec.member_limit > kMaxMemberLimit)
      return Unexpected{DomainError{Err::kUsageLimitInvalid}};
    edited.expire_date = spec.expire_date;
    edited.member_limit = spec.member_limit;
    edited.creates_join_request = spec.creates_join_request;
  }
  StoreLink(edited);
  m.ops.emplace_back(edited);
  return edited;
}

Result<InviteLink, DomainError> World::RevokeLink(UserId bot, const ChatRef& ref,
                                                  std::string_view link, UnixTime now,
                                                  Mutation& m) {
  auto chat = LinkChat(bot, ref);
  if (!chat) return Unexpected{chat.error()};
  if (!CanManageInviteLinks(bot, **chat))
    return Unexpected{DomainError{Err::kNotEnoughRightsInviteLink, (*chat)->type}};
  if (link.empty()) return Unexpected{DomainError{Err::kInviteLinkEmpty}};
  auto own = OwnLink(bot, **chat, link);
  if (!own) return Unexpected{own.error()};
  InviteLink revoked = **own;
  if (revoked.is_revoked) return revoked;
  if (revoked.is_primary) {
    // A new primary link at once; the answer is the old one, revoked (spec 3.4).
    ReplacePrimary(revoked.chat, bot, now, m);
    revoked = *FindLink(revoked.hash);
  } else {
    revoked.is_revoked = true;
    StoreLink(revoked);
    m.ops.emplace_back(revoked);
  }
  // Pending requests through a revoked link stay pending: admins can still answer them.
  return revoked;
}

Result<InviteLink, DomainError> World::CreateSubscriptionLink(UserId bot, const ChatRef& ref,
                                                              const SubscriptionSpec& spec,
                                                              UnixTime now, Mutation& m) {
  auto chat = LinkChat(bot, ref);
  if (!chat) return Unexpected{chat.error()};
  auto name = CleanLinkName(spec.name);
  if (!name) return Unexpected{DomainError{Err::kStringsMustBeUtf8}};
  if (spec.period <= 0 || spec.price <= 0)
    return Unexpected{DomainError{Err::kInvalidSubscriptionPricing}};
  if (!CanManageInviteLinks(bot, **chat))
    return Unexpected{DomainError{Err::kNotEnoughRightsInviteLink, (*chat)->type}};
  // Named decision (spec 9: not seen): outside a channel the server answers PEER_ID_INVALID.
  if ((*chat)->type != ChatType::kChannel) return Unexpected{DomainError{Err::kPeerIdInvalid}};
  if (spec.period != kSubscriptionPeriod)
    return Unexpected{DomainError{Err::kSubscriptionPeriodInvalid}};
  if (spec.price > kMaxSubscriptionPrice) return Unexpected{DomainError{Err::kPricingChatInvalid}};
  InviteLink link{.hash = NewHash(),
                  .chat = (*chat)->id,
                  .creator = bot,
                  .name = std::move(*name),
                  .subscription_period = spec.period,
                  .subscription_price = spec.price,
                  .created = now};
  StoreLink(link);
  m.ops.emplace_back(link);
  return link;
}

Result<InviteLink, DomainError> World::EditSubscriptionLink(UserId bot, const ChatRef& ref,
                                                            std::string_view link,
                                                            std::string_view raw_name, UnixTime,
                                                            Mutation& m) {
  auto chat = LinkChat(bot, ref);
  if (!chat) return Unexpected{chat.error()};
  auto name = CleanLinkName(raw_name);
  if (!name) return Unexpected{DomainError{Err::kStringsMustBeUtf8}};
  if (!CanManageInviteLinks(bot, **chat))
    return Unexpected{DomainError{Err::kNotEnoughRightsInviteLink, (*chat)->type}};
  if (link.empty()) return Unexpected{DomainError{Err::kInviteLinkEmpty}};
  auto own = OwnLink(bot, **chat, link);
  if (!own) return Unexpected{own.error()};
  if ((*own)->is_revoked) return Unexpected{DomainError{Err::kInviteHashExpired}};
  if ((*own)->is_primary) return Unexpected{DomainError{Err::kChatInvitePermanent}};
  // Only the title is sent (spec 3.5), whatever kind of link it is.
  InviteLink edited = **own;
  edited.name = std::move(*name);
  StoreLink(edited);
  m.ops.emplace_back(edited);
  return edited;
}

Result<void, DomainError> World::DecideJoinRequest(UserId bot, const ChatRef& ref, UserId user,
                                                   JoinDecision decision, UnixTime now,
                                                   Mutation& m) {
  const bool approve = decision == JoinDecision::kApprove;
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  if (!target->chat) return Unexpected{DomainError{Err::kNoJoinRequestsInPrivate}};
  const Chat& chat = *target->chat;
  // Write access first (an upgraded group answers with migrate_to_chat_id, spec 2.2.2), then
  // TDLib's can_manage_dialog_join_requests (spec 3.6).
  if (auto access = CheckAccess(bot, chat, Access::kWrite); !access)
    return Unexpected{access.error()};
  if (chat.migrated_to) return Unexpected{DomainError{Err::kChatDeactivated}};
  if (!CanManageInviteLinks(bot, chat))
    return Unexpected{DomainError{Err::kNotEnoughRightsJoinRequests, chat.type}};
  auto it = join_requests_.find({chat.id, user});
  if (it == join_requests_.end() || it->second.state != JoinRequestState::kPending)
    return Unexpected{DomainError{Err::kHideRequesterMissing}};
  const Member* mb = FindMember(chat.id, user);
  JoinRequest request = it->second;
  request.state = approve ? JoinRequestState::kApproved : JoinRequestState::kDeclined;
  request.decided = now;
  if (approve && mb && IsPresent(mb->status)) {
    // Already in: the request is gone either way.
    request.state = JoinRequestState::kDeclined;
    StoreJoinRequest(request);
    m.ops.emplace_back(request);
    return Unexpected{DomainError{Err::kUserAlreadyParticipant}};
  }
  StoreJoinRequest(request);
  m.ops.emplace_back(request);
  CloseContactWindows(chat.id, user, m);  // spec 2.3: "until the join request is processed"
  if (!approve) return {};
  Member after{.chat = chat.id, .user = user, .status = MemberStatus::kMember, .joined = now};
  Join join{.chat = chat.id,
            .user = user,
            .link_hash = request.link_hash,
            .date = now,
            .via_join_request = true};
  StoreJoin(join);
  m.ops.emplace_back(join);
  // Named decision: `from` of the chat_member update is the administrator who approved.
  ChangeMember(after, bot, now, m, request.link_hash, request.link_hash.empty());
  return {};
}

// ---------------------------------------------------------------------------------------------
// Joins and leaves, driven by the control plane.

Result<JoinOutcome, DomainError> World::JoinByLink(UserId user, std::string_view hash, UnixTime now,
                                                   Mutation& m, const std::string& bio) {
  const User* who = FindUser(user);
  if (!who) return Unexpected{DomainError{Err::kUserNotFound}};
  // Bots cannot use invite links; the control plane adds them with PUT .../members/{id}.
  if (who->is_bot) return Unexpected{DomainError{Err::kBotCannotJoinByLink}};
  const InviteLink* link = FindLink(hash);
  if (!link || link->is_revoked || (link->expire_date != 0 && link->expire_date <= now))
    return Unexpected{DomainError{Err::kInviteHashExpired}};
  const Chat* chat = FindChat(link->chat);
  if (!chat || chat->migrated_to) return Unexpected{DomainError{Err::kInviteHashExpired}};
  // A ban whose until_date has passed no longer counts (EffectiveMember).
  const Member old = CurrentMember(chat->id, user, now);
  if (IsPresent(old.status)) return Unexpected{DomainError{Err::kUserAlreadyParticipant}};
  if (old.status == MemberStatus::kKicked) return Unexpected{DomainError{Err::kBannedFromChat}};
  // Named decision: a link whose member limit is reached is dead for the joiner, as on
  // Telegram, where it shows as expired: INVITE_HASH_EXPIRED.
  if (link->member_limit > 0 && LinkMemberCount(link->hash) >= link->member_limit)
    return Unexpected{DomainError{Err::kInviteHashExpired}};
  JoinOutcome out;
  if (link->creates_join_request) {
    const JoinRequest* existing = FindJoinRequest(chat->id, user);
    if (existing && existing->state == JoinRequestState::kPending)
      return Unexpected{DomainError{Err::kInviteRequestSent}};
    JoinRequest request{
        .chat = chat->id, .user = user, .link_hash = link->hash, .date = now, .bio = bio};
    StoreJoinRequest(request);
    m.ops.emplace_back(request);
    JoinRequestEvent event{
        .chat = chat->id, .from = user, .date = now, .bio = bio, .link_hash = link->hash};
    // Every administrator bot that can manage invite links hears of it (spec 5.2).
    if (auto it = members_.find(chat->id); it != members_.end())
      for (const auto& [uid, mb] : it->second)
        if (FindBot(uid) && CanManageInviteLinks(uid, *chat))
          Emit(uid, UpdateType::kChatJoinRequest, event, now, m);
    // Those bots may write to the user for a while (ChatJoinRequest.user_chat_id, spec 2.3).
    OpenContactWindows(chat->id, user, now, m);
    out.pending = true;
    out.request = request;
    return out;
  }
  Member after{.chat = chat->id, .user = user, .status = MemberStatus::kMember, .joined = now};
  Join join{.chat = chat->id, .user = user, .link_hash = link->hash, .date = now};
  StoreJoin(join);
  m.ops.emplace_back(join);
  std::string link_hash = link->hash;  // ChangeMember may move the link table
  ChangeMember(after, user, now, m, link_hash);
  out.join = join;
  return out;
}

Result<void, DomainError> World::WithdrawJoinRequest(ChatId chat, UserId user, UnixTime now,
                                                     Mutation& m) {
  auto it = join_requests_.find({chat, user});
  if (it == join_requests_.end() || it->second.state != JoinRequestState::kPending)
    return Unexpected{DomainError{Err::kHideRequesterMissing}};
  JoinRequest request = it->second;
  request.state = JoinRequestState::kWithdrawn;
  request.decided = now;
  StoreJoinRequest(request);
  m.ops.emplace_back(request);
  CloseContactWindows(chat, user, m);
  return {};
}

Result<void, DomainError> World::Leave(ChatId chat, UserId user, UnixTime now, Mutation& m) {
  const Chat* c = FindChat(chat);
  if (!c) return Unexpected{DomainError{Err::kChatNotFound}};
  if (!FindUser(user)) return Unexpected{DomainError{Err::kUserNotFound}};
  const Member* mb = FindMember(chat, user);
  if (!mb || !IsPresent(mb->status)) return Unexpected{DomainError{Err::kUserNotParticipant}};
  Member after = *mb;
  after.status = MemberStatus::kLeft;
  after.rights = {};
  after.custom_title.clear();
  after.until_date = 0;
  after.joined = 0;
  ChangeMember(after, user, now, m);
  return {};
}

Result<void, DomainError> World::Remove(ChatId chat, UserId user, Removal removal,
                                        std::optional<UserId> by, UnixTime now, Mutation& m) {
  const bool ban = removal == Removal::kBan;
  const Chat* c = FindChat(chat);
  if (!c) return Unexpected{DomainError{Err::kChatNotFound}};
  if (!FindUser(user) || (by && !FindUser(*by))) return Unexpected{DomainError{Err::kUserNotFound}};
  const Member* mb = FindMember(chat, user);
  bool present = mb && IsPresent(mb->status);
  if (!present && !ban) return Unexpected{DomainError{Err::kUserNotParticipant}};
  Member after = mb ? *mb : Member{.chat = chat, .user = user};
  after.status = ban ? MemberStatus::kKicked : MemberStatus::kLeft;
  after.rights = {};
  after.custom_title.clear();
  after.until_date = 0;
  after.joined = 0;
  if (mb && *mb == after) return {};
  if (ban) DeclinePendingRequest(chat, user, now, m);  // their pending request goes with them
  ChangeMember(after, by.value_or(DefaultActor(chat, user)), now, m);
  return {};
}

void World::RevokeLinksOf(ChatId chat, UserId user, Mutation& m) {
  auto it = live_links_.find({chat, user});
  if (it == live_links_.end()) return;
  // Named decision (the specs do not say): every link a member made in the chat, primary
  // or additional, is revoked when they lose the right to invite users, since on Telegram a link
  // stops working when its creator can no longer invite; a later join through it is
  // INVITE_HASH_EXPIRED and listings show it revoked. Oldest first, so the ops are in link order.
  std::vector<LinkTable::Index> live(it->second.begin(), it->second.end());
  std::sort(live.begin(), live.end());
  for (LinkTable::Index i : live) {
    InviteLink revoked = links_.at(i);
    revoked.is_revoked = true;
    StoreLink(revoked);  // erases it from live_links_ (`it` may dangle from here)
    m.ops.emplace_back(std::move(revoked));
  }
}

}  // namespace tgi::domain
