// Writing a Mutation's ops (SqliteStore's writer thread): the SQL of each kind of op, and the
// binding of a record's fields to its statement.
#include "store/sqlite/sqlite_write.h"

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "store/sqlite/message_blobs.h"

namespace tgi::store::sqlite_internal {
namespace {

// Writes. Every record op is an upsert on its key; joins and updates are inserted.
constexpr std::string_view kUpsertBot = R"sql(
INSERT INTO bots (id, token_sha256, can_join_groups, can_read_all_group_messages,
                  supports_inline_queries, supports_guest_queries, can_connect_to_business,
                  has_main_web_app, has_topics_enabled, allows_users_to_create_topics,
                  can_manage_bots, logged_out)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT (id) DO UPDATE SET
  token_sha256 = excluded.token_sha256,
  can_join_groups = excluded.can_join_groups,
  can_read_all_group_messages = excluded.can_read_all_group_messages,
  supports_inline_queries = excluded.supports_inline_queries,
  supports_guest_queries = excluded.supports_guest_queries,
  can_connect_to_business = excluded.can_connect_to_business,
  has_main_web_app = excluded.has_main_web_app,
  has_topics_enabled = excluded.has_topics_enabled,
  allows_users_to_create_topics = excluded.allows_users_to_create_topics,
  can_manage_bots = excluded.can_manage_bots,
  logged_out = excluded.logged_out)sql";

constexpr std::string_view kUpsertUser = R"sql(
INSERT INTO users (id, is_bot, first_name, last_name, username, language_code, is_premium)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (id) DO UPDATE SET
  is_bot = excluded.is_bot,
  first_name = excluded.first_name,
  last_name = excluded.last_name,
  username = excluded.username,
  language_code = excluded.language_code,
  is_premium = excluded.is_premium)sql";

constexpr std::string_view kUpsertChat = R"sql(
INSERT INTO chats (id, type, title, username, description, migrated_to, created, permissions)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (id) DO UPDATE SET
  type = excluded.type,
  title = excluded.title,
  username = excluded.username,
  description = excluded.description,
  migrated_to = excluded.migrated_to,
  created = excluded.created,
  permissions = excluded.permissions)sql";

constexpr std::string_view kUpsertMember = R"sql(
INSERT INTO members (chat_id, user_id, status, rights, custom_title, until_date, joined,
                     joined_via, permissions)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (chat_id, user_id) DO UPDATE SET
  status = excluded.status,
  rights = excluded.rights,
  custom_title = excluded.custom_title,
  until_date = excluded.until_date,
  joined = excluded.joined,
  joined_via = excluded.joined_via,
  permissions = excluded.permissions)sql";

// A link's new state is appended as its latest version (migrations/0004_invite_link_versions.sql).
constexpr std::string_view kUpsertLink = R"sql(
INSERT INTO invite_link_versions (hash, chat_id, creator_id, is_primary, is_revoked, name,
                                  expire_date, member_limit, creates_join_request,
                                  subscription_period, subscription_price, created)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12))sql";

constexpr std::string_view kInsertJoin = R"sql(
INSERT INTO joins (chat_id, user_id, link_hash, date, via_join_request)
VALUES (?1, ?2, ?3, ?4, ?5))sql";

constexpr std::string_view kUpsertJoinRequest = R"sql(
INSERT INTO join_requests (chat_id, user_id, link_hash, date, bio, state, decided)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (chat_id, user_id) DO UPDATE SET
  link_hash = excluded.link_hash,
  date = excluded.date,
  bio = excluded.bio,
  state = excluded.state,
  decided = excluded.decided)sql";

// The trigger clock_never_goes_back refuses a smaller offset.
constexpr std::string_view kUpsertClock = R"sql(
INSERT INTO clock (id, offset) VALUES (1, ?1)
ON CONFLICT (id) DO UPDATE SET offset = excluded.offset)sql";

constexpr std::string_view kUpsertBotSettings = R"sql(
INSERT INTO bot_update_settings (bot_id, allowed_updates, next_update_id, webhook_url,
                                 webhook_secret, max_connections, webhook_ip_address)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (bot_id) DO UPDATE SET
  allowed_updates = excluded.allowed_updates,
  next_update_id = excluded.next_update_id,
  webhook_url = excluded.webhook_url,
  webhook_secret = excluded.webhook_secret,
  max_connections = excluded.max_connections,
  webhook_ip_address = excluded.webhook_ip_address)sql";

