#include "control/control_api.h"

#include <gtest/gtest.h>

#include "botapi/errors.h"

namespace tgi::control {
namespace {

TEST(ControlErrorsTest, TheCatalogueHoldsTheControlPlanesTexts) {
  struct Case {
    botapi::ApiError error;
    int code;
    const char* description;
  } cases[] = {
      {botapi::ControlUnauthorized(), 401, "Unauthorized: control token required"},
      {botapi::NotFound(), 404, "Not Found"},
      {botapi::ControlMethodNotAllowed(), 405, "Method Not Allowed"},
      // Used as given: no case rule of FromTdlib applies.
      {botapi::ControlBadRequest("Title is required"), 400, "Bad Request: Title is required"},
      {botapi::ControlBadIdInUrl("bot"), 400, "Bad Request: bad bot id in the URL"},
      {botapi::ControlBadIdInUrl("user"), 400, "Bad Request: bad user id in the URL"},
      {botapi::ControlBadIdInUrl("chat"), 400, "Bad Request: bad chat id in the URL"},
      {botapi::ControlBadIdInUrl(""), 400, "Bad Request: bad id in the URL"},
      {botapi::ControlBadWorld("$.bots: must be an array"), 400,
       "Bad Request: world: $.bots: must be an array"},
      {botapi::ControlUnknownChat(ChatId(-1001000000001)), 400,
       "Bad Request: unknown chat -1001000000001"},
      {botapi::ControlUnknownBot(UserId(7000000099)), 400, "Bad Request: unknown bot 7000000099"},
      {botapi::ControlStorageFailure(), 500, "Internal Server Error: storage failure"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.error.code, c.code) << c.description;
    EXPECT_EQ(c.error.description, c.description);
    EXPECT_FALSE(c.error.retry_after || c.error.migrate_to_chat_id) << c.description;
  }
  http::Response r = botapi::ErrorResponse(botapi::ControlMethodNotAllowed());
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"ok":false,"error_code":405,"description":"Method Not Allowed"})");
}

}  // namespace
}  // namespace tgi::control
