// Writing a Mutation's ops (PostgresStore's writer): the SQL of each kind of op, and the binding
// of a record's fields to its statement's parameters.
#include "store/postgres/pg_write.h"

#include <array>
#include <set>
#include <string_view>
#include <type_traits>
#include <variant>

#include "store/sqlite/message_blobs.h"

namespace tgi::store::pg {
namespace {

using sqlite_internal::EncodeEntities;
using sqlite_internal::EncodeStrings;
using sqlite_internal::EncodeUserIds;

struct Statement {
  const char* name;
  std::string_view sql;
  std::vector<Oid> types;
};

constexpr Oid B = kBoolOid, I = kInt8Oid, T = kTextOid, Y = kByteaOid;
constexpr Oid BA = kBoolArrayOid, IA = kInt8ArrayOid, TA = kTextArrayOid;

// The concatenation of string constants, made at compile time: Join<a, b>::value.
template <const std::string_view&... Parts>
struct Join {
  static constexpr auto kChars = [] {
    std::array<char, (Parts.size() + ... + 0)> out{};
    size_t i = 0;
    for (std::string_view part : {Parts...}) {
      for (char c : part) out[i++] = c;
    }
    return out;
  }();
  static constexpr std::string_view value{kChars.data(), kChars.size()};
};

// The invite-link upserts, of one link (tgi_op_link) and of several (tgi_op_links): their
// INSERTs, and the update on a conflict that both end with.
constexpr std::string_view kLinkInsert = R"sql(
INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked, name, expire_date,
                          member_limit, creates_join_request, subscription_period,
                          subscription_price, created)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
)sql";
constexpr std::string_view kLinksInsert = R"sql(
INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked, name, expire_date,
                          member_limit, creates_join_request, subscription_period,
                          subscription_price, created)
SELECT hash, chat_id, creator_id, is_primary, is_revoked, name, expire_date, member_limit,
       creates_join_request, subscription_period, subscription_price, created
FROM unnest($1::text[], $2::int8[], $3::int8[], $4::bool[], $5::bool[], $6::text[], $7::int8[],
            $8::int8[], $9::bool[], $10::int8[], $11::int8[], $12::int8[])
     WITH ORDINALITY AS r(hash, chat_id, creator_id, is_primary, is_revoked, name, expire_date,
                          member_limit, creates_join_request, subscription_period,
                          subscription_price, created, n)
ORDER BY n
)sql";
constexpr std::string_view kLinkUpsert = R"sql(ON CONFLICT (hash) DO UPDATE SET
  is_primary = EXCLUDED.is_primary,
  is_revoked = EXCLUDED.is_revoked,
  name = EXCLUDED.name,
  expire_date = EXCLUDED.expire_date,
  member_limit = EXCLUDED.member_limit,
  creates_join_request = EXCLUDED.creates_join_request,
  subscription_period = EXCLUDED.subscription_period,
  subscription_price = EXCLUDED.subscription_price,
  created = EXCLUDED.created,
  change_seq = EXCLUDED.change_seq)sql";

