// getMe, logOut, close.
#include "botapi/encode.h"
#include "botapi/methods.h"

namespace tgi::botapi {

Result<Prepared, ApiError> PrepareGetMe(const Args&) {
  return Prepared([](MethodContext& c) {
    JsonWriter w;
    WriteGetMe(w, *c.world.FindUser(c.bot), *c.world.FindBot(c.bot));
    return Ok(w);
  });
}

Result<Prepared, ApiError> PrepareLogOut(const Args&) {
  return Prepared([](MethodContext& c) {
    c.world.LogOut(c.bot, c.mutation);
    return Ok(true);
  });
}

// Named decision: as on the reference server, `close` is refused with 429 during the first 10
// minutes after the bot instance was launched (its first request since the server started).
// After that it answers true and the instance starts afresh with the next request.
Result<Prepared, ApiError> PrepareClose(const Args&) {
  return Prepared([](MethodContext& c) {
    if (int64_t wait = c.world.CloseRetryAfter(c.bot, c.now); wait > 0)
      return Err(TooManyRequests(wait));
    c.world.Close(c.bot);
    return Ok(true);
  });
}

}  // namespace tgi::botapi
