#include "control/bodies.h"

#include <gtest/gtest.h>

#include <string>

#include "common/crypto.h"

namespace tgi::control {
namespace {

constexpr int64_t kBot = 7000000001;
constexpr int64_t kUser = 100001;
constexpr ChatId kChat{-1001000000001};

// The error a parser gives, or "(ok)".
template <typename T>
std::string ErrorOf(const Result<T, Error>& r) {
  return r.ok() ? "(ok)" : r.error().message;
}

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// --- POST /faults

TEST(FaultBodyTest, ReadsA429) {
  auto f = ParseFaultBody(
      R"({"bot_id":7000000001,"method":"exportchatinvitelink","count":2,"retry_after":3})");
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->bot, UserId(kBot));
  EXPECT_EQ(f->method, "exportChatInviteLink");  // listed under its documented name
  EXPECT_EQ(f->count, 2);
  EXPECT_EQ(f->error.code, 429);
  EXPECT_EQ(f->error.description, "Too Many Requests: retry after 3");
  EXPECT_EQ(f->error.retry_after, 3);
  EXPECT_FALSE(f->error.migrate_to_chat_id);
}

TEST(FaultBodyTest, ReadsAnyMethodAndOtherCodes) {
  auto any = ParseFaultBody(R"({"bot_id":1,"method":"*","count":1000000,"retry_after":86400})");
  ASSERT_TRUE(any.ok()) << any.error().message;
  EXPECT_EQ(any->method, "*");
  EXPECT_EQ(any->count, kMaxFaultCount);
  EXPECT_EQ(any->error.retry_after, kMaxRetryAfter);

  auto e500 = ParseFaultBody(
      R"({"bot_id":1,"method":"getMe","count":1,"error_code":500,"description":"Internal Server Error"})");
  ASSERT_TRUE(e500.ok()) << e500.error().message;
  EXPECT_EQ(e500->error.code, 500);
  EXPECT_EQ(e500->error.description, "Internal Server Error");
  EXPECT_FALSE(e500->error.retry_after);

  // 429 given explicitly is the default's; 400 and 599 are the ends of the range.
  EXPECT_EQ(ErrorOf(ParseFaultBody(
                R"({"bot_id":1,"method":"getMe","count":1,"error_code":429,"retry_after":1})")),
            "(ok)");
  for (int code : {400, 599}) {
    auto f = ParseFaultBody(R"({"bot_id":1,"method":"getMe","count":1,"error_code":)" +
                            std::to_string(code) + R"(,"description":"x"})");
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_EQ(f->error.code, code);
  }
  // The longest description.
  auto longest = ParseFaultBody(R"({"bot_id":1,"method":"getMe","count":1,"error_code":400,)"
                                R"("description":")" +
                                std::string(kMaxFaultDescription, 'd') + "\"}");
  ASSERT_TRUE(longest.ok()) << longest.error().message;
  EXPECT_EQ(longest->error.description.size(), kMaxFaultDescription);
}