// Every record op is an upsert on its key; joins and updates are inserted. Every write sets the
// row's change_seq to the round's change (its column default, migrations/0002_cluster.sql).
const Statement kStatements[] = {
    {"tgi_op_bot",
     R"sql(
INSERT INTO bots (id, token_sha256, can_join_groups, can_read_all_group_messages,
                  supports_inline_queries, supports_guest_queries, can_connect_to_business,
                  has_main_web_app, has_topics_enabled, allows_users_to_create_topics,
                  can_manage_bots, logged_out)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (id) DO UPDATE SET
  token_sha256 = EXCLUDED.token_sha256,
  can_join_groups = EXCLUDED.can_join_groups,
  can_read_all_group_messages = EXCLUDED.can_read_all_group_messages,
  supports_inline_queries = EXCLUDED.supports_inline_queries,
  supports_guest_queries = EXCLUDED.supports_guest_queries,
  can_connect_to_business = EXCLUDED.can_connect_to_business,
  has_main_web_app = EXCLUDED.has_main_web_app,
  has_topics_enabled = EXCLUDED.has_topics_enabled,
  allows_users_to_create_topics = EXCLUDED.allows_users_to_create_topics,
  can_manage_bots = EXCLUDED.can_manage_bots,
  logged_out = EXCLUDED.logged_out,
  change_seq = EXCLUDED.change_seq)sql",
     {I, Y, B, B, B, B, B, B, B, B, B, B}},
    {"tgi_op_user",
     R"sql(
INSERT INTO users (id, is_bot, first_name, last_name, username, language_code, is_premium)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO UPDATE SET
  is_bot = EXCLUDED.is_bot,
  first_name = EXCLUDED.first_name,
  last_name = EXCLUDED.last_name,
  username = EXCLUDED.username,
  language_code = EXCLUDED.language_code,
  is_premium = EXCLUDED.is_premium,
  change_seq = EXCLUDED.change_seq)sql",
     {I, B, T, T, T, T, B}},
    {"tgi_op_chat",
     R"sql(
INSERT INTO chats (id, type, title, username, description, migrated_to, created, permissions)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (id) DO UPDATE SET
  type = EXCLUDED.type,
  title = EXCLUDED.title,
  username = EXCLUDED.username,
  description = EXCLUDED.description,
  migrated_to = EXCLUDED.migrated_to,
  created = EXCLUDED.created,
  permissions = EXCLUDED.permissions,
  change_seq = EXCLUDED.change_seq)sql",
     {I, T, T, T, T, I, I, I}},
    {"tgi_op_member",
     R"sql(
INSERT INTO members (chat_id, user_id, status, rights, custom_title, until_date, joined,
                     joined_via, permissions)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (chat_id, user_id) DO UPDATE SET
  status = EXCLUDED.status,
  rights = EXCLUDED.rights,
  custom_title = EXCLUDED.custom_title,
  until_date = EXCLUDED.until_date,
  joined = EXCLUDED.joined,
  joined_via = EXCLUDED.joined_via,
  permissions = EXCLUDED.permissions,
  change_seq = EXCLUDED.change_seq)sql",
     {I, I, T, I, T, I, I, T, I}},
    // A link keeps the chat and creator of its first version (the domain never changes them).
    {"tgi_op_link", Join<kLinkInsert, kLinkUpsert>::value, {T, I, I, B, B, T, I, I, B, I, I, I}},
    // Several links in one statement, in the order given (the rows are written one by one in
    // that order, as that many tgi_op_link would write them; each hash at most once: one
    // statement cannot upsert a row twice).
    {"tgi_op_links",
     Join<kLinksInsert, kLinkUpsert>::value,
     {TA, IA, IA, BA, BA, TA, IA, IA, BA, IA, IA, IA}},
    {"tgi_op_join",
     R"sql(
INSERT INTO joins (chat_id, user_id, link_hash, date, via_join_request)
VALUES ($1, $2, $3, $4, $5))sql",
     {I, I, T, I, B}},
    {"tgi_op_join_request",
     R"sql(
INSERT INTO join_requests (chat_id, user_id, link_hash, date, bio, state, decided)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (chat_id, user_id) DO UPDATE SET
  link_hash = EXCLUDED.link_hash,
  date = EXCLUDED.date,
  bio = EXCLUDED.bio,
  state = EXCLUDED.state,
  decided = EXCLUDED.decided,
  change_seq = EXCLUDED.change_seq)sql",
     {I, I, T, I, T, T, I}},
    // The trigger clock_never_goes_back refuses a smaller offset.
    {"tgi_op_clock",
     R"sql(
INSERT INTO clock (id, offset_seconds) VALUES (1, $1)
ON CONFLICT (id) DO UPDATE SET
  offset_seconds = EXCLUDED.offset_seconds,
  change_seq = EXCLUDED.change_seq)sql",
     {I}},
    {"tgi_op_bot_settings",
     R"sql(
INSERT INTO bot_update_settings (bot_id, allowed_updates, next_update_id, webhook_url,
                                 webhook_secret, max_connections, webhook_ip_address)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (bot_id) DO UPDATE SET
  allowed_updates = EXCLUDED.allowed_updates,
  next_update_id = EXCLUDED.next_update_id,
  webhook_url = EXCLUDED.webhook_url,
  webhook_secret = EXCLUDED.webhook_secret,
  max_connections = EXCLUDED.max_connections,
  webhook_ip_address = EXCLUDED.webhook_ip_address,
  change_seq = EXCLUDED.change_seq)sql",
     {I, I, I, T, T, I, T}},
    // A plain insert: an update id is never reused, so a duplicate fails the mutation.
    {"tgi_op_update",
     R"sql(
INSERT INTO updates (bot_id, update_id, date, type, chat_id, json)
VALUES ($1, $2, $3, $4, $5, $6))sql",
     {I, I, I, I, I, T}},
    {"tgi_op_drop_updates",
     R"sql(
DELETE FROM updates WHERE bot_id = $1 AND update_id < $2)sql",
     {I, I}},
    {"tgi_op_message",
     R"sql(
INSERT INTO messages (chat_id, bot_id, id, from_id, date, edit_date, kind, text, entities,
                      reply_to, inline_keyboard, callback_data, flags, link_preview_url,
                      forward_from, forward_from_chat, forward_from_message_id, forward_date,
                      users, reply_keyboard)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
        $20)