// A plain insert: an update id is never reused, so a duplicate fails the mutation.
constexpr std::string_view kInsertUpdate = R"sql(
INSERT INTO updates (bot_id, update_id, date, type, chat_id, json)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";

constexpr std::string_view kDropUpdates = R"sql(
DELETE FROM updates WHERE bot_id = ?1 AND update_id < ?2)sql";

// A message's new state is appended as its latest version
// (migrations/0005_conversations.sql); the lists are blobs of message_blobs.h.
constexpr std::string_view kInsertMessageVersion = R"sql(
INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, edit_date, kind, text, entities,
                              reply_to, inline_keyboard, callback_data, flags, link_preview_url,
                              forward_from, forward_from_chat, forward_from_message_id,
                              forward_date, users, reply_keyboard)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
        ?20))sql";

constexpr std::string_view kUpsertPrivateChat = R"sql(
INSERT INTO private_chats (user_id, bot_id, started, blocked, contact_until)
VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (user_id, bot_id) DO UPDATE SET
  started = excluded.started,
  blocked = excluded.blocked,
  contact_until = excluded.contact_until)sql";

constexpr std::string_view kUpsertCallbackQuery = R"sql(
INSERT INTO callback_queries (id, bot_id, from_id, chat_id, message_id, data, date, answered,
                              answer_text, show_alert, answer_url, cache_time)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT (id) DO UPDATE SET
  bot_id = excluded.bot_id,
  from_id = excluded.from_id,
  chat_id = excluded.chat_id,
  message_id = excluded.message_id,
  data = excluded.data,
  date = excluded.date,
  answered = excluded.answered,
  answer_text = excluded.answer_text,
  show_alert = excluded.show_alert,
  answer_url = excluded.answer_url,
  cache_time = excluded.cache_time)sql";

constexpr std::string_view kUpsertProfileEntry = R"sql(
INSERT INTO bot_profile (bot_id, key, value) VALUES (?1, ?2, ?3)
ON CONFLICT (bot_id, key) DO UPDATE SET value = excluded.value)sql";

// An entry whose value becomes empty is removed; removing one that is not there does nothing.
constexpr std::string_view kDeleteProfileEntry = R"sql(
DELETE FROM bot_profile WHERE bot_id = ?1 AND key = ?2)sql";

// A sender chat ban is a row while it holds (migrations/0009_sender_chat_bans.sql); banning
// twice or lifting a ban that is not there does nothing.
constexpr std::string_view kInsertSenderChatBan = R"sql(
INSERT INTO sender_chat_bans (chat_id, sender_chat_id) VALUES (?1, ?2)
ON CONFLICT (chat_id, sender_chat_id) DO NOTHING)sql";

constexpr std::string_view kDeleteSenderChatBan = R"sql(
DELETE FROM sender_chat_bans WHERE chat_id = ?1 AND sender_chat_id = ?2)sql";

// Binding helpers. Strings and blobs are bound SQLITE_STATIC: the op outlives the step.
void BindText(sqlite3_stmt* s, int i, std::string_view v) {
  // An empty view may have no data: bound as is, that would be NULL, not ''.
  sqlite3_bind_text(s, i, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()),
                    SQLITE_STATIC);
}
void BindInt(sqlite3_stmt* s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }
void BindBool(sqlite3_stmt* s, int i, bool v) { sqlite3_bind_int(s, i, v ? 1 : 0); }
// An empty list is a zero-length blob: sqlite3_bind_blob would bind NULL for it (no data
// pointer), which the column refuses.
void BindBlob(sqlite3_stmt* s, int i, const std::string& v) {
  if (v.empty()) {
    sqlite3_bind_zeroblob(s, i, 0);
  } else {
    sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
}

std::string MessageName(const domain::Message& m) {
  std::string name = "message " + std::to_string(m.id) + " of chat " + std::to_string(m.chat.value);
  if (m.bot.value != 0) name += " with bot " + std::to_string(m.bot.value);
  return name;
}

Status ApplyMessage(sqlite3* db, sqlite3_stmt* s, const domain::Message& r) {
  // Encoded here, bound without a copy, alive until the step is done.
  std::string entities, callback_data, users;
  if (Status st = EncodeEntities(r.text.entities, &entities); !st.ok()) {
    return Fail("cannot write: entities: " + st.error().message);
  }
  EncodeStrings(r.callback_data, &callback_data);
  EncodeUserIds(r.users, &users);
  BindInt(s, 1, r.chat.value);
  BindInt(s, 2, r.bot.value);
  BindInt(s, 3, r.id);
  BindInt(s, 4, r.from.value);
  BindInt(s, 5, r.date);
  BindInt(s, 6, r.edit_date);
  BindInt(s, 7, static_cast<int64_t>(r.kind));
  BindText(s, 8, r.text.text);
  BindBlob(s, 9, entities);
  BindInt(s, 10, r.reply_to);
  BindText(s, 11, r.inline_keyboard);
  BindBlob(s, 12, callback_data);
  BindInt(s, 13, static_cast<int64_t>(r.flags));
  BindText(s, 14, r.link_preview_url);
  BindInt(s, 15, r.forward_from.value);
  BindInt(s, 16, r.forward_from_chat.value);
  BindInt(s, 17, r.forward_from_message_id);
  BindInt(s, 18, r.forward_date);
  BindBlob(s, 19, users);
  BindText(s, 20, r.reply_keyboard);
  return StepDone(db, s, "cannot write");
}

}  // namespace

