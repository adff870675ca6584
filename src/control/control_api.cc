#include "control/control_api.h"

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "botapi/args.h"
#include "botapi/encode.h"
#include "botapi/errors.h"
#include "botapi/json_writer.h"
#include "botapi/methods.h"
#include "common/log.h"
#include "control/bodies.h"
#include "control/world_json.h"

namespace tgi::control {
namespace {

using botapi::ApiError;
using botapi::JsonWriter;

http::Response Error(const ApiError& e) { return botapi::ErrorResponse(e); }
http::Response BadRequest(std::string_view what) {
  return botapi::ErrorResponse(botapi::ControlBadRequest(what));
}

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

void WriteFault(JsonWriter& w, const botapi::Faults::Entry& f) {
  w.BeginObject().Field("bot_id", f.bot.value).Field("method", f.method);
  w.Field("remaining", f.remaining).Field("error_code", int64_t{f.error.code});
  w.Field("description", f.error.description);
  if (f.error.retry_after) w.Field("retry_after", *f.error.retry_after);
  w.EndObject();
}

}  // namespace

ControlApi::ControlApi(app::Engine& engine, std::string_view control_token, botapi::Faults& faults)
    : engine_(engine), token_sha256_(crypto::Sha256(control_token)), faults_(faults) {}

bool ControlApi::Authorized(const http::Request& request) const {
  const std::string* auth = request.GetHeader("authorization");
  if (!auth || auth->size() < 7 || auth->compare(0, 7, "Bearer ") != 0) return false;
  return crypto::ConstantTimeEqual(crypto::Sha256(std::string_view(*auth).substr(7)),
                                   token_sha256_);
}

void ControlApi::Handle(http::Request&& request, http::Respond respond) {
  if (!Authorized(request)) return respond(Error(botapi::ControlUnauthorized()));
  std::string_view path = request.path;
  constexpr std::string_view kPrefix = "/control/v1/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return respond(Error(botapi::NotFound()));
  auto seg = Split(path.substr(kPrefix.size()));
  const std::string& method = request.method;
  bool is_get = method == "GET", is_post = method == "POST", is_put = method == "PUT";
  bool is_delete = method == "DELETE";

  // Work to run on the engine; it fills `reply`, and `note` with a line to log (if any).
  auto reply = std::make_shared<http::Response>();
  auto note = std::make_shared<std::string>();
  app::Engine::Work work;
  auto not_allowed = [&] { respond(Error(botapi::ControlMethodNotAllowed())); };

  if (seg.size() == 1 && seg[0] == "world") {
    if (!is_post) return not_allowed();
    auto file = ParseWorldFile(request.body);
    if (!file) return respond(Error(botapi::ControlBadWorld(file.error().message)));
    work = [file = std::move(*file), reply](domain::World& w, domain::Mutation& m, UnixTime now) {
      if (auto st = w.ApplyWorld(file, now, m); !st) {
        *reply = Error(botapi::ControlBadWorld(st.error().message));
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
    if (!id) return respond(Error(botapi::ControlBadIdInUrl("bot")));
    auto entry = ParseBotBody(request.body, *id);
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
    if (!id) return respond(Error(botapi::ControlBadIdInUrl("user")));
    auto user = ParseUserBody(request.body, *id);
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
    if (!id) return respond(Error(botapi::ControlBadIdInUrl("chat")));
    auto chat = ParseChatBody(request.body, *id);
    if (!chat) return respond(BadRequest(chat.error().message));
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
    if (!chat_id || !user_id) return respond(Error(botapi::ControlBadIdInUrl("")));
    auto body = ParseMemberBody(request.body, ChatId(*chat_id), *user_id);
    if (!body) return respond(BadRequest(body.error().message));
    work = [mb = std::move(body->member), by = body->by, reply](domain::World& w,
                                                                domain::Mutation& m, UnixTime now) {
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
    if (!chat_id) return respond(Error(botapi::ControlBadIdInUrl("chat")));
    work = [id = ChatId(*chat_id), reply](domain::World& w, domain::Mutation&, UnixTime) {
      if (!w.FindChat(id)) {
        *reply = Error(botapi::ControlUnknownChat(id));
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
    if (!chat_id) return respond(Error(botapi::ControlBadIdInUrl("chat")));
    auto new_id = ParseUpgradeBody(request.body);
    if (!new_id) return respond(BadRequest(new_id.error().message));
    work = [id = ChatId(*chat_id), new_id = *new_id, reply](domain::World& w, domain::Mutation& m,
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
    auto body = ParseJoinBody(request.body);
    if (!body) return respond(BadRequest(body.error().message));
    work = [b = std::move(*body), reply](domain::World& w, domain::Mutation& m, UnixTime now) {
      auto join = w.JoinByLink(b.user, b.link_hash, now, m, b.bio);
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
    RemoveBody body;
    if (seg[0] == "remove") {
      auto remove = ParseRemoveBody(request.body);
      if (!remove) return respond(BadRequest(remove.error().message));
      body = *remove;
    } else {
      auto who = ParseChatUserBody(request.body);
      if (!who) return respond(BadRequest(who.error().message));
      body.chat = who->chat;
      body.user = who->user;
    }
    std::string action(seg[0]);
    work = [action, b = body, reply](domain::World& w, domain::Mutation& m, UnixTime now) {
      Result<void, domain::DomainError> r;
      if (action == "leave") {
        r = w.Leave(b.chat, b.user, now, m);
      } else if (action == "remove") {
        r = w.Remove(b.chat, b.user, b.removal, b.by, now, m);
      } else {
        r = w.WithdrawJoinRequest(b.chat, b.user, now, m);
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
    if (!chat_id) return respond(Error(botapi::ControlBadIdInUrl("chat")));
    work = [id = ChatId(*chat_id), reply](domain::World& w, domain::Mutation&, UnixTime) {
      if (!w.FindChat(id)) {
        *reply = Error(botapi::ControlUnknownChat(id));
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
      auto a = ParseClockBody(request.body);
      if (!a) return respond(BadRequest(a.error().message));
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
  } else if (seg.size() == 1 && seg[0] == "faults") {
    // Named decision: faults are test-time state, not world state: kept in memory only (in
    // botapi::Faults), never stored, gone after a restart. They go through the engine all the
    // same, to see the bots and to be ordered with the Bot API calls around them.
    botapi::Faults* faults = &faults_;
    if (is_get) {
      work = [faults, reply](domain::World&, domain::Mutation&, UnixTime) {
        JsonWriter out;
        out.BeginArray();
        for (const auto& f : faults->List()) WriteFault(out, f);
        out.EndArray();
        *reply = botapi::OkResponse(out.str());
      };
    } else if (is_post) {
      auto fault = ParseFaultBody(request.body);
      if (!fault) return respond(BadRequest(fault.error().message));
      work = [f = std::move(*fault), faults, reply, note](domain::World& w, domain::Mutation&,
                                                          UnixTime) {
        if (!w.FindBot(f.bot)) {
          *reply = Error(botapi::ControlUnknownBot(f.bot));
          return;
        }
        faults->Set(f.bot, f.method, f.count, f.error);
        JsonWriter out;
        WriteFault(out,
                   botapi::Faults::Entry{
                       .bot = f.bot, .method = f.method, .remaining = f.count, .error = f.error});
        *reply = botapi::OkResponse(out.str());
        note->append("bot ").append(std::to_string(f.bot.value)).append(": the next ");
        note->append(std::to_string(f.count)).append(" calls of ").append(f.method);
        note->append(" answer ").append(std::to_string(f.error.code));
      };
    } else if (is_delete) {
      work = [faults, reply, note](domain::World&, domain::Mutation&, UnixTime) {
        size_t n = faults->Clear();
        JsonWriter out;
        out.BeginObject().Field("cleared", static_cast<int64_t>(n)).EndObject();
        *reply = botapi::OkResponse(out.str());
        note->append("cleared every fault (").append(std::to_string(n)).append(")");
      };
    } else {
      return not_allowed();
    }
  } else if (seg.size() == 2 && seg[0] == "faults") {
    if (!is_delete) return not_allowed();
    auto id = ParseId(seg[1]);
    if (!id) return respond(Error(botapi::ControlBadIdInUrl("bot")));
    work = [bot = UserId(*id), faults = &faults_, reply, note](domain::World& w, domain::Mutation&,
                                                               UnixTime) {
      if (!w.FindBot(bot)) {
        *reply = Error(botapi::ControlUnknownBot(bot));
        return;
      }
      size_t n = faults->Clear(bot);
      JsonWriter out;
      out.BeginObject().Field("cleared", static_cast<int64_t>(n)).EndObject();
      *reply = botapi::OkResponse(out.str());
      note->append("bot ").append(std::to_string(bot.value)).append(": cleared its faults (");
      note->append(std::to_string(n)).append(")");
    };
  } else {
    return respond(Error(botapi::NotFound()));
  }

  engine_.Run(std::move(work), [reply, note, respond = std::move(respond)](Status st) {
    if (!st.ok()) return respond(Error(botapi::ControlStorageFailure()));
    if (!note->empty()) log::Info("faults", *note);
    respond(std::move(*reply));
  });
}

}  // namespace tgi::control