TEST(FaultBodyTest, NamesTheFieldOfEachProblem) {
  const std::string long_description(kMaxFaultDescription + 1, 'd');
  struct Case {
    std::string body;
    std::string error;
  } cases[] = {
      {"[]", "$: must be an object"},
      {"7", "$: must be an object"},
      // Unknown fields first, whatever else is wrong.
      {R"({"bot_id":1,"method":"getMe","count":1,"retryAfter":3})", "$.retryAfter: unknown field"},
      {R"({"x":1})", "$.x: unknown field"},
      {R"({"method":"getMe","count":1,"retry_after":3})", "$.bot_id: must be an integer"},
      {R"({"bot_id":"1","method":"getMe","count":1,"retry_after":3})",
       "$.bot_id: must be an integer"},
      {R"({"bot_id":18446744073709551615,"method":"getMe","count":1,"retry_after":3})",
       "$.bot_id: must be an integer"},
      {R"({"bot_id":1,"count":1,"retry_after":3})",
       "$.method: must be a string: a Bot API method or \"*\""},
      {R"({"bot_id":1,"method":7,"count":1,"retry_after":3})",
       "$.method: must be a string: a Bot API method or \"*\""},
      {R"({"bot_id":1,"method":"sendPhoto","count":1,"retry_after":3})",
       "$.method: unknown method \"sendPhoto\" (a Bot API method this server answers, or \"*\" "
       "for every one)"},
      {R"({"bot_id":1,"method":"getMe","retry_after":3})",
       "$.count: must be an integer from 1 to 1000000"},
      {R"({"bot_id":1,"method":"getMe","count":0,"retry_after":3})",
       "$.count: must be an integer from 1 to 1000000"},
      {R"({"bot_id":1,"method":"getMe","count":1000001,"retry_after":3})",
       "$.count: must be an integer from 1 to 1000000"},
      {R"({"bot_id":1,"method":"getMe","count":1.5,"retry_after":3})",
       "$.count: must be an integer from 1 to 1000000"},
      {R"({"bot_id":1,"method":"getMe","count":1,"error_code":399,"description":"x"})",
       "$.error_code: must be an integer from 400 to 599"},
      {R"({"bot_id":1,"method":"getMe","count":1,"error_code":600,"description":"x"})",
       "$.error_code: must be an integer from 400 to 599"},
      {R"({"bot_id":1,"method":"getMe","count":1,"error_code":"500","description":"x"})",
       "$.error_code: must be an integer from 400 to 599"},
      {R"({"bot_id":1,"method":"getMe","count":1,"retry_after":3,"description":"x"})",
       "$.description: not with error_code 429, whose description is always \"Too Many "
       "Requests: retry after N\""},
      {R"({"bot_id":1,"method":"getMe","count":1})",
       "$.retry_after: must be an integer from 1 to 86400"},
      {R"({"bot_id":1,"method":"getMe","count":1,"retry_after":0})",
       "$.retry_after: must be an integer from 1 to 86400"},
      {R"({"bot_id":1,"method":"getMe","count":1,"retry_after":86401})",
       "$.retry_after: must be an integer from 1 to 86400"},
      {R"({"bot_id":1,"method":"getMe","count":1,"error_code":500,"retry_after":3,"description":"x"})",
       "$.retry_after: only with error_code 429"},
      {R"({"bot_id":1,"method":"getMe","count":1,"error_code":500})",
       "$.description: must be a string of 1 to 1024 bytes (required when error_code is not "
       "429)"},
      {R"({"bot_id":1,"method":"getMe","count":1,"error_code":500,"description":""})",
       "$.description: must be a string of 1 to 1024 bytes (required when error_code is not "
       "429)"},
      {R"({"bot_id":1,"method":"getMe","count":1,"error_code":500,"description":5})",
       "$.description: must be a string of 1 to 1024 bytes (required when error_code is not "
       "429)"},
      {R"({"bot_id":1,"method":"getMe","count":1,"error_code":500,"description":")" +
           long_description + "\"}",
       "$.description: must be a string of 1 to 1024 bytes (required when error_code is not "
       "429)"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseFaultBody(c.body)), c.error) << c.body;
}

TEST(FaultBodyTest, BrokenJsonIsSaidToBeBroken) {
  EXPECT_PRED2(StartsWith, ErrorOf(ParseFaultBody(R"({"bot_id":)")), "body is not valid JSON: ");
  EXPECT_PRED2(StartsWith, ErrorOf(ParseFaultBody("")), "body is not valid JSON: ");
}

// --- PUT /chats/{chat_id}/members/{user_id}

TEST(MemberBodyTest, ReadsTheMemberAndWhoMadeTheChange) {
  auto b = ParseMemberBody(
      R"({"status":"administrator","rights":{"can_invite_users":true},"custom_title":"Boss","by":100002})",
      kChat, kUser);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->member.chat, kChat);
  EXPECT_EQ(b->member.user, UserId(kUser));
  EXPECT_EQ(b->member.status, domain::MemberStatus::kAdministrator);
  EXPECT_TRUE(b->member.rights.Has(domain::Right::kCanInviteUsers));
  EXPECT_EQ(b->member.custom_title, "Boss");
  EXPECT_EQ(b->by, UserId(100002));

  auto plain =
      ParseMemberBody(R"({"user_id":100001,"status":"kicked","until_date":5})", kChat, kUser);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->member.status, domain::MemberStatus::kKicked);
  EXPECT_EQ(plain->member.until_date, 5);
  EXPECT_FALSE(plain->by);
}

TEST(MemberBodyTest, AMembersTagIsTheRecordsTitle) {
  auto tagged = ParseMemberBody(R"({"status":"restricted","tag":"Guest"})", kChat, kUser);
  ASSERT_TRUE(tagged.ok()) << tagged.error().message;
  EXPECT_EQ(tagged->member.custom_title, "Guest");
  auto admin = ParseMemberBody(R"({"status":"administrator","tag":"Guest"})", kChat, kUser);
  ASSERT_FALSE(admin.ok());
  EXPECT_EQ(admin.error().message, "$.tag: only members and restricted members have a tag");
  auto both = ParseMemberBody(R"({"status":"member","tag":"a","custom_title":"b"})", kChat, kUser);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().message, "$.tag: give custom_title or tag, not both");
}

