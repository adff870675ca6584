// The client library against a real tginvited: every method's success, the Bot API's errors,
// migrated basic groups, 429 retries (through the control plane's faults) and the token kept out
// of every error text.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "tginvite/client.h"
#include "tginvited_process.h"

namespace tginvite {
namespace {

using testing::Cat;
using testing::ControlPost;
using testing::HttpRequest;
using testing::kControlToken;
using testing::TginvitedProcess;
namespace json = boost::json;

constexpr std::int64_t kBot = 7000000001;
constexpr char kToken[] = "7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo";
constexpr char kWeakToken[] = "7000000002:BBE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo";
// One bot per 429 test, so that faults left by one never meet another.
constexpr char kFloodToken1[] = "7000000003:CCE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo";
constexpr char kFloodToken2[] = "7000000004:DDE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo";
constexpr char kFloodToken3[] = "7000000005:EEE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo";
constexpr std::int64_t kDemo = -1001000000001;
constexpr std::int64_t kRequests = -1001000000002;
constexpr std::int64_t kGroupA = -4001;
constexpr std::int64_t kGroupB = -4002;

constexpr char kWorld[] = R"({
  "bots": [
    {"id": 7000000001, "token": "7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",
     "username": "invite_demo_bot", "first_name": "Invite Demo"},
    {"id": 7000000002, "token": "7000000002:BBE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",
     "username": "weak_rights_bot", "first_name": "Weak"},
    {"id": 7000000003, "token": "7000000003:CCE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",
     "username": "flood_one_bot", "first_name": "Flood 1"},
    {"id": 7000000004, "token": "7000000004:DDE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",
     "username": "flood_two_bot", "first_name": "Flood 2"},
    {"id": 7000000005, "token": "7000000005:EEE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",
     "username": "flood_three_bot", "first_name": "Flood 3"}
  ],
  "users": [
    {"id": 100001, "first_name": "Alice", "username": "alice"},
    {"id": 100002, "first_name": "Bob"},
    {"id": 100003, "first_name": "Carol"}
  ],
  "chats": [
    {"id": -1001000000001, "type": "supergroup", "title": "Demo", "username": "demo_group",
     "description": "A demo group",
     "members": [
       {"user_id": 100001, "status": "creator"},
       {"user_id": 7000000001, "status": "administrator", "rights": {"can_invite_users": true}},
       {"user_id": 7000000002, "status": "administrator", "rights": {"can_change_info": true}},
       {"user_id": 7000000003, "status": "administrator", "rights": {"can_invite_users": true}},
       {"user_id": 7000000004, "status": "administrator", "rights": {"can_invite_users": true}},
       {"user_id": 7000000005, "status": "administrator", "rights": {"can_invite_users": true}}
     ]},
    {"id": -1001000000002, "type": "supergroup", "title": "Requests",
     "members": [
       {"user_id": 100001, "status": "creator"},
       {"user_id": 7000000001, "status": "administrator", "rights": {"can_invite_users": true}}
     ]},
    {"id": -4001, "type": "group", "title": "Old group A",
     "members": [
       {"user_id": 100001, "status": "creator"},
       {"user_id": 7000000001, "status": "administrator", "rights": {"can_invite_users": true}}
     ]},
    {"id": -4002, "type": "group", "title": "Old group B",
     "members": [
       {"user_id": 100001, "status": "creator"},
       {"user_id": 7000000001, "status": "administrator", "rights": {"can_invite_users": true}}
     ]}
  ]
})";

bool IsLink(const std::string& link) {
  return link.size() == 30 && link.starts_with("https://t.me/+");
}

