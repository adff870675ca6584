#include "control/bodies.h"

#include <boost/json.hpp>
#include <cstdint>

#include "botapi/faults.h"
#include "botapi/methods.h"
#include "common/utf8.h"
#include "control/world_json.h"

namespace tgi::control {
namespace {

namespace json = boost::json;

// The body as a JSON object; these endpoints take nothing else.
Result<json::value, Error> ParseObject(std::string_view body) {
  auto v = ParseJson(body);
  if (!v) return Unexpected{v.error()};
  if (!v->is_object()) return Fail("$: must be an object");
  return v;
}

// An integer field, required; the error names the JSON path. (An integer beyond int64, which
// Boost.JSON keeps as uint64, is no id and no count here.)
Result<int64_t, Error> IntField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_int64()) return Fail("$." + std::string(key) + ": must be an integer");
  return v->as_int64();
}

Result<int64_t, Error> IntInRange(const json::object& o, std::string_view key, int64_t lo,
                                  int64_t hi) {
  auto n = IntField(o, key);
  if (!n || *n < lo || *n > hi) {
    std::string e = "$.";
    e.append(key).append(": must be an integer from ").append(std::to_string(lo));
    e.append(" to ").append(std::to_string(hi));
    return Fail(std::move(e));
  }
  return *n;
}

// "by", when present: who made a change.
Result<std::optional<UserId>, Error> ByField(const json::object& o) {
  if (!o.contains("by")) return std::optional<UserId>{};
  auto id = IntField(o, "by");
  if (!id) return Unexpected{id.error()};
  return std::optional<UserId>(UserId(*id));
}

Result<ChatUserBody, Error> ChatAndUser(const json::object& o) {
  auto chat = IntField(o, "chat_id");
  if (!chat) return Unexpected{chat.error()};
  auto user = IntField(o, "user_id");
  if (!user) return Unexpected{user.error()};
  return ChatUserBody{.chat = ChatId(*chat), .user = UserId(*user)};
}

// "from", "chat_id" and "message_id" (1 to INT32_MAX), in that order: the message that an edit
// (ParseEditBody) or a press on a button (ParsePressBody) is about, and who makes it.
struct MessageRef {
  UserId from;
  ChatId chat;
  int64_t message_id = 0;
};

Result<MessageRef, Error> FromChatAndMessage(const json::object& o) {
  auto from = IntField(o, "from");
  if (!from) return Unexpected{from.error()};
  auto chat = IntField(o, "chat_id");
  if (!chat) return Unexpected{chat.error()};
  auto message = IntInRange(o, "message_id", 1, INT32_MAX);
  if (!message) return Unexpected{message.error()};
  return MessageRef{.from = UserId(*from), .chat = ChatId(*chat), .message_id = *message};
}

// A message's "text": 1 to 4096 code points of UTF-8 (what a Telegram app sends at most in one
// message).
Result<std::string, Error> TextField(const json::object& o) {
  constexpr size_t kMaxCodePoints = 4096;
  const auto* text = o.if_contains("text");
  if (!text || !text->is_string()) return Fail("$.text: must be a string");
  std::string_view t(text->as_string().data(), text->as_string().size());
  if (t.empty()) return Fail("$.text: must not be empty");
  if (!utf8::IsValid(t)) return Fail("$.text: must be UTF-8");
  if (utf8::CodePointCount(t) > kMaxCodePoints)
    return Fail("$.text: must be at most 4096 characters");
  return std::string(t);
}

}  // namespace

Result<domain::WorldFile::BotEntry, Error> ParseBotBody(std::string_view body, int64_t id) {
  auto v = ParseJson(body);
  if (!v) return Unexpected{v.error()};
  return ParseBot(*v, id, "$");
}

Result<domain::User, Error> ParseUserBody(std::string_view body, int64_t id) {
  auto v = ParseJson(body);
  if (!v) return Unexpected{v.error()};
  return ParseUser(*v, id, "$");
}

Result<domain::Chat, Error> ParseChatBody(std::string_view body, int64_t id) {
  auto v = ParseJson(body);
  if (!v) return Unexpected{v.error()};
  auto chat = ParseChat(*v, id, "$");
  if (!chat) return Unexpected{chat.error()};
  // ParseChat passes "members" over for the world file; a PUT of a chat does not take them.
  if (v->as_object().contains("members"))
    return Fail("$.members: put members one at a time, or load a world");
  return chat;
}

Result<MemberBody, Error> ParseMemberBody(std::string_view body, ChatId chat, int64_t user_id) {
  auto v = ParseJson(body);
  if (!v) return Unexpected{v.error()};
  // "by" is not part of the member record: read it, then take it out for ParseMember, which
  // refuses fields it does not know. A body that is no object is left for ParseMember to refuse.
  std::optional<UserId> by;
  if (v->is_object()) {
    auto b = ByField(v->as_object());
    if (!b) return Unexpected{b.error()};
    by = *b;
    v->as_object().erase("by");
  }
  auto member = ParseMember(*v, chat, user_id, "$");
  if (!member) return Unexpected{member.error()};
  return MemberBody{.member = std::move(*member), .by = by};
}

Result<JoinBody, Error> ParseJoinBody(std::string_view body) {
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  const auto& o = v->as_object();
  auto user = IntField(o, "user_id");
  if (!user) return Unexpected{user.error()};
  const auto* link = o.if_contains("invite_link");
  if (!link || !link->is_string()) return Fail("$.invite_link: must be a string");
  JoinBody out{.user = UserId(*user), .link_hash = domain::LinkHashFromString(link->as_string())};
  if (const auto* b = o.if_contains("bio")) {
    if (!b->is_string()) return Fail("$.bio: must be a string");
    out.bio = std::string(b->as_string());
  }
  return out;
}

