#include "control/control_api.h"

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "botapi/args.h"
#include "botapi/encode.h"
#include "botapi/errors.h"
#include "botapi/json_writer.h"
#include "control/world_json.h"

namespace tginvite::control {
namespace {

using botapi::ApiError;
using botapi::JsonWriter;

http::Response Error(int code, std::string description) {
  return botapi::ErrorResponse(ApiError{.code = code, .description = std::move(description)});
}
http::Response BadRequest(const std::string& what) { return Error(400, "Bad Request: " + what); }

// Path segments after /control/v1/.
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (!seg.empty()) out.push_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::optional<int64_t> ParseId(std::string_view s) {
  int64_t v = 0;
  if (!botapi::ParseExactInt64(s, &v)) return std::nullopt;
  return v;
}

// Reads an integer field of a JSON object body; the error names the JSON path.
Result<int64_t, std::string> IntField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_int64()) return Unexpected{"$." + std::string(key) + ": must be an integer"};
  return v->as_int64();
}

void WriteJoinRequest(JsonWriter& w, const domain::JoinRequest& r) {
  w.BeginObject().Field("chat_id", r.chat.value).Field("user_id", r.user.value);
  if (!r.link_hash.empty()) w.Field("invite_link", domain::InviteLinkUrl(r.link_hash));
  w.Field("date", r.date);
  if (!r.bio.empty()) w.Field("bio", r.bio);
  w.Field("state", domain::JoinRequestStateName(r.state));
  if (r.decided) w.Field("decided", r.decided);
  w.EndObject();
}

// Control-plane answers for what a simulated user may not do: the MTProto error, as the Bot API
// would word it (e.g. "Bad Request: INVITE_HASH_EXPIRED").
http::Response DomainErrorResponse(const domain::DomainError& e) {
  return botapi::ErrorResponse(botapi::FromDomain(e));
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

}  // namespace

ControlApi::ControlApi(app::Engine& engine, std::string_view control_token)
    : engine_(engine), token_sha256_(crypto::Sha256(control_token)) {}

bool ControlApi::Authorized(const http::Request& request) const {
  const std::string* auth = request.GetHeader("authorization");
  if (!auth || auth->size() < 7 || auth->compare(0, 7, "Bearer ") != 0) return false;
  return crypto::ConstantTimeEqual(crypto::Sha256(std::string_view(*auth).substr(7)),
                                   token_sha256_);
}