Result<OpStatements> PrepareOpStatements(sqlite3* db) {
  OpStatements s;
  struct Item {
    StmtPtr* slot;
    std::string_view sql;
  } items[] = {
      {&s.bot, kUpsertBot},
      {&s.user, kUpsertUser},
      {&s.chat, kUpsertChat},
      {&s.member, kUpsertMember},
      {&s.link, kUpsertLink},
      {&s.join, kInsertJoin},
      {&s.join_request, kUpsertJoinRequest},
      {&s.clock, kUpsertClock},
      {&s.bot_settings, kUpsertBotSettings},
      {&s.update, kInsertUpdate},
      {&s.drop_updates, kDropUpdates},
      {&s.message, kInsertMessageVersion},
      {&s.private_chat, kUpsertPrivateChat},
      {&s.callback_query, kUpsertCallbackQuery},
      {&s.profile_put, kUpsertProfileEntry},
      {&s.profile_delete, kDeleteProfileEntry},
      {&s.sender_chat_ban_put, kInsertSenderChatBan},
      {&s.sender_chat_ban_delete, kDeleteSenderChatBan},
  };
  for (Item& item : items) {
    auto stmt = Prepare(db, item.sql, /*persistent=*/true);
    if (!stmt.ok()) return Unexpected{stmt.error()};
    *item.slot = std::move(*stmt);
  }
  return s;
}