Result<ChatUserBody, Error> ParseChatUserBody(std::string_view body) {
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  return ChatAndUser(v->as_object());
}

Result<RemoveBody, Error> ParseRemoveBody(std::string_view body) {
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  const auto& o = v->as_object();
  auto who = ChatAndUser(o);
  if (!who) return Unexpected{who.error()};
  RemoveBody out{.chat = who->chat, .user = who->user};
  if (const auto* b = o.if_contains("ban")) {
    if (!b->is_bool()) return Fail("$.ban: must be true or false");
    if (b->as_bool()) out.removal = domain::Removal::kBan;
  }
  auto by = ByField(o);
  if (!by) return Unexpected{by.error()};
  out.by = *by;
  return out;
}

Result<std::optional<ChatId>, Error> ParseUpgradeBody(std::string_view body) {
  if (body.empty()) return std::optional<ChatId>{};
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  const auto* n = v->as_object().if_contains("new_chat_id");
  if (!n) return std::optional<ChatId>{};
  if (!n->is_int64()) return Fail("$.new_chat_id: must be an integer");
  return std::optional<ChatId>(ChatId(n->as_int64()));
}

Result<MessageBody, Error> ParseMessageBody(std::string_view body) {
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  const auto& o = v->as_object();
  auto from = IntField(o, "from");
  if (!from) return Unexpected{from.error()};
  auto chat = IntField(o, "chat_id");
  if (!chat) return Unexpected{chat.error()};
  auto text = TextField(o);
  if (!text) return Unexpected{text.error()};
  MessageBody out{.from = UserId(*from), .chat = ChatId(*chat), .text = std::move(*text)};
  if (o.contains("reply_to_message_id")) {
    auto reply = IntInRange(o, "reply_to_message_id", 1, INT32_MAX);
    if (!reply) return Unexpected{reply.error()};
    out.reply_to = *reply;
  }
  return out;
}

Result<EditBody, Error> ParseEditBody(std::string_view body) {
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  const auto& o = v->as_object();
  auto ref = FromChatAndMessage(o);
  if (!ref) return Unexpected{ref.error()};
  auto text = TextField(o);
  if (!text) return Unexpected{text.error()};
  return EditBody{.from = ref->from,
                  .chat = ref->chat,
                  .message_id = ref->message_id,
                  .text = std::move(*text)};
}

Result<PressBody, Error> ParsePressBody(std::string_view body) {
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  const auto& o = v->as_object();
  auto ref = FromChatAndMessage(o);
  if (!ref) return Unexpected{ref.error()};
  const auto* data = o.if_contains("data");
  if (!data || !data->is_string()) return Fail("$.data: must be a string");
  return PressBody{.from = ref->from,
                   .chat = ref->chat,
                   .message_id = ref->message_id,
                   .data = std::string(data->as_string())};
}

Result<UserId, Error> ParseBotIdBody(std::string_view body) {
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  auto bot = IntField(v->as_object(), "bot_id");
  if (!bot) return Unexpected{bot.error()};
  return UserId(*bot);
}

Result<int64_t, Error> ParseClockBody(std::string_view body) {
  auto v = ParseObject(body);
  if (!v) return Unexpected{v.error()};
  return IntField(v->as_object(), "advance");
}

Result<FaultBody, Error> ParseFaultBody(std::string_view body) {
  auto v = ParseJson(body);
  if (!v) return Unexpected{v.error()};
  if (!v->is_object()) return Fail("$: must be an object");
  const auto& o = v->as_object();
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    if (k != "bot_id" && k != "method" && k != "count" && k != "error_code" && k != "retry_after" &&
        k != "description") {
      std::string e = "$.";
      e.append(k).append(": unknown field");
      return Fail(std::move(e));
    }
  }
  FaultBody f;
  auto bot = IntField(o, "bot_id");
  if (!bot) return Unexpected{bot.error()};
  f.bot = UserId(*bot);

  const auto* m = o.if_contains("method");
  if (!m || !m->is_string()) return Fail("$.method: must be a string: a Bot API method or \"*\"");
  std::string_view name = m->as_string();
  if (name == botapi::Faults::kAnyMethod) {
    f.method = std::string(name);
  } else if (const botapi::MethodSpec* spec = botapi::FindMethod(name)) {
    f.method = std::string(spec->name);
  } else {
    std::string e = "$.method: unknown method \"";
    e.append(name).append("\" (a Bot API method this server answers, or \"*\" for every one)");
    return Fail(std::move(e));
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
      return Fail(
          "$.description: not with error_code 429, whose description is always \"Too Many "
          "Requests: retry after N\"");
    auto retry_after = IntInRange(o, "retry_after", 1, kMaxRetryAfter);
    if (!retry_after) return Unexpected{retry_after.error()};
    // The same error a real 429 of this server is, so the answer's bytes are the same.
    f.error = botapi::TooManyRequests(*retry_after);
    return f;
  }
  if (o.contains("retry_after")) return Fail("$.retry_after: only with error_code 429");
  if (!description || !description->is_string() || description->as_string().empty() ||
      description->as_string().size() > kMaxFaultDescription)
    return Fail(
        "$.description: must be a string of 1 to 1024 bytes (required when error_code is not "
        "429)");
  f.error = botapi::ApiError{.code = static_cast<int>(code),
                             .description = std::string(description->as_string())};
  return f;
}

}  // namespace tgi::control
