// Reading the whole world back (SqliteStore::Load): one SELECT per table, rows decoded into the
// domain's records.
#include "store/sqlite/sqlite_read.h"

#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "store/sqlite/message_blobs.h"
#include "store/sqlite/sqlite_db.h"

namespace tgi::store::sqlite_internal {
namespace {

// Reads, in the order Load promises.
constexpr std::string_view kSelectBots = R"sql(
SELECT id, token_sha256, can_join_groups, can_read_all_group_messages, supports_inline_queries,
       supports_guest_queries, can_connect_to_business, has_main_web_app, has_topics_enabled,
       allows_users_to_create_topics, can_manage_bots, logged_out
FROM bots ORDER BY id)sql";

constexpr std::string_view kSelectUsers = R"sql(
SELECT id, is_bot, first_name, last_name, username, language_code, is_premium
FROM users ORDER BY id)sql";

constexpr std::string_view kSelectChats = R"sql(
SELECT id, type, title, username, description, migrated_to, created, permissions
FROM chats ORDER BY id)sql";

constexpr std::string_view kSelectMembers = R"sql(
SELECT chat_id, user_id, status, rights, custom_title, until_date, joined, joined_via,
       permissions
FROM members ORDER BY chat_id, user_id)sql";

constexpr std::string_view kSelectLinks = R"sql(
SELECT hash, chat_id, creator_id, is_primary, is_revoked, name, expire_date, member_limit,
       creates_join_request, subscription_period, subscription_price, created
FROM invite_link_versions ORDER BY seq)sql";

constexpr std::string_view kSelectJoins = R"sql(
SELECT chat_id, user_id, link_hash, date, via_join_request FROM joins ORDER BY id)sql";

constexpr std::string_view kSelectJoinRequests = R"sql(
SELECT chat_id, user_id, link_hash, date, bio, state, decided
FROM join_requests ORDER BY chat_id, user_id)sql";

constexpr std::string_view kSelectClock = R"sql(
SELECT offset FROM clock WHERE id = 1)sql";

constexpr std::string_view kSelectBotSettings = R"sql(
SELECT bot_id, allowed_updates, next_update_id, webhook_url, webhook_secret, max_connections,
       webhook_ip_address
FROM bot_update_settings ORDER BY bot_id)sql";

constexpr std::string_view kSelectUpdates = R"sql(
SELECT bot_id, update_id, date, type, chat_id, json FROM updates ORDER BY bot_id, update_id)sql";

// Every version, in the order written (migrations/0005_conversations.sql).
constexpr std::string_view kSelectMessageVersions = R"sql(
SELECT seq, chat_id, bot_id, id, from_id, date, edit_date, kind, text, entities, reply_to,
       inline_keyboard, callback_data, flags, link_preview_url, forward_from, forward_from_chat,
       forward_from_message_id, forward_date, users, reply_keyboard
FROM message_versions ORDER BY seq)sql";

constexpr std::string_view kSelectPrivateChats = R"sql(
SELECT user_id, bot_id, started, blocked, contact_until
FROM private_chats ORDER BY user_id, bot_id)sql";

constexpr std::string_view kSelectCallbackQueries = R"sql(
SELECT id, bot_id, from_id, chat_id, message_id, data, date, answered, answer_text, show_alert,
       answer_url, cache_time
FROM callback_queries ORDER BY id)sql";

constexpr std::string_view kSelectBotProfile = R"sql(
SELECT bot_id, key, value FROM bot_profile ORDER BY bot_id, key)sql";

constexpr std::string_view kSelectSenderChatBans = R"sql(
SELECT chat_id, sender_chat_id FROM sender_chat_bans ORDER BY chat_id, sender_chat_id)sql";

// Stores the decoded enum value in *out; false for a text the domain has no name for.
template <typename Enum>
bool Decode(std::optional<Enum> value, Enum* out) {
  if (!value) return false;
  *out = *value;
  return true;
}

// Column helpers.
int64_t ColumnInt(sqlite3_stmt* s, int i) { return sqlite3_column_int64(s, i); }
bool ColumnBool(sqlite3_stmt* s, int i) { return sqlite3_column_int64(s, i) != 0; }

// Column `i` as the bytes of a blob; false if it holds another type (NULL included).
bool ColumnBlob(sqlite3_stmt* s, int i, std::string_view* out) {
  if (sqlite3_column_type(s, i) != SQLITE_BLOB) return false;
  const void* p = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  *out = p == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(p), n);
  return true;
}

