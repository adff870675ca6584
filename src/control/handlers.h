// The control plane's route handlers (control/routes.h's Handler), one per route of the table in
// control_api.cc, and what they share. Internal to src/control. They are defined by topic:
//   - world_handlers.cc: the simulated world and its users: the world file, bots, users, chats,
//     members, invite links, join requests, what users do, and the paged listings;
//   - runtime_handlers.cc: the server's own state around the world: the clock, faults, a bot's
//     parked long poll and queued updates, the event stream's subscribers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "botapi/errors.h"
#include "botapi/json_writer.h"
#include "common/result.h"
#include "control/routes.h"
#include "domain/errors.h"
#include "http/request.h"

namespace tgi::control::handlers {

using botapi::ApiError;
using botapi::JsonWriter;

inline Reply Ok(const JsonWriter& result) {
  return Reply{.response = botapi::OkResponse(result.str())};
}
inline Reply Refuse(const ApiError& e) { return Reply{.response = botapi::ErrorResponse(e)}; }
// A sentence of the World's (it refused a control-plane change): "Bad Request: <sentence>".
inline Reply BadRequest(const Error& e) { return Refuse(botapi::ControlBadRequest(e.message)); }
// What a simulated user may not do: the MTProto error, as the Bot API would word it (e.g. "Bad
// Request: INVITE_HASH_EXPIRED").
inline Reply Refuse(const domain::DomainError& e) { return Refuse(botapi::FromDomain(e)); }
// A body that control/bodies.h refused, answered before any work is done.
inline Unexpected<ApiError> BadBody(const Error& e) {
  return {botapi::ControlBadRequest(e.message)};
}

// ---------------------------------------------------------------------------------------------
// Listings, page by page: ?after=ID (exclusive; default: from the start) and ?limit=N (1 to
// 1000, default 100) answer {"items":[...],"next_after":ID}, next_after only when more follow.

constexpr size_t kDefaultPage = 100;
constexpr size_t kMaxPage = 1000;

struct Page {
  int64_t after = std::numeric_limits<int64_t>::min();
  size_t limit = kDefaultPage;
};

// The page a listing's query asks for; 400 for a bad after or limit.
Result<Page, ApiError> ParsePage(const http::Request& request);

// world_handlers.cc, in the order of the route table.
Result<Work, ApiError> PostWorld(const Call& call);
Result<Work, ApiError> PutBot(const Call& call);
Result<Work, ApiError> PutUser(const Call& call);
Result<Work, ApiError> PutChat(const Call& call);
Result<Work, ApiError> GetChat(const Call& call);
Result<Work, ApiError> PutMember(const Call& call);
Result<Work, ApiError> GetMember(const Call& call);
Result<Work, ApiError> GetInviteLinks(const Call& call);
Result<Work, ApiError> GetJoinRequests(const Call& call);
Result<Work, ApiError> PostJoin(const Call& call);
Result<Work, ApiError> PostLeave(const Call& call);
Result<Work, ApiError> PostRemove(const Call& call);
Result<Work, ApiError> PostWithdraw(const Call& call);
Result<Work, ApiError> PostUpgrade(const Call& call);
Result<Work, ApiError> PostMessage(const Call& call);
Result<Work, ApiError> PostMessageEdit(const Call& call);
Result<Work, ApiError> GetChatMessages(const Call& call);
Result<Work, ApiError> GetPrivateMessages(const Call& call);
Result<Work, ApiError> GetUserChats(const Call& call);
Result<Work, ApiError> PostCallbackQuery(const Call& call);
Result<Work, ApiError> GetCallbackQuery(const Call& call);
Result<Work, ApiError> PostBlock(const Call& call);
Result<Work, ApiError> PostUnblock(const Call& call);
Result<Work, ApiError> GetBots(const Call& call);
Result<Work, ApiError> GetUsers(const Call& call);
Result<Work, ApiError> GetChats(const Call& call);
Result<Work, ApiError> GetMembers(const Call& call);

// runtime_handlers.cc
Result<Work, ApiError> GetClock(const Call& call);
Result<Work, ApiError> PostClock(const Call& call);
Result<Work, ApiError> PostFaults(const Call& call);
Result<Work, ApiError> GetFaults(const Call& call);
Result<Work, ApiError> DeleteFaults(const Call& call);
Result<Work, ApiError> DeleteBotFaults(const Call& call);
Result<Work, ApiError> GetLongPoll(const Call& call);
Result<Work, ApiError> GetBotUpdates(const Call& call);
Result<Work, ApiError> GetEventSubscribers(const Call& call);

}  // namespace tgi::control::handlers
