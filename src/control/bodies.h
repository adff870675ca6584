// The control plane's request bodies (docs/control-api.md), read and checked outside the world
// lock. Each parser takes the body as it arrived and either returns typed values or fails with
// the sentence answered after "Bad Request: " (botapi::ControlBadRequest): the JSON path of the
// first problem and what is wrong with it, e.g. "$.count: must be an integer from 1 to 1000000".
// A body that is not JSON fails with "body is not valid JSON: <why>".
//
// These check form only (types, ranges, known fields); whether the ids exist and what the rules
// allow is the World's to decide under the lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "botapi/errors.h"
#include "common/ids.h"
#include "common/result.h"
#include "domain/world.h"

namespace tgi::control {

// PUT /control/v1/bots/{id}: a world file's bots[] entry; its "id" may be left out and must
// otherwise equal `id`, the URL's.
Result<domain::WorldFile::BotEntry, Error> ParseBotBody(std::string_view body, int64_t id);

// PUT /control/v1/users/{id}: a users[] entry, "id" as for bots.
Result<domain::User, Error> ParseUserBody(std::string_view body, int64_t id);

// PUT /control/v1/chats/{id}: a chats[] entry, "id" as for bots, without "members" ("$.members:
// put members one at a time, or load a world"). `created` is left 0 for the caller to set.
Result<domain::Chat, Error> ParseChatBody(std::string_view body, int64_t id);

// PUT /control/v1/chats/{chat}/members/{user_id}: a members[] entry ("user_id" as "id" above)
// and, optionally, "by".
struct MemberBody {
  domain::Member member;
  std::optional<UserId> by;  // who made the change: the `from` of its updates; not stored
};
Result<MemberBody, Error> ParseMemberBody(std::string_view body, ChatId chat, int64_t user_id);

// POST /control/v1/join: {"user_id":U,"invite_link":"...","bio":"..."}, bio optional. Other
// fields are not looked at.
struct JoinBody {
  UserId user;
  std::string link_hash;  // domain::LinkHashFromString of invite_link: "" when it is no link
  std::string bio;        // "" when not given
};
Result<JoinBody, Error> ParseJoinBody(std::string_view body);

// POST /control/v1/leave and /withdraw: {"chat_id":C,"user_id":U}. Other fields are not looked
// at.
struct ChatUserBody {
  ChatId chat;
  UserId user;
};
Result<ChatUserBody, Error> ParseChatUserBody(std::string_view body);

// POST /control/v1/remove: {"chat_id":C,"user_id":U,"ban":false,"by":U2}, ban and by optional.
// Other fields are not looked at.
struct RemoveBody {
  ChatId chat;
  UserId user;
  domain::Removal removal = domain::Removal::kLeaveFree;  // "ban": true is kBan
  std::optional<UserId> by;                               // default: the World's
};
Result<RemoveBody, Error> ParseRemoveBody(std::string_view body);

// POST /control/v1/chats/{id}/upgrade: an empty body, or {"new_chat_id":N}. nullopt: none given
// (the World's default id). Other fields are not looked at.
Result<std::optional<ChatId>, Error> ParseUpgradeBody(std::string_view body);

// POST /control/v1/messages: {"from":U,"chat_id":C,"text":"...","reply_to_message_id":M}, the
// last optional. The text must be 1 to 4096 code points of UTF-8 (what a Telegram app lets a
// person send). Other fields are not looked at.
struct MessageBody {
  UserId from;
  ChatId chat;
  std::string text;
  int64_t reply_to = 0;
};
Result<MessageBody, Error> ParseMessageBody(std::string_view body);

// POST /control/v1/messages/edit: {"from":U,"chat_id":C,"message_id":M,"text":"..."}, the text
// as for ParseMessageBody. Other fields are not looked at.
struct EditBody {
  UserId from;
  ChatId chat;
  int64_t message_id = 0;
  std::string text;
};
Result<EditBody, Error> ParseEditBody(std::string_view body);

// POST /control/v1/callback-queries: {"from":U,"chat_id":C,"message_id":M,"data":"..."}. Other
// fields are not looked at.
struct PressBody {
  UserId from;
  ChatId chat;
  int64_t message_id = 0;
  std::string data;
};
Result<PressBody, Error> ParsePressBody(std::string_view body);

// POST /control/v1/users/{user_id}/block and /unblock: {"bot_id":B}.
Result<UserId, Error> ParseBotIdBody(std::string_view body);

// POST /control/v1/clock: {"advance":S}, returns S. Its range (never back, at most 100 years) is
// World::AdvanceClock's to check. Other fields are not looked at.
Result<int64_t, Error> ParseClockBody(std::string_view body);

// POST /control/v1/faults: {"bot_id":B,"method":M,"count":N,"error_code":C,"retry_after":S,
// "description":D}, each field checked as docs/control-api.md says; any other field is refused.
struct FaultBody {
  UserId bot;
  std::string method;  // the method's documented name, or "*"
  int64_t count = 0;   // 1 to kMaxFaultCount
  // The answer each faulted call gets: botapi::TooManyRequests(retry_after) for 429 (the same
  // error a real 429 of this server is), else the given code and description.
  botapi::ApiError error;
};
inline constexpr int64_t kMaxFaultCount = 1'000'000;
inline constexpr int64_t kMaxRetryAfter = 86'400;
inline constexpr size_t kMaxFaultDescription = 1024;
Result<FaultBody, Error> ParseFaultBody(std::string_view body);

}  // namespace tgi::control
