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

const Member* World::FindMember(ChatId chat, UserId user) const {
  auto it = members_.find(chat);
  if (it == members_.end()) return nullptr;
  auto m = it->second.find(user);
  return m == it->second.end() ? nullptr : &m->second;
}

const InviteLink* World::FindLink(std::string_view hash) const { return links_.Find(hash); }

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

void World::StoreMember(const Member& member) { members_[member.chat][member.user] = member; }

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
  ChatView view{.target = *target};
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

Result<MemberView, DomainError> World::GetChatMember(UserId bot, const ChatRef& ref,
                                                     UserId user) const {
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
  if (const Member* mb = FindMember(chat.id, user))
    return MemberView{.chat = &chat, .user = who, .member = *mb};
  return MemberView{.chat = &chat,
                    .user = who,
                    .member = Member{.chat = chat.id, .user = user, .status = MemberStatus::kLeft}};
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

// ---------------------------------------------------------------------------------------------
// Control plane.

Status World::CheckUsername(std::string_view username, bool for_bot) const {
  if (username.size() < 4 || username.size() > 32)
    return Fail("username must have 4 to 32 characters");
  for (char c : username) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return Fail("username may hold only A-Z, a-z, 0-9 and _");
  }
  if (!((username[0] >= 'a' && username[0] <= 'z') || (username[0] >= 'A' && username[0] <= 'Z')))
    return Fail("username must start with a letter");
  if (for_bot) {
    std::string lower = ascii::Lower(username);
    if (lower.size() < 3 || lower.compare(lower.size() - 3, 3, "bot") != 0)
      return Fail("a bot's username must end in \"bot\"");
  }
  return {};
}

Status World::PutBot(const Bot& bot, const User& user, Mutation& m) {
  if (bot.id.value <= 0 || bot.id.value >= (int64_t{1} << 54))
    return Fail("bot id must be between 1 and 2^54-1");
  if (const User* existing = FindUser(bot.id); existing && !existing->is_bot)
    return Fail("id " + std::to_string(bot.id.value) + " belongs to a user, not a bot");
  if (user.first_name.empty()) return Fail("first_name is required");
  if (auto st = CheckUsername(user.username, true); !st) return st;
  if (auto u = user_by_username_.find(ascii::Lower(user.username));
      u != user_by_username_.end() && u->second != bot.id)
    return Fail("username @" + user.username + " is taken");
  // Compared whole, so a field added to Bot or User is never ignored by a PUT. `logged_out` is
  // cleared before the comparison: putting a logged-out bot stores it again, logged in.
  Bot b = bot;
  b.logged_out = false;
  User u = user;
  u.is_bot = true;
  u.id = bot.id;
  const Bot* old_bot = FindBot(b.id);
  const User* old_user = FindUser(u.id);
  bool same_bot = old_bot && *old_bot == b;
  bool same_user = old_user && *old_user == u;
  if (!same_user) {
    StoreUser(u);
    m.ops.emplace_back(u);
  }
  if (!same_bot) {
    StoreBot(b);
    m.ops.emplace_back(b);
  }
  return {};
}

Status World::PutUser(const User& user, Mutation& m) {
  if (user.id.value <= 0) return Fail("user id must be positive");
  if (FindBot(user.id)) return Fail("id " + std::to_string(user.id.value) + " belongs to a bot");
  if (user.first_name.empty()) return Fail("first_name is required");
  if (!user.username.empty()) {
    if (auto st = CheckUsername(user.username, false); !st) return st;
    if (auto u = user_by_username_.find(ascii::Lower(user.username));
        u != user_by_username_.end() && u->second != user.id)
      return Fail("username @" + user.username + " is taken");
  }
  User u = user;
  u.is_bot = false;
  if (const User* old = FindUser(u.id); old && *old == u) return {};
  StoreUser(u);
  m.ops.emplace_back(u);
  return {};
}