void ControlApi::Handle(http::Request&& request, http::Respond respond) {
  if (!Authorized(request)) return respond(Error(401, "Unauthorized: control token required"));
  std::string_view path = request.path;
  constexpr std::string_view kPrefix = "/control/v1/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return respond(Error(404, "Not Found"));
  auto seg = Split(path.substr(kPrefix.size()));
  const std::string& method = request.method;
  bool is_get = method == "GET", is_post = method == "POST", is_put = method == "PUT";

  // Work to run on the engine; it fills `reply`.
  auto reply = std::make_shared<http::Response>();
  app::Engine::Work work;
  auto not_allowed = [&] { respond(Error(405, "Method Not Allowed")); };
  auto body = [&]() { return ParseJson(request.body); };

  if (seg.size() == 1 && seg[0] == "world") {
    if (!is_post) return not_allowed();
    auto file = ParseWorldFile(request.body);
    if (!file) return respond(BadRequest("world: " + file.error().message));
    work = [file = std::move(*file), reply](domain::World& w, domain::Mutation& m, UnixTime now) {
      if (auto st = w.ApplyWorld(file, now, m); !st) {
        *reply = BadRequest("world: " + st.error().message);
        return;
      }
      JsonWriter out;
      out.BeginObject();
      out.Field("bots", static_cast<int64_t>(file.bots.size()));
      out.Field("users", static_cast<int64_t>(file.users.size()));
      out.Field("chats", static_cast<int64_t>(file.chats.size()));
      out.EndObject();
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 2 && seg[0] == "bots") {
    if (!is_put) return not_allowed();
    auto id = ParseId(seg[1]);
    if (!id) return respond(BadRequest("bad bot id in the URL"));
    auto v = body();
    if (!v) return respond(BadRequest(v.error().message));
    auto entry = ParseBot(*v, id, "$");
    if (!entry) return respond(BadRequest(entry.error().message));
    work = [e = std::move(*entry), reply](domain::World& w, domain::Mutation& m, UnixTime) {
      if (auto st = w.PutBot(e.bot, e.user, m); !st) {
        *reply = BadRequest(st.error().message);
        return;
      }
      JsonWriter out;
      botapi::WriteGetMe(out, *w.FindUser(e.bot.id), *w.FindBot(e.bot.id));
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 2 && seg[0] == "users") {
    if (!is_put) return not_allowed();
    auto id = ParseId(seg[1]);
    if (!id) return respond(BadRequest("bad user id in the URL"));
    auto v = body();
    if (!v) return respond(BadRequest(v.error().message));
    auto user = ParseUser(*v, id, "$");
    if (!user) return respond(BadRequest(user.error().message));
    work = [u = std::move(*user), reply](domain::World& w, domain::Mutation& m, UnixTime) {
      if (auto st = w.PutUser(u, m); !st) {
        *reply = BadRequest(st.error().message);
        return;
      }
      JsonWriter out;
      botapi::WriteUser(out, *w.FindUser(u.id));
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 2 && seg[0] == "chats") {
    if (!is_put) return not_allowed();
    auto id = ParseId(seg[1]);
    if (!id) return respond(BadRequest("bad chat id in the URL"));
    auto v = body();
    if (!v) return respond(BadRequest(v.error().message));
    auto chat = ParseChat(*v, id, "$");
    if (!chat) return respond(BadRequest(chat.error().message));
    if (v->as_object().contains("members"))
      return respond(BadRequest("$.members: put members one at a time, or load a world"));
    work = [c = std::move(*chat), reply](domain::World& w, domain::Mutation& m, UnixTime now) {
      domain::Chat stored = c;
      if (!w.FindChat(c.id)) stored.created = now;
      if (auto st = w.PutChat(stored, m); !st) {
        *reply = BadRequest(st.error().message);
        return;
      }
      const domain::Chat& chat = *w.FindChat(c.id);
      JsonWriter out;
      out.BeginObject().Field("id", chat.id.value).Field("type", botapi::ChatTypeName(chat.type));
      out.Field("title", chat.title);
      if (!chat.username.empty()) out.Field("username", chat.username);
      if (!chat.description.empty()) out.Field("description", chat.description);
      if (chat.migrated_to) out.Field("migrated_to_chat_id", chat.migrated_to->value);
      out.EndObject();
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 4 && seg[0] == "chats" && seg[2] == "members") {
    if (!is_put) return not_allowed();
    auto chat_id = ParseId(seg[1]);
    auto user_id = ParseId(seg[3]);
    if (!chat_id || !user_id) return respond(BadRequest("bad id in the URL"));
    auto v = body();
    if (!v) return respond(BadRequest(v.error().message));
    // "by": who made the change (the `from` of the updates); not part of the member record.
    std::optional<UserId> by;
    if (v->is_object()) {
      if (v->as_object().contains("by")) {
        auto id = IntField(v->as_object(), "by");
        if (!id) return respond(BadRequest(id.error()));
        by = UserId(*id);
      }
      v->as_object().erase("by");
    }
    auto member = ParseMember(*v, ChatId(*chat_id), user_id, "$");
    if (!member) return respond(BadRequest(member.error().message));
    work = [mb = std::move(*member), by, reply](domain::World& w, domain::Mutation& m,
                                                UnixTime now) {
      if (auto st = w.PutMember(mb, now, m, by); !st) {
        *reply = BadRequest(st.error().message);
        return;
      }
      JsonWriter out;
      domain::MemberView view{.chat = w.FindChat(mb.chat),
                              .user = w.FindUser(mb.user),
                              .member = *w.FindMember(mb.chat, mb.user)};
      botapi::WriteChatMember(out, view, view.chat);
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 3 && seg[0] == "chats" && seg[2] == "invite-links") {
    if (!is_get) return not_allowed();
    auto chat_id = ParseId(seg[1]);
    if (!chat_id) return respond(BadRequest("bad chat id in the URL"));
    work = [id = ChatId(*chat_id), reply](domain::World& w, domain::Mutation&, UnixTime) {
      if (!w.FindChat(id)) {
        *reply = BadRequest("unknown chat " + std::to_string(id.value));
        return;
      }
      JsonWriter out;
      out.BeginArray();
      for (const auto& view : w.ListLinks(id)) WriteLinkListing(out, view);
      out.EndArray();
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 3 && seg[0] == "chats" && seg[2] == "upgrade") {
    if (!is_post) return not_allowed();
    auto chat_id = ParseId(seg[1]);
    if (!chat_id) return respond(BadRequest("bad chat id in the URL"));
    std::optional<ChatId> new_id;
    if (!request.body.empty()) {
      auto v = body();
      if (!v) return respond(BadRequest(v.error().message));
      if (!v->is_object()) return respond(BadRequest("$: must be an object"));
      if (const auto* n = v->as_object().if_contains("new_chat_id")) {
        if (!n->is_int64()) return respond(BadRequest("$.new_chat_id: must be an integer"));
        new_id = ChatId(n->as_int64());
      }
    }
    work = [id = ChatId(*chat_id), new_id, reply](domain::World& w, domain::Mutation& m,
                                                  UnixTime now) {
      auto target = w.Upgrade(id, new_id, now, m);
      if (!target) {
        *reply = BadRequest(target.error().message);
        return;
      }
      JsonWriter out;
      out.BeginObject().Field("migrate_to_chat_id", target->value).EndObject();
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 1 && seg[0] == "join") {
    if (!is_post) return not_allowed();
    auto v = body();
    if (!v) return respond(BadRequest(v.error().message));
    if (!v->is_object()) return respond(BadRequest("$: must be an object"));
    const auto& o = v->as_object();
    auto user = IntField(o, "user_id");
    if (!user) return respond(BadRequest(user.error()));
    const auto* link = o.if_contains("invite_link");
    if (!link || !link->is_string()) return respond(BadRequest("$.invite_link: must be a string"));
    std::string bio;
    if (const auto* b = o.if_contains("bio")) {
      if (!b->is_string()) return respond(BadRequest("$.bio: must be a string"));
      bio = std::string(b->as_string());
    }
    std::string hash = domain::LinkHashFromString(link->as_string());
    work = [uid = UserId(*user), hash, bio, reply](domain::World& w, domain::Mutation& m,
                                                   UnixTime now) {
      auto join = w.JoinByLink(uid, hash, now, m, bio);
      if (!join) {
        *reply = DomainErrorResponse(join.error());
        return;
      }
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
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 1 && (seg[0] == "leave" || seg[0] == "remove" || seg[0] == "withdraw")) {
    if (!is_post) return not_allowed();
    auto v = body();
    if (!v) return respond(BadRequest(v.error().message));
    if (!v->is_object()) return respond(BadRequest("$: must be an object"));
    const auto& o = v->as_object();
    auto chat = IntField(o, "chat_id");
    if (!chat) return respond(BadRequest(chat.error()));
    auto user = IntField(o, "user_id");
    if (!user) return respond(BadRequest(user.error()));
    bool ban = false;
    std::optional<UserId> by;
    if (seg[0] == "remove") {
      if (const auto* b = o.if_contains("ban")) {
        if (!b->is_bool()) return respond(BadRequest("$.ban: must be true or false"));
        ban = b->as_bool();
      }
      if (o.contains("by")) {
        auto id = IntField(o, "by");
        if (!id) return respond(BadRequest(id.error()));
        by = UserId(*id);
      }
    }
    std::string action(seg[0]);
    work = [action, cid = ChatId(*chat), uid = UserId(*user), ban, by, reply](
               domain::World& w, domain::Mutation& m, UnixTime now) {
      Result<void, domain::DomainError> r;
      if (action == "leave") {
        r = w.Leave(cid, uid, now, m);
      } else if (action == "remove") {
        r = w.Remove(cid, uid, ban, by, now, m);
      } else {
        r = w.WithdrawJoinRequest(cid, uid, now, m);
      }
      if (!r) {
        *reply = DomainErrorResponse(r.error());
        return;
      }
      *reply = botapi::OkResponse("true");
    };
  } else if (seg.size() == 3 && seg[0] == "chats" && seg[2] == "join-requests") {
    if (!is_get) return not_allowed();
    auto chat_id = ParseId(seg[1]);
    if (!chat_id) return respond(BadRequest("bad chat id in the URL"));
    work = [id = ChatId(*chat_id), reply](domain::World& w, domain::Mutation&, UnixTime) {
      if (!w.FindChat(id)) {
        *reply = BadRequest("unknown chat " + std::to_string(id.value));
        return;
      }
      JsonWriter out;
      out.BeginArray();
      for (const domain::JoinRequest* r : w.ListJoinRequests(id)) WriteJoinRequest(out, *r);
      out.EndArray();
      *reply = botapi::OkResponse(out.str());
    };
  } else if (seg.size() == 1 && seg[0] == "clock") {
    std::optional<int64_t> advance;
    if (is_post) {
      auto v = body();
      if (!v) return respond(BadRequest(v.error().message));
      if (!v->is_object()) return respond(BadRequest("$: must be an object"));
      auto a = IntField(v->as_object(), "advance");
      if (!a) return respond(BadRequest(a.error()));
      advance = *a;
    } else if (!is_get) {
      return not_allowed();
    }
    work = [advance, reply](domain::World& w, domain::Mutation& m, UnixTime now) {
      if (advance) {
        if (auto st = w.AdvanceClock(*advance, m); !st) {
          *reply = BadRequest(st.error().message);
          return;
        }
        now += *advance;  // `now` was read before the advance
      }
      JsonWriter out;
      out.BeginObject().Field("now", now).Field("offset", w.clock_offset()).EndObject();
      *reply = botapi::OkResponse(out.str());
    };
  } else {
    return respond(Error(404, "Not Found"));
  }

  engine_.Run(std::move(work), [reply, respond = std::move(respond)](Status st) {
    if (!st.ok()) return respond(botapi::ErrorResponse(botapi::InternalError("storage failure")));
    respond(std::move(*reply));
  });
}

}  // namespace tginvite::control
