#include "control/control_api.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "botapi/encode.h"
#include "botapi/errors.h"
#include "control/routes.h"
#include "http/params.h"
#include "store/memory/memory_store.h"

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
      {botapi::ControlUnknownUser(UserId(100099)), 400, "Bad Request: unknown user 100099"},
      {botapi::ControlUnknownCallbackQuery(17), 404, "Not Found: unknown callback query 17"},
      {botapi::StorageFailure(), 500, "Internal Server Error: storage failure"},
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

// --- The route table and its matcher.

std::string Name(const Route& r) { return std::string(r.method) + " " + std::string(r.pattern); }

TEST(RoutesTest, TheTableHasEveryDocumentedEndpointOnce) {
  std::vector<std::string> names;
  for (const Route& r : Routes()) names.push_back(Name(r));
  EXPECT_EQ(names, (std::vector<std::string>{
                       "POST /world",
                       "GET /bots",
                       "PUT /bots/{bot_id}",
                       "GET /bots/{bot_id}/long-poll",
                       "GET /bots/{bot_id}/updates",
                       "GET /users",
                       "PUT /users/{user_id}",
                       "GET /chats",
                       "PUT /chats/{chat_id}",
                       "GET /chats/{chat_id}",
                       "GET /chats/{chat_id}/members",
                       "PUT /chats/{chat_id}/members/{user_id}",
                       "GET /chats/{chat_id}/members/{user_id}",
                       "GET /chats/{chat_id}/invite-links",
                       "GET /chats/{chat_id}/join-requests",
                       "POST /join",
                       "POST /leave",
                       "POST /remove",
                       "POST /withdraw",
                       "POST /chats/{chat_id}/upgrade",
                       "POST /messages",
                       "POST /messages/edit",
                       "GET /chats/{chat_id}/messages",
                       "GET /users/{user_id}/chats",
                       "GET /users/{user_id}/chats/{bot_id}/messages",
                       "POST /callback-queries",
                       "GET /callback-queries/{query_id}",
                       "POST /users/{user_id}/block",
                       "POST /users/{user_id}/unblock",
                       "GET /clock",
                       "POST /clock",
                       "POST /faults",
                       "GET /faults",
                       "DELETE /faults",
                       "DELETE /faults/{bot_id}",
                       "GET /events",
                       "GET /events/subscribers",
                   }));
  // Every route is work under the world lock but the event stream, which ControlApi answers.
  for (const Route& r : Routes()) {
    if (Name(r) == "GET /events") {
      EXPECT_EQ(r.handler, nullptr);
    } else {
      EXPECT_NE(r.handler, nullptr) << Name(r);
    }
  }
}

struct RouteCase {
  const char* method;
  const char* path;   // after /control/v1/
  const char* route;  // "METHOD pattern" found, or "" for an error
  std::vector<int64_t> ids;
  int code = 0;  // the error's
  const char* description = "";
};

TEST(FindRouteTest, FindsTheRouteAndItsIds) {
  const RouteCase cases[] = {
      {"POST", "world", "POST /world", {}},
      // Empty segments do not count.
      {"POST", "world/", "POST /world", {}},
      {"POST", "//world", "POST /world", {}},
      {"PUT", "bots/7000000001", "PUT /bots/{bot_id}", {7000000001}},
      {"PUT", "users/100001", "PUT /users/{user_id}", {100001}},
      {"PUT", "chats/-1001000000001", "PUT /chats/{chat_id}", {-1001000000001}},
      {"GET", "chats/-1001000000001", "GET /chats/{chat_id}", {-1001000000001}},
      {"PUT",
       "chats/-1001000000001/members/100001",
       "PUT /chats/{chat_id}/members/{user_id}",
       {-1001000000001, 100001}},
      {"GET",
       "chats/-4001/members/100001",
       "GET /chats/{chat_id}/members/{user_id}",
       {-4001, 100001}},
      {"GET", "chats/-4001/invite-links", "GET /chats/{chat_id}/invite-links", {-4001}},
      {"GET", "chats/-4001/join-requests", "GET /chats/{chat_id}/join-requests", {-4001}},
      {"POST", "chats/-4001/upgrade", "POST /chats/{chat_id}/upgrade", {-4001}},
      {"GET", "clock", "GET /clock", {}},
      {"POST", "clock", "POST /clock", {}},
      {"POST", "messages/edit", "POST /messages/edit", {}},
      {"DELETE", "faults", "DELETE /faults", {}},
      {"DELETE", "faults/7000000001", "DELETE /faults/{bot_id}", {7000000001}},
  };
  for (const auto& c : cases) {
    auto m = FindRoute(Routes(), c.method, c.path);
    ASSERT_TRUE(m.ok()) << c.path << ": " << m.error().description;
    EXPECT_EQ(Name(*m->route), c.route) << c.path;
    EXPECT_EQ(m->ids, c.ids) << c.path;
  }
}