Status ApplyOp(sqlite3* db, const OpStatements& stmts, const domain::Op& op) {
  return std::visit(
      [&](const auto& r) -> Status {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, domain::Bot>) {
          sqlite3_stmt* s = stmts.bot.get();
          BindInt(s, 1, r.id.value);
          sqlite3_bind_blob(s, 2, r.token_sha256.data(), static_cast<int>(r.token_sha256.size()),
                            SQLITE_STATIC);
          BindBool(s, 3, r.can_join_groups);
          BindBool(s, 4, r.can_read_all_group_messages);
          BindBool(s, 5, r.supports_inline_queries);
          BindBool(s, 6, r.supports_guest_queries);
          BindBool(s, 7, r.can_connect_to_business);
          BindBool(s, 8, r.has_main_web_app);
          BindBool(s, 9, r.has_topics_enabled);
          BindBool(s, 10, r.allows_users_to_create_topics);
          BindBool(s, 11, r.can_manage_bots);
          BindBool(s, 12, r.logged_out);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::User>) {
          sqlite3_stmt* s = stmts.user.get();
          BindInt(s, 1, r.id.value);
          BindBool(s, 2, r.is_bot);
          BindText(s, 3, r.first_name);
          BindText(s, 4, r.last_name);
          BindText(s, 5, r.username);
          BindText(s, 6, r.language_code);
          BindBool(s, 7, r.is_premium);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Chat>) {
          sqlite3_stmt* s = stmts.chat.get();
          BindInt(s, 1, r.id.value);
          sqlite3_bind_text(s, 2, domain::ChatTypeName(r.type), -1, SQLITE_STATIC);
          BindText(s, 3, r.title);
          BindText(s, 4, r.username);
          BindText(s, 5, r.description);
          if (r.migrated_to) {
            BindInt(s, 6, r.migrated_to->value);
          } else {
            sqlite3_bind_null(s, 6);
          }
          BindInt(s, 7, r.created);
          BindInt(s, 8, static_cast<int64_t>(r.permissions.bits));
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Member>) {
          sqlite3_stmt* s = stmts.member.get();
          BindInt(s, 1, r.chat.value);
          BindInt(s, 2, r.user.value);
          sqlite3_bind_text(s, 3, domain::MemberStatusName(r.status), -1, SQLITE_STATIC);
          BindInt(s, 4, static_cast<int64_t>(r.rights.bits));
          BindText(s, 5, r.custom_title);
          BindInt(s, 6, r.until_date);
          BindInt(s, 7, r.joined);
          BindText(s, 8, r.joined_via);
          BindInt(s, 9, static_cast<int64_t>(r.permissions.bits));
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::InviteLink>) {
          sqlite3_stmt* s = stmts.link.get();
          BindText(s, 1, r.hash);
          BindInt(s, 2, r.chat.value);
          BindInt(s, 3, r.creator.value);
          BindBool(s, 4, r.is_primary);
          BindBool(s, 5, r.is_revoked);
          BindText(s, 6, r.name);
          BindInt(s, 7, r.expire_date);
          BindInt(s, 8, r.member_limit);
          BindBool(s, 9, r.creates_join_request);
          BindInt(s, 10, r.subscription_period);
          BindInt(s, 11, r.subscription_price);
          BindInt(s, 12, r.created);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Join>) {
          sqlite3_stmt* s = stmts.join.get();
          BindInt(s, 1, r.chat.value);
          BindInt(s, 2, r.user.value);
          BindText(s, 3, r.link_hash);
          BindInt(s, 4, r.date);
          BindBool(s, 5, r.via_join_request);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::JoinRequest>) {
          sqlite3_stmt* s = stmts.join_request.get();
          BindInt(s, 1, r.chat.value);
          BindInt(s, 2, r.user.value);
          BindText(s, 3, r.link_hash);
          BindInt(s, 4, r.date);
          BindText(s, 5, r.bio);
          sqlite3_bind_text(s, 6, domain::JoinRequestStateName(r.state), -1, SQLITE_STATIC);
          BindInt(s, 7, r.decided);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::ClockState>) {
          sqlite3_stmt* s = stmts.clock.get();
          BindInt(s, 1, r.offset);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::BotUpdateSettings>) {
          sqlite3_stmt* s = stmts.bot_settings.get();
          BindInt(s, 1, r.bot.value);
          BindInt(s, 2, static_cast<int64_t>(r.allowed_updates));
          BindInt(s, 3, r.next_update_id);
          BindText(s, 4, r.webhook_url);
          BindText(s, 5, r.webhook_secret);
          BindInt(s, 6, r.max_connections);
          BindText(s, 7, r.webhook_ip_address);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Update>) {
          sqlite3_stmt* s = stmts.update.get();
          BindInt(s, 1, r.bot.value);
          BindInt(s, 2, r.id);
          BindInt(s, 3, r.date);
          BindInt(s, 4, static_cast<int64_t>(r.type));
          BindInt(s, 5, r.chat.value);
          BindText(s, 6, r.json);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::DropUpdates>) {
          sqlite3_stmt* s = stmts.drop_updates.get();
          BindInt(s, 1, r.bot.value);
          BindInt(s, 2, r.below_id);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Message>) {
          return ApplyMessage(db, stmts.message.get(), r);
        } else if constexpr (std::is_same_v<T, domain::PrivateChat>) {
          sqlite3_stmt* s = stmts.private_chat.get();
          BindInt(s, 1, r.user.value);
          BindInt(s, 2, r.bot.value);
          BindBool(s, 3, r.started);
          BindBool(s, 4, r.blocked);
          BindInt(s, 5, r.contact_until);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::CallbackQuery>) {
          sqlite3_stmt* s = stmts.callback_query.get();
          BindInt(s, 1, r.id);
          BindInt(s, 2, r.bot.value);
          BindInt(s, 3, r.from.value);
          BindInt(s, 4, r.chat.value);
          BindInt(s, 5, r.message_id);
          BindText(s, 6, r.data);
          BindInt(s, 7, r.date);
          BindBool(s, 8, r.answered);
          BindText(s, 9, r.answer_text);
          BindBool(s, 10, r.show_alert);
          BindText(s, 11, r.answer_url);
          BindInt(s, 12, r.cache_time);
          return StepDone(db, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::SenderChatBan>) {
          // The delete cannot break a CHECK; as for profile entries, the table's checks are
          // made here for both, so that a ban it could never hold is refused either way.
          if (r.chat.value >= 0 || r.sender_chat.value >= 0)
            return Fail("cannot write: a sender chat ban needs two negative chat ids");
          sqlite3_stmt* s =
              r.banned ? stmts.sender_chat_ban_put.get() : stmts.sender_chat_ban_delete.get();
          BindInt(s, 1, r.chat.value);
          BindInt(s, 2, r.sender_chat.value);
          return StepDone(db, s, "cannot write");
        } else {
          static_assert(std::is_same_v<T, domain::BotProfileEntry>);
          if (r.value.empty()) {
            // The delete cannot break a CHECK; the put's checks are made here instead, so that
            // an entry the table could never hold is refused however it is written.
            if (r.bot.value <= 0 || r.key.empty()) {
              return Fail("cannot write: a profile entry needs a positive bot and a key");
            }
            sqlite3_stmt* s = stmts.profile_delete.get();
            BindInt(s, 1, r.bot.value);
            BindText(s, 2, r.key);
            return StepDone(db, s, "cannot write");
          }
          sqlite3_stmt* s = stmts.profile_put.get();
          BindInt(s, 1, r.bot.value);
          BindText(s, 2, r.key);
          BindText(s, 3, r.value);
          return StepDone(db, s, "cannot write");
        }
      },
      op);
}