TEST(MemberBodyTest, NamesTheFieldOfEachProblem) {
  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {"[]", "$: must be an object, not an array"},
      {R"({"status":"member","by":"alice"})", "$.by: must be an integer"},
      {R"({"status":"member","by":null})", "$.by: must be an integer"},
      {R"({"status":"admin"})",
       "$.status: unknown status \"admin\" (creator, administrator, member, restricted, left, "
       "kicked)"},
      {R"({})", "$.status: is required"},
      {R"({"status":5})", "$.status: must be a string, not a number"},
      {R"({"user_id":100002,"status":"member"})", "$.user_id: does not match the id in the URL"},
      {R"({"status":"member","nick":"x"})", "$.nick: unknown field"},
      {R"({"status":"administrator","rights":{"can_fly":true}})",
       "$.rights.can_fly: unknown right"},
      {R"({"status":"administrator","rights":{"can_invite_users":1}})",
       "$.rights.can_invite_users: must be true or false"},
      {R"({"status":"member","until_date":"soon"})",
       "$.until_date: must be an integer, not a string"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(ErrorOf(ParseMemberBody(c.body, kChat, kUser)), c.error) << c.body;
  EXPECT_PRED2(StartsWith, ErrorOf(ParseMemberBody("{", kChat, kUser)), "body is not valid JSON: ");
}

// --- POST /join

TEST(JoinBodyTest, ReadsTheUserTheLinkAndTheBio) {
  for (const char* link :
       {"https://t.me/+AbCdEfGh12345678", "https://t.me/joinchat/AbCdEfGh12345678",
        "t.me/+AbCdEfGh12345678", "AbCdEfGh12345678"}) {
    auto b = ParseJoinBody(R"({"user_id":100001,"invite_link":")" + std::string(link) + "\"}");
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(b->user, UserId(kUser));
    EXPECT_EQ(b->link_hash, "AbCdEfGh12345678") << link;
    EXPECT_EQ(b->bio, "");
  }
  auto bio = ParseJoinBody(R"({"user_id":100001,"invite_link":"AbCdEfGh12345678","bio":"Hi!"})");
  ASSERT_TRUE(bio.ok()) << bio.error().message;
  EXPECT_EQ(bio->bio, "Hi!");
  // What is no link at all is read as no hash; joining through it is refused later.
  auto none = ParseJoinBody(R"({"user_id":100001,"invite_link":"https://example.com/x"})");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->link_hash, "");
}

TEST(JoinBodyTest, NamesTheFieldOfEachProblem) {
  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {"[]", "$: must be an object"},
      {"null", "$: must be an object"},
      {R"({"invite_link":"AbCdEfGh12345678"})", "$.user_id: must be an integer"},
      {R"({"user_id":"100001","invite_link":"AbCdEfGh12345678"})", "$.user_id: must be an integer"},
      {R"({"user_id":100001})", "$.invite_link: must be a string"},
      {R"({"user_id":100001,"invite_link":5})", "$.invite_link: must be a string"},
      {R"({"user_id":100001,"invite_link":"AbCdEfGh12345678","bio":false})",
       "$.bio: must be a string"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseJoinBody(c.body)), c.error) << c.body;
  EXPECT_PRED2(StartsWith, ErrorOf(ParseJoinBody("{]")), "body is not valid JSON: ");
}

// --- POST /leave, /withdraw, /remove

TEST(LeaveBodyTest, ReadsTheChatAndTheUser) {
  // Fields of /remove are not looked at here.
  auto b = ParseChatUserBody(R"({"chat_id":-1001000000001,"user_id":100001,"ban":"x"})");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->chat, kChat);
  EXPECT_EQ(b->user, UserId(kUser));

  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {"[1]", "$: must be an object"},
      {R"({"user_id":100001})", "$.chat_id: must be an integer"},
      {R"({"chat_id":"-1001000000001","user_id":100001})", "$.chat_id: must be an integer"},
      {R"({"chat_id":-1001000000001})", "$.user_id: must be an integer"},
      {R"({"chat_id":-1001000000001,"user_id":1.0})", "$.user_id: must be an integer"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseChatUserBody(c.body)), c.error) << c.body;
  EXPECT_PRED2(StartsWith, ErrorOf(ParseChatUserBody("chat")), "body is not valid JSON: ");
}

