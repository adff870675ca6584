// The control plane's handlers of the simulated world and its users (control/handlers.h): the
// world file, bots, users, chats and their members, invite links and join requests, what users do
// (join, leave, send and edit messages, press buttons, block bots), and the paged listings of
// bots, users, chats and members.
#include <limits>
#include <optional>
#include <vector>

#include "botapi/args.h"
#include "botapi/encode.h"
#include "botapi/errors.h"
#include "botapi/json_writer.h"
#include "control/bodies.h"
#include "control/handlers.h"
#include "control/world_json.h"
#include "text/find_entities.h"

namespace tgi::control::handlers {
namespace {

void WriteJoinRequest(JsonWriter& w, const domain::JoinRequest& r) {
  w.BeginObject().Field("chat_id", r.chat.value).Field("user_id", r.user.value);
  if (!r.link_hash.empty()) w.Field("invite_link", domain::InviteLinkUrl(r.link_hash));
  w.Field("date", r.date);
  if (!r.bio.empty()) w.Field("bio", r.bio);
  w.Field("state", domain::JoinRequestStateName(r.state));
  if (r.decided) w.Field("decided", r.decided);
  w.EndObject();
}

void WriteLinkListing(JsonWriter& w, const domain::LinkView& v) {
  const domain::InviteLink& l = *v.link;
  w.BeginObject();
  w.Field("invite_link", domain::InviteLinkUrl(l.hash));
  w.Field("chat_id", l.chat.value).Field("creator_id", l.creator.value);
  if (!l.name.empty()) w.Field("name", l.name);
  if (l.expire_date) w.Field("expire_date", l.expire_date);
  if (l.member_limit) w.Field("member_limit", int64_t{l.member_limit});
  w.Field("creates_join_request", l.creates_join_request);
  w.Field("is_primary", l.is_primary).Field("is_revoked", l.is_revoked);
  w.Field("created", l.created);
  w.Field("join_count", static_cast<int64_t>(v.joins.size()));
  w.Field("pending_join_request_count", v.pending_join_request_count);
  w.Key("joins").BeginArray();
  for (const domain::Join* j : v.joins)
    w.BeginObject()
        .Field("user_id", j->user.value)
        .Field("date", j->date)
        .Field("via_join_request", j->via_join_request)
        .EndObject();
  w.EndArray();
  w.EndObject();
}

// A chat as PUT and GET /chats/{chat_id} show it.
void WriteChat(JsonWriter& out, const domain::World& w, const domain::Chat& chat) {
  out.BeginObject().Field("id", chat.id.value).Field("type", botapi::ChatTypeName(chat.type));
  out.Field("title", chat.title);
  if (!chat.username.empty()) out.Field("username", chat.username);
  if (!chat.description.empty()) out.Field("description", chat.description);
  if (chat.migrated_to) out.Field("migrated_to_chat_id", chat.migrated_to->value);
  out.Key("banned_sender_chats").BeginArray();
  for (ChatId sender : w.BannedSenderChats(chat.id)) out.Int(sender.value);
  out.EndArray();
  out.EndObject();
}

// Writes the items of a page fetched with limit + 1 (the extra one only says that more follow).
template <class T, class Write, class IdOf>
Reply PageReply(std::vector<const T*> items, size_t limit, Write write, IdOf id_of) {
  const bool more = items.size() > limit;
  if (more) items.resize(limit);
  JsonWriter out;
  out.BeginObject().Key("items").BeginArray();
  for (const T* item : items) write(out, *item);
  out.EndArray();
  if (more) out.Field("next_after", id_of(*items.back()));
  out.EndObject();
  return Ok(out);
}

}  // namespace

// POST /world
Result<Work, ApiError> PostWorld(const Call& call) {
  auto file = ParseWorldFile(call.request.body);
  if (!file) return Unexpected{botapi::ControlBadWorld(file.error().message)};
  return Work([file = std::move(*file)](domain::World& w, domain::Mutation& m, UnixTime now) {
    if (auto st = w.ApplyWorld(file, now, m); !st)
      return Refuse(botapi::ControlBadWorld(st.error().message));
    JsonWriter out;
    out.BeginObject();
    out.Field("bots", static_cast<int64_t>(file.bots.size()));
    out.Field("users", static_cast<int64_t>(file.users.size()));
    out.Field("chats", static_cast<int64_t>(file.chats.size()));
    out.EndObject();
    return Ok(out);
  });
}

// PUT /bots/{bot_id}
Result<Work, ApiError> PutBot(const Call& call) {
  auto entry = ParseBotBody(call.request.body, call.ids[0]);
  if (!entry) return BadBody(entry.error());
  return Work([e = std::move(*entry)](domain::World& w, domain::Mutation& m, UnixTime) {
    if (auto st = w.PutBot(e.bot, e.user, m); !st) return BadRequest(st.error());
    JsonWriter out;
    botapi::WriteGetMe(out, *w.FindUser(e.bot.id), *w.FindBot(e.bot.id));
    return Ok(out);
  });
}

// PUT /users/{user_id}
Result<Work, ApiError> PutUser(const Call& call) {
  auto user = ParseUserBody(call.request.body, call.ids[0]);
  if (!user) return BadBody(user.error());
  return Work([u = std::move(*user)](domain::World& w, domain::Mutation& m, UnixTime) {
    if (auto st = w.PutUser(u, m); !st) return BadRequest(st.error());
    JsonWriter out;
    botapi::WriteUser(out, *w.FindUser(u.id));
    return Ok(out);
  });
}

// PUT /chats/{chat_id}
Result<Work, ApiError> PutChat(const Call& call) {
  auto chat = ParseChatBody(call.request.body, call.ids[0]);
  if (!chat) return BadBody(chat.error());
  return Work([c = std::move(*chat)](domain::World& w, domain::Mutation& m, UnixTime now) {
    domain::Chat stored = c;
    if (!w.FindChat(c.id)) stored.created = now;
    if (auto st = w.PutChat(stored, m); !st) return BadRequest(st.error());
    JsonWriter out;
    WriteChat(out, w, *w.FindChat(c.id));
    return Ok(out);
  });
}

// GET /chats/{chat_id}
Result<Work, ApiError> GetChat(const Call& call) {
  return Work([id = ChatId(call.ids[0])](domain::World& w, domain::Mutation&, UnixTime) {
    const domain::Chat* chat = w.FindChat(id);
    if (!chat) return Refuse(botapi::ControlUnknownChat(id));
    JsonWriter out;
    WriteChat(out, w, *chat);
    return Ok(out);
  });
}

// PUT /chats/{chat_id}/members/{user_id}
Result<Work, ApiError> PutMember(const Call& call) {
  auto body = ParseMemberBody(call.request.body, ChatId(call.ids[0]), call.ids[1]);
  if (!body) return BadBody(body.error());
  return Work([mb = std::move(body->member), by = body->by](domain::World& w, domain::Mutation& m,
                                                            UnixTime now) {
    if (auto st = w.PutMember(mb, now, m, by); !st) return BadRequest(st.error());
    JsonWriter out;
    domain::MemberView view{.chat = w.FindChat(mb.chat),
                            .user = w.FindUser(mb.user),
                            .member = *w.FindMember(mb.chat, mb.user)};
    botapi::WriteChatMember(out, view, view.chat);
    return Ok(out);
  });
}

// GET /chats/{chat_id}/members/{user_id}: the member as getChatMember shows them (a ban or
// restriction whose until_date has passed reads as it ends; someone never in the chat is left).
Result<Work, ApiError> GetMember(const Call& call) {
  return Work([chat = ChatId(call.ids[0]), user = UserId(call.ids[1])](
                  domain::World& w, domain::Mutation&, UnixTime now) {
    const domain::Chat* c = w.FindChat(chat);
    if (!c) return Refuse(botapi::ControlUnknownChat(chat));
    const domain::User* u = w.FindUser(user);
    if (!u) return Refuse(botapi::ControlUnknownUser(user));
    const domain::Member* found = w.FindMember(chat, user);
    domain::Member member =
        found ? domain::EffectiveMember(*found, now)
              : domain::Member{.chat = chat, .user = user, .status = domain::MemberStatus::kLeft};
    JsonWriter out;
    botapi::WriteChatMember(out, domain::MemberView{.chat = c, .user = u, .member = member}, c);
    return Ok(out);
  });
}

// GET /chats/{chat_id}/invite-links
Result<Work, ApiError> GetInviteLinks(const Call& call) {
  return Work([id = ChatId(call.ids[0])](domain::World& w, domain::Mutation&, UnixTime) {
    if (!w.FindChat(id)) return Refuse(botapi::ControlUnknownChat(id));
    JsonWriter out;
    out.BeginArray();
    for (const auto& view : w.ListLinks(id)) WriteLinkListing(out, view);
    out.EndArray();
    return Ok(out);
  });
}

// GET /chats/{chat_id}/join-requests
Result<Work, ApiError> GetJoinRequests(const Call& call) {
  return Work([id = ChatId(call.ids[0])](domain::World& w, domain::Mutation&, UnixTime) {
    if (!w.FindChat(id)) return Refuse(botapi::ControlUnknownChat(id));
    JsonWriter out;
    out.BeginArray();
    for (const domain::JoinRequest* r : w.ListJoinRequests(id)) WriteJoinRequest(out, *r);
    out.EndArray();
    return Ok(out);
  });
}

// POST /join
Result<Work, ApiError> PostJoin(const Call& call) {
  auto body = ParseJoinBody(call.request.body);
  if (!body) return BadBody(body.error());
  return Work([b = std::move(*body)](domain::World& w, domain::Mutation& m, UnixTime now) {
    auto join = w.JoinByLink(b.user, b.link_hash, now, m, b.bio);
    if (!join) return Refuse(join.error());
    JsonWriter out;
    if (join->pending) {
      out.BeginObject().Field("status", "pending").Key("join_request");
      WriteJoinRequest(out, join->request);
      out.EndObject();
    } else {
      out.BeginObject().Field("status", "joined");
      out.Field("chat_id", join->join.chat.value).Field("user_id", join->join.user.value);
      out.Field("invite_link", domain::InviteLinkUrl(join->join.link_hash));
      out.Field("date", join->join.date);
      out.EndObject();
    }
    return Ok(out);
  });
}

namespace {

// `true`, or the domain's refusal.
Reply Done(const Result<void, domain::DomainError>& r) {
  return r ? Reply{.response = botapi::OkResponse("true")} : Refuse(r.error());
}

}  // namespace

// POST /leave
Result<Work, ApiError> PostLeave(const Call& call) {
  auto body = ParseChatUserBody(call.request.body);
  if (!body) return BadBody(body.error());
  return Work([b = *body](domain::World& w, domain::Mutation& m, UnixTime now) {
    return Done(w.Leave(b.chat, b.user, now, m));
  });
}

// POST /remove
Result<Work, ApiError> PostRemove(const Call& call) {
  auto body = ParseRemoveBody(call.request.body);
  if (!body) return BadBody(body.error());
  return Work([b = *body](domain::World& w, domain::Mutation& m, UnixTime now) {
    return Done(w.Remove(b.chat, b.user, b.removal, b.by, now, m));
  });
}

// POST /withdraw
Result<Work, ApiError> PostWithdraw(const Call& call) {
  auto body = ParseChatUserBody(call.request.body);
  if (!body) return BadBody(body.error());
  return Work([b = *body](domain::World& w, domain::Mutation& m, UnixTime now) {
    return Done(w.WithdrawJoinRequest(b.chat, b.user, now, m));
  });
}

// POST /chats/{chat_id}/upgrade
Result<Work, ApiError> PostUpgrade(const Call& call) {
  auto new_id = ParseUpgradeBody(call.request.body);
  if (!new_id) return BadBody(new_id.error());
  return Work([id = ChatId(call.ids[0]), new_id = *new_id](domain::World& w, domain::Mutation& m,
                                                           UnixTime now) {
    auto target = w.Upgrade(id, new_id, now, m);
    if (!target) return BadRequest(target.error());
    JsonWriter out;
    out.BeginObject().Field("migrate_to_chat_id", target->value).EndObject();
    return Ok(out);
  });
}

// POST /messages: a user sends a text message (its entities found as Telegram finds them).
Result<Work, ApiError> PostMessage(const Call& call) {
  auto body = ParseMessageBody(call.request.body);
  if (!body) return BadBody(body.error());
  text::FormattedText text{.text = std::move(body->text)};
  text.entities = text::FindEntities(text.text);
  return Work([b = std::move(*body), text = std::move(text)](domain::World& w, domain::Mutation& m,
                                                             UnixTime now) mutable {
    auto sent = w.SendUserMessage(b.from, b.chat, std::move(text), b.reply_to, now, m);
    if (!sent) return BadRequest(sent.error());
    JsonWriter out;
    botapi::WriteMessage(out, w, **sent, botapi::ReplyDepth::kWithReply);
    return Ok(out);
  });
}

// POST /messages/edit: a user edits the text of their message (its entities found again).
Result<Work, ApiError> PostMessageEdit(const Call& call) {
  auto body = ParseEditBody(call.request.body);
  if (!body) return BadBody(body.error());
  text::FormattedText text{.text = std::move(body->text)};
  text.entities = text::FindEntities(text.text);
  return Work([b = std::move(*body), text = std::move(text)](domain::World& w, domain::Mutation& m,
                                                             UnixTime now) mutable {
    auto edited = w.EditUserMessage(b.from, b.chat, b.message_id, std::move(text), now, m);
    if (!edited) return BadRequest(edited.error());
    JsonWriter out;
    botapi::WriteMessage(out, w, **edited, botapi::ReplyDepth::kWithReply);
    return Ok(out);
  });
}

namespace {

// The messages of a chat, or of a private chat between a user and a bot, oldest first, each with
// the reply keyboard its bot sent (botapi::WriteListedMessage).
Work ListMessages(ChatId chat, UserId bot) {
  return [chat, bot](domain::World& w, domain::Mutation&, UnixTime) {
    JsonWriter out;
    out.BeginArray();
    for (const domain::Message* message : w.ListMessages(chat, bot))
      botapi::WriteListedMessage(out, w, *message);
    out.EndArray();
    return Ok(out);
  };
}

}  // namespace

// GET /chats/{chat_id}/messages
Result<Work, ApiError> GetChatMessages(const Call& call) {
  ChatId chat(call.ids[0]);
  Work list = ListMessages(chat, UserId());
  return Work([chat, list](domain::World& w, domain::Mutation& m, UnixTime now) {
    if (!w.FindChat(chat)) return Refuse(botapi::ControlUnknownChat(chat));
    return list(w, m, now);
  });
}

// GET /users/{user_id}/chats/{bot_id}/messages
Result<Work, ApiError> GetPrivateMessages(const Call& call) {
  UserId user(call.ids[0]), bot(call.ids[1]);
  Work list = ListMessages(ChatId(user.value), bot);
  return Work([user, bot, list](domain::World& w, domain::Mutation& m, UnixTime now) {
    if (!w.FindBot(bot)) return Refuse(botapi::ControlUnknownBot(bot));
    if (!w.FindUser(user)) return Refuse(botapi::ControlUnknownUser(user));
    return list(w, m, now);
  });
}

// GET /users/{user_id}/chats: the user's private chats with bots and the chats where the user has
// a member record, each with the user's status in it as now (a ban that ended reads as left).
Result<Work, ApiError> GetUserChats(const Call& call) {
  return Work([user = UserId(call.ids[0])](domain::World& w, domain::Mutation&, UnixTime now) {
    const domain::User* u = w.FindUser(user);
    if (!u || u->is_bot) return Refuse(botapi::ControlUnknownUser(user));
    JsonWriter out;
    out.BeginObject().Field("user_id", user.value);
    out.Key("private_chats").BeginArray();
    for (const domain::PrivateChat* pc : w.PrivateChatsOf(user))
      out.BeginObject()
          .Field("bot_id", pc->bot.value)
          .Field("started", pc->started)
          .Field("blocked", pc->blocked)
          .EndObject();
    out.EndArray();
    out.Key("chats").BeginArray();
    for (const domain::Member* record : w.MembershipsOf(user)) {
      const domain::Chat* chat = w.FindChat(record->chat);
      if (!chat) continue;  // a record whose chat is gone is not a chat of the user
      domain::Member member = domain::EffectiveMember(*record, now);
      out.BeginObject().Field("chat_id", chat->id.value).Field("title", chat->title);
      out.Field("type", botapi::ChatTypeName(chat->type));
      out.Field("status", domain::MemberStatusName(member.status)).EndObject();
    }
    out.EndArray();
    out.EndObject();
    return Ok(out);
  });
}

// POST /callback-queries: a user presses an inline button.
Result<Work, ApiError> PostCallbackQuery(const Call& call) {
  auto body = ParsePressBody(call.request.body);
  if (!body) return BadBody(body.error());
  return Work([b = std::move(*body)](domain::World& w, domain::Mutation& m, UnixTime now) {
    auto q = w.PressButton(b.from, b.chat, b.message_id, b.data, now, m);
    if (!q) return BadRequest(q.error());
    JsonWriter out;
    out.BeginObject().Field("callback_query_id", std::to_string((*q)->id)).EndObject();
    return Ok(out);
  });
}

// GET /callback-queries/{query_id}: the bot's answer, or null while there is none.
Result<Work, ApiError> GetCallbackQuery(const Call& call) {
  int64_t id = call.ids[0];
  return Work([id](domain::World& w, domain::Mutation&, UnixTime) {
    const domain::CallbackQuery* q = w.FindCallbackQuery(id);
    if (!q) return Refuse(botapi::ControlUnknownCallbackQuery(id));
    JsonWriter out;
    if (!q->answered) {
      out.Raw("null");
    } else {
      out.BeginObject();
      if (!q->answer_text.empty()) out.Field("text", q->answer_text);
      out.Field("show_alert", q->show_alert);
      if (!q->answer_url.empty()) out.Field("url", q->answer_url);
      if (q->cache_time) out.Field("cache_time", int64_t{q->cache_time});
      out.EndObject();
    }
    return Ok(out);
  });
}

namespace {

// POST /users/{user_id}/block and /unblock, with `blocked` true or false.
Result<Work, ApiError> Block(const Call& call, bool blocked) {
  auto bot = ParseBotIdBody(call.request.body);
  if (!bot) return BadBody(bot.error());
  UserId user(call.ids[0]);
  return Work([user, bot = *bot, blocked](domain::World& w, domain::Mutation& m, UnixTime now) {
    Status st = w.SetBlocked(user, bot, blocked, now, m);
    if (!st.ok()) return BadRequest(st.error());
    const domain::PrivateChat* pc = w.FindPrivateChat(user, bot);
    JsonWriter out;
    out.BeginObject().Field("user_id", user.value).Field("bot_id", bot.value);
    out.Field("started", pc && pc->started).Field("blocked", pc && pc->blocked).EndObject();
    return Ok(out);
  });
}

}  // namespace
Result<Work, ApiError> PostBlock(const Call& call) { return Block(call, true); }
Result<Work, ApiError> PostUnblock(const Call& call) { return Block(call, false); }

// ---------------------------------------------------------------------------------------------
// Listings, page by page (control/handlers.h).

Result<Page, ApiError> ParsePage(const http::Request& request) {
  Page page;
  if (const std::string* after = request.params.Find("after")) {
    if (!botapi::ParseExactInt64(*after, &page.after))
      return Unexpected{botapi::ControlBadRequest("after: must be an integer")};
  }
  if (const std::string* limit = request.params.Find("limit")) {
    int64_t n = 0;
    if (!botapi::ParseExactInt64(*limit, &n) || n < 1 || n > static_cast<int64_t>(kMaxPage))
      return Unexpected{botapi::ControlBadRequest("limit: must be an integer from 1 to 1000")};
    page.limit = static_cast<size_t>(n);
  }
  return page;
}

// GET /bots
Result<Work, ApiError> GetBots(const Call& call) {
  auto page = ParsePage(call.request);
  if (!page) return Unexpected{page.error()};
  return Work([p = *page](domain::World& w, domain::Mutation&, UnixTime) {
    return PageReply(
        w.BotsAfter(p.after, p.limit + 1), p.limit,
        [&w](JsonWriter& out, const domain::Bot& b) {
          botapi::WriteGetMe(out, *w.FindUser(b.id), b);
        },
        [](const domain::Bot& b) { return b.id.value; });
  });
}

// GET /users
Result<Work, ApiError> GetUsers(const Call& call) {
  auto page = ParsePage(call.request);
  if (!page) return Unexpected{page.error()};
  return Work([p = *page](domain::World& w, domain::Mutation&, UnixTime) {
    return PageReply(
        w.UsersAfter(p.after, p.limit + 1), p.limit,
        [](JsonWriter& out, const domain::User& u) { botapi::WriteUser(out, u); },
        [](const domain::User& u) { return u.id.value; });
  });
}

// GET /chats
Result<Work, ApiError> GetChats(const Call& call) {
  auto page = ParsePage(call.request);
  if (!page) return Unexpected{page.error()};
  return Work([p = *page](domain::World& w, domain::Mutation&, UnixTime) {
    return PageReply(
        w.ChatsAfter(p.after, p.limit + 1), p.limit,
        [&w](JsonWriter& out, const domain::Chat& c) { WriteChat(out, w, c); },
        [](const domain::Chat& c) { return c.id.value; });
  });
}

// GET /chats/{chat_id}/members
Result<Work, ApiError> GetMembers(const Call& call) {
  auto page = ParsePage(call.request);
  if (!page) return Unexpected{page.error()};
  return Work([chat = ChatId(call.ids[0]), p = *page](domain::World& w, domain::Mutation&,
                                                      UnixTime now) {
    const domain::Chat* c = w.FindChat(chat);
    if (!c) return Refuse(botapi::ControlUnknownChat(chat));
    return PageReply(
        w.MembersAfter(chat, p.after, p.limit + 1), p.limit,
        [&](JsonWriter& out, const domain::Member& m) {
          const domain::User* u = w.FindUser(m.user);
          botapi::WriteChatMember(
              out,
              domain::MemberView{.chat = c, .user = u, .member = domain::EffectiveMember(m, now)},
              c);
        },
        [](const domain::Member& m) { return m.user.value; });
  });
}

}  // namespace tgi::control::handlers