ON CONFLICT (chat_id, bot_id, id) DO UPDATE SET
  from_id = EXCLUDED.from_id,
  date = EXCLUDED.date,
  edit_date = EXCLUDED.edit_date,
  kind = EXCLUDED.kind,
  text = EXCLUDED.text,
  entities = EXCLUDED.entities,
  reply_to = EXCLUDED.reply_to,
  inline_keyboard = EXCLUDED.inline_keyboard,
  callback_data = EXCLUDED.callback_data,
  flags = EXCLUDED.flags,
  link_preview_url = EXCLUDED.link_preview_url,
  forward_from = EXCLUDED.forward_from,
  forward_from_chat = EXCLUDED.forward_from_chat,
  forward_from_message_id = EXCLUDED.forward_from_message_id,
  forward_date = EXCLUDED.forward_date,
  users = EXCLUDED.users,
  reply_keyboard = EXCLUDED.reply_keyboard,
  change_seq = EXCLUDED.change_seq)sql",
     {I, I, I, I, I, I, I, T, Y, I, T, Y, I, T, I, I, I, I, Y, T}},
    {"tgi_op_private_chat",
     R"sql(
INSERT INTO private_chats (user_id, bot_id, started, blocked, contact_until)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (user_id, bot_id) DO UPDATE SET
  started = EXCLUDED.started,
  blocked = EXCLUDED.blocked,
  contact_until = EXCLUDED.contact_until,
  change_seq = EXCLUDED.change_seq)sql",
     {I, I, B, B, I}},
    {"tgi_op_callback_query",
     R"sql(
INSERT INTO callback_queries (id, bot_id, from_id, chat_id, message_id, data, date, answered,
                              answer_text, show_alert, answer_url, cache_time)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (id) DO UPDATE SET
  bot_id = EXCLUDED.bot_id,
  from_id = EXCLUDED.from_id,
  chat_id = EXCLUDED.chat_id,
  message_id = EXCLUDED.message_id,
  data = EXCLUDED.data,
  date = EXCLUDED.date,
  answered = EXCLUDED.answered,
  answer_text = EXCLUDED.answer_text,
  show_alert = EXCLUDED.show_alert,
  answer_url = EXCLUDED.answer_url,
  cache_time = EXCLUDED.cache_time,
  change_seq = EXCLUDED.change_seq)sql",
     {I, I, I, I, I, T, I, B, T, B, T, I}},
    {"tgi_op_profile_put",
     R"sql(
INSERT INTO bot_profile (bot_id, key, value) VALUES ($1, $2, $3)
ON CONFLICT (bot_id, key) DO UPDATE SET
  value = EXCLUDED.value,
  change_seq = EXCLUDED.change_seq)sql",
     {I, T, T}},
    // An entry whose value becomes empty is removed; removing one that is not there does nothing.
    {"tgi_op_profile_delete",
     R"sql(
DELETE FROM bot_profile WHERE bot_id = $1 AND key = $2)sql",
     {I, T}},
    // A ban is a row while it holds; banning twice or lifting a ban not there does nothing.
    {"tgi_op_ban_put",
     R"sql(
INSERT INTO sender_chat_bans (chat_id, sender_chat_id) VALUES ($1, $2)
ON CONFLICT (chat_id, sender_chat_id) DO NOTHING)sql",
     {I, I}},
    {"tgi_op_ban_delete",
     R"sql(
DELETE FROM sender_chat_bans WHERE chat_id = $1 AND sender_chat_id = $2)sql",
     {I, I}},
};