TEST(RemoveBodyTest, ReadsBanAndBy) {
  auto plain = ParseRemoveBody(R"({"chat_id":-1001000000001,"user_id":100001})");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->chat, kChat);
  EXPECT_EQ(plain->user, UserId(kUser));
  EXPECT_EQ(plain->removal, domain::Removal::kLeaveFree);
  EXPECT_FALSE(plain->by);

  auto ban = ParseRemoveBody(R"({"chat_id":-1001000000001,"user_id":100001,"ban":true,"by":5})");
  ASSERT_TRUE(ban.ok()) << ban.error().message;
  EXPECT_EQ(ban->removal, domain::Removal::kBan);
  EXPECT_EQ(ban->by, UserId(5));

  auto no_ban = ParseRemoveBody(R"({"chat_id":-1001000000001,"user_id":100001,"ban":false})");
  ASSERT_TRUE(no_ban.ok()) << no_ban.error().message;
  EXPECT_EQ(no_ban->removal, domain::Removal::kLeaveFree);
}

TEST(RemoveBodyTest, NamesTheFieldOfEachProblem) {
  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {"\"x\"", "$: must be an object"},
      // chat_id and user_id first, then ban, then by.
      {R"({"user_id":100001,"ban":"yes","by":"x"})", "$.chat_id: must be an integer"},
      {R"({"chat_id":-1001000000001,"ban":"yes"})", "$.user_id: must be an integer"},
      {R"({"chat_id":-1001000000001,"user_id":100001,"ban":"yes","by":"x"})",
       "$.ban: must be true or false"},
      {R"({"chat_id":-1001000000001,"user_id":100001,"ban":1})", "$.ban: must be true or false"},
      {R"({"chat_id":-1001000000001,"user_id":100001,"by":"x"})", "$.by: must be an integer"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseRemoveBody(c.body)), c.error) << c.body;
}

// --- POST /chats/{chat_id}/upgrade

TEST(UpgradeBodyTest, TakesNoBodyOrANewChatId) {
  auto none = ParseUpgradeBody("");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(*none);
  auto empty = ParseUpgradeBody("{}");
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_FALSE(*empty);
  auto given = ParseUpgradeBody(R"({"new_chat_id":-1000000004001})");
  ASSERT_TRUE(given.ok()) << given.error().message;
  EXPECT_EQ(*given, ChatId(-1000000004001));

  EXPECT_EQ(ErrorOf(ParseUpgradeBody("[]")), "$: must be an object");
  EXPECT_EQ(ErrorOf(ParseUpgradeBody(R"({"new_chat_id":"-1000000004001"})")),
            "$.new_chat_id: must be an integer");
  EXPECT_EQ(ErrorOf(ParseUpgradeBody(R"({"new_chat_id":null})")),
            "$.new_chat_id: must be an integer");
  EXPECT_PRED2(StartsWith, ErrorOf(ParseUpgradeBody(" ")), "body is not valid JSON: ");
}

// --- POST /clock

TEST(ClockBodyTest, ReadsTheAdvance) {
  EXPECT_EQ(*ParseClockBody(R"({"advance":61})"), 61);
  // The range is the World's to check (it words the refusal).
  EXPECT_EQ(*ParseClockBody(R"({"advance":-5})"), -5);
  EXPECT_EQ(ErrorOf(ParseClockBody(R"({"advance":1.5})")), "$.advance: must be an integer");
  EXPECT_EQ(ErrorOf(ParseClockBody(R"({"advance":"61"})")), "$.advance: must be an integer");
  EXPECT_EQ(ErrorOf(ParseClockBody(R"({})")), "$.advance: must be an integer");
  EXPECT_EQ(ErrorOf(ParseClockBody(R"([61])")), "$: must be an object");
  EXPECT_PRED2(StartsWith, ErrorOf(ParseClockBody("")), "body is not valid JSON: ");
}

// --- PUT /bots/{id}, /users/{id}, /chats/{id}