// One row of message_versions, decoded strictly: an error names the message and the row.
Status ReadMessageVersion(sqlite3_stmt* s, domain::Message& m) {
  const int64_t seq = ColumnInt(s, 0);
  m.chat = ChatId(ColumnInt(s, 1));
  m.bot = UserId(ColumnInt(s, 2));
  m.id = ColumnInt(s, 3);
  auto fail = [&](const std::string& what) {
    std::string name =
        "message " + std::to_string(m.id) + " of chat " + std::to_string(m.chat.value);
    if (m.bot.value != 0) name += " with bot " + std::to_string(m.bot.value);
    return Fail(name + " (message_versions row " + std::to_string(seq) + "): " + what);
  };
  m.from = UserId(ColumnInt(s, 4));
  m.date = ColumnInt(s, 5);
  m.edit_date = ColumnInt(s, 6);
  const int64_t kind = ColumnInt(s, 7);
  if (kind < 0 || kind > static_cast<int64_t>(domain::MessageKind::kMigrateFromChatId)) {
    return fail("unknown kind " + std::to_string(kind));
  }
  m.kind = static_cast<domain::MessageKind>(kind);
  m.text.text = ColumnText(s, 8);
  std::string_view blob;
  if (!ColumnBlob(s, 9, &blob)) return fail("entities is not a blob");
  if (Status st = DecodeEntities(blob, &m.text.entities); !st.ok()) {
    return fail("entities: " + st.error().message);
  }
  m.reply_to = ColumnInt(s, 10);
  m.inline_keyboard = ColumnText(s, 11);
  if (!ColumnBlob(s, 12, &blob)) return fail("callback_data is not a blob");
  if (Status st = DecodeStrings(blob, &m.callback_data); !st.ok()) {
    return fail("callback_data: " + st.error().message);
  }
  m.flags = static_cast<uint32_t>(ColumnInt(s, 13));
  m.link_preview_url = ColumnText(s, 14);
  m.forward_from = UserId(ColumnInt(s, 15));
  m.forward_from_chat = ChatId(ColumnInt(s, 16));
  m.forward_from_message_id = ColumnInt(s, 17);
  m.forward_date = ColumnInt(s, 18);
  if (!ColumnBlob(s, 19, &blob)) return fail("users is not a blob");
  if (Status st = DecodeUserIds(blob, &m.users); !st.ok()) {
    return fail("users: " + st.error().message);
  }
  m.reply_keyboard = ColumnText(s, 20);
  return {};
}

// Hashes a message's key (chat, bot, id).
struct MessageKeyHash {
  size_t operator()(const std::tuple<int64_t, int64_t, int64_t>& k) const noexcept {
    size_t h = std::hash<int64_t>{}(std::get<0>(k));
    for (int64_t v : {std::get<1>(k), std::get<2>(k)}) {
      h ^= std::hash<int64_t>{}(v) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    }
    return h;
  }
};

// Runs `stmt` (a SELECT) to the end, calling `row(stmt)` for each row; `row` returns false to
// report a row it cannot decode.
template <typename RowFn>
Status ForEachRow(sqlite3* db, std::string_view sql, std::string_view what, RowFn row) {
  auto stmt = Prepare(db, sql, false);
  if (!stmt.ok()) return Unexpected{stmt.error()};
  for (;;) {
    int rc = sqlite3_step(stmt->get());
    if (rc == SQLITE_DONE) return {};
    if (rc != SQLITE_ROW) return Fail(ErrorText(db, what));
    if (Status st = row(stmt->get()); !st.ok()) return st;
  }
}

}  // namespace

std::string ColumnText(sqlite3_stmt* s, int i) {
  const unsigned char* p = sqlite3_column_text(s, i);
  int n = sqlite3_column_bytes(s, i);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
}