// The server is shared by the tests of the suite; each test uses chats and bots no other one
// changes in a way it depends on.
class ClientApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TginvitedProcess(kWorld); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static ClientOptions Options() {
    ClientOptions o;
    o.api_url = server_->base_url();
    o.connect_timeout = std::chrono::seconds(5);
    o.request_timeout = std::chrono::seconds(10);
    return o;
  }
  static Client Bot(const char* token = kToken, ClientOptions o = Options()) {
    return Client(token, std::move(o));
  }
  static json::value Control(std::string_view verb, const std::string& path,
                             std::string_view body = "") {
    const testing::HttpResult r =
        HttpRequest(server_->port(), verb, Cat({"/control/v1", path}), body, kControlToken);
    json::value v = json::parse(r.body);
    EXPECT_TRUE(v.at("ok").as_bool()) << verb << " " << path << ": " << r.body;
    return v.at("result");
  }

  static TginvitedProcess* server_;
};

TginvitedProcess* ClientApiTest::server_ = nullptr;

TEST_F(ClientApiTest, GetMeDecodesTheBot) {
  Client bot = Bot();
  Result<User> me = bot.GetMe();
  ASSERT_TRUE(me) << me.error().ToString();
  EXPECT_EQ(me->id, kBot);
  EXPECT_TRUE(me->is_bot);
  EXPECT_EQ(me->first_name, "Invite Demo");
  EXPECT_EQ(me->username, "invite_demo_bot");
  EXPECT_EQ(me->last_name, "");
  EXPECT_TRUE(me->can_join_groups);
  EXPECT_FALSE(me->can_read_all_group_messages);
  EXPECT_FALSE(me->supports_inline_queries);
}

TEST_F(ClientApiTest, GetChatDecodesChatFullInfo) {
  Client bot = Bot();
  Result<ChatFullInfo> chat = bot.GetChat(kDemo);
  ASSERT_TRUE(chat) << chat.error().ToString();
  EXPECT_EQ(chat->id, kDemo);
  EXPECT_EQ(chat->type, "supergroup");
  EXPECT_EQ(chat->title, "Demo");
  EXPECT_EQ(chat->username, "demo_group");
  EXPECT_EQ(chat->active_usernames, std::vector<std::string>{"demo_group"});
  EXPECT_EQ(chat->description, "A demo group");
  EXPECT_TRUE(IsLink(chat->invite_link)) << chat->invite_link;
  EXPECT_GT(chat->max_reaction_count, 0);

  Result<ChatFullInfo> by_name = bot.GetChat("@demo_group");
  ASSERT_TRUE(by_name) << by_name.error().ToString();
  EXPECT_EQ(by_name->id, kDemo);
  EXPECT_EQ(by_name->invite_link, chat->invite_link);
}

TEST_F(ClientApiTest, ExportChatInviteLinkByIdAndByUsername) {
  Client bot = Bot();
  Result<std::string> first = bot.ExportChatInviteLink(kDemo);
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_TRUE(IsLink(*first)) << *first;

  Result<std::string> second = bot.ExportChatInviteLink("@demo_group");
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_TRUE(IsLink(*second)) << *second;
  EXPECT_NE(*first, *second);  // a new primary link each time

  Result<ChatFullInfo> chat = bot.GetChat(kDemo);
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->invite_link, *second);
}

TEST_F(ClientApiTest, CreateChatInviteLinkWithEveryParameter) {
  Client bot = Bot();
  const std::int64_t expire = std::time(nullptr) + 86400;
  Result<ChatInviteLink> link = bot.CreateChatInviteLink(kDemo, {.name = "spring promo",
                                                                 .expire_date = expire,
                                                                 .member_limit = 10,
                                                                 .creates_join_request = false});
  ASSERT_TRUE(link) << link.error().ToString();
  EXPECT_TRUE(IsLink(link->invite_link)) << link->invite_link;
  EXPECT_EQ(link->name, "spring promo");
  EXPECT_EQ(link->expire_date, expire);
  EXPECT_EQ(link->member_limit, 10);
  EXPECT_FALSE(link->creates_join_request);
  EXPECT_FALSE(link->is_primary);
  EXPECT_FALSE(link->is_revoked);
  EXPECT_FALSE(link->pending_join_request_count.has_value());
  EXPECT_FALSE(link->subscription_period.has_value());
  EXPECT_EQ(link->creator.id, kBot);
  EXPECT_TRUE(link->creator.is_bot);
  EXPECT_EQ(link->creator.username, "invite_demo_bot");

  Result<ChatInviteLink> approval =
      bot.CreateChatInviteLink("@demo_group", {.creates_join_request = true});
  ASSERT_TRUE(approval) << approval.error().ToString();
  EXPECT_TRUE(approval->creates_join_request);
  EXPECT_EQ(approval->name, "");
  EXPECT_FALSE(approval->member_limit.has_value());
  EXPECT_FALSE(approval->expire_date.has_value());

  Result<ChatInviteLink> plain = bot.CreateChatInviteLink(kDemo);
  ASSERT_TRUE(plain) << plain.error().ToString();
  EXPECT_NE(plain->invite_link, link->invite_link);
}

