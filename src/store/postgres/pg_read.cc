// Reading the whole world back (PostgresStore::Load): one SELECT per table, rows decoded from
// PostgreSQL's text output into the domain's records.
#include "store/postgres/pg_read.h"

#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/sqlite/message_blobs.h"

namespace tgi::store::pg {
namespace {

using sqlite_internal::DecodeEntities;
using sqlite_internal::DecodeStrings;
using sqlite_internal::DecodeUserIds;

// Reads, in the order Load promises. Texts are ordered bytewise (COLLATE "C").
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
FROM invite_links ORDER BY seq)sql";

constexpr std::string_view kSelectJoins = R"sql(
SELECT chat_id, user_id, link_hash, date, via_join_request FROM joins ORDER BY id)sql";

constexpr std::string_view kSelectJoinRequests = R"sql(
SELECT chat_id, user_id, link_hash, date, bio, state, decided
FROM join_requests ORDER BY chat_id, user_id)sql";

constexpr std::string_view kSelectClock = R"sql(
SELECT offset_seconds FROM clock WHERE id = 1)sql";

constexpr std::string_view kSelectBotSettings = R"sql(
SELECT bot_id, allowed_updates, next_update_id, webhook_url, webhook_secret, max_connections,
       webhook_ip_address
FROM bot_update_settings ORDER BY bot_id)sql";

constexpr std::string_view kSelectUpdates = R"sql(
SELECT bot_id, update_id, date, type, chat_id, json FROM updates ORDER BY bot_id, update_id)sql";

constexpr std::string_view kSelectMessages = R"sql(
SELECT seq, chat_id, bot_id, id, from_id, date, edit_date, kind, text, entities, reply_to,
       inline_keyboard, callback_data, flags, link_preview_url, forward_from, forward_from_chat,
       forward_from_message_id, forward_date, users, reply_keyboard
FROM messages ORDER BY seq)sql";

constexpr std::string_view kSelectPrivateChats = R"sql(
SELECT user_id, bot_id, started, blocked, contact_until
FROM private_chats ORDER BY user_id, bot_id)sql";

constexpr std::string_view kSelectCallbackQueries = R"sql(
SELECT id, bot_id, from_id, chat_id, message_id, data, date, answered, answer_text, show_alert,
       answer_url, cache_time
FROM callback_queries ORDER BY id)sql";

constexpr std::string_view kSelectBotProfile = R"sql(
SELECT bot_id, key, value FROM bot_profile ORDER BY bot_id, key COLLATE "C")sql";

constexpr std::string_view kSelectSenderChatBans = R"sql(
SELECT chat_id, sender_chat_id FROM sender_chat_bans ORDER BY chat_id, sender_chat_id)sql";

// migrations/0003_shared_state.sql (the cluster's only; ClusterStore).
constexpr std::string_view kSelectSharedState = R"sql(
SELECT key, value FROM shared_state ORDER BY key COLLATE "C")sql";

template <typename Enum>
bool Decode(std::optional<Enum> value, Enum* out) {
  if (!value) return false;
  *out = *value;
  return true;
}

Status ReadMessage(const PGresult* r, int i, domain::Message& m) {
  const int64_t seq = GetInt(r, i, 0);
  m.chat = ChatId(GetInt(r, i, 1));
  m.bot = UserId(GetInt(r, i, 2));
  m.id = GetInt(r, i, 3);
  auto fail = [&](const std::string& what) {
    std::string name =
        "message " + std::to_string(m.id) + " of chat " + std::to_string(m.chat.value);
    if (m.bot.value != 0) name += " with bot " + std::to_string(m.bot.value);
    return Fail(name + " (messages seq " + std::to_string(seq) + "): " + what);
  };
  m.from = UserId(GetInt(r, i, 4));
  m.date = GetInt(r, i, 5);
  m.edit_date = GetInt(r, i, 6);
  const int64_t kind = GetInt(r, i, 7);
  if (kind < 0 || kind > static_cast<int64_t>(domain::MessageKind::kMigrateFromChatId)) {
    return fail("unknown kind " + std::to_string(kind));
  }
  m.kind = static_cast<domain::MessageKind>(kind);
  m.text.text = GetText(r, i, 8);
  std::string blob;
  if (!GetBytes(r, i, 9, &blob)) return fail("entities is not bytea");
  if (Status st = DecodeEntities(blob, &m.text.entities); !st.ok()) {
    return fail("entities: " + st.error().message);
  }
  m.reply_to = GetInt(r, i, 10);
  m.inline_keyboard = GetText(r, i, 11);
  if (!GetBytes(r, i, 12, &blob)) return fail("callback_data is not bytea");
  if (Status st = DecodeStrings(blob, &m.callback_data); !st.ok()) {
    return fail("callback_data: " + st.error().message);
  }
  m.flags = static_cast<uint32_t>(GetInt(r, i, 13));
  m.link_preview_url = GetText(r, i, 14);
  m.forward_from = UserId(GetInt(r, i, 15));
  m.forward_from_chat = ChatId(GetInt(r, i, 16));
  m.forward_from_message_id = GetInt(r, i, 17);
  m.forward_date = GetInt(r, i, 18);
  if (!GetBytes(r, i, 19, &blob)) return fail("users is not bytea");
  if (Status st = DecodeUserIds(blob, &m.users); !st.ok()) {
    return fail("users: " + st.error().message);
  }
  m.reply_keyboard = GetText(r, i, 20);
  return {};
}

}  // namespace