TEST(FindRouteTest, AnswersUnknownPathsWrongMethodsAndBadIds) {
  const RouteCase cases[] = {
      {"GET", "nothing", "", {}, 404, "Not Found"},
      {"GET", "", "", {}, 404, "Not Found"},
      {"POST", "World", "", {}, 404, "Not Found"},
      {"DELETE", "faults/1/2", "", {}, 404, "Not Found"},
      {"GET", "chats/-4001/members/1/2", "", {}, 404, "Not Found"},
      {"PUT", "chats/-4001/members", "", {}, 405, "Method Not Allowed"},
      {"PUT", "chats/-4001/members/1/2", "", {}, 404, "Not Found"},
      {"GET", "world", "", {}, 405, "Method Not Allowed"},
      {"GET", "join", "", {}, 405, "Method Not Allowed"},
      {"GET", "messages/edit", "", {}, 405, "Method Not Allowed"},
      {"PUT", "clock", "", {}, 405, "Method Not Allowed"},
      {"PUT", "faults", "", {}, 405, "Method Not Allowed"},
      {"GET", "faults/7000000001", "", {}, 405, "Method Not Allowed"},
      {"POST", "chats/-4001/join-requests", "", {}, 405, "Method Not Allowed"},
      // The method is checked before the ids.
      {"GET", "bots/abc", "", {}, 405, "Method Not Allowed"},
      {"PUT", "bots/abc", "", {}, 400, "Bad Request: bad bot id in the URL"},
      {"PUT", "bots/+5", "", {}, 400, "Bad Request: bad bot id in the URL"},
      {"PUT", "bots/99999999999999999999", "", {}, 400, "Bad Request: bad bot id in the URL"},
      {"PUT", "users/1.0", "", {}, 400, "Bad Request: bad user id in the URL"},
      {"PUT", "chats/x", "", {}, 400, "Bad Request: bad chat id in the URL"},
      {"GET", "chats/x/invite-links", "", {}, 400, "Bad Request: bad chat id in the URL"},
      {"GET", "chats/x/join-requests", "", {}, 400, "Bad Request: bad chat id in the URL"},
      {"POST", "chats/x/upgrade", "", {}, 400, "Bad Request: bad chat id in the URL"},
      {"DELETE", "faults/abc", "", {}, 400, "Bad Request: bad bot id in the URL"},
      // Two ids: the text names neither.
      {"PUT", "chats/x/members/1", "", {}, 400, "Bad Request: bad id in the URL"},
      {"PUT", "chats/-4001/members/y", "", {}, 400, "Bad Request: bad id in the URL"},
  };
  for (const auto& c : cases) {
    auto m = FindRoute(Routes(), c.method, c.path);
    ASSERT_FALSE(m.ok()) << c.method << " " << c.path;
    EXPECT_EQ(m.error().code, c.code) << c.method << " " << c.path;
    EXPECT_EQ(m.error().description, c.description) << c.method << " " << c.path;
  }
}

// --- ControlApi::Handle, on an engine over the in-memory store.

class ControlApiTest : public ::testing::Test {
 protected:
  static constexpr std::string_view kToken = "control-secret";

  ControlApiTest() : clock_(1767225600), engine_(store_, clock_, [] { return NextHash(); }) {
    engine_.SetUpdateEncoder(botapi::EncodeUpdate);
    EXPECT_TRUE(engine_.Start().ok());
  }

  static std::string NextHash() {
    static int n = 0;
    return "hash" + std::to_string(1000000000000 + ++n);
  }

  http::Response Send(std::string method, std::string path, std::string body = "",
                      std::optional<std::string> auth = "Bearer " + std::string(kToken)) {
    http::Request request{.method = std::move(method), .path = std::move(path)};
    // The query string, as the HTTP layer splits it off.
    if (size_t q = request.path.find('?'); q != std::string::npos) {
      http::ParseUrlEncoded(std::string_view(request.path).substr(q + 1), request.params);
      request.path.resize(q);
    }
    request.body = std::move(body);
    if (auth) request.headers.push_back({"authorization", *auth});
    std::optional<http::Response> answer;
    api_.Handle(std::move(request), [&](http::Response r) { answer = std::move(r); });
    EXPECT_TRUE(answer) << "answered at once: the memory store is synchronous";
    return answer.value_or(http::Response{.status = 0});
  }

