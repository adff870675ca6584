#include "store/memory/memory_store.h"

#include <functional>
#include <limits>
#include <string_view>
#include <type_traits>
#include <variant>

namespace tgi::store {
namespace {

using domain::Bot;
using domain::BotProfileEntry;
using domain::BotUpdateSettings;
using domain::CallbackQuery;
using domain::Chat;
using domain::ClockState;
using domain::DropUpdates;
using domain::InviteLink;
using domain::Join;
using domain::JoinRequest;
using domain::JoinRequestState;
using domain::Member;
using domain::Message;
using domain::MessageKind;
using domain::PrivateChat;
using domain::Update;
using domain::User;

// SQLite's NOCASE folds ASCII letters only; so do we.
std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The CHECK constraints of invite_link_versions (see migrations/0004_invite_link_versions.sql).
Status CheckLinkFields(const InviteLink& link) {
  if (link.hash.empty())
    return Fail("invite link of chat " + std::to_string(link.chat.value) + " has an empty hash");
  if (link.expire_date < 0 || link.member_limit < 0 || link.subscription_period < 0 ||
      link.subscription_price < 0) {
    return Fail("invite link of chat " + std::to_string(link.chat.value) +
                " has a negative number");
  }
  if (link.member_limit > 0 && link.creates_join_request) {
    return Fail("invite link of chat " + std::to_string(link.chat.value) +
                " has both a member limit and creates_join_request");
  }
  if (link.is_primary && (!link.name.empty() || link.expire_date != 0 || link.member_limit != 0 ||
                          link.creates_join_request || link.subscription_period != 0 ||
                          link.subscription_price != 0)) {
    return Fail("primary invite link of chat " + std::to_string(link.chat.value) +
                " has a name, expiry, limit, join request or subscription");
  }
  return {};
}

bool IsActivePrimary(const InviteLink& link) { return link.is_primary && !link.is_revoked; }

// The CHECK constraints of join_requests (see migrations/0002_updates_and_requests.sql).
Status CheckJoinRequestFields(const JoinRequest& r) {
  const std::string what = "join request of user " + std::to_string(r.user.value) + " to chat " +
                           std::to_string(r.chat.value);
  switch (r.state) {
    case JoinRequestState::kPending:
    case JoinRequestState::kApproved:
    case JoinRequestState::kDeclined:
    case JoinRequestState::kWithdrawn:
      break;
    default:
      return Fail(what + " has an unknown state");
  }
  if ((r.state == JoinRequestState::kPending) != (r.decided == 0)) {
    return Fail(what + ": decided must be set exactly when it is no longer pending");
  }
  return {};
}

// The CHECK constraints of bot_update_settings.
Status CheckBotSettingsFields(const BotUpdateSettings& s) {
  const std::string what = "update settings of bot " + std::to_string(s.bot.value);
  if (s.bot.value <= 0) return Fail(what + ": bot id is not positive");
  if (s.next_update_id < 1) return Fail(what + ": next_update_id is below 1");
  if (s.max_connections < 1 || s.max_connections > 100000) {
    return Fail(what + ": max_connections is not in 1..100000");
  }
  return {};
}

// The CHECK constraints of updates.
Status CheckUpdateFields(const Update& u) {
  const std::string what =
      "update " + std::to_string(u.id) + " of bot " + std::to_string(u.bot.value);
  if (u.bot.value <= 0) return Fail(what + ": bot id is not positive");
  if (u.id <= 0) return Fail(what + ": update id is not positive");
  if (static_cast<int>(u.type) < 0) return Fail(what + ": negative type");
  return {};
}

// "message 5 of chat -100", "message 5 of chat 42 with bot 7": the words SqliteStore uses.
std::string MessageName(const Message& m) {
  std::string name = "message " + std::to_string(m.id) + " of chat " + std::to_string(m.chat.value);
  if (m.bot.value != 0) name += " with bot " + std::to_string(m.bot.value);
  return name;
}

// The CHECK constraints of message_versions (see migrations/0005_conversations.sql, 0006), and what
// its entities blob can hold (store/sqlite/message_blobs.h).
Status CheckMessageFields(const Message& m) {
  const std::string what = MessageName(m);
  if (m.id < 1) return Fail(what + ": id is below 1");
  if (m.chat.value == 0) return Fail(what + ": chat is 0");
  if (m.chat.value > 0 && m.bot.value <= 0) {
    return Fail(what + ": a private chat's message needs a positive bot");
  }
  if (m.chat.value < 0 && m.bot.value != 0) {
    return Fail(what + ": a group's or channel's message has bot 0");
  }
  switch (m.kind) {
    case MessageKind::kText:
    case MessageKind::kNewChatMembers:
    case MessageKind::kLeftChatMember:
    case MessageKind::kPinnedMessage:
    case MessageKind::kMigrateToChatId:
    case MessageKind::kMigrateFromChatId:
      break;
    default:
      return Fail(what + ": unknown kind " + std::to_string(static_cast<int>(m.kind)));
  }
  const std::pair<const char*, int64_t> not_negative[] = {
      {"from", m.from.value},
      {"edit_date", m.edit_date},
      {"reply_to", m.reply_to},
      {"forward_from", m.forward_from.value},
      {"forward_from_message_id", m.forward_from_message_id},
  };
  for (const auto& [field, value] : not_negative) {
    if (value < 0) return Fail(what + ": " + field + " is negative");
  }
  if (m.forward_from_chat.value > 0) return Fail(what + ": forward_from_chat is positive");
  for (const text::Entity& e : m.text.entities) {
    if (static_cast<unsigned>(e.type) >= static_cast<unsigned>(text::EntityType::kCount)) {
      return Fail(what + ": unknown entity type " + std::to_string(static_cast<int>(e.type)));
    }
  }
  return {};
}

// The CHECK constraints of private_chats.
Status CheckPrivateChatFields(const PrivateChat& c) {
  const std::string what = "private chat of user " + std::to_string(c.user.value) + " with bot " +
                           std::to_string(c.bot.value);
  if (c.user.value <= 0 || c.bot.value <= 0) return Fail(what + ": user or bot is not positive");
  if (c.contact_until < 0) return Fail(what + ": contact_until is negative");
  return {};
}

// The CHECK constraints of callback_queries.
Status CheckCallbackQueryFields(const CallbackQuery& q) {
  const std::string what = "callback query " + std::to_string(q.id);
  if (q.id < 1) return Fail(what + ": id is below 1");
  if (q.bot.value <= 0 || q.from.value <= 0) return Fail(what + ": bot or sender is not positive");
  if (q.chat.value == 0) return Fail(what + ": chat is 0");
  if (q.message_id < 1) return Fail(what + ": message id is below 1");
  if (q.cache_time < 0) return Fail(what + ": cache_time is negative");
  if (!q.answered &&
      (!q.answer_text.empty() || q.show_alert || !q.answer_url.empty() || q.cache_time != 0)) {
    return Fail(what + ": an answer before it is answered");
  }
  return {};
}

// The CHECK constraints of bot_profile.
Status CheckBotProfileFields(const BotProfileEntry& e) {
  if (e.bot.value <= 0) {
    return Fail("profile entry of bot " + std::to_string(e.bot.value) + ": bot is not positive");
  }
  if (e.key.empty())
    return Fail("profile entry of bot " + std::to_string(e.bot.value) + ": empty key");
  return {};
}

}  // namespace

size_t MemoryStore::MessageKeyHash::operator()(const MessageKey& k) const noexcept {
  // Boost's hash_combine: enough to spread (chat, bot, id) triples that differ in one field.
  size_t h = std::hash<int64_t>{}(k.chat);
  for (int64_t v : {k.bot, k.id})
    h ^= std::hash<int64_t>{}(v) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

Result<domain::WorldState> MemoryStore::Load() {
  std::lock_guard lock(mu_);
  domain::WorldState w;
  for (const auto& [id, bot] : bots_) w.bots.push_back(bot);
  for (const auto& [id, user] : users_) w.users.push_back(user);
  for (const auto& [id, chat] : chats_) w.chats.push_back(chat);
  for (const auto& [key, member] : members_) w.members.push_back(member);
  w.links = links_;
  w.joins = joins_;
  for (const auto& [key, request] : join_requests_) w.join_requests.push_back(request);
  w.clock = clock_;
  for (const auto& [id, settings] : bot_settings_) w.bot_settings.push_back(settings);
  for (const auto& [key, update] : updates_) w.updates.push_back(update);
  w.messages = messages_;
  for (const auto& [key, chat] : private_chats_) w.private_chats.push_back(chat);
  for (const auto& [id, query] : callback_queries_) w.callback_queries.push_back(query);
  for (const auto& [key, value] : bot_profile_) {
    w.bot_profile.push_back(
        BotProfileEntry{.bot = UserId(key.first), .key = key.second, .value = value});
  }
  return w;
}

void MemoryStore::Submit(domain::Mutation m, Done done) {
  std::lock_guard lock(mu_);
  if (fail_next_) {
    std::string message = std::move(*fail_next_);
    fail_next_.reset();
    done(Fail(std::move(message)));
    return;
  }
  std::vector<Undo> undo;
  undo.reserve(m.ops.size());
  for (size_t i = 0; i < m.ops.size(); ++i) {
    Status st = Apply(m.ops[i], undo);
    if (!st.ok()) {
      for (auto it = undo.rbegin(); it != undo.rend(); ++it) Revert(*it);
      done(Fail("op " + std::to_string(i) + ": " + st.error().message));
      return;
    }
  }
  ++applied_;
  done(Status());
}

void MemoryStore::Flush() { std::lock_guard lock(mu_); }

void MemoryStore::FailNextSubmitForTesting(std::string message) {
  std::lock_guard lock(mu_);
  fail_next_ = std::move(message);
}

size_t MemoryStore::applied_for_testing() const {
  std::lock_guard lock(mu_);
  return applied_;
}

Status MemoryStore::Apply(const domain::Op& op, std::vector<Undo>& undo) {
  return std::visit(
      [&](const auto& record) -> Status {
        using T = std::decay_t<decltype(record)>;
        if constexpr (std::is_same_v<T, Bot>) {
          return ApplyBot(record, undo);
        } else if constexpr (std::is_same_v<T, User>) {
          return ApplyUser(record, undo);
        } else if constexpr (std::is_same_v<T, Chat>) {
          return ApplyChat(record, undo);
        } else if constexpr (std::is_same_v<T, Member>) {
          return ApplyMember(record, undo);
        } else if constexpr (std::is_same_v<T, InviteLink>) {
          return ApplyLink(record, undo);
        } else if constexpr (std::is_same_v<T, Join>) {
          return ApplyJoin(record, undo);
        } else if constexpr (std::is_same_v<T, JoinRequest>) {
          return ApplyJoinRequest(record, undo);
        } else if constexpr (std::is_same_v<T, ClockState>) {
          return ApplyClock(record, undo);
        } else if constexpr (std::is_same_v<T, BotUpdateSettings>) {
          return ApplyBotSettings(record, undo);
        } else if constexpr (std::is_same_v<T, Update>) {
          return ApplyUpdate(record, undo);
        } else if constexpr (std::is_same_v<T, DropUpdates>) {
          return ApplyDropUpdates(record, undo);
        } else if constexpr (std::is_same_v<T, Message>) {
          return ApplyMessage(record, undo);
        } else if constexpr (std::is_same_v<T, PrivateChat>) {
          return ApplyPrivateChat(record, undo);
        } else if constexpr (std::is_same_v<T, CallbackQuery>) {
          return ApplyCallbackQuery(record, undo);
        } else {
          static_assert(std::is_same_v<T, BotProfileEntry>);
          return ApplyBotProfile(record, undo);
        }
      },
      op);
}

Status MemoryStore::ApplyBot(const Bot& bot, std::vector<Undo>& undo) {
  if (bot.id.value <= 0) return Fail("bot id " + std::to_string(bot.id.value) + " is not positive");
  Undo u{.kind = Undo::Kind::kBot, .id = bot.id.value};
  auto it = bots_.find(bot.id.value);
  if (it != bots_.end()) {
    u.previous = std::make_unique<domain::Op>(it->second);
    it->second = bot;
  } else {
    bots_.emplace(bot.id.value, bot);
  }
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyUser(const User& user, std::vector<Undo>& undo) {
  if (user.id.value <= 0) {
    return Fail("user id " + std::to_string(user.id.value) + " is not positive");
  }
  Undo u{.kind = Undo::Kind::kUser, .id = user.id.value};
  auto it = users_.find(user.id.value);
  if (it != users_.end()) {
    u.previous = std::make_unique<domain::Op>(it->second);
    it->second = user;
  } else {
    users_.emplace(user.id.value, user);
  }
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyChat(const Chat& chat, std::vector<Undo>& undo) {
  const std::string id_text = std::to_string(chat.id.value);
  if (chat.id.value >= 0) return Fail("chat id " + id_text + " is not negative");
  if (!chat.username.empty()) {
    auto owner = username_owner_.find(AsciiLower(chat.username));
    if (owner != username_owner_.end() && owner->second != chat.id.value) {
      return Fail("chat " + id_text + ": username already used by chat " +
                  std::to_string(owner->second));
    }
  }
  Undo u{.kind = Undo::Kind::kChat, .id = chat.id.value};
  auto it = chats_.find(chat.id.value);
  if (it != chats_.end()) u.previous = std::make_unique<domain::Op>(it->second);
  PutChat(chat);
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyMember(const Member& member, std::vector<Undo>& undo) {
  MemberKey key{member.chat.value, member.user.value};
  Undo u{.kind = Undo::Kind::kMember, .member = key};
  auto it = members_.find(key);
  if (it != members_.end()) {
    u.previous = std::make_unique<domain::Op>(it->second);
    it->second = member;
  } else {
    members_.emplace(key, member);
  }
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyLink(const InviteLink& link, std::vector<Undo>& undo) {
  if (Status st = CheckLinkFields(link); !st.ok()) return st;
  if (IsActivePrimary(link)) {
    auto active = active_primary_.find({link.chat.value, link.creator.value});
    if (active != active_primary_.end() && active->second != link.hash) {
      return Fail("chat " + std::to_string(link.chat.value) + ": user " +
                  std::to_string(link.creator.value) + " already has an active primary link");
    }
  }
  Undo u{.kind = Undo::Kind::kLink, .hash = link.hash};
  auto it = link_index_.find(link.hash);
  if (it != link_index_.end()) u.previous = std::make_unique<domain::Op>(links_[it->second]);
  PutLink(link);
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyJoin(const Join& join, std::vector<Undo>& undo) {
  joins_.push_back(join);
  undo.push_back(Undo{.kind = Undo::Kind::kJoin});
  return {};
}

Status MemoryStore::ApplyJoinRequest(const JoinRequest& request, std::vector<Undo>& undo) {
  if (Status st = CheckJoinRequestFields(request); !st.ok()) return st;
  MemberKey key{request.chat.value, request.user.value};
  Undo u{.kind = Undo::Kind::kJoinRequest, .member = key};
  auto it = join_requests_.find(key);
  if (it != join_requests_.end()) {
    u.previous = std::make_unique<domain::Op>(it->second);
    it->second = request;
  } else {
    join_requests_.emplace(key, request);
  }
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyClock(const ClockState& clock, std::vector<Undo>& undo) {
  if (clock.offset < 0) return Fail("clock offset is negative");
  if (clock.offset < clock_.offset) return Fail("the clock never goes back");
  Undo u{.kind = Undo::Kind::kClock};
  u.previous = std::make_unique<domain::Op>(clock_);
  clock_ = clock;
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyBotSettings(const BotUpdateSettings& settings, std::vector<Undo>& undo) {
  if (Status st = CheckBotSettingsFields(settings); !st.ok()) return st;
  Undo u{.kind = Undo::Kind::kBotSettings, .id = settings.bot.value};
  auto it = bot_settings_.find(settings.bot.value);
  if (it != bot_settings_.end()) {
    u.previous = std::make_unique<domain::Op>(it->second);
    it->second = settings;
  } else {
    bot_settings_.emplace(settings.bot.value, settings);
  }
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyUpdate(const Update& update, std::vector<Undo>& undo) {
  if (Status st = CheckUpdateFields(update); !st.ok()) return st;
  UpdateKey key{update.bot.value, update.id};
  if (!updates_.emplace(key, update).second) {
    return Fail("update " + std::to_string(update.id) + " of bot " +
                std::to_string(update.bot.value) + " already exists");
  }
  undo.push_back(Undo{.kind = Undo::Kind::kUpdate, .update = key});
  return {};
}

Status MemoryStore::ApplyDropUpdates(const DropUpdates& drop, std::vector<Undo>& undo) {
  Undo u{.kind = Undo::Kind::kDropUpdates};
  // Every id of the bot below below_id: from (bot, min) up to, not including, (bot, below_id).
  auto first = updates_.lower_bound({drop.bot.value, std::numeric_limits<int64_t>::min()});
  auto last = updates_.lower_bound({drop.bot.value, drop.below_id});
  for (auto it = first; it != last; ++it) u.dropped.push_back(std::move(it->second));
  updates_.erase(first, last);
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyMessage(const Message& message, std::vector<Undo>& undo) {
  if (Status st = CheckMessageFields(message); !st.ok()) return st;
  MessageKey key{message.chat.value, message.bot.value, message.id};
  Undo u{.kind = Undo::Kind::kMessage, .message = key};
  auto [it, inserted] = message_index_.try_emplace(key, messages_.size());
  if (inserted) {
    messages_.push_back(message);
  } else {
    u.previous = std::make_unique<domain::Op>(std::move(messages_[it->second]));
    messages_[it->second] = message;
  }
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyPrivateChat(const PrivateChat& chat, std::vector<Undo>& undo) {
  if (Status st = CheckPrivateChatFields(chat); !st.ok()) return st;
  PrivateChatKey key{chat.user.value, chat.bot.value};
  Undo u{.kind = Undo::Kind::kPrivateChat, .member = key};
  auto [it, inserted] = private_chats_.try_emplace(key, chat);
  if (!inserted) {
    u.previous = std::make_unique<domain::Op>(it->second);
    it->second = chat;
  }
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyCallbackQuery(const CallbackQuery& query, std::vector<Undo>& undo) {
  if (Status st = CheckCallbackQueryFields(query); !st.ok()) return st;
  Undo u{.kind = Undo::Kind::kCallbackQuery, .id = query.id};
  auto [it, inserted] = callback_queries_.try_emplace(query.id, query);
  if (!inserted) {
    u.previous = std::make_unique<domain::Op>(it->second);
    it->second = query;
  }
  undo.push_back(std::move(u));
  return {};
}

Status MemoryStore::ApplyBotProfile(const BotProfileEntry& entry, std::vector<Undo>& undo) {
  if (Status st = CheckBotProfileFields(entry); !st.ok()) return st;
  Undo u{.kind = Undo::Kind::kBotProfile, .profile = {entry.bot.value, entry.key}};
  auto it = bot_profile_.find(u.profile);
  if (it != bot_profile_.end()) {
    u.previous = std::make_unique<domain::Op>(
        BotProfileEntry{.bot = entry.bot, .key = entry.key, .value = it->second});
    if (entry.value.empty()) {
      bot_profile_.erase(it);
    } else {
      it->second = entry.value;
    }
  } else if (!entry.value.empty()) {
    bot_profile_.emplace(u.profile, entry.value);
  }
  undo.push_back(std::move(u));
  return {};
}

void MemoryStore::Revert(Undo& u) {
  switch (u.kind) {
    case Undo::Kind::kBot:
      if (u.previous) {
        bots_[u.id] = std::get<Bot>(std::move(*u.previous));
      } else {
        bots_.erase(u.id);
      }
      break;
    case Undo::Kind::kUser:
      if (u.previous) {
        users_[u.id] = std::get<User>(std::move(*u.previous));
      } else {
        users_.erase(u.id);
      }
      break;
    case Undo::Kind::kChat:
      if (u.previous) {
        PutChat(std::get<Chat>(std::move(*u.previous)));
      } else {
        EraseChat(u.id);
      }
      break;
    case Undo::Kind::kMember:
      if (u.previous) {
        members_[u.member] = std::get<Member>(std::move(*u.previous));
      } else {
        members_.erase(u.member);
      }
      break;
    case Undo::Kind::kLink:
      // Undone in reverse order, so a link this mutation inserted is the last one.
      if (u.previous) {
        PutLink(std::get<InviteLink>(std::move(*u.previous)));
      } else {
        PopLastLink();
      }
      break;
    case Undo::Kind::kJoin:
      joins_.pop_back();
      break;
    case Undo::Kind::kJoinRequest:
      if (u.previous) {
        join_requests_[u.member] = std::get<JoinRequest>(std::move(*u.previous));
      } else {
        join_requests_.erase(u.member);
      }
      break;
    case Undo::Kind::kClock:
      clock_ = std::get<ClockState>(std::move(*u.previous));
      break;
    case Undo::Kind::kBotSettings:
      if (u.previous) {
        bot_settings_[u.id] = std::get<BotUpdateSettings>(std::move(*u.previous));
      } else {
        bot_settings_.erase(u.id);
      }
      break;
    case Undo::Kind::kUpdate:
      updates_.erase(u.update);
      break;
    case Undo::Kind::kDropUpdates:
      for (Update& dropped : u.dropped) {
        UpdateKey key{dropped.bot.value, dropped.id};
        updates_.emplace(key, std::move(dropped));
      }
      break;
    case Undo::Kind::kMessage:
      // Undone in reverse order, so a message this mutation inserted is the last one.
      if (u.previous) {
        messages_[message_index_.at(u.message)] = std::get<Message>(std::move(*u.previous));
      } else {
        PopLastMessage();
      }
      break;
    case Undo::Kind::kPrivateChat:
      if (u.previous) {
        private_chats_[u.member] = std::get<PrivateChat>(std::move(*u.previous));
      } else {
        private_chats_.erase(u.member);
      }
      break;
    case Undo::Kind::kCallbackQuery:
      if (u.previous) {
        callback_queries_[u.id] = std::get<CallbackQuery>(std::move(*u.previous));
      } else {
        callback_queries_.erase(u.id);
      }
      break;
    case Undo::Kind::kBotProfile:
      // previous: the entry before the op; none: there was no entry.
      if (u.previous) {
        bot_profile_[u.profile] = std::get<BotProfileEntry>(std::move(*u.previous)).value;
      } else {
        bot_profile_.erase(u.profile);
      }
      break;
  }
}

void MemoryStore::PutChat(Chat chat) {
  auto it = chats_.find(chat.id.value);
  if (it != chats_.end()) {
    if (!it->second.username.empty()) username_owner_.erase(AsciiLower(it->second.username));
    it->second = std::move(chat);
  } else {
    it = chats_.emplace(chat.id.value, std::move(chat)).first;
  }
  if (!it->second.username.empty()) {
    username_owner_[AsciiLower(it->second.username)] = it->second.id.value;
  }
}

void MemoryStore::EraseChat(int64_t id) {
  auto it = chats_.find(id);
  if (it == chats_.end()) return;
  if (!it->second.username.empty()) username_owner_.erase(AsciiLower(it->second.username));
  chats_.erase(it);
}

void MemoryStore::PutLink(InviteLink link) {
  auto it = link_index_.find(link.hash);
  InviteLink* slot;
  if (it != link_index_.end()) {
    slot = &links_[it->second];
    if (IsActivePrimary(*slot)) active_primary_.erase({slot->chat.value, slot->creator.value});
    *slot = std::move(link);
  } else {
    link_index_.emplace(link.hash, links_.size());
    links_.push_back(std::move(link));
    slot = &links_.back();
  }
  if (IsActivePrimary(*slot)) {
    active_primary_[{slot->chat.value, slot->creator.value}] = slot->hash;
  }
}

void MemoryStore::PopLastMessage() {
  const Message& last = messages_.back();
  message_index_.erase(MessageKey{last.chat.value, last.bot.value, last.id});
  messages_.pop_back();
}

void MemoryStore::PopLastLink() {
  const InviteLink& last = links_.back();
  if (IsActivePrimary(last)) active_primary_.erase({last.chat.value, last.creator.value});
  link_index_.erase(last.hash);
  links_.pop_back();
}

}  // namespace tgi::store