void Reads::Add(std::string_view sql, std::string_view what, RowFn row) {
  items_.push_back(Item{std::string(sql), std::string(what), std::move(row)});
}

void Reads::AddSince(std::string_view sql, std::optional<int64_t> since, std::string_view what,
                     RowFn row) {
  std::string filtered(sql);
  if (since) {
    // Every select ends in ORDER BY, but the clock's, which has a WHERE.
    // The number is written into the text, not bound: the planner then sees how few rows are
    // past it (PostgreSQL looks up the index's actual end for a bound past its statistics)
    // and reads them through the change_seq index, where a generic plan for "> $1" may scan
    // the whole table.
    // Named decision: bounded above by the head too (kSinceHead): in the statement's snapshot it
    // is the newest change, so it keeps out no row; it is there for the planner. Without
    // statistics (a table not analyzed yet: a new schema, a world just loaded, a table growing
    // faster than autovacuum analyzes it) "> N" alone is estimated at a third of the table,
    // planned as a scan of all of it (a parallel one on a large table, its workers started
    // under the cluster's lock), where the pair is estimated at a two-hundredth: the change_seq
    // index either way.
    const std::string cond =
        "change_seq > " + std::to_string(*since) + " AND change_seq <= " + std::string(kSinceHead);
    if (size_t order = filtered.find("ORDER BY"); order != std::string::npos) {
      filtered.insert(order, "WHERE " + cond + " ");
    } else {
      filtered += " AND " + cond;
    }
  }
  Add(filtered, what, std::move(row));
}