  store::MemoryStore store_;
  ManualClock clock_;
  app::Engine engine_;
  botapi::Faults faults_;
  app::LongPollHub hub_;
  ControlApi api_{engine_, kToken, faults_, &hub_};
};

std::string ErrorBody(int code, std::string_view description) {
  return R"({"ok":false,"error_code":)" + std::to_string(code) + R"(,"description":")" +
         std::string(description) + "\"}";
}

TEST_F(ControlApiTest, TheTokenComesFirst) {
  const std::string unauthorized = ErrorBody(401, "Unauthorized: control token required");
  for (std::optional<std::string> auth :
       {std::optional<std::string>{}, std::optional<std::string>("Bearer wrong"),
        std::optional<std::string>("bearer control-secret"),
        std::optional<std::string>("Bearer control-secretx"),
        std::optional<std::string>("Basic control-secret")}) {
    // Even for paths that do not exist.
    for (const char* path : {"/control/v1/clock", "/control/v1/nothing", "/control/v2/clock"}) {
      http::Response r = Send("GET", path, "", auth);
      EXPECT_EQ(r.status, 401) << path;
      EXPECT_EQ(r.body, unauthorized) << path;
    }
  }
}

TEST_F(ControlApiTest, AnswersWhatTheRouterFinds) {
  EXPECT_EQ(Send("GET", "/control/v2/clock").body, ErrorBody(404, "Not Found"));
  EXPECT_EQ(Send("GET", "/control/clock").body, ErrorBody(404, "Not Found"));
  EXPECT_EQ(Send("GET", "/control/v1/nothing").body, ErrorBody(404, "Not Found"));
  http::Response not_allowed = Send("GET", "/control/v1/world");
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(not_allowed.body, ErrorBody(405, "Method Not Allowed"));
  EXPECT_EQ(Send("PUT", "/control/v1/users/abc", "{}").body,
            ErrorBody(400, "Bad Request: bad user id in the URL"));

  http::Response clock = Send("GET", "/control/v1/clock");
  EXPECT_EQ(clock.status, 200);
  EXPECT_EQ(clock.body, R"({"ok":true,"result":{"now":1767225600,"offset":0}})");
  EXPECT_EQ(Send("POST", "/control/v1/clock", R"({"advance":60})").body,
            R"({"ok":true,"result":{"now":1767225660,"offset":60}})");
}

TEST_F(ControlApiTest, ABodyIsCheckedBeforeTheWorldAndTheWorldAfter) {
  EXPECT_EQ(Send("PUT", "/control/v1/users/100001", R"({"nick":"a"})").body,
            ErrorBody(400, "Bad Request: $.first_name: is required"));
  EXPECT_EQ(Send("POST", "/control/v1/clock", R"({"advance":-1})").body,
            ErrorBody(400,
                      "Bad Request: the clock never goes back: advance must be 0 or more "
                      "seconds"));
  EXPECT_EQ(Send("GET", "/control/v1/chats/-4001/invite-links").body,
            ErrorBody(400, "Bad Request: unknown chat -4001"));
  EXPECT_EQ(Send("POST", "/control/v1/leave", R"({"chat_id":-4001,"user_id":1})").body,
            ErrorBody(400, "Bad Request: chat not found"));
  EXPECT_EQ(Send("POST", "/control/v1/world", R"({"users":{}})").body,
            ErrorBody(400, "Bad Request: world: $.users: must be an array"));

  http::Response put = Send("PUT", "/control/v1/users/100001", R"({"first_name":"Alice"})");
  EXPECT_EQ(put.status, 200);
  EXPECT_EQ(put.body, R"({"ok":true,"result":{"id":100001,"is_bot":false,"first_name":"Alice"}})");
}

TEST_F(ControlApiTest, AStorageFailureIsA500) {
  store_.FailNextSubmitForTesting("disk full");
  http::Response r = Send("PUT", "/control/v1/users/100001", R"({"first_name":"Alice"})");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, ErrorBody(500, "Internal Server Error: storage failure"));
}

