// The control plane under /control/v1/ (docs/control-api.md): builds the simulated world and acts
// as its users. Same listener and envelope as the Bot API, guarded by a bearer token. Its
// endpoints are the route table in control_api.cc (control/routes.h).
#pragma once

#include <string>

#include "app/engine.h"
#include "app/event_hub.h"
#include "app/long_poll_hub.h"
#include "botapi/faults.h"
#include "common/crypto.h"
#include "http/request.h"

namespace tgi::control {

class ControlApi {
 public:
  // `control_token` is kept only as its SHA-256. `faults`: the Bot API's table that
  // /control/v1/faults fills (botapi::BotApi::faults()); it must outlive this object, and so must
  // `hub`, the Bot API's long-poll hub that /control/v1/bots/{id}/long-poll shows (null: no bot
  // is ever shown waiting).
  // `events`: the hub GET /control/v1/events subscribes to (null: the route answers 404); it
  // must outlive this object too.
  ControlApi(app::Engine& engine, std::string_view control_token, botapi::Faults& faults,
             const app::LongPollHub* hub, app::EventHub* events = nullptr);

  // REQUIRES: request.path starts with "/control/". Calls `respond` once. In order: the bearer
  // token (else 401), the route (control/routes.h: 404, 405, or 400 for an id in the URL), the
  // body (400), then the route's work under the world lock, answered once it is durable (500 if
  // the store failed).
  void Handle(http::Request&& request, http::Respond respond);

 private:
  bool Authorized(const http::Request& request) const;
  // GET /control/v1/events: a text/event-stream response fed by a new subscription of events_.
  void StreamEvents(http::Respond respond);

  app::Engine& engine_;
  crypto::Sha256Digest token_sha256_;
  botapi::Faults& faults_;
  const app::LongPollHub* hub_;
  app::EventHub* events_;
};

}  // namespace tgi::control