Status Send(Pipeline& pipeline, const char* name, const Params& p) {
  if (!pipeline.SendPrepared(name, p)) {
    return Fail(std::string("cannot queue ") + name + " on the PostgreSQL connection");
  }
  return {};
}

}  // namespace

Status CheckOp(const domain::Op& op) {
  if (const auto* m = std::get_if<domain::Message>(&op)) {
    for (const text::Entity& e : m->text.entities) {
      const auto type = static_cast<unsigned>(e.type);
      if (type >= static_cast<unsigned>(text::EntityType::kCount)) {
        return Fail("cannot write: entities: unknown entity type " + std::to_string(type));
      }
    }
  } else if (const auto* b = std::get_if<domain::SenderChatBan>(&op)) {
    // The delete cannot break a CHECK; the table's checks are made here for both, so that a ban
    // it could never hold is refused either way (as SqliteStore does).
    if (b->chat.value >= 0 || b->sender_chat.value >= 0) {
      return Fail("cannot write: a sender chat ban needs two negative chat ids");
    }
  } else if (const auto* e = std::get_if<domain::BotProfileEntry>(&op)) {
    // As for bans: the put's checks, made for the delete that no CHECK guards.
    if (e->value.empty() && (e->bot.value <= 0 || e->key.empty())) {
      return Fail("cannot write: a profile entry needs a positive bot and a key");
    }
  }
  return {};
}

Status PrepareOpStatements(PGconn* c) {
  for (const Statement& s : kStatements) {
    if (Status st = Prepare(c, s.name, s.sql, s.types); !st.ok()) return st;
  }
  return {};
}