Status World::PutChat(const Chat& chat, Mutation& m) {
  int64_t id = chat.id.value;
  if (chat.type == ChatType::kGroup) {
    if (!IsValidBasicGroupId(id))
      return Fail("a group's id must be negative and above -1000000000000, e.g. -4001");
    if (!chat.username.empty()) return Fail("a basic group cannot have a username");
  } else if (!IsValidChannelId(id)) {
    return Fail(
        "a supergroup's or channel's id must be -100 followed by its channel id, e.g. "
        "-1001000000001");
  }
  if (chat.title.empty()) return Fail("title is required");
  if (!chat.username.empty()) {
    if (auto st = CheckUsername(chat.username, false); !st) return st;
    if (auto c = chat_by_username_.find(ascii::Lower(chat.username));
        c != chat_by_username_.end() && c->second != chat.id)
      return Fail("username @" + chat.username + " is taken");
  }
  const Chat* old = FindChat(chat.id);
  if (old && old->type != chat.type) return Fail("a chat's type cannot change (use upgrade)");
  Chat c = chat;
  if (old) {
    c.migrated_to = old->migrated_to;  // only Upgrade sets it
    c.created = old->created;
    if (*old == c) return {};
  }
  StoreChat(c);
  m.ops.emplace_back(c);
  return {};
}

Status World::CheckMember(const Member& member, const Chat& chat,
                          const std::vector<Member>* siblings) const {
  const User* user = FindUser(member.user);
  if (!user) return Fail("unknown user_id " + std::to_string(member.user.value));
  if (member.status != MemberStatus::kAdministrator && member.rights.bits != 0)
    return Fail(std::string("rights are for administrators, not for status \"") +
                MemberStatusName(member.status) + "\"");
  if (member.status == MemberStatus::kCreator) {
    if (user->is_bot) return Fail("a bot cannot be the creator of a chat");
    auto other_creator = [&](const Member& o) {
      return o.user != member.user && o.status == MemberStatus::kCreator;
    };
    if (auto it = members_.find(chat.id); it != members_.end())
      for (const auto& [uid, o] : it->second)
        if (other_creator(o) &&
            !(siblings && std::any_of(siblings->begin(), siblings->end(),
                                      [&](const Member& s) { return s.user == uid; })))
          return Fail("the chat already has a creator");
    if (siblings)
      for (const Member& s : *siblings)
        if (other_creator(s)) return Fail("a chat has at most one creator");
  }
  if (chat.type == ChatType::kChannel && user->is_bot && IsPresent(member.status) &&
      member.status != MemberStatus::kAdministrator)
    return Fail("bots can be in a channel only as administrators");
  return {};
}

Status World::PutMember(const Member& member, UnixTime now, Mutation& m, std::optional<UserId> by) {
  const Chat* chat = FindChat(member.chat);
  if (!chat) return Fail("unknown chat " + std::to_string(member.chat.value));
  if (auto st = CheckMember(member, *chat, nullptr); !st) return st;
  if (by && !FindUser(*by)) return Fail("unknown user_id " + std::to_string(by->value) + " in by");
  Member mb = member;
  // Every administrator can manage the chat: Telegram implies it from any other right.
  if (mb.status == MemberStatus::kAdministrator) mb.rights.Set(Right::kCanManageChat, true);
  const Member* old = FindMember(mb.chat, mb.user);
  if (old && IsPresent(old->status) && IsPresent(mb.status)) {
    mb.joined = old->joined;
    mb.joined_via = old->joined_via;
  } else if (IsPresent(mb.status)) {
    mb.joined = mb.joined ? mb.joined : now;
  }
  if (old && *old == mb) return {};
  ChangeMember(mb, by.value_or(DefaultActor(mb.chat, mb.user)), now, m);
  return {};
}