std::string DescribeOp(const domain::Op& op) {
  return std::visit(
      [](const auto& r) -> std::string {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, domain::Bot>) {
          return "bot " + std::to_string(r.id.value);
        } else if constexpr (std::is_same_v<T, domain::User>) {
          return "user " + std::to_string(r.id.value);
        } else if constexpr (std::is_same_v<T, domain::Chat>) {
          return "chat " + std::to_string(r.id.value);
        } else if constexpr (std::is_same_v<T, domain::Member>) {
          return "member " + std::to_string(r.user.value) + " of chat " +
                 std::to_string(r.chat.value);
        } else if constexpr (std::is_same_v<T, domain::InviteLink>) {
          return "invite link of chat " + std::to_string(r.chat.value) + " by user " +
                 std::to_string(r.creator.value);
        } else if constexpr (std::is_same_v<T, domain::Join>) {
          return "join of user " + std::to_string(r.user.value) + " to chat " +
                 std::to_string(r.chat.value);
        } else if constexpr (std::is_same_v<T, domain::JoinRequest>) {
          return "join request of user " + std::to_string(r.user.value) + " to chat " +
                 std::to_string(r.chat.value);
        } else if constexpr (std::is_same_v<T, domain::ClockState>) {
          return "clock";
        } else if constexpr (std::is_same_v<T, domain::BotUpdateSettings>) {
          return "update settings of bot " + std::to_string(r.bot.value);
        } else if constexpr (std::is_same_v<T, domain::Update>) {
          return "update " + std::to_string(r.id) + " of bot " + std::to_string(r.bot.value);
        } else if constexpr (std::is_same_v<T, domain::DropUpdates>) {
          return "updates of bot " + std::to_string(r.bot.value) + " below " +
                 std::to_string(r.below_id);
        } else if constexpr (std::is_same_v<T, domain::Message>) {
          return MessageName(r);
        } else if constexpr (std::is_same_v<T, domain::PrivateChat>) {
          return "private chat of user " + std::to_string(r.user.value) + " with bot " +
                 std::to_string(r.bot.value);
        } else if constexpr (std::is_same_v<T, domain::CallbackQuery>) {
          return "callback query " + std::to_string(r.id);
        } else if constexpr (std::is_same_v<T, domain::SenderChatBan>) {
          return "ban of sender chat " + std::to_string(r.sender_chat.value) + " in chat " +
                 std::to_string(r.chat.value);
        } else {
          static_assert(std::is_same_v<T, domain::BotProfileEntry>);
          return "profile entry of bot " + std::to_string(r.bot.value);  // the key is a text
        }
      },
      op);
}

}  // namespace tgi::store::sqlite_internal
