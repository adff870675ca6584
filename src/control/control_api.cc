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

// POST /control/v1/faults, read and checked; the error names the field.
struct FaultRequest {
  UserId bot;
  std::string method;  // the method's documented name, or "*"
  int64_t count = 0;
  ApiError error;
};

constexpr int64_t kMaxFaultCount = 1'000'000;
constexpr int64_t kMaxRetryAfter = 86'400;
constexpr size_t kMaxFaultDescription = 1024;

Result<int64_t, std::string> IntInRange(const boost::json::object& o, std::string_view key,
                                        int64_t lo, int64_t hi) {
  auto n = IntField(o, key);
  if (!n || *n < lo || *n > hi) {
    std::string e = "$.";
    e.append(key).append(": must be an integer from ").append(std::to_string(lo));
    e.append(" to ").append(std::to_string(hi));
    return Unexpected{std::move(e)};
  }
  return *n;
}

Result<FaultRequest, std::string> ParseFault(const boost::json::value& v) {
  if (!v.is_object()) return Unexpected{std::string("$: must be an object")};
  const auto& o = v.as_object();
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    if (k != "bot_id" && k != "method" && k != "count" && k != "error_code" && k != "retry_after" &&
        k != "description") {
      std::string e = "$.";
      e.append(k).append(": unknown field");
      return Unexpected{std::move(e)};
    }
  }
  FaultRequest f;
  auto bot = IntField(o, "bot_id");
  if (!bot) return Unexpected{bot.error()};
  f.bot = UserId(*bot);

  const auto* m = o.if_contains("method");
  if (!m || !m->is_string())
    return Unexpected{std::string("$.method: must be a string: a Bot API method or \"*\"")};
  std::string_view name = m->as_string();
  if (name == botapi::Faults::kAnyMethod) {
    f.method = std::string(name);
  } else if (const botapi::MethodSpec* spec = botapi::FindMethod(name)) {
    f.method = std::string(spec->name);
  } else {
    std::string e = "$.method: unknown method \"";
    e.append(name).append("\" (a Bot API method this server answers, or \"*\" for every one)");
    return Unexpected{std::move(e)};
  }

  auto count = IntInRange(o, "count", 1, kMaxFaultCount);
  if (!count) return Unexpected{count.error()};
  f.count = *count;

  int64_t code = 429;
  if (o.contains("error_code")) {
    auto c = IntInRange(o, "error_code", 400, 599);
    if (!c) return Unexpected{c.error()};
    code = *c;
  }
  const auto* description = o.if_contains("description");
  if (code == 429) {
    if (description)
      return Unexpected{
          std::string("$.description: not with error_code 429, whose description is always "
                      "\"Too Many Requests: retry after N\"")};
    auto retry_after = IntInRange(o, "retry_after", 1, kMaxRetryAfter);
    if (!retry_after) return Unexpected{retry_after.error()};
    // The same error a real 429 of this server is, so the answer's bytes are the same.
    f.error = botapi::TooManyRequests(*retry_after);
    return f;
  }
  if (o.contains("retry_after"))
    return Unexpected{std::string("$.retry_after: only with error_code 429")};
  if (!description || !description->is_string() || description->as_string().empty() ||
      description->as_string().size() > kMaxFaultDescription)
    return Unexpected{std::string(
        "$.description: must be a string of 1 to 1024 bytes (required when error_code is not "
        "429)")};
  f.error = ApiError{.code = static_cast<int>(code),
                     .description = std::string(description->as_string())};
  return f;
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
  auto body = [&]() { return ParseJson(request.body); };

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
    if (!id) return respond(Error(botapi::ControlBadIdInUrl("user")));
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
    if (!id) return respond(Error(botapi::ControlBadIdInUrl("chat")));
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
    if (!chat_id || !user_id) return respond(Error(botapi::ControlBadIdInUrl("")));
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
        r = w.Remove(cid, uid, ban ? domain::Removal::kBan : domain::Removal::kLeaveFree, by, now,
                     m);
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
      auto v = body();
      if (!v) return respond(BadRequest(v.error().message));
      auto fault = ParseFault(*v);
      if (!fault) return respond(BadRequest(fault.error()));
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