Status World::ApplyWorld(const WorldFile& file, UnixTime now, Mutation& m) {
  // Check the whole file on a copy of the world, then apply to the real one: a bad file leaves
  // nothing behind. The copy is cheap next to reading a file by hand.
  World scratch = *this;
  scratch.quiet_ = true;  // a world file declares a state; it is not a series of events
  Mutation scratch_ops;
  auto where = [](const std::string& path, const Error& e) {
    return Fail(path + ": " + e.message);
  };
  for (size_t i = 0; i < file.bots.size(); ++i)
    if (auto st = scratch.PutBot(file.bots[i].bot, file.bots[i].user, scratch_ops); !st)
      return where("$.bots[" + std::to_string(i) + "]", st.error());
  for (size_t i = 0; i < file.users.size(); ++i)
    if (auto st = scratch.PutUser(file.users[i], scratch_ops); !st)
      return where("$.users[" + std::to_string(i) + "]", st.error());
  for (size_t i = 0; i < file.chats.size(); ++i) {
    const auto& entry = file.chats[i];
    std::string path = "$.chats[" + std::to_string(i) + "]";
    if (auto st = scratch.PutChat(entry.chat, scratch_ops); !st) return where(path, st.error());
    for (size_t k = 0; k < entry.members.size(); ++k) {
      std::string mpath = path + ".members[" + std::to_string(k) + "]";
      const Chat& chat = *scratch.FindChat(entry.chat.id);
      if (auto st = scratch.CheckMember(entry.members[k], chat, &entry.members); !st)
        return where(mpath, st.error());
      for (size_t j = 0; j < k; ++j)
        if (entry.members[j].user == entry.members[k].user)
          return where(mpath, Error{"user " + std::to_string(entry.members[k].user.value) +
                                    " is listed twice"});
      if (auto st = scratch.PutMember(entry.members[k], now, scratch_ops); !st)
        return where(mpath, st.error());
    }
  }
  // Valid: the scratch world is the result.
  scratch.launched_ = std::move(launched_);
  scratch.quiet_ = false;
  *this = std::move(scratch);
  for (auto& op : scratch_ops.ops) m.ops.push_back(std::move(op));
  return {};
}

std::vector<LinkView> World::ListLinks(ChatId chat) const {
  std::vector<LinkView> out;
  auto it = chat_links_.find(chat);
  if (it == chat_links_.end()) return out;
  for (LinkTable::Index index : it->second) {
    const InviteLink& link = links_.at(index);
    const std::string& hash = link.hash;
    LinkView v{.link = &link, .pending_join_request_count = PendingJoinRequestCount(hash)};
    if (auto j = joins_by_link_.find(hash); j != joins_by_link_.end())
      for (size_t index : j->second) v.joins.push_back(&joins_[index]);
    out.push_back(std::move(v));
  }
  return out;
}

Result<ChatId, Error> World::Upgrade(ChatId group, std::optional<ChatId> new_id, UnixTime now,
                                     Mutation& m) {
  const Chat* old = FindChat(group);
  if (!old) return Fail("unknown chat " + std::to_string(group.value));
  if (old->type != ChatType::kGroup) return Fail("only a basic group can be upgraded");
  if (old->migrated_to) return Fail("the group was already upgraded");
  ChatId target = new_id.value_or(ChatId(-1'000'000'000'000 + group.value));
  if (!IsValidChannelId(target.value))
    return Fail("new_chat_id must be -100 followed by a channel id");
  if (FindChat(target)) return Fail("chat " + std::to_string(target.value) + " already exists");
  Chat sg{.id = target,
          .type = ChatType::kSupergroup,
          .title = old->title,
          .description = old->description,
          .created = now};
  Chat deactivated = *old;
  deactivated.migrated_to = target;
  StoreChat(sg);
  StoreChat(deactivated);
  m.ops.emplace_back(sg);
  m.ops.emplace_back(deactivated);
  if (auto it = members_.find(group); it != members_.end()) {
    std::vector<Member> copies;
    for (const auto& [uid, mb] : it->second) {
      Member copy = mb;
      copy.chat = target;
      copies.push_back(copy);
    }
    for (const Member& copy : copies) {
      StoreMember(copy);
      m.ops.emplace_back(copy);
    }
  }
  return target;
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
  return s;
}

}  // namespace tgi::domain