Status Reads::Run(PGconn* c) {
  bool sent = PQenterPipelineMode(c) == 1;
  for (const Item& item : items_) {
    sent = sent &&
           PQsendQueryParams(c, item.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  }
  sent = sent && PQpipelineSync(c) == 1;
  Status out;
  if (!sent) out = Fail(ConnErrorText(c, "cannot read"));
  for (const Item& item : items_) {
    if (!sent) break;
    // A statement's results end with a null; a broken connection ends them too.
    while (PGresult* raw = PQgetResult(c)) {
      ResultPtr r(raw);
      const ExecStatusType st = PQresultStatus(r.get());
      if (st == PGRES_TUPLES_OK) {
        const int n = PQntuples(r.get());
        for (int i = 0; out.ok() && item.row && i < n; ++i) {
          if (Status decoded = item.row(r.get(), i); !decoded.ok()) out = decoded;
        }
      } else if (st == PGRES_COMMAND_OK) {
        // A statement without rows (BEGIN, COMMIT).
      } else if (out.ok()) {
        out = Fail(st == PGRES_PIPELINE_ABORTED ? item.what + ": an earlier read failed"
                                                : ErrorText(r.get(), item.what));
      }
    }
  }
  // The sync's result, then out of pipeline mode (whatever is left is read and dropped).
  if (PQpipelineStatus(c) != PQ_PIPELINE_OFF && PQexitPipelineMode(c) != 1) {
    while (PGresult* left = PQgetResult(c)) PQclear(left);
    if (PQexitPipelineMode(c) != 1 && out.ok()) out = Fail(ConnErrorText(c, "cannot read"));
  }
  items_.clear();
  return out;
}

Status ReadWorld(PGconn* c, domain::WorldState& w, std::optional<int64_t> since, bool* clock_read) {
  Reads reads;
  AddWorldReads(reads, w, since, clock_read);
  return reads.Run(c);
}

Table TableOf(const domain::Op& op) {
  return std::visit(
      [](const auto& r) {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, domain::Bot>) {
          return kBotsTable;
        } else if constexpr (std::is_same_v<R, domain::User>) {
          return kUsersTable;
        } else if constexpr (std::is_same_v<R, domain::Chat>) {
          return kChatsTable;
        } else if constexpr (std::is_same_v<R, domain::Member>) {
          return kMembersTable;
        } else if constexpr (std::is_same_v<R, domain::InviteLink>) {
          return kInviteLinksTable;
        } else if constexpr (std::is_same_v<R, domain::Join>) {
          return kJoinsTable;
        } else if constexpr (std::is_same_v<R, domain::JoinRequest>) {
          return kJoinRequestsTable;
        } else if constexpr (std::is_same_v<R, domain::ClockState>) {
          return kClockTable;
        } else if constexpr (std::is_same_v<R, domain::BotUpdateSettings>) {
          return kBotUpdateSettingsTable;
        } else if constexpr (std::is_same_v<R, domain::Update> ||
                             std::is_same_v<R, domain::DropUpdates>) {
          return kUpdatesTable;
        } else if constexpr (std::is_same_v<R, domain::Message>) {
          return kMessagesTable;
        } else if constexpr (std::is_same_v<R, domain::PrivateChat>) {
          return kPrivateChatsTable;
        } else if constexpr (std::is_same_v<R, domain::CallbackQuery>) {
          return kCallbackQueriesTable;
        } else if constexpr (std::is_same_v<R, domain::BotProfileEntry>) {
          return kBotProfileTable;
        } else {
          static_assert(std::is_same_v<R, domain::SenderChatBan>);
          return kSenderChatBansTable;
        }
      },
      op);
}

