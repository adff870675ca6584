// The control plane's changes to the world (docs/control-api.md): world files, PUTs of bots,
// users, chats and members, upgrades, and the listing of links. Errors are sentences for the
// person or test. Joins and leaves, which share the links' bookkeeping, are in world_links.cc.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "domain/world.h"

namespace tgi::domain {

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
                                      [u = uid](const Member& s) { return s.user == u; })))
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
  // The two service messages of an upgrade (spec moderation 9.1), sent by whoever upgraded: the
  // control plane names nobody, so the creator, else the first person present.
  UserId upgrader = DefaultActor(group, UserId{0});
  if (!upgrader.value)
    if (auto it = members_.find(group); it != members_.end())
      for (const auto& [uid, mb] : it->second)
        if (IsPresent(mb.status) && !FindBot(uid)) {
          upgrader = uid;
          break;
        }
  if (upgrader.value) {
    PostServiceMessage(
        Message{
            .chat = group, .from = upgrader, .date = now, .kind = MessageKind::kMigrateToChatId},
        now, m, /*to_sender=*/false);
    PostServiceMessage(
        Message{
            .chat = target, .from = upgrader, .date = now, .kind = MessageKind::kMigrateFromChatId},
        now, m, /*to_sender=*/false);
  }
  return target;
}

}  // namespace tgi::domain

namespace tgi::domain {
namespace {

int64_t IdOf(const Bot& b) { return b.id.value; }
int64_t IdOf(const User& u) { return u.id.value; }
int64_t IdOf(const Chat& c) { return c.id.value; }

// The `limit` records of `map` with the smallest ids above `after`, in id order. One pass and a
// partial sort: a 10,000-chat world pages in well under a millisecond, without keeping a second
// index ordered by id.
template <class Map, class Keep>
auto PageOf(const Map& map, int64_t after, size_t limit, Keep keep) {
  std::vector<const typename Map::mapped_type*> page;
  for (const auto& [id, record] : map)
    if (id.value > after && keep(record)) page.push_back(&record);
  auto by_id = [](const auto* a, const auto* b) { return IdOf(*a) < IdOf(*b); };
  if (page.size() > limit) {
    std::partial_sort(page.begin(), page.begin() + static_cast<std::ptrdiff_t>(limit), page.end(),
                      by_id);
    page.resize(limit);
  } else {
    std::sort(page.begin(), page.end(), by_id);
  }
  return page;
}

}  // namespace

std::vector<const Bot*> World::BotsAfter(int64_t after, size_t limit) const {
  return PageOf(bots_, after, limit, [](const Bot&) { return true; });
}

std::vector<const User*> World::UsersAfter(int64_t after, size_t limit) const {
  return PageOf(users_, after, limit, [](const User& u) { return !u.is_bot; });
}

std::vector<const Chat*> World::ChatsAfter(int64_t after, size_t limit) const {
  return PageOf(chats_, after, limit, [](const Chat&) { return true; });
}

std::vector<const Member*> World::MembersAfter(ChatId chat, int64_t after, size_t limit) const {
  std::vector<const Member*> page;
  auto it = members_.find(chat);
  if (it == members_.end()) return page;
  // Ordered by user id already.
  for (auto m = it->second.upper_bound(UserId(after)); m != it->second.end() && page.size() < limit;
       ++m)
    page.push_back(&m->second);
  return page;
}

std::vector<const PrivateChat*> World::PrivateChatsOf(UserId user) const {
  std::vector<const PrivateChat*> chats;
  // Keyed (user, bot): the user's records are one run, by bot id.
  for (auto it = private_chats_.lower_bound({user, UserId(std::numeric_limits<int64_t>::min())});
       it != private_chats_.end() && it->first.first == user; ++it)
    chats.push_back(&it->second);
  return chats;
}

// Named decision: every chat's members are looked at (no index by user): the control plane asks
// this once per console page, and a test world has few chats.
std::vector<const Member*> World::MembershipsOf(UserId user) const {
  std::vector<const Member*> records;
  for (const auto& [chat, members] : members_)
    if (auto it = members.find(user); it != members.end()) records.push_back(&it->second);
  std::sort(records.begin(), records.end(),
            [](const Member* a, const Member* b) { return a->chat.value < b->chat.value; });
  return records;
}

}  // namespace tgi::domain