TEST_F(ClientApiTest, EditChatInviteLinkReplacesEveryProperty) {
  Client bot = Bot();
  Result<ChatInviteLink> link =
      bot.CreateChatInviteLink(kDemo, {.name = "before", .member_limit = 5});
  ASSERT_TRUE(link) << link.error().ToString();

  Result<ChatInviteLink> edited =
      bot.EditChatInviteLink(kDemo, link->invite_link, {.name = "after"});
  ASSERT_TRUE(edited) << edited.error().ToString();
  EXPECT_EQ(edited->invite_link, link->invite_link);
  EXPECT_EQ(edited->name, "after");
  EXPECT_FALSE(edited->member_limit.has_value());  // not sent: reset

  Result<ChatInviteLink> again =
      bot.EditChatInviteLink(kDemo, link->invite_link, {.member_limit = 7});
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->name, "");
  EXPECT_EQ(again->member_limit, 7);
}

TEST_F(ClientApiTest, RevokeChatInviteLinkPrimaryAndNot) {
  Client bot = Bot();
  Result<std::string> primary = bot.ExportChatInviteLink(kDemo);
  ASSERT_TRUE(primary) << primary.error().ToString();
  Result<ChatInviteLink> revoked = bot.RevokeChatInviteLink(kDemo, *primary);
  ASSERT_TRUE(revoked) << revoked.error().ToString();
  EXPECT_EQ(revoked->invite_link, *primary);
  EXPECT_TRUE(revoked->is_primary);
  EXPECT_TRUE(revoked->is_revoked);
  Result<ChatFullInfo> chat = bot.GetChat(kDemo);
  ASSERT_TRUE(chat);
  EXPECT_TRUE(IsLink(chat->invite_link));
  EXPECT_NE(chat->invite_link, *primary);  // a new primary link was made

  Result<ChatInviteLink> extra = bot.CreateChatInviteLink(kDemo, {.name = "to revoke"});
  ASSERT_TRUE(extra) << extra.error().ToString();
  Result<ChatInviteLink> gone = bot.RevokeChatInviteLink(kDemo, extra->invite_link);
  ASSERT_TRUE(gone) << gone.error().ToString();
  EXPECT_EQ(gone->invite_link, extra->invite_link);
  EXPECT_EQ(gone->name, "to revoke");
  EXPECT_FALSE(gone->is_primary);
  EXPECT_TRUE(gone->is_revoked);
}

