#include "domain/world.h"

#include <algorithm>
#include <memory>
#include <string>

#include "common/ascii.h"

namespace tgi::domain {
namespace {

constexpr int64_t kCloseForbiddenSeconds = 600;  // `close` is refused for 10 minutes after launch

}  // namespace

World::World(WorldState state, HashSource hashes) : hashes_(std::move(hashes)) {
  for (auto& u : state.users) StoreUser(u);
  for (auto& b : state.bots) StoreBot(b);
  for (auto& c : state.chats) StoreChat(c);
  for (auto& mb : state.members) StoreMember(mb);
  for (auto& l : state.links) StoreLink(l);
  for (auto& j : state.joins) StoreJoin(j);
  for (auto& r : state.join_requests) StoreJoinRequest(r);
  clock_ = state.clock;
  for (auto& st : state.bot_settings) StoreSettings(st);
  for (auto& u : state.updates) StoreUpdate(u);
  for (auto& msg : state.messages) StoreMessage(msg);
  for (auto& pc : state.private_chats) StorePrivateChat(pc);
  for (auto& q : state.callback_queries) StoreCallbackQuery(q);
  for (auto& e : state.bot_profile) StoreProfile(e);
  for (const auto& [chat, per_chat] : members_)
    for (const auto& [uid, mb] : per_chat)
      if (IsPresent(mb.status) && !mb.joined_via.empty()) member_link_[{chat, uid}] = mb.joined_via;
  for (const auto& [key, hash] : member_link_) ++link_members_[hash];
}

// ---------------------------------------------------------------------------------------------
// Lookups and bookkeeping.

const Bot* World::FindBot(UserId id) const {
  auto it = bots_.find(id);
  return it == bots_.end() ? nullptr : &it->second;
}

const User* World::FindUser(UserId id) const {
  auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second;
}

const Chat* World::FindChat(ChatId id) const {
  auto it = chats_.find(id);
  return it == chats_.end() ? nullptr : &it->second;
}

std::optional<ChatId> World::UpgradedFrom(ChatId supergroup) const {
  // Upgrades are rare and this is read only to encode their service message: a scan will do.
  for (const auto& [id, chat] : chats_)
    if (chat.migrated_to == supergroup) return id;
  return std::nullopt;
}

const Member* World::FindMember(ChatId chat, UserId user) const {
  auto it = members_.find(chat);
  if (it == members_.end()) return nullptr;
  auto m = it->second.find(user);
  return m == it->second.end() ? nullptr : &m->second;
}

const InviteLink* World::FindLink(std::string_view hash) const { return links_.Find(hash); }

const User* World::FindUserByUsername(std::string_view username) const {
  auto it = user_by_username_.find(ascii::Lower(username));
  return it == user_by_username_.end() ? nullptr : FindUser(it->second);
}

const InviteLink* World::ActivePrimary(ChatId chat, UserId creator) const {
  auto it = active_primary_.find({chat, creator});
  return it == active_primary_.end() ? nullptr : &links_.at(it->second);
}

void World::StoreBot(const Bot& bot) { bots_[bot.id] = bot; }

void World::StoreUser(const User& user) {
  auto it = users_.find(user.id);
  if (it != users_.end() && !it->second.username.empty())
    user_by_username_.erase(ascii::Lower(it->second.username));
  users_[user.id] = user;
  if (!user.username.empty()) user_by_username_[ascii::Lower(user.username)] = user.id;
}

void World::StoreChat(const Chat& chat) {
  auto it = chats_.find(chat.id);
  if (it != chats_.end() && !it->second.username.empty())
    chat_by_username_.erase(ascii::Lower(it->second.username));
  chats_[chat.id] = chat;
  if (!chat.username.empty()) chat_by_username_[ascii::Lower(chat.username)] = chat.id;
}

void World::StoreMember(const Member& member) {
  members_[member.chat][member.user] = member;
  if ((member.status == MemberStatus::kRestricted || member.status == MemberStatus::kKicked) &&
      member.until_date > 0)
    restriction_ends_.emplace(member.until_date, std::make_pair(member.chat, member.user));
}

const InviteLink& World::StoreLink(const InviteLink& link) {
  auto [index, inserted] = links_.Put(link);
  if (inserted) chat_links_[link.chat].push_back(index);
  auto key = std::make_pair(link.chat, link.creator);
  if (link.is_primary && !link.is_revoked) {
    active_primary_[key] = index;
  } else if (auto a = active_primary_.find(key); a != active_primary_.end() && a->second == index) {
    active_primary_.erase(a);
  }
  return links_.at(index);
}

void World::StoreJoin(const Join& join) {
  joins_by_link_[join.link_hash].push_back(joins_.size());
  joins_.push_back(join);
}

std::string World::NewHash() const {
  for (;;) {
    std::string h = hashes_();
    // An all-digit hash would read as a phone-number link (spec 6); a collision would merge links.
    bool all_digits = std::all_of(h.begin(), h.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!all_digits && !links_.contains(h)) return h;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolving chats and checking access.

Result<Target, DomainError> World::Resolve(UserId bot, const ChatRef& ref) const {
  if (!ref.id) {
    // @username: public supergroups and channels, and bots; never basic groups or people.
    std::string key = ascii::Lower(ref.username);
    if (auto c = chat_by_username_.find(key); c != chat_by_username_.end())
      return Target{.chat = FindChat(c->second)};
    if (auto u = user_by_username_.find(key); u != user_by_username_.end()) {
      const User* user = FindUser(u->second);
      if (user && user->is_bot) return Target{.user = user};
    }
    return Unexpected{DomainError{Err::kChatNotFound}};
  }
  int64_t id = *ref.id;
  if (id > 0) {
    if (const User* user = FindUser(UserId(id))) return Target{.user = user};
    return Unexpected{DomainError{Err::kChatNotFound}};
  }
  const Chat* chat = FindChat(ChatId(id));
  if (!chat) return Unexpected{DomainError{Err::kChatNotFound}};
  // A bot can reach a chat it has been in (any member record) or a public one.
  if (!FindMember(chat->id, bot) && chat->username.empty())
    return Unexpected{DomainError{Err::kChatNotFound}};
  return Target{.chat = chat};
}

Result<void, DomainError> World::CheckAccess(UserId bot, const Chat& chat, Access access) const {
  const Member* me = FindMember(chat.id, bot);
  MemberStatus status = me ? me->status : MemberStatus::kLeft;
  if (access == Access::kRead) {
    // Basic groups stay readable once known; public chats are readable by anyone.
    if (chat.type == ChatType::kGroup || !chat.username.empty() || IsPresent(status)) return {};
    return Unexpected{DomainError{Err::kBotNotMember, chat.type}};
  }
  if (chat.migrated_to)
    return Unexpected{DomainError{Err::kGroupUpgraded, chat.type, chat.migrated_to}};
  if (status == MemberStatus::kKicked) return Unexpected{DomainError{Err::kBotKicked, chat.type}};
  if (!IsPresent(status)) return Unexpected{DomainError{Err::kBotNotMember, chat.type}};
  return {};
}

bool World::CanManageInviteLinks(UserId bot, const Chat& chat) const {
  const Member* me = FindMember(chat.id, bot);
  if (!me) return false;
  if (me->status == MemberStatus::kCreator) return true;
  // TDLib needs the administrator right itself; chat-wide "members may invite" does not count.
  return me->status == MemberStatus::kAdministrator && me->rights.Has(Right::kCanInviteUsers);
}

// ---------------------------------------------------------------------------------------------
// Bot API.

const InviteLink& World::ReplacePrimary(ChatId chat, UserId creator, UnixTime now, Mutation& m) {
  if (const InviteLink* old = ActivePrimary(chat, creator)) {
    InviteLink revoked = *old;
    revoked.is_revoked = true;
    StoreLink(revoked);
    m.ops.emplace_back(revoked);
  }
  InviteLink link{.hash = NewHash(), .chat = chat, .creator = creator, .is_primary = true};
  link.created = now;
  const InviteLink& stored = StoreLink(link);
  m.ops.emplace_back(std::move(link));
  return stored;
}

Result<std::string, DomainError> World::ExportPrimaryLink(UserId bot, const ChatRef& ref,
                                                          UnixTime now, Mutation& m) {
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  if (!target->chat) return Unexpected{DomainError{Err::kPrivateChatNoInvite}};
  const Chat& chat = *target->chat;
  if (auto access = CheckAccess(bot, chat, Access::kWrite); !access)
    return Unexpected{access.error()};
  if (!CanManageInviteLinks(bot, chat))
    return Unexpected{DomainError{Err::kNotEnoughRightsInviteLink, chat.type}};
  // Named decision (spec 9, "not confirmed"): only the bot's previous *primary* link is revoked,
  // as the Bot API docs say; its additional links stay valid.
  return ReplacePrimary(chat.id, bot, now, m).hash;
}

Result<ChatView, DomainError> World::GetChat(UserId bot, const ChatRef& ref, UnixTime now,
                                             Mutation& m) {
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  ChatView view{.target = *target, .pinned_message = PinnedMessage(bot, *target)};
  if (!target->chat) return view;
  const Chat& chat = *target->chat;
  if (auto access = CheckAccess(bot, chat, Access::kRead); !access)
    return Unexpected{access.error()};
  // The bot's own primary link, made on demand (spec 4.1), only while it may manage links.
  if (!chat.migrated_to && CanManageInviteLinks(bot, chat)) {
    const InviteLink* link = ActivePrimary(chat.id, bot);
    if (!link) link = &ReplacePrimary(chat.id, bot, now, m);
    view.invite_link_hash = link->hash;
  }
  return view;
}

Result<MemberView, DomainError> World::GetChatMember(UserId bot, const ChatRef& ref, UserId user,
                                                     UnixTime now) const {
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  const User* who = FindUser(user);
  if (!who) return Unexpected{DomainError{Err::kUserNotFound}};
  if (!target->chat) {
    // A private chat has two members: the user and the bot.
    if (user != target->user->id && user != bot) return Unexpected{DomainError{Err::kUserNotFound}};
    return MemberView{.user = who, .member = Member{.user = user, .status = MemberStatus::kMember}};
  }
  const Chat& chat = *target->chat;
  if (auto access = CheckAccess(bot, chat, Access::kRead); !access)
    return Unexpected{access.error()};
  return MemberView{.chat = &chat, .user = who, .member = CurrentMember(chat.id, user, now)};
}

Result<std::vector<MemberView>, DomainError> World::GetChatAdministrators(UserId bot,
                                                                          const ChatRef& ref,
                                                                          AdminBots bots) const {
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  if (!target->chat) return Unexpected{DomainError{Err::kNoAdministratorsInPrivate}};
  const Chat& chat = *target->chat;
  if (auto access = CheckAccess(bot, chat, Access::kRead); !access)
    return Unexpected{access.error()};
  std::vector<MemberView> out;
  auto it = members_.find(chat.id);
  if (it == members_.end()) return out;
  for (int pass = 0; pass < 2; ++pass) {
    MemberStatus want = pass == 0 ? MemberStatus::kCreator : MemberStatus::kAdministrator;
    for (const auto& [uid, mb] : it->second) {
      if (mb.status != want) continue;
      const User* u = FindUser(uid);
      if (!u) continue;
      if (u->is_bot && uid != bot && bots != AdminBots::kAll) continue;
      out.push_back(MemberView{.chat = &chat, .user = u, .member = mb});
    }
  }
  return out;
}

Result<int, DomainError> World::GetChatMemberCount(UserId bot, const ChatRef& ref) const {
  auto target = Resolve(bot, ref);
  if (!target) return Unexpected{target.error()};
  if (!target->chat) return target->user->id == bot ? 1 : 2;
  const Chat& chat = *target->chat;
  if (auto access = CheckAccess(bot, chat, Access::kRead); !access)
    return Unexpected{access.error()};
  int count = 0;
  if (auto it = members_.find(chat.id); it != members_.end())
    for (const auto& [uid, mb] : it->second) count += IsPresent(mb.status) ? 1 : 0;
  return count;
}

void World::LogOut(UserId bot, Mutation& m) {
  Bot b = bots_.at(bot);
  b.logged_out = true;
  StoreBot(b);
  m.ops.emplace_back(b);
}

void World::NoteRequest(UserId bot, UnixTime now) { launched_.try_emplace(bot, now); }

int64_t World::CloseRetryAfter(UserId bot, UnixTime now) const {
  auto it = launched_.find(bot);
  UnixTime launched = it == launched_.end() ? now : it->second;
  int64_t left = launched + kCloseForbiddenSeconds - now;
  return left > 0 ? left : 0;
}

WorldState World::SnapshotForTesting() const {
  WorldState s;
  for (const auto& [id, b] : bots_) s.bots.push_back(b);
  for (const auto& [id, u] : users_) s.users.push_back(u);
  for (const auto& [id, c] : chats_) s.chats.push_back(c);
  for (const auto& [cid, per_chat] : members_)
    for (const auto& [uid, mb] : per_chat) s.members.push_back(mb);
  for (const auto& [cid, indexes] : chat_links_)
    for (LinkTable::Index i : indexes) s.links.push_back(links_.at(i));
  s.joins = joins_;
  for (const auto& [key, r] : join_requests_) s.join_requests.push_back(r);
  s.clock = clock_;
  for (const auto& [id, st] : settings_) s.bot_settings.push_back(st);
  for (const auto& [id, q] : queues_) s.updates.insert(s.updates.end(), q.begin(), q.end());
  for (const auto& [key, ids] : message_order_)
    for (int64_t id : ids)
      s.messages.push_back(messages_.at(MessageKey{key.first, key.second, id}));
  for (const auto& [key, pc] : private_chats_) s.private_chats.push_back(pc);
  for (const auto& [id, q] : callback_queries_) s.callback_queries.push_back(q);
  for (const auto& [key, value] : profile_)
    s.bot_profile.push_back(BotProfileEntry{.bot = key.first, .key = key.second, .value = value});
  return s;
}

}  // namespace tgi::domain