TEST_F(ControlApiTest, FaultsAreSetListedAndCleared) {
  ASSERT_EQ(Send("PUT", "/control/v1/bots/7000000001",
                 R"({"token":"7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",)"
                 R"("username":"invite_demo_bot","first_name":"Invite Demo"})")
                .status,
            200);
  EXPECT_EQ(Send("POST", "/control/v1/faults",
                 R"({"bot_id":7000000002,"method":"getMe","count":1,"retry_after":1})")
                .body,
            ErrorBody(400, "Bad Request: unknown bot 7000000002"));
  EXPECT_EQ(
      Send("POST", "/control/v1/faults",
           R"({"bot_id":7000000001,"method":"getme","count":2,"retry_after":3})")
          .body,
      R"({"ok":true,"result":{"bot_id":7000000001,"method":"getMe","remaining":2,)"
      R"("error_code":429,"description":"Too Many Requests: retry after 3","retry_after":3}})");
  EXPECT_EQ(faults_.List().size(), 1u);
  EXPECT_EQ(Send("DELETE", "/control/v1/faults/7000000002").body,
            ErrorBody(400, "Bad Request: unknown bot 7000000002"));
  EXPECT_EQ(Send("DELETE", "/control/v1/faults/7000000001").body,
            R"({"ok":true,"result":{"cleared":1}})");
  EXPECT_EQ(Send("DELETE", "/control/v1/faults").body, R"({"ok":true,"result":{"cleared":0}})");
}

TEST_F(ControlApiTest, LongPollShowsAParkedGetUpdatesAndItsTimeout) {
  EXPECT_EQ(Send("GET", "/control/v1/bots/7000000001/long-poll").body,
            ErrorBody(400, "Bad Request: unknown bot 7000000001"));
  ASSERT_EQ(Send("PUT", "/control/v1/bots/7000000001",
                 R"({"token":"7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",)"
                 R"("username":"invite_demo_bot","first_name":"Invite Demo"})")
                .status,
            200);
  const std::string path = "/control/v1/bots/7000000001/long-poll";
  EXPECT_EQ(Send("GET", path).body, R"({"ok":true,"result":{"waiting":false}})");
  EXPECT_EQ(Send("GET", "/control/v1/bots/x/long-poll").body,
            ErrorBody(400, "Bad Request: bad bot id in the URL"));

  // Parked a while ago with 50 s: the whole timeout is shown, not what is left of it.
  const UserId bot(7000000001);
  auto since = std::chrono::steady_clock::now() - std::chrono::seconds(20);
  std::optional<app::LongPollHub::Wake> woke;
  hub_.Wait(bot, hub_.Seq(bot), {.since = since, .deadline = since + std::chrono::seconds(50)},
            [&](app::LongPollHub::Wake w) { woke = w; });
  EXPECT_EQ(Send("GET", path).body, R"({"ok":true,"result":{"waiting":true,"timeout":50}})");
  hub_.Notify({bot});
  EXPECT_EQ(woke, app::LongPollHub::Wake::kUpdates);
  EXPECT_EQ(Send("GET", path).body, R"({"ok":true,"result":{"waiting":false}})");
}