TEST(PutBodyTest, ReadsABotWithTheIdOfTheUrl) {
  auto b = ParseBotBody(
      R"({"token":"7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo","username":"invite_demo_bot",)"
      R"("first_name":"Invite Demo","can_manage_bots":true})",
      kBot);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->bot.id, UserId(kBot));
  EXPECT_EQ(b->user.id, UserId(kBot));
  EXPECT_TRUE(b->user.is_bot);
  EXPECT_EQ(b->user.username, "invite_demo_bot");
  EXPECT_TRUE(b->bot.can_manage_bots);
  EXPECT_TRUE(b->bot.can_join_groups);  // the default
  EXPECT_EQ(b->bot.token_sha256, crypto::Sha256("7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo"));

  EXPECT_EQ(ErrorOf(ParseBotBody(R"({"id":7000000002,"token":"x"})", kBot)),
            "$.id: does not match the id in the URL");
  EXPECT_EQ(ErrorOf(ParseBotBody(R"({"username":"a_bot","first_name":"x"})", kBot)),
            "$.token: is required");
  EXPECT_EQ(ErrorOf(ParseBotBody(R"({"token":"7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",)"
                                 R"("username":"a_bot","first_name":"x","can_fly":true})",
                                 kBot)),
            "$.can_fly: unknown field");
  EXPECT_EQ(ErrorOf(ParseBotBody("[]", kBot)), "$: must be an object, not an array");
  EXPECT_PRED2(StartsWith, ErrorOf(ParseBotBody("{", kBot)), "body is not valid JSON: ");
}

TEST(PutBodyTest, ReadsAUserWithTheIdOfTheUrl) {
  auto u = ParseUserBody(R"({"first_name":"Alice","username":"alice","is_premium":true})", kUser);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->id, UserId(kUser));
  EXPECT_EQ(u->first_name, "Alice");
  EXPECT_TRUE(u->is_premium);
  EXPECT_FALSE(u->is_bot);

  EXPECT_EQ(ErrorOf(ParseUserBody(R"({"id":5,"first_name":"Alice"})", kUser)),
            "$.id: does not match the id in the URL");
  EXPECT_EQ(ErrorOf(ParseUserBody(R"({})", kUser)), "$.first_name: is required");
  EXPECT_EQ(ErrorOf(ParseUserBody(R"({"first_name":"A","nick":"a"})", kUser)),
            "$.nick: unknown field");
  EXPECT_EQ(ErrorOf(ParseUserBody(R"({"first_name":"A","is_premium":"yes"})", kUser)),
            "$.is_premium: must be true or false, not a string");
}

TEST(PutBodyTest, ReadsAChatWithoutMembers) {
  auto c = ParseChatBody(R"({"type":"supergroup","title":"Demo","username":"@demo_group"})",
                         kChat.value);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->id, kChat);
  EXPECT_EQ(c->type, domain::ChatType::kSupergroup);
  EXPECT_EQ(c->username, "demo_group");
  EXPECT_EQ(c->created, 0);

  EXPECT_EQ(
      ErrorOf(ParseChatBody(R"({"type":"supergroup","title":"Demo","members":[]})", kChat.value)),
      "$.members: put members one at a time, or load a world");
  // The chat's own fields are checked first.
  EXPECT_EQ(ErrorOf(ParseChatBody(R"({"type":"forum","title":"Demo","members":[]})", kChat.value)),
            "$.type: unknown type \"forum\" (group, supergroup or channel)");
  EXPECT_EQ(ErrorOf(ParseChatBody(R"({"type":"group"})", -4001)), "$.title: is required");
  EXPECT_EQ(ErrorOf(ParseChatBody(R"({"id":-4002,"type":"group","title":"G"})", -4001)),
            "$.id: does not match the id in the URL");
  EXPECT_EQ(ErrorOf(ParseChatBody("true", -4001)), "$: must be an object, not a boolean");
}

TEST(MessageBodyTest, ReadsTheSenderTheChatTheTextAndTheReply) {
  auto b = ParseMessageBody(R"({"from":100001,"chat_id":7000000001,"text":"/start \u00e9"})");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->from, UserId(100001));
  EXPECT_EQ(b->chat, ChatId(7000000001));
  EXPECT_EQ(b->text, "/start \xC3\xA9");
  EXPECT_EQ(b->reply_to, 0);
  auto reply = ParseMessageBody(
      R"({"from":100001,"chat_id":-1001000000001,"text":"x","reply_to_message_id":17})");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->reply_to, 17);
  // 4096 characters are fine, 4097 are not (characters, not bytes: "é" is two bytes).
  std::string most(4096 * 2, ' ');
  for (size_t i = 0; i < most.size(); i += 2) most.replace(i, 2, "\xC3\xA9");
  EXPECT_TRUE(ParseMessageBody(R"({"from":1,"chat_id":2,"text":")" + most + "\"}").ok());
  EXPECT_EQ(ErrorOf(ParseMessageBody(R"({"from":1,"chat_id":2,"text":")" + most + "x\"}")),
            "$.text: must be at most 4096 characters");
}