TEST_F(ClientApiTest, ApproveAndDeclineJoinRequests) {
  Client bot = Bot();
  Result<ChatInviteLink> link =
      bot.CreateChatInviteLink(kRequests, {.name = "ask", .creates_join_request = true});
  ASSERT_TRUE(link) << link.error().ToString();
  const std::string quoted = json::serialize(json::value(link->invite_link));
  for (int user : {100002, 100003}) {
    json::value joined =
        Control("POST", "/join",
                Cat({R"({"user_id":)", std::to_string(user), R"(,"invite_link":)", quoted, "}"}));
    ASSERT_EQ(joined.at("status").as_string(), "pending");
  }

  Result<bool> approved = bot.ApproveChatJoinRequest(kRequests, 100002);
  ASSERT_TRUE(approved) << approved.error().ToString();
  EXPECT_TRUE(*approved);
  Result<bool> declined = bot.DeclineChatJoinRequest(kRequests, 100003);
  ASSERT_TRUE(declined) << declined.error().ToString();
  EXPECT_TRUE(*declined);

  json::value requests =
      Control("GET", Cat({"/chats/", std::to_string(kRequests), "/join-requests"}));
  int seen = 0;
  for (const json::value& r : requests.as_array()) {
    if (r.at("user_id").as_int64() == 100002) {
      EXPECT_EQ(r.at("state").as_string(), "approved");
      ++seen;
    }
    if (r.at("user_id").as_int64() == 100003) {
      EXPECT_EQ(r.at("state").as_string(), "declined");
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);

  // No pending request any more.
  Result<bool> twice = bot.ApproveChatJoinRequest(kRequests, 100003);
  ASSERT_FALSE(twice);
  EXPECT_TRUE(twice.error().is_api());
  EXPECT_EQ(twice.error().error_code, 400);
  EXPECT_EQ(twice.error().description, "Bad Request: HIDE_REQUESTER_MISSING");
}

TEST_F(ClientApiTest, ChatNotFoundIsAnApiError) {
  Client bot = Bot();
  Result<std::string> link = bot.ExportChatInviteLink(-1009999999999);
  ASSERT_FALSE(link);
  const Error& e = link.error();
  EXPECT_TRUE(e.is_api());
  EXPECT_EQ(e.transport, Error::Transport::kNone);
  EXPECT_EQ(e.error_code, 400);
  EXPECT_EQ(e.description, "Bad Request: chat not found");
  EXPECT_FALSE(e.retry_after.has_value());
  EXPECT_FALSE(e.migrate_to_chat_id.has_value());
  EXPECT_EQ(e.ToString(), "Bad Request: chat not found (400)");

  Result<ChatFullInfo> chat = bot.GetChat("@no_such_chat_here");
  ASSERT_FALSE(chat);
  EXPECT_EQ(chat.error().error_code, 400);
}

TEST_F(ClientApiTest, NotEnoughRightsIsAnApiError) {
  Client weak = Bot(kWeakToken);
  Result<std::string> link = weak.ExportChatInviteLink(kDemo);
  ASSERT_FALSE(link);
  EXPECT_TRUE(link.error().is_api());
  EXPECT_EQ(link.error().error_code, 400);
  EXPECT_EQ(link.error().description, "Bad Request: not enough rights to manage chat invite link");
}

TEST_F(ClientApiTest, WrongTokenIs401AndTheTokenIsNeverShown) {
  const std::string token = "7000000001:WrongSecretWrongSecretWrong123";
  Client bot(token, Options());
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  EXPECT_TRUE(me.error().is_api());
  EXPECT_EQ(me.error().error_code, 401);
  EXPECT_EQ(me.error().description, "Unauthorized");
  EXPECT_EQ(me.error().ToString().find(token), std::string::npos);
  EXPECT_EQ(me.error().ToString().find("WrongSecret"), std::string::npos);
}

TEST_F(ClientApiTest, MigratedGroupWithoutFollowingGivesMigrateToChatId) {
  json::value up = Control("POST", Cat({"/chats/", std::to_string(kGroupA), "/upgrade"}), "{}");
  const std::int64_t new_id = up.at("migrate_to_chat_id").as_int64();
  EXPECT_EQ(new_id, -1000000004001);

  Client bot = Bot();
  Result<std::string> link = bot.ExportChatInviteLink(kGroupA);
  ASSERT_FALSE(link);
  const Error& e = link.error();
  EXPECT_TRUE(e.is_api());
  EXPECT_EQ(e.error_code, 400);
  EXPECT_EQ(e.description, "Bad Request: group chat was upgraded to a supergroup chat");
  EXPECT_EQ(e.migrate_to_chat_id, new_id);
  EXPECT_NE(e.ToString().find("migrate_to_chat_id=-1000000004001"), std::string::npos)
      << e.ToString();

  // The raw call too.
  Result<std::string> raw =
      bot.Call("exportChatInviteLink", Cat({R"({"chat_id":)", std::to_string(kGroupA), "}"}));
  ASSERT_FALSE(raw);
  EXPECT_EQ(raw.error().migrate_to_chat_id, new_id);
}

TEST_F(ClientApiTest, MigratedGroupIsFollowedWhenAsked) {
  json::value up = Control("POST", Cat({"/chats/", std::to_string(kGroupB), "/upgrade"}), "{}");
  const std::int64_t new_id = up.at("migrate_to_chat_id").as_int64();

  ClientOptions o = Options();
  o.follow_migration = true;
  Client bot = Bot(kToken, o);
  Result<std::string> link = bot.ExportChatInviteLink(kGroupB);
  ASSERT_TRUE(link) << link.error().ToString();
  EXPECT_TRUE(IsLink(*link));
  Result<ChatInviteLink> created = bot.CreateChatInviteLink(kGroupB, {.name = "moved"});
  ASSERT_TRUE(created) << created.error().ToString();
  Result<std::string> raw =
      bot.Call("createChatInviteLink",
               Cat({R"({"chat_id":)", std::to_string(kGroupB), R"(,"name":"raw moved"})"}));
  ASSERT_TRUE(raw) << raw.error().ToString();
  const std::string raw_link(json::parse(*raw).at("invite_link").as_string());

  // All three were made in the supergroup.
  json::value links = Control("GET", Cat({"/chats/", std::to_string(new_id), "/invite-links"}));
  std::vector<std::string> listed;
  for (const json::value& l : links.as_array()) {
    listed.emplace_back(l.at("invite_link").as_string());
  }
  for (const std::string& want : {*link, created->invite_link, raw_link}) {
    EXPECT_NE(std::find(listed.begin(), listed.end(), want), listed.end()) << want;
  }
}

TEST_F(ClientApiTest, CallReturnsTheResultAsJsonText) {
  Client bot = Bot();
  Result<std::string> me = bot.Call("getMe");
  ASSERT_TRUE(me) << me.error().ToString();
  json::value v = json::parse(*me);
  EXPECT_EQ(v.at("id").as_int64(), kBot);
  EXPECT_EQ(v.at("username").as_string(), "invite_demo_bot");

  Result<std::string> chat = bot.Call("getChat", R"({"chat_id":"@demo_group"})");
  ASSERT_TRUE(chat) << chat.error().ToString();
  EXPECT_EQ(json::parse(*chat).at("id").as_int64(), kDemo);

  Result<std::string> link = bot.Call("exportChatInviteLink", R"({"chat_id":-1001000000001})");
  ASSERT_TRUE(link) << link.error().ToString();
  EXPECT_TRUE(json::parse(*link).is_string());

  Result<std::string> unknown = bot.Call("noSuchMethod", "{}");
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(unknown.error().is_api());
  EXPECT_EQ(unknown.error().error_code, 404);
  EXPECT_EQ(unknown.error().description, "Not Found: method not found");
}

// The 429 tests: the control plane's faults make the next calls answer a real 429.
struct RetryLog {
  std::vector<std::pair<int, std::chrono::seconds>> calls;  // (retry_after, wait)
  void Attach(ClientOptions& o) {
    o.on_retry = [this](const Error& e, std::chrono::seconds wait) {
      calls.emplace_back(e.retry_after.value_or(-1), wait);
    };
  }
};

void SetFault(std::int64_t bot, int count, int retry_after, TginvitedProcess& server) {
  const testing::HttpResult r = ControlPost(
      server, "/faults",
      Cat({R"({"bot_id":)", std::to_string(bot), R"(,"method":"exportChatInviteLink","count":)",
           std::to_string(count), R"(,"retry_after":)", std::to_string(retry_after), "}"}));
  ASSERT_EQ(r.status, 200) << r.body;
}

TEST_F(ClientApiTest, A429IsWaitedForAndSentAgain) {
  SetFault(7000000003, 1, 1, *server_);
  ClientOptions o = Options();
  RetryLog log;
  log.Attach(o);
  Client bot = Bot(kFloodToken1, o);
  const auto start = std::chrono::steady_clock::now();
  Result<std::string> link = bot.ExportChatInviteLink(kDemo);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(link) << link.error().ToString();
  EXPECT_TRUE(IsLink(*link));
  ASSERT_EQ(log.calls.size(), 1u);
  EXPECT_EQ(log.calls[0].first, 1);
  EXPECT_EQ(log.calls[0].second, std::chrono::seconds(1));
  EXPECT_GE(took, std::chrono::milliseconds(990));
}

TEST_F(ClientApiTest, A429IsReturnedAfterMaxRetries) {
  SetFault(7000000004, 5, 1, *server_);
  ClientOptions o = Options();
  o.max_429_retries = 2;
  RetryLog log;
  log.Attach(o);
  Client bot = Bot(kFloodToken2, o);
  Result<std::string> link = bot.ExportChatInviteLink(kDemo);
  ASSERT_FALSE(link);
  EXPECT_TRUE(link.error().is_api());
  EXPECT_EQ(link.error().error_code, 429);
  EXPECT_EQ(link.error().retry_after, 1);
  EXPECT_EQ(link.error().description, "Too Many Requests: retry after 1");
  EXPECT_EQ(log.calls.size(), 2u);
  // Three calls used three of the five faults.
  json::value faults = Control("GET", "/faults");
  bool found = false;
  for (const json::value& f : faults.as_array()) {
    if (f.at("bot_id").as_int64() == 7000000004) {
      EXPECT_EQ(f.at("remaining").as_int64(), 2);
      found = true;
    }
  }
  EXPECT_TRUE(found) << json::serialize(faults);
  Control("DELETE", "/faults/7000000004");
}

TEST_F(ClientApiTest, A429LongerThanMaxRetryWaitIsReturnedAtOnce) {
  SetFault(7000000005, 1, 30, *server_);
  ClientOptions o = Options();
  o.max_retry_wait = std::chrono::seconds(5);
  RetryLog log;
  log.Attach(o);
  Client bot = Bot(kFloodToken3, o);
  const auto start = std::chrono::steady_clock::now();
  Result<std::string> link = bot.ExportChatInviteLink(kDemo);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().error_code, 429);
  EXPECT_EQ(link.error().retry_after, 30);
  EXPECT_EQ(link.error().ToString(), "Too Many Requests: retry after 30 (429, retry_after=30)");
  EXPECT_TRUE(log.calls.empty());
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST_F(ClientApiTest, HttpsToThePlainPortIsATlsError) {
  ClientOptions o = Options();
  o.api_url = Cat({"https://127.0.0.1:", std::to_string(server_->port())});
  Client bot = Bot(kToken, o);
  Result<User> me = bot.GetMe();
  ASSERT_FALSE(me);
  EXPECT_TRUE(me.error().is_transport());
  EXPECT_EQ(me.error().transport, Error::Transport::kTls) << me.error().ToString();
  EXPECT_EQ(me.error().ToString().find(kToken), std::string::npos);
}

TEST_F(ClientApiTest, OneClientServesManyCalls) {
  Client bot = Bot();
  for (int i = 0; i < 20; ++i) {
    Result<User> me = bot.GetMe();
    ASSERT_TRUE(me) << i << ": " << me.error().ToString();
  }
  Client moved = std::move(bot);
  Result<User> me = moved.GetMe();
  ASSERT_TRUE(me) << me.error().ToString();
  EXPECT_EQ(moved.options().api_url, server_->base_url());
}

}  // namespace
}  // namespace tginvite
