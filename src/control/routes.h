// The control plane's route table: which handler answers an HTTP method on a path under
// /control/v1/ (docs/control-api.md). Every route is declared once, in Routes() (control_api.cc),
// as the Bot API declares its methods in botapi/methods.cc.
//
// A route's handler reads the request outside the world lock (path parameters already parsed,
// the body with control/bodies.h) and returns the work to run under the lock, or the error to
// answer at once.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/event_hub.h"
#include "app/long_poll_hub.h"
#include "botapi/errors.h"
#include "botapi/faults.h"
#include "common/clock.h"
#include "common/result.h"
#include "domain/store.h"
#include "domain/world.h"
#include "http/request.h"

namespace tgi::control {

// What a route's work produces.
struct Reply {
  http::Response response;
  std::string note;  // a line for the log under "faults"; empty: nothing to log
};

// Runs under the world lock (app::Engine::Run); may read and change the world, changes into `m`.
using Work = std::function<Reply(domain::World& world, domain::Mutation& m, UnixTime now)>;

// What a handler gets. The references live until the handler returns; the work it returns must
// own what it needs, except `faults` and `hub`, which outlive every request.
struct Call {
  const http::Request& request;
  std::span<const int64_t> ids;  // the pattern's parameters, parsed, in the pattern's order
  botapi::Faults& faults;
  const app::LongPollHub* hub;  // the Bot API's waiting getUpdates calls; null in some tests
  const app::EventHub* events = nullptr;  // the event stream's subscribers; null: none
  // Cluster mode (app::Engine::clustered): faults are shared with the other instances through
  // the Work's Mutation (domain::SharedEntry).
  bool clustered = false;
};

using Handler = Result<Work, botapi::ApiError> (*)(const Call& call);

struct Route {
  std::string_view method;  // the HTTP method, as the request has it: "GET", "PUT", ...
  // The path after /control/v1, segment by segment: a literal, or a parameter in braces (an
  // integer id). A parameter's name says what the id is: {bot_id}, {user_id} or {chat_id}.
  std::string_view pattern;  // e.g. "/chats/{chat_id}/members/{user_id}"
  // Null for the one route that is not work under the world lock: the event stream, which
  // ControlApi answers itself.
  Handler handler;
};

// Every route of the control plane, in the order of docs/control-api.md.
std::span<const Route> Routes();

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<int64_t> ids;  // as Call::ids
};

// The route of `routes` for `method` on `path`, the part of the request path after
// "/control/v1/" (empty segments do not count: "world/" and "/world" are "world"), with its
// parameters parsed (botapi::ParseExactInt64). Errors, in this order:
// - botapi::NotFound() (404): no pattern has the path's shape;
// - botapi::ControlMethodNotAllowed() (405): one has, but with another method;
// - botapi::ControlBadIdInUrl (400): a parameter is not an integer. It names the id's kind
//   ("bad chat id in the URL" for {chat_id}) when the pattern has one parameter, and none ("bad
//   id in the URL") when it has more.
Result<RouteMatch, botapi::ApiError> FindRoute(std::span<const Route> routes,
                                               std::string_view method, std::string_view path);

}  // namespace tgi::control