TEST(MessageBodyTest, NamesTheFieldOfEachProblem) {
  struct Case {
    std::string body;
    const char* error;
  } cases[] = {
      {"[]", "$: must be an object"},
      {R"({"chat_id":1,"text":"x"})", "$.from: must be an integer"},
      {R"({"from":1,"text":"x"})", "$.chat_id: must be an integer"},
      {R"({"from":1,"chat_id":2})", "$.text: must be a string"},
      {R"({"from":1,"chat_id":2,"text":7})", "$.text: must be a string"},
      {R"({"from":1,"chat_id":2,"text":""})", "$.text: must not be empty"},
      {R"({"from":1,"chat_id":2,"text":"x","reply_to_message_id":0})",
       "$.reply_to_message_id: must be an integer from 1 to 2147483647"},
      {R"({"from":1,"chat_id":2,"text":"x","reply_to_message_id":"5"})",
       "$.reply_to_message_id: must be an integer from 1 to 2147483647"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseMessageBody(c.body)), c.error) << c.body;
  // Text that is not UTF-8 is not JSON at all.
  EXPECT_PRED2(StartsWith,
               ErrorOf(ParseMessageBody("{\"from\":1,\"chat_id\":2,\"text\":\"\xFF\"}")),
               "body is not valid JSON: ");
}

TEST(EditBodyTest, ReadsTheEditAndNamesEachProblem) {
  auto b =
      ParseEditBody(R"({"from":100001,"chat_id":7000000001,"message_id":3,"text":"new \u00e9"})");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->from, UserId(100001));
  EXPECT_EQ(b->chat, ChatId(7000000001));
  EXPECT_EQ(b->message_id, 3);
  EXPECT_EQ(b->text, "new \xC3\xA9");
  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {"7", "$: must be an object"},
      {R"({"chat_id":1,"message_id":3,"text":"x"})", "$.from: must be an integer"},
      {R"({"from":1,"message_id":3,"text":"x"})", "$.chat_id: must be an integer"},
      {R"({"from":1,"chat_id":2,"text":"x"})",
       "$.message_id: must be an integer from 1 to 2147483647"},
      {R"({"from":1,"chat_id":2,"message_id":0,"text":"x"})",
       "$.message_id: must be an integer from 1 to 2147483647"},
      {R"({"from":1,"chat_id":2,"message_id":3})", "$.text: must be a string"},
      {R"({"from":1,"chat_id":2,"message_id":3,"text":""})", "$.text: must not be empty"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseEditBody(c.body)), c.error) << c.body;
  // The same limit as a new message: 4096 characters.
  EXPECT_EQ(ErrorOf(ParseEditBody(R"({"from":1,"chat_id":2,"message_id":3,"text":")" +
                                  std::string(4097, 'x') + "\"}")),
            "$.text: must be at most 4096 characters");
}

TEST(PressBodyTest, ReadsThePressAndNamesEachProblem) {
  auto b = ParsePressBody(R"({"from":100001,"chat_id":7000000001,"message_id":3,"data":"ok"})");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->from, UserId(100001));
  EXPECT_EQ(b->chat, ChatId(7000000001));
  EXPECT_EQ(b->message_id, 3);
  EXPECT_EQ(b->data, "ok");
  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {R"({"chat_id":1,"message_id":3,"data":"ok"})", "$.from: must be an integer"},
      {R"({"from":1,"message_id":3,"data":"ok"})", "$.chat_id: must be an integer"},
      {R"({"from":1,"chat_id":2,"data":"ok"})",
       "$.message_id: must be an integer from 1 to 2147483647"},
      {R"({"from":1,"chat_id":2,"message_id":3})", "$.data: must be a string"},
      {R"({"from":1,"chat_id":2,"message_id":3,"data":null})", "$.data: must be a string"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParsePressBody(c.body)), c.error) << c.body;
}

TEST(BotIdBodyTest, ReadsTheBot) {
  auto b = ParseBotIdBody(R"({"bot_id":7000000001})");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(*b, UserId(7000000001));
  EXPECT_EQ(ErrorOf(ParseBotIdBody("{}")), "$.bot_id: must be an integer");
}

}  // namespace
}  // namespace tgi::control