TEST_F(ControlApiTest, BotUpdatesShowTheQueueAsTheBotWillReceiveIt) {
  const std::string path = "/control/v1/bots/7000000001/updates";
  EXPECT_EQ(Send("GET", path).body, ErrorBody(400, "Bad Request: unknown bot 7000000001"));
  ASSERT_EQ(Send("PUT", "/control/v1/bots/7000000001",
                 R"({"token":"7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",)"
                 R"("username":"invite_demo_bot","first_name":"Invite Demo"})")
                .status,
            200);
  ASSERT_EQ(Send("PUT", "/control/v1/users/100001", R"({"first_name":"Alice"})").status, 200);
  const std::string defaults =
      R"("allowed_updates":["message","edited_message","channel_post","edited_channel_post",)";
  http::Response empty = Send("GET", path);
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.body.starts_with(
      R"({"ok":true,"result":{"updates":[],"webhook":{"url":"","has_custom_certificate":)"
      R"(false,"pending_update_count":0},"allowed_updates":[)"))
      << empty.body;
  EXPECT_NE(empty.body.find(defaults), std::string::npos) << empty.body;
  EXPECT_EQ(empty.body.find(R"("chat_member")"), std::string::npos) << "not among the defaults";

  for (const char* text : {"hello", "again"})
    ASSERT_EQ(Send("POST", "/control/v1/messages",
                   std::string(R"({"from":100001,"chat_id":7000000001,"text":")") + text + "\"}")
                  .status,
              200);
  // Page by page: the stored Update objects, with their newline after update_id.
  http::Response first = Send("GET", path + "?limit=1");
  EXPECT_TRUE(first.body.starts_with(
      "{\"ok\":true,\"result\":{\"updates\":[{\"update_id\":1,\n\"message\":"))
      << first.body;
  EXPECT_NE(first.body.find(R"("text":"hello")"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find(R"(],"next_after":1,"webhook":{)"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find(R"("pending_update_count":2})"), std::string::npos) << first.body;
  http::Response second = Send("GET", path + "?after=1&limit=1");
  EXPECT_TRUE(second.body.starts_with(
      "{\"ok\":true,\"result\":{\"updates\":[{\"update_id\":2,\n\"message\":"))
      << second.body;
  EXPECT_NE(second.body.find(R"(}}],"webhook":{)"), std::string::npos) << "the last page";
  EXPECT_TRUE(Send("GET", path + "?after=2")
                  .body.starts_with(R"({"ok":true,"result":{"updates":[],"webhook":{)"));
  EXPECT_EQ(Send("GET", path + "?limit=1001").body,
            ErrorBody(400, "Bad Request: limit: must be an integer from 1 to 1000"));
  EXPECT_EQ(Send("GET", "/control/v1/bots/x/updates").body,
            ErrorBody(400, "Bad Request: bad bot id in the URL"));
}

// A user's chats, and the reply keyboard a bot sent shown in the listings only.
TEST_F(ControlApiTest, AUsersChatsAndTheReplyKeyboardsOfTheListings) {
  ASSERT_EQ(Send("PUT", "/control/v1/bots/7000000001",
                 R"({"token":"7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",)"
                 R"("username":"invite_demo_bot","first_name":"Invite Demo"})")
                .status,
            200);
  ASSERT_EQ(Send("PUT", "/control/v1/users/100001", R"({"first_name":"Alice"})").status, 200);
  ASSERT_EQ(Send("PUT", "/control/v1/chats/-1001000000001", R"({"type":"supergroup","title":"S"})")
                .status,
            200);
  ASSERT_EQ(Send("PUT", "/control/v1/chats/-1001000000001/members/100001", R"({"status":"member"})")
                .status,
            200);
  const std::string path = "/control/v1/users/100001/chats";
  EXPECT_EQ(Send("GET", path).body,
            R"({"ok":true,"result":{"user_id":100001,"private_chats":[],"chats":[)"
            R"({"chat_id":-1001000000001,"title":"S","type":"supergroup","status":"member"}]}})");
  ASSERT_EQ(
      Send("POST", "/control/v1/messages", R"({"from":100001,"chat_id":7000000001,"text":"hi"})")
          .status,
      200);
  ASSERT_EQ(Send("POST", "/control/v1/users/100001/block", R"({"bot_id":7000000001})").status, 200);
  EXPECT_EQ(Send("GET", path).body,
            R"({"ok":true,"result":{"user_id":100001,"private_chats":[{"bot_id":7000000001,)"
            R"("started":true,"blocked":true}],"chats":[{"chat_id":-1001000000001,"title":"S",)"
            R"("type":"supergroup","status":"member"}]}})");
  EXPECT_EQ(Send("GET", "/control/v1/users/7000000001/chats").body,
            ErrorBody(400, "Bad Request: unknown user 7000000001"));
  EXPECT_EQ(Send("GET", "/control/v1/users/100009/chats").body,
            ErrorBody(400, "Bad Request: unknown user 100009"));

  // A bot message with a reply keyboard, as the Bot API layer makes it.
  const std::string keyboard = R"({"keyboard":[[{"text":"Yes"}]],"one_time_keyboard":true})";
  std::string bot_api;
  ASSERT_TRUE(
      engine_
          .RunAndWait([&](domain::World& w, domain::Mutation& m, UnixTime now) {
            domain::NewMessage content{.text = {.text = "Sure?"}, .reply_keyboard = keyboard};
            const domain::Message& sent = w.SendBotMessage(
                UserId(7000000001), domain::Target{.chat = w.FindChat(ChatId(-1001000000001))},
                content, now, m);
            botapi::JsonWriter out;
            botapi::WriteMessage(out, w, sent, botapi::ReplyDepth::kWithReply);
            bot_api = out.str();
          })
          .ok());
  EXPECT_EQ(bot_api.find("reply_markup"), std::string::npos) << bot_api;
  http::Response listed = Send("GET", "/control/v1/chats/-1001000000001/messages");
  EXPECT_NE(listed.body.find(R"("text":"Sure?","reply_markup":)" + keyboard + "}]}"),
            std::string::npos)
      << listed.body;
}

}  // namespace
}  // namespace tgi::control