void AddWorldReads(Reads& reads, domain::WorldState& w, std::optional<int64_t> since,
                   bool* clock_read, uint32_t tables) {
  if (tables & kClockTable) {
    if (clock_read != nullptr) *clock_read = false;
    w.clock = domain::ClockState{};  // no row: offset 0
  }
  // Adds the table's select if it is in `tables`.
  auto add = [&reads, since, tables](Table table, std::string_view sql, std::string_view what,
                                     Reads::RowFn row) {
    if (tables & table) reads.AddSince(sql, since, what, std::move(row));
  };
  // The rows are decoded after this function returns (Reads::Run): the decoders capture `w`
  // (the caller's) and `clock_read` by value, nothing of this frame.
  add(kBotsTable, kSelectBots, "cannot read bots", [&w](const PGresult* r, int i) {
    domain::Bot b;
    b.id = UserId(GetInt(r, i, 0));
    std::string hash;
    if (!GetBytes(r, i, 1, &hash) || hash.size() != b.token_sha256.size()) {
      return Status(Fail("bot " + std::to_string(b.id.value) + ": token hash is not 32 bytes"));
    }
    std::memcpy(b.token_sha256.data(), hash.data(), hash.size());
    b.can_join_groups = GetBool(r, i, 2);
    b.can_read_all_group_messages = GetBool(r, i, 3);
    b.supports_inline_queries = GetBool(r, i, 4);
    b.supports_guest_queries = GetBool(r, i, 5);
    b.can_connect_to_business = GetBool(r, i, 6);
    b.has_main_web_app = GetBool(r, i, 7);
    b.has_topics_enabled = GetBool(r, i, 8);
    b.allows_users_to_create_topics = GetBool(r, i, 9);
    b.can_manage_bots = GetBool(r, i, 10);
    b.logged_out = GetBool(r, i, 11);
    w.bots.push_back(b);
    return Status();
  });

  add(kUsersTable, kSelectUsers, "cannot read users", [&w](const PGresult* r, int i) {
    domain::User u;
    u.id = UserId(GetInt(r, i, 0));
    u.is_bot = GetBool(r, i, 1);
    u.first_name = GetText(r, i, 2);
    u.last_name = GetText(r, i, 3);
    u.username = GetText(r, i, 4);
    u.language_code = GetText(r, i, 5);
    u.is_premium = GetBool(r, i, 6);
    w.users.push_back(std::move(u));
    return Status();
  });

  add(kChatsTable, kSelectChats, "cannot read chats", [&w](const PGresult* r, int i) {
    domain::Chat ch;
    ch.id = ChatId(GetInt(r, i, 0));
    if (!Decode(domain::ChatTypeFromName(GetText(r, i, 1)), &ch.type)) {
      return Status(Fail("chat " + std::to_string(ch.id.value) + ": unknown type"));
    }
    ch.title = GetText(r, i, 2);
    ch.username = GetText(r, i, 3);
    ch.description = GetText(r, i, 4);
    if (!IsNull(r, i, 5)) ch.migrated_to = ChatId(GetInt(r, i, 5));
    ch.created = GetInt(r, i, 6);
    ch.permissions.bits = static_cast<uint32_t>(GetInt(r, i, 7));
    w.chats.push_back(std::move(ch));
    return Status();
  });

  add(kMembersTable, kSelectMembers, "cannot read members", [&w](const PGresult* r, int i) {
    domain::Member m;
    m.chat = ChatId(GetInt(r, i, 0));
    m.user = UserId(GetInt(r, i, 1));
    if (!Decode(domain::MemberStatusFromName(GetText(r, i, 2)), &m.status)) {
      return Status(Fail("member " + std::to_string(m.user.value) + " of chat " +
                         std::to_string(m.chat.value) + ": unknown status"));
    }
    m.rights.bits = static_cast<uint32_t>(GetInt(r, i, 3));
    m.custom_title = GetText(r, i, 4);
    m.until_date = GetInt(r, i, 5);
    m.joined = GetInt(r, i, 6);
    m.joined_via = GetText(r, i, 7);
    m.permissions.bits = static_cast<uint32_t>(GetInt(r, i, 8));
    w.members.push_back(std::move(m));
    return Status();
  });

  add(kInviteLinksTable, kSelectLinks, "cannot read invite links", [&w](const PGresult* r, int i) {
    domain::InviteLink l;
    l.hash = GetText(r, i, 0);
    l.chat = ChatId(GetInt(r, i, 1));
    l.creator = UserId(GetInt(r, i, 2));
    l.is_primary = GetBool(r, i, 3);
    l.is_revoked = GetBool(r, i, 4);
    l.name = GetText(r, i, 5);
    l.expire_date = GetInt(r, i, 6);
    l.member_limit = static_cast<int32_t>(GetInt(r, i, 7));
    l.creates_join_request = GetBool(r, i, 8);
    l.subscription_period = static_cast<int32_t>(GetInt(r, i, 9));
    l.subscription_price = static_cast<int32_t>(GetInt(r, i, 10));
    l.created = GetInt(r, i, 11);
    w.links.push_back(std::move(l));
    return Status();
  });

  add(kJoinsTable, kSelectJoins, "cannot read joins", [&w](const PGresult* r, int i) {
    domain::Join j;
    j.chat = ChatId(GetInt(r, i, 0));
    j.user = UserId(GetInt(r, i, 1));
    j.link_hash = GetText(r, i, 2);
    j.date = GetInt(r, i, 3);
    j.via_join_request = GetBool(r, i, 4);
    w.joins.push_back(std::move(j));
    return Status();
  });

  add(kJoinRequestsTable, kSelectJoinRequests, "cannot read join requests",
      [&w](const PGresult* r, int i) {
        domain::JoinRequest q;
        q.chat = ChatId(GetInt(r, i, 0));
        q.user = UserId(GetInt(r, i, 1));
        q.link_hash = GetText(r, i, 2);
        q.date = GetInt(r, i, 3);
        q.bio = GetText(r, i, 4);
        if (!Decode(domain::JoinRequestStateFromName(GetText(r, i, 5)), &q.state)) {
          return Status(Fail("join request of user " + std::to_string(q.user.value) + " to chat " +
                             std::to_string(q.chat.value) + ": unknown state"));
        }
        q.decided = GetInt(r, i, 6);
        w.join_requests.push_back(std::move(q));
        return Status();
      });

  add(kClockTable, kSelectClock, "cannot read the clock",
      [&w, clock_read](const PGresult* r, int i) {
        w.clock.offset = GetInt(r, i, 0);
        if (clock_read != nullptr) *clock_read = true;
        return Status();
      });

  add(kBotUpdateSettingsTable, kSelectBotSettings, "cannot read bot update settings",
      [&w](const PGresult* r, int i) {
        domain::BotUpdateSettings b;
        b.bot = UserId(GetInt(r, i, 0));
        b.allowed_updates = static_cast<uint32_t>(GetInt(r, i, 1));
        b.next_update_id = GetInt(r, i, 2);
        b.webhook_url = GetText(r, i, 3);
        b.webhook_secret = GetText(r, i, 4);
        b.max_connections = static_cast<int32_t>(GetInt(r, i, 5));
        b.webhook_ip_address = GetText(r, i, 6);
        w.bot_settings.push_back(std::move(b));
        return Status();
      });

  add(kUpdatesTable, kSelectUpdates, "cannot read updates", [&w](const PGresult* r, int i) {
    domain::Update u;
    u.bot = UserId(GetInt(r, i, 0));
    u.id = GetInt(r, i, 1);
    u.date = GetInt(r, i, 2);
    const int64_t type = GetInt(r, i, 3);
    if (type < 0 || type >= static_cast<int64_t>(domain::UpdateType::kCount)) {
      return Status(Fail("update " + std::to_string(u.id) + " of bot " +
                         std::to_string(u.bot.value) + ": unknown type " + std::to_string(type)));
    }
    u.type = static_cast<domain::UpdateType>(type);
    u.chat = ChatId(GetInt(r, i, 4));
    u.json = GetText(r, i, 5);
    w.updates.push_back(std::move(u));
    return Status();
  });

  add(kMessagesTable, kSelectMessages, "cannot read messages", [&w](const PGresult* r, int i) {
    domain::Message m;
    if (Status decoded = ReadMessage(r, i, m); !decoded.ok()) return decoded;
    w.messages.push_back(std::move(m));
    return Status();
  });

  add(kPrivateChatsTable, kSelectPrivateChats, "cannot read private chats",
      [&w](const PGresult* r, int i) {
        domain::PrivateChat p;
        p.user = UserId(GetInt(r, i, 0));
        p.bot = UserId(GetInt(r, i, 1));
        p.started = GetBool(r, i, 2);
        p.blocked = GetBool(r, i, 3);
        p.contact_until = GetInt(r, i, 4);
        w.private_chats.push_back(p);
        return Status();
      });

  add(kCallbackQueriesTable, kSelectCallbackQueries, "cannot read callback queries",
      [&w](const PGresult* r, int i) {
        domain::CallbackQuery q;
        q.id = GetInt(r, i, 0);
        q.bot = UserId(GetInt(r, i, 1));
        q.from = UserId(GetInt(r, i, 2));
        q.chat = ChatId(GetInt(r, i, 3));
        q.message_id = GetInt(r, i, 4);
        q.data = GetText(r, i, 5);
        q.date = GetInt(r, i, 6);
        q.answered = GetBool(r, i, 7);
        q.answer_text = GetText(r, i, 8);
        q.show_alert = GetBool(r, i, 9);
        q.answer_url = GetText(r, i, 10);
        q.cache_time = static_cast<int32_t>(GetInt(r, i, 11));
        w.callback_queries.push_back(std::move(q));
        return Status();
      });

  add(kBotProfileTable, kSelectBotProfile, "cannot read bot profiles",
      [&w](const PGresult* r, int i) {
        domain::BotProfileEntry e;
        e.bot = UserId(GetInt(r, i, 0));
        e.key = GetText(r, i, 1);
        e.value = GetText(r, i, 2);
        w.bot_profile.push_back(std::move(e));
        return Status();
      });

  add(kSenderChatBansTable, kSelectSenderChatBans, "cannot read sender chat bans",
      [&w](const PGresult* r, int i) {
        w.sender_chat_bans.push_back(domain::SenderChatBan{.chat = ChatId(GetInt(r, i, 0)),
                                                           .sender_chat = ChatId(GetInt(r, i, 1))});
        return Status();
      });

  add(kSharedStateTable, kSelectSharedState, "cannot read the shared state",
      [&w](const PGresult* r, int i) {
        domain::SharedEntry e;
        e.key = GetText(r, i, 0);
        if (!GetBytes(r, i, 1, &e.value))
          return Status(Fail("shared state " + e.key + ": not bytea"));
        w.shared.push_back(std::move(e));
        return Status();
      });
}

}  // namespace tgi::store::pg
