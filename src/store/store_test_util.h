// Helpers shared by the store tests: a temporary directory, a blocking Submit, sample records,
// and a dump of a WorldState as text (so a test compares every field with one string).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <future>
#include <sstream>
#include <string>
#include <utility>

#include "domain/store.h"

namespace tgi::store::testing {

// A fresh directory under the test temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "tginvite_store_XXXXXX";
    char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Submits `m` and waits for its callback.
inline Status SubmitAndWait(domain::Store& store, domain::Mutation m) {
  std::promise<Status> promise;
  std::future<Status> future = promise.get_future();
  store.Submit(std::move(m), [&promise](Status st) { promise.set_value(std::move(st)); });
  return future.get();
}

inline domain::Mutation Mut(std::initializer_list<domain::Op> ops) { return {.ops = ops}; }

inline domain::User MakeUser(int64_t id) {
  domain::User u;
  u.id = UserId(id);
  u.first_name = "User " + std::to_string(id);
  return u;
}

inline domain::Chat MakeChat(int64_t id) {
  domain::Chat c;
  c.id = ChatId(id);
  c.title = "Chat " + std::to_string(id);
  c.created = 1700000000;
  return c;
}

inline domain::Member MakeMember(int64_t chat, int64_t user,
                                 domain::MemberStatus status = domain::MemberStatus::kMember) {
  domain::Member m;
  m.chat = ChatId(chat);
  m.user = UserId(user);
  m.status = status;
  return m;
}

inline domain::Join MakeJoin(int64_t chat, int64_t user, std::string link_hash = "",
                             UnixTime date = 0) {
  domain::Join j;
  j.chat = ChatId(chat);
  j.user = UserId(user);
  j.link_hash = std::move(link_hash);
  j.date = date;
  return j;
}

inline domain::InviteLink MakePrimary(std::string hash, int64_t chat, int64_t creator) {
  domain::InviteLink l;
  l.hash = std::move(hash);
  l.chat = ChatId(chat);
  l.creator = UserId(creator);
  l.is_primary = true;
  l.created = 1700000100;
  return l;
}

inline domain::JoinRequest MakeJoinRequest(int64_t chat, int64_t user, UnixTime date = 1700000300,
                                           std::string link_hash = "") {
  domain::JoinRequest r;
  r.chat = ChatId(chat);
  r.user = UserId(user);
  r.link_hash = std::move(link_hash);
  r.date = date;
  return r;
}

inline domain::BotUpdateSettings MakeBotSettings(int64_t bot) {
  domain::BotUpdateSettings s;
  s.bot = UserId(bot);
  s.allowed_updates = 0x1ffffffu;
  return s;
}

inline domain::Update MakeUpdate(int64_t bot, int64_t id, int64_t chat = -1) {
  domain::Update u;
  u.bot = UserId(bot);
  u.id = id;
  u.date = 1700000400 + id;
  u.type = domain::UpdateType::kChatMember;
  u.chat = ChatId(chat);
  u.json = "{\"update_id\":" + std::to_string(id) + ",\"chat_member\":{}}";
  return u;
}

// A text message of a group (chat < 0, bot 0) or of a private chat (chat > 0, bot > 0).
inline domain::Message MakeMessage(int64_t chat, int64_t bot, int64_t id) {
  domain::Message m;
  m.chat = ChatId(chat);
  m.bot = UserId(bot);
  m.id = id;
  m.from = UserId(chat > 0 ? chat : 1);
  m.date = 1700000500 + id;
  m.text.text = "message " + std::to_string(id);
  return m;
}

inline domain::PrivateChat MakePrivateChat(int64_t user, int64_t bot) {
  domain::PrivateChat c;
  c.user = UserId(user);
  c.bot = UserId(bot);
  c.started = true;
  return c;
}

// A press, not yet answered, of a button of message 1 of chat -100.
inline domain::CallbackQuery MakeCallbackQuery(int64_t id, int64_t bot = 7) {
  domain::CallbackQuery q;
  q.id = id;
  q.bot = UserId(bot);
  q.from = UserId(5);
  q.chat = ChatId(-100);
  q.message_id = 1;
  q.data = "press " + std::to_string(id);
  q.date = 1700000600 + id;
  return q;
}

inline domain::BotProfileEntry MakeProfileEntry(int64_t bot, std::string key, std::string value) {
  return domain::BotProfileEntry{
      .bot = UserId(bot), .key = std::move(key), .value = std::move(value)};
}

inline domain::SenderChatBan MakeSenderChatBan(int64_t chat, int64_t sender, bool banned = true) {
  return domain::SenderChatBan{
      .chat = ChatId(chat), .sender_chat = ChatId(sender), .banned = banned};
}

inline domain::InviteLink Revoked(domain::InviteLink l) {
  l.is_revoked = true;
  return l;
}

inline std::string Dump(const domain::Bot& b) {
  std::ostringstream o;
  o << "bot " << b.id.value << " sha=" << crypto::ToHex(b.token_sha256)
    << " join=" << b.can_join_groups << " read=" << b.can_read_all_group_messages
    << " inline=" << b.supports_inline_queries << " guest=" << b.supports_guest_queries
    << " business=" << b.can_connect_to_business << " webapp=" << b.has_main_web_app
    << " topics=" << b.has_topics_enabled << " user_topics=" << b.allows_users_to_create_topics
    << " manage_bots=" << b.can_manage_bots << " logged_out=" << b.logged_out << "\n";
  return o.str();
}

inline std::string Dump(const domain::User& u) {
  std::ostringstream o;
  o << "user " << u.id.value << " bot=" << u.is_bot << " first=[" << u.first_name << "] last=["
    << u.last_name << "] username=[" << u.username << "] lang=[" << u.language_code
    << "] premium=" << u.is_premium << "\n";
  return o.str();
}

inline std::string Dump(const domain::Chat& c) {
  std::ostringstream o;
  o << "chat " << c.id.value << " type=" << static_cast<int>(c.type) << " title=[" << c.title
    << "] username=[" << c.username << "] description=[" << c.description << "] migrated_to=";
  if (c.migrated_to) {
    o << c.migrated_to->value;
  } else {
    o << "none";
  }
  o << " created=" << c.created << " permissions=" << std::hex << c.permissions.bits << std::dec
    << "\n";
  return o.str();
}

inline std::string Dump(const domain::Member& m) {
  std::ostringstream o;
  o << "member " << m.chat.value << "/" << m.user.value << " status=" << static_cast<int>(m.status)
    << " rights=" << std::hex << m.rights.bits << std::dec << " title=[" << m.custom_title
    << "] until=" << m.until_date << " joined=" << m.joined << " permissions=" << std::hex
    << m.permissions.bits << std::dec << "\n";
  return o.str();
}

inline std::string Dump(const domain::InviteLink& l) {
  std::ostringstream o;
  o << "link " << l.hash << " chat=" << l.chat.value << " creator=" << l.creator.value
    << " primary=" << l.is_primary << " revoked=" << l.is_revoked << " name=[" << l.name
    << "] expire=" << l.expire_date << " limit=" << l.member_limit
    << " request=" << l.creates_join_request << " period=" << l.subscription_period
    << " price=" << l.subscription_price << " created=" << l.created << "\n";
  return o.str();
}

inline std::string Dump(const domain::Join& j) {
  std::ostringstream o;
  o << "join " << j.chat.value << "/" << j.user.value << " via=" << j.link_hash
    << " date=" << j.date << " request=" << j.via_join_request << "\n";
  return o.str();
}

inline std::string Dump(const domain::JoinRequest& r) {
  std::ostringstream o;
  o << "join_request " << r.chat.value << "/" << r.user.value << " via=" << r.link_hash
    << " date=" << r.date << " bio=[" << r.bio << "] state=" << static_cast<int>(r.state)
    << " decided=" << r.decided << "\n";
  return o.str();
}

inline std::string Dump(const domain::ClockState& c) {
  std::ostringstream o;
  o << "clock offset=" << c.offset << "\n";
  return o.str();
}

inline std::string Dump(const domain::BotUpdateSettings& b) {
  std::ostringstream o;
  o << "bot_settings " << b.bot.value << " allowed=" << std::hex << b.allowed_updates << std::dec
    << " next=" << b.next_update_id << " url=[" << b.webhook_url << "] secret=[" << b.webhook_secret
    << "] max=" << b.max_connections << " ip=[" << b.webhook_ip_address << "]\n";
  return o.str();
}

inline std::string Dump(const domain::Update& u) {
  std::ostringstream o;
  o << "update " << u.bot.value << "/" << u.id << " date=" << u.date
    << " type=" << static_cast<int>(u.type) << " chat=" << u.chat.value << " json=" << u.json
    << "\n";
  return o.str();
}

inline std::string Dump(const domain::Message& m) {
  std::ostringstream o;
  o << "message " << m.chat.value << "/" << m.bot.value << "/" << m.id << " from=" << m.from.value
    << " date=" << m.date << " edited=" << m.edit_date << " kind=" << static_cast<int>(m.kind)
    << " text=[" << m.text.text << "]";
  for (const text::Entity& e : m.text.entities) {
    o << " entity(" << static_cast<int>(e.type) << " " << e.offset << "+" << e.length << " ["
      << e.argument << "] user=" << e.user_id << " time=" << e.unix_time << ")";
  }
  o << " reply_to=" << m.reply_to << " keyboard=[" << m.inline_keyboard << "] reply_keyboard=["
    << m.reply_keyboard << "] data=";
  for (const std::string& d : m.callback_data) o << "[" << d << "]";
  o << " flags=" << std::hex << m.flags << std::dec << " preview=[" << m.link_preview_url
    << "] forward=" << m.forward_from.value << "/" << m.forward_from_chat.value << "/"
    << m.forward_from_message_id << "@" << m.forward_date << " users=";
  for (UserId u : m.users) o << u.value << ",";
  o << "\n";
  return o.str();
}

inline std::string Dump(const domain::PrivateChat& c) {
  std::ostringstream o;
  o << "private_chat " << c.user.value << "/" << c.bot.value << " started=" << c.started
    << " blocked=" << c.blocked << " contact_until=" << c.contact_until << "\n";
  return o.str();
}

inline std::string Dump(const domain::CallbackQuery& q) {
  std::ostringstream o;
  o << "callback_query " << q.id << " bot=" << q.bot.value << " from=" << q.from.value
    << " message=" << q.chat.value << "/" << q.message_id << " data=[" << q.data
    << "] date=" << q.date << " answered=" << q.answered << " text=[" << q.answer_text
    << "] alert=" << q.show_alert << " url=[" << q.answer_url << "] cache=" << q.cache_time << "\n";
  return o.str();
}

inline std::string Dump(const domain::BotProfileEntry& e) {
  return "profile " + std::to_string(e.bot.value) + " [" + e.key + "]=[" + e.value + "]\n";
}

inline std::string Dump(const domain::SenderChatBan& b) {
  return "sender_chat_ban " + std::to_string(b.chat.value) + " " +
         std::to_string(b.sender_chat.value) + (b.banned ? "" : " lifted") + "\n";
}

inline std::string Dump(const domain::WorldState& w) {
  std::string out;
  for (const auto& x : w.bots) out += Dump(x);
  for (const auto& x : w.users) out += Dump(x);
  for (const auto& x : w.chats) out += Dump(x);
  for (const auto& x : w.members) out += Dump(x);
  for (const auto& x : w.links) out += Dump(x);
  for (const auto& x : w.joins) out += Dump(x);
  for (const auto& x : w.join_requests) out += Dump(x);
  if (w.clock != domain::ClockState{}) out += Dump(w.clock);  // so an empty store dumps ""
  for (const auto& x : w.bot_settings) out += Dump(x);
  for (const auto& x : w.updates) out += Dump(x);
  for (const auto& x : w.messages) out += Dump(x);
  for (const auto& x : w.private_chats) out += Dump(x);
  for (const auto& x : w.callback_queries) out += Dump(x);
  for (const auto& x : w.bot_profile) out += Dump(x);
  for (const auto& x : w.sender_chat_bans) out += Dump(x);
  return out;
}

// Loads and dumps; "LOAD FAILED: ..." on error.
inline std::string LoadDump(domain::Store& store) {
  Result<domain::WorldState> w = store.Load();
  if (!w.ok()) return "LOAD FAILED: " + w.error().message;
  return Dump(*w);
}

}  // namespace tgi::store::testing