Status QueueOp(Pipeline& pipeline, const domain::Op& op, SendBuffers& buffers) {
  Params& p = buffers.params.emplace_back();
  return std::visit(
      [&](const auto& r) -> Status {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, domain::Bot>) {
          p.Int(r.id.value);
          p.Bytes(std::string_view(reinterpret_cast<const char*>(r.token_sha256.data()),
                                   r.token_sha256.size()));
          p.Bool(r.can_join_groups);
          p.Bool(r.can_read_all_group_messages);
          p.Bool(r.supports_inline_queries);
          p.Bool(r.supports_guest_queries);
          p.Bool(r.can_connect_to_business);
          p.Bool(r.has_main_web_app);
          p.Bool(r.has_topics_enabled);
          p.Bool(r.allows_users_to_create_topics);
          p.Bool(r.can_manage_bots);
          p.Bool(r.logged_out);
          return Send(pipeline, "tgi_op_bot", p);
        } else if constexpr (std::is_same_v<R, domain::User>) {
          p.Int(r.id.value);
          p.Bool(r.is_bot);
          p.Text(r.first_name);
          p.Text(r.last_name);
          p.Text(r.username);
          p.Text(r.language_code);
          p.Bool(r.is_premium);
          return Send(pipeline, "tgi_op_user", p);
        } else if constexpr (std::is_same_v<R, domain::Chat>) {
          p.Int(r.id.value);
          p.Text(domain::ChatTypeName(r.type));
          p.Text(r.title);
          p.Text(r.username);
          p.Text(r.description);
          if (r.migrated_to) {
            p.Int(r.migrated_to->value);
          } else {
            p.NullInt();
          }
          p.Int(r.created);
          p.Int(static_cast<int64_t>(r.permissions.bits));
          return Send(pipeline, "tgi_op_chat", p);
        } else if constexpr (std::is_same_v<R, domain::Member>) {
          p.Int(r.chat.value);
          p.Int(r.user.value);
          p.Text(domain::MemberStatusName(r.status));
          p.Int(static_cast<int64_t>(r.rights.bits));
          p.Text(r.custom_title);
          p.Int(r.until_date);
          p.Int(r.joined);
          p.Text(r.joined_via);
          p.Int(static_cast<int64_t>(r.permissions.bits));
          return Send(pipeline, "tgi_op_member", p);
        } else if constexpr (std::is_same_v<R, domain::InviteLink>) {
          p.Text(r.hash);
          p.Int(r.chat.value);
          p.Int(r.creator.value);
          p.Bool(r.is_primary);
          p.Bool(r.is_revoked);
          p.Text(r.name);
          p.Int(r.expire_date);
          p.Int(r.member_limit);
          p.Bool(r.creates_join_request);
          p.Int(r.subscription_period);
          p.Int(r.subscription_price);
          p.Int(r.created);
          return Send(pipeline, "tgi_op_link", p);
        } else if constexpr (std::is_same_v<R, domain::Join>) {
          p.Int(r.chat.value);
          p.Int(r.user.value);
          p.Text(r.link_hash);
          p.Int(r.date);
          p.Bool(r.via_join_request);
          return Send(pipeline, "tgi_op_join", p);
        } else if constexpr (std::is_same_v<R, domain::JoinRequest>) {
          p.Int(r.chat.value);
          p.Int(r.user.value);
          p.Text(r.link_hash);
          p.Int(r.date);
          p.Text(r.bio);
          p.Text(domain::JoinRequestStateName(r.state));
          p.Int(r.decided);
          return Send(pipeline, "tgi_op_join_request", p);
        } else if constexpr (std::is_same_v<R, domain::ClockState>) {
          p.Int(r.offset);
          return Send(pipeline, "tgi_op_clock", p);
        } else if constexpr (std::is_same_v<R, domain::BotUpdateSettings>) {
          p.Int(r.bot.value);
          p.Int(static_cast<int64_t>(r.allowed_updates));
          p.Int(r.next_update_id);
          p.Text(r.webhook_url);
          p.Text(r.webhook_secret);
          p.Int(r.max_connections);
          p.Text(r.webhook_ip_address);
          return Send(pipeline, "tgi_op_bot_settings", p);
        } else if constexpr (std::is_same_v<R, domain::Update>) {
          p.Int(r.bot.value);
          p.Int(r.id);
          p.Int(r.date);
          p.Int(static_cast<int64_t>(r.type));
          p.Int(r.chat.value);
          p.Text(std::string_view(r.json));
          return Send(pipeline, "tgi_op_update", p);
        } else if constexpr (std::is_same_v<R, domain::DropUpdates>) {
          p.Int(r.bot.value);
          p.Int(r.below_id);
          return Send(pipeline, "tgi_op_drop_updates", p);
        } else if constexpr (std::is_same_v<R, domain::Message>) {
          std::string& entities = buffers.blobs.emplace_back();
          std::string& callback_data = buffers.blobs.emplace_back();
          std::string& users = buffers.blobs.emplace_back();
          if (Status st = EncodeEntities(r.text.entities, &entities); !st.ok()) {
            return Fail("cannot write: entities: " + st.error().message);
          }
          EncodeStrings(r.callback_data, &callback_data);
          EncodeUserIds(r.users, &users);
          p.Int(r.chat.value);
          p.Int(r.bot.value);
          p.Int(r.id);
          p.Int(r.from.value);
          p.Int(r.date);
          p.Int(r.edit_date);
          p.Int(static_cast<int64_t>(r.kind));
          p.Text(r.text.text);
          p.Bytes(entities);
          p.Int(r.reply_to);
          p.Text(r.inline_keyboard);
          p.Bytes(callback_data);
          p.Int(static_cast<int64_t>(r.flags));
          p.Text(r.link_preview_url);
          p.Int(r.forward_from.value);
          p.Int(r.forward_from_chat.value);
          p.Int(r.forward_from_message_id);
          p.Int(r.forward_date);
          p.Bytes(users);
          p.Text(r.reply_keyboard);
          return Send(pipeline, "tgi_op_message", p);
        } else if constexpr (std::is_same_v<R, domain::PrivateChat>) {
          p.Int(r.user.value);
          p.Int(r.bot.value);
          p.Bool(r.started);
          p.Bool(r.blocked);
          p.Int(r.contact_until);
          return Send(pipeline, "tgi_op_private_chat", p);
        } else if constexpr (std::is_same_v<R, domain::CallbackQuery>) {
          p.Int(r.id);
          p.Int(r.bot.value);
          p.Int(r.from.value);
          p.Int(r.chat.value);
          p.Int(r.message_id);
          p.Text(r.data);
          p.Int(r.date);
          p.Bool(r.answered);
          p.Text(r.answer_text);
          p.Bool(r.show_alert);
          p.Text(r.answer_url);
          p.Int(r.cache_time);
          return Send(pipeline, "tgi_op_callback_query", p);
        } else if constexpr (std::is_same_v<R, domain::SenderChatBan>) {
          p.Int(r.chat.value);
          p.Int(r.sender_chat.value);
          return Send(pipeline, r.banned ? "tgi_op_ban_put" : "tgi_op_ban_delete", p);
        } else {
          static_assert(std::is_same_v<R, domain::BotProfileEntry>);
          if (r.value.empty()) {
            p.Int(r.bot.value);
            p.Text(r.key);
            return Send(pipeline, "tgi_op_profile_delete", p);
          }
          p.Int(r.bot.value);
          p.Text(r.key);
          p.Text(r.value);
          return Send(pipeline, "tgi_op_profile_put", p);
        }
      },
      op);
}