Status ReadWorld(sqlite3* db, domain::WorldState& w) {
  Status st = ForEachRow(db, kSelectBots, "cannot read bots", [&](sqlite3_stmt* s) -> Status {
    domain::Bot b;
    b.id = UserId(ColumnInt(s, 0));
    const void* blob = sqlite3_column_blob(s, 1);
    if (blob == nullptr || sqlite3_column_bytes(s, 1) != static_cast<int>(b.token_sha256.size())) {
      return Fail("bot " + std::to_string(b.id.value) + ": token hash is not 32 bytes");
    }
    std::memcpy(b.token_sha256.data(), blob, b.token_sha256.size());
    b.can_join_groups = ColumnBool(s, 2);
    b.can_read_all_group_messages = ColumnBool(s, 3);
    b.supports_inline_queries = ColumnBool(s, 4);
    b.supports_guest_queries = ColumnBool(s, 5);
    b.can_connect_to_business = ColumnBool(s, 6);
    b.has_main_web_app = ColumnBool(s, 7);
    b.has_topics_enabled = ColumnBool(s, 8);
    b.allows_users_to_create_topics = ColumnBool(s, 9);
    b.can_manage_bots = ColumnBool(s, 10);
    b.logged_out = ColumnBool(s, 11);
    w.bots.push_back(b);
    return {};
  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectUsers, "cannot read users", [&](sqlite3_stmt* s) -> Status {
    domain::User u;
    u.id = UserId(ColumnInt(s, 0));
    u.is_bot = ColumnBool(s, 1);
    u.first_name = ColumnText(s, 2);
    u.last_name = ColumnText(s, 3);
    u.username = ColumnText(s, 4);
    u.language_code = ColumnText(s, 5);
    u.is_premium = ColumnBool(s, 6);
    w.users.push_back(std::move(u));
    return {};
  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectChats, "cannot read chats", [&](sqlite3_stmt* s) -> Status {
    domain::Chat c;
    c.id = ChatId(ColumnInt(s, 0));
    if (!Decode(domain::ChatTypeFromName(ColumnText(s, 1)), &c.type)) {
      return Fail("chat " + std::to_string(c.id.value) + ": unknown type");
    }
    c.title = ColumnText(s, 2);
    c.username = ColumnText(s, 3);
    c.description = ColumnText(s, 4);
    if (sqlite3_column_type(s, 5) != SQLITE_NULL) c.migrated_to = ChatId(ColumnInt(s, 5));
    c.created = ColumnInt(s, 6);
    c.permissions.bits = static_cast<uint32_t>(ColumnInt(s, 7));
    w.chats.push_back(std::move(c));
    return {};
  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectMembers, "cannot read members", [&](sqlite3_stmt* s) -> Status {
    domain::Member m;
    m.chat = ChatId(ColumnInt(s, 0));
    m.user = UserId(ColumnInt(s, 1));
    if (!Decode(domain::MemberStatusFromName(ColumnText(s, 2)), &m.status)) {
      return Fail("member " + std::to_string(m.user.value) + " of chat " +
                  std::to_string(m.chat.value) + ": unknown status");
    }
    m.rights.bits = static_cast<uint32_t>(ColumnInt(s, 3));
    m.custom_title = ColumnText(s, 4);
    m.until_date = ColumnInt(s, 5);
    m.joined = ColumnInt(s, 6);
    m.joined_via = ColumnText(s, 7);
    m.permissions.bits = static_cast<uint32_t>(ColumnInt(s, 8));
    w.members.push_back(std::move(m));
    return {};
  });
  if (!st.ok()) return st;

  // Versions in the order written: a link is its latest version, placed where its first was.
  std::unordered_map<std::string, size_t> link_index;
  st = ForEachRow(db, kSelectLinks, "cannot read invite links", [&](sqlite3_stmt* s) -> Status {
    domain::InviteLink l;
    l.hash = ColumnText(s, 0);
    l.chat = ChatId(ColumnInt(s, 1));
    l.creator = UserId(ColumnInt(s, 2));
    l.is_primary = ColumnBool(s, 3);
    l.is_revoked = ColumnBool(s, 4);
    l.name = ColumnText(s, 5);
    l.expire_date = ColumnInt(s, 6);
    l.member_limit = static_cast<int32_t>(ColumnInt(s, 7));
    l.creates_join_request = ColumnBool(s, 8);
    l.subscription_period = static_cast<int32_t>(ColumnInt(s, 9));
    l.subscription_price = static_cast<int32_t>(ColumnInt(s, 10));
    l.created = ColumnInt(s, 11);
    auto [it, first] = link_index.try_emplace(l.hash, w.links.size());
    if (first) {
      w.links.push_back(std::move(l));
    } else {
      w.links[it->second] = std::move(l);
    }
    return {};
  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectJoins, "cannot read joins", [&](sqlite3_stmt* s) -> Status {
    domain::Join j;
    j.chat = ChatId(ColumnInt(s, 0));
    j.user = UserId(ColumnInt(s, 1));
    j.link_hash = ColumnText(s, 2);
    j.date = ColumnInt(s, 3);
    j.via_join_request = ColumnBool(s, 4);
    w.joins.push_back(std::move(j));
    return {};
  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectJoinRequests, "cannot read join requests",
                  [&](sqlite3_stmt* s) -> Status {
                    domain::JoinRequest r;
                    r.chat = ChatId(ColumnInt(s, 0));
                    r.user = UserId(ColumnInt(s, 1));
                    r.link_hash = ColumnText(s, 2);
                    r.date = ColumnInt(s, 3);
                    r.bio = ColumnText(s, 4);
                    if (!Decode(domain::JoinRequestStateFromName(ColumnText(s, 5)), &r.state)) {
                      return Fail("join request of user " + std::to_string(r.user.value) +
                                  " to chat " + std::to_string(r.chat.value) + ": unknown state");
                    }
                    r.decided = ColumnInt(s, 6);
                    w.join_requests.push_back(std::move(r));
                    return {};
                  });
  if (!st.ok()) return st;

  w.clock = domain::ClockState{};  // no row: offset 0
  st = ForEachRow(db, kSelectClock, "cannot read the clock", [&](sqlite3_stmt* s) -> Status {
    w.clock.offset = ColumnInt(s, 0);
    return {};
  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectBotSettings, "cannot read bot update settings",
                  [&](sqlite3_stmt* s) -> Status {
                    domain::BotUpdateSettings b;
                    b.bot = UserId(ColumnInt(s, 0));
                    b.allowed_updates = static_cast<uint32_t>(ColumnInt(s, 1));
                    b.next_update_id = ColumnInt(s, 2);
                    b.webhook_url = ColumnText(s, 3);
                    b.webhook_secret = ColumnText(s, 4);
                    b.max_connections = static_cast<int32_t>(ColumnInt(s, 5));
                    b.webhook_ip_address = ColumnText(s, 6);
                    w.bot_settings.push_back(std::move(b));
                    return {};
                  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectUpdates, "cannot read updates", [&](sqlite3_stmt* s) -> Status {
    domain::Update u;
    u.bot = UserId(ColumnInt(s, 0));
    u.id = ColumnInt(s, 1);
    u.date = ColumnInt(s, 2);
    const int64_t type = ColumnInt(s, 3);
    if (type < 0 || type >= static_cast<int64_t>(domain::UpdateType::kCount)) {
      return Fail("update " + std::to_string(u.id) + " of bot " + std::to_string(u.bot.value) +
                  ": unknown type " + std::to_string(type));
    }
    u.type = static_cast<domain::UpdateType>(type);
    u.chat = ChatId(ColumnInt(s, 4));
    u.json = ColumnText(s, 5);
    w.updates.push_back(std::move(u));
    return {};
  });
  if (!st.ok()) return st;

  // Versions in the order written: a message is its latest version, placed where its first was.
  std::unordered_map<std::tuple<int64_t, int64_t, int64_t>, size_t, MessageKeyHash> message_index;
  st = ForEachRow(db, kSelectMessageVersions, "cannot read messages",
                  [&](sqlite3_stmt* s) -> Status {
                    domain::Message m;
                    if (Status decoded = ReadMessageVersion(s, m); !decoded.ok()) return decoded;
                    auto [it, first] = message_index.try_emplace(
                        std::tuple(m.chat.value, m.bot.value, m.id), w.messages.size());
                    if (first) {
                      w.messages.push_back(std::move(m));
                    } else {
                      w.messages[it->second] = std::move(m);
                    }
                    return {};
                  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectPrivateChats, "cannot read private chats",
                  [&](sqlite3_stmt* s) -> Status {
                    domain::PrivateChat c;
                    c.user = UserId(ColumnInt(s, 0));
                    c.bot = UserId(ColumnInt(s, 1));
                    c.started = ColumnBool(s, 2);
                    c.blocked = ColumnBool(s, 3);
                    c.contact_until = ColumnInt(s, 4);
                    w.private_chats.push_back(c);
                    return {};
                  });
  if (!st.ok()) return st;

  st = ForEachRow(db, kSelectCallbackQueries, "cannot read callback queries",
                  [&](sqlite3_stmt* s) -> Status {
                    domain::CallbackQuery q;
                    q.id = ColumnInt(s, 0);
                    q.bot = UserId(ColumnInt(s, 1));
                    q.from = UserId(ColumnInt(s, 2));
                    q.chat = ChatId(ColumnInt(s, 3));
                    q.message_id = ColumnInt(s, 4);
                    q.data = ColumnText(s, 5);
                    q.date = ColumnInt(s, 6);
                    q.answered = ColumnBool(s, 7);
                    q.answer_text = ColumnText(s, 8);
                    q.show_alert = ColumnBool(s, 9);
                    q.answer_url = ColumnText(s, 10);
                    q.cache_time = static_cast<int32_t>(ColumnInt(s, 11));
                    w.callback_queries.push_back(std::move(q));
                    return {};
                  });
  if (!st.ok()) return st;

  st =
      ForEachRow(db, kSelectBotProfile, "cannot read bot profiles", [&](sqlite3_stmt* s) -> Status {
        domain::BotProfileEntry e;
        e.bot = UserId(ColumnInt(s, 0));
        e.key = ColumnText(s, 1);
        e.value = ColumnText(s, 2);
        w.bot_profile.push_back(std::move(e));
        return {};
      });
  if (!st.ok()) return st;

  return ForEachRow(db, kSelectSenderChatBans, "cannot read sender chat bans",
                    [&](sqlite3_stmt* s) -> Status {
                      w.sender_chat_bans.push_back(domain::SenderChatBan{
                          .chat = ChatId(ColumnInt(s, 0)), .sender_chat = ChatId(ColumnInt(s, 1))});
                      return {};
                    });
}

}  // namespace tgi::store::sqlite_internal
