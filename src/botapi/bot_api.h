// The Bot API front: takes an HTTP request for /bot<token>/..., checks the path and the token
// (spec 1.1, 1.3, 1.8), finds the method, decodes its parameters and runs it on the engine.
#pragma once

#include "app/engine.h"
#include "botapi/errors.h"
#include "http/request.h"

namespace tginvite::botapi {

class BotApi {
 public:
  explicit BotApi(app::Engine& engine) : engine_(engine) {}

  // REQUIRES: request.path starts with "/bot", or request.absolute_uri. Calls `respond` once.
  void Handle(http::Request&& request, http::Respond respond);

 private:
  app::Engine& engine_;
};

// The checks of spec 1.8 that need no world: on success fills *bot_id. The ApiError is the
// answer for a token that fails them.
Result<UserId, ApiError> CheckTokenFormat(std::string_view token);

}  // namespace tginvite::botapi