Status QueueOps(Pipeline& pipeline, const std::vector<domain::Op>& ops, SendBuffers& buffers,
                std::vector<size_t>* first_ops) {
  for (size_t i = 0; i < ops.size();) {
    // A run of links with distinct hashes, as one statement.
    size_t end = i;
    std::vector<const domain::InviteLink*> links;
    std::set<std::string_view> hashes;
    while (end < ops.size()) {
      const auto* l = std::get_if<domain::InviteLink>(&ops[end]);
      if (l == nullptr || !hashes.insert(l->hash).second) break;
      links.push_back(l);
      ++end;
    }
    if (first_ops != nullptr) first_ops->push_back(i);
    if (links.size() < 2) {
      if (Status st = QueueOp(pipeline, ops[i], buffers); !st.ok()) return st;
      ++i;
      continue;
    }
    std::vector<std::string_view> hash, name;
    std::vector<int64_t> chat, creator, expire_date, member_limit, period, price, created;
    std::vector<bool> is_primary, is_revoked, join_request;
    for (const domain::InviteLink* l : links) {
      hash.push_back(l->hash);
      chat.push_back(l->chat.value);
      creator.push_back(l->creator.value);
      is_primary.push_back(l->is_primary);
      is_revoked.push_back(l->is_revoked);
      name.push_back(l->name);
      expire_date.push_back(l->expire_date);
      member_limit.push_back(l->member_limit);
      join_request.push_back(l->creates_join_request);
      period.push_back(l->subscription_period);
      price.push_back(l->subscription_price);
      created.push_back(l->created);
    }
    Params& p = buffers.params.emplace_back();
    p.TextArray(hash);
    p.IntArray(chat);
    p.IntArray(creator);
    p.BoolArray(is_primary);
    p.BoolArray(is_revoked);
    p.TextArray(name);
    p.IntArray(expire_date);
    p.IntArray(member_limit);
    p.BoolArray(join_request);
    p.IntArray(period);
    p.IntArray(price);
    p.IntArray(created);
    if (Status st = Send(pipeline, "tgi_op_links", p); !st.ok()) return st;
    i = end;
  }
  return {};
}

}  // namespace tgi::store::pg
