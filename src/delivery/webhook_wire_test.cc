#include "delivery/webhook_wire.h"

#include <gtest/gtest.h>

#include <string>

namespace tgi::delivery {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(WebhookWireTest, ParsesWhereAUrlPoints) {
  auto t = ParseWebhookUrl("http://127.0.0.1:8080/hook/path?a=1&b=%20#frag");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->https);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 8080);
  EXPECT_EQ(t->host_header, "127.0.0.1");
  EXPECT_EQ(t->path_and_query, "/hook/path?a=1&b=%20");
  EXPECT_EQ(t->authorization, "");

  auto bare = ParseWebhookUrl("HTTP://Example.org");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->port, 80);
  EXPECT_EQ(bare->path_and_query, "/");

  auto secure = ParseWebhookUrl("https://example.org/x");
  ASSERT_TRUE(secure.ok());
  EXPECT_TRUE(secure->https);
  EXPECT_EQ(secure->port, 443);

  auto v6 = ParseWebhookUrl("http://[::1]:81/");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_header, "[::1]");
}

TEST(WebhookWireTest, UserAndPasswordBecomeBasicAuthorization) {
  auto t = ParseWebhookUrl("http://user:pa%20ss@127.0.0.1/");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->authorization, "Basic " + Base64("user:pa ss"));
  EXPECT_EQ(t->host_header, "127.0.0.1");
}

TEST(WebhookWireTest, RefusesWhatIsNotAnHttpUrl) {
  EXPECT_FALSE(ParseWebhookUrl("ftp://example.org/").ok());
  EXPECT_FALSE(ParseWebhookUrl("/relative").ok());
  EXPECT_FALSE(ParseWebhookUrl("http:///nohost").ok());
}

TEST(WebhookWireTest, BuildsTheRequestInTheReferenceOrder) {
  auto t = ParseWebhookUrl("http://u:p@example.org:8443/bot/hook?k=v");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(BuildWebhookRequest(*t, "s3cret", R"({"update_id":5})"),
            "POST /bot/hook?k=v HTTP/1.1\r\n"
            "Host: example.org\r\n"
            "Authorization: Basic dTpw\r\n"
            "X-Telegram-Bot-Api-Secret-Token: s3cret\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 16\r\n"
            "Connection: keep-alive\r\n"
            "Accept-Encoding: gzip, deflate\r\n"
            "\r\n"
            "{\"update_id\":5}\n");
  auto plain = ParseWebhookUrl("http://example.org/");
  ASSERT_TRUE(plain.ok());
  std::string request = BuildWebhookRequest(*plain, "", "{}");
  EXPECT_EQ(request.find("Authorization"), std::string::npos);
  EXPECT_EQ(request.find("X-Telegram-Bot-Api-Secret-Token"), std::string::npos);
}

TEST(WebhookWireTest, ReadsAMethodCallFromJsonFormAndMultipartAnswers) {
  auto json =
      ParseReplyCall("application/json; charset=utf-8", "",
                     R"({"method":"createChatInviteLink","chat_id":-100,"name":"x"})", 1 << 20);
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ(json->method, "createChatInviteLink");
  ASSERT_NE(json->params.Find("chat_id"), nullptr);
  EXPECT_EQ(*json->params.Find("chat_id"), "-100");

  auto form = ParseReplyCall("application/x-www-form-urlencoded", "",
                             "method=revokeChatInviteLink&chat_id=-5", 1 << 20);
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ(form->method, "revokeChatInviteLink");

  std::string multipart =
      "--XyZ\r\nContent-Disposition: form-data; name=\"method\"\r\n\r\napproveChatJoinRequest\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\n7\r\n--XyZ--\r\n";
  auto parts = ParseReplyCall("multipart/form-data; boundary=XyZ", "", multipart, 1 << 20);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->method, "approveChatJoinRequest");
  EXPECT_EQ(*parts->params.Find("user_id"), "7");
}

TEST(WebhookWireTest, IgnoresNoCallsAndForbiddenOnes) {
  EXPECT_FALSE(ParseReplyCall("application/json", "", "", 1 << 20).has_value());
  EXPECT_FALSE(ParseReplyCall("application/json", "", "{}", 1 << 20).has_value());
  EXPECT_FALSE(ParseReplyCall("text/plain", "", "method=close", 1 << 20).has_value());
  EXPECT_FALSE(ParseReplyCall("application/json", "br", R"({"method":"x"})", 1 << 20).has_value());
  for (const char* m : {"getMe", "GETUPDATES", "getChat", "setWebhook", "deleteWebhook", "close",
                        "logOut", "LOGOUT", "SetWebHook"}) {
    EXPECT_TRUE(IsIgnoredReplyMethod(m)) << m;
    std::string body = std::string(R"({"method":")") + m + R"("})";
    EXPECT_FALSE(ParseReplyCall("application/json", "", body, 1 << 20).has_value()) << m;
  }
  EXPECT_FALSE(IsIgnoredReplyMethod("createChatInviteLink"));
  EXPECT_FALSE(IsIgnoredReplyMethod("exportChatInviteLink"));
}

TEST(WebhookWireTest, RetryAfterIsSecondsClamped) {
  EXPECT_EQ(ParseRetryAfter("17", seconds(3600)), seconds(17));
  EXPECT_EQ(ParseRetryAfter(" 5 ", seconds(3600)), seconds(5));
  EXPECT_EQ(ParseRetryAfter("99999999999", seconds(3600)), seconds(3600));
  EXPECT_EQ(ParseRetryAfter("-3", seconds(3600)), seconds(0));
  EXPECT_FALSE(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", seconds(3600)).has_value());
  EXPECT_FALSE(ParseRetryAfter("", seconds(3600)).has_value());
}

TEST(WebhookWireTest, RetriesAtOnceThenDoublingUpToARandomCap) {
  RetryPolicy policy;  // 2 s, capped at 60-120 s
  RetryState state;
  std::mt19937_64 random(42);
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(0));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(2000));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(4000));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(8000));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(16000));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(32000));
  for (int i = 0; i < 50; ++i) {
    milliseconds wait = NextRetryWait(policy, state, std::nullopt, random);
    EXPECT_GE(wait, milliseconds(60000));
    EXPECT_LE(wait, milliseconds(120000));
  }
  EXPECT_EQ(state.failures, 56);
}

TEST(WebhookWireTest, RetryAfterReplacesTheWaitWithoutAdvancingTheDoubling) {
  RetryPolicy policy{
      .base = milliseconds(100), .cap_min = milliseconds(1000), .cap_max = milliseconds(1000)};
  RetryState state;
  std::mt19937_64 random(1);
  EXPECT_EQ(NextRetryWait(policy, state, seconds(3), random), milliseconds(3000));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(100));
  EXPECT_EQ(NextRetryWait(policy, state, seconds(7), random), milliseconds(7000));
  EXPECT_EQ(NextRetryWait(policy, state, seconds(0), random), milliseconds(200));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(400));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(800));
  EXPECT_EQ(NextRetryWait(policy, state, std::nullopt, random), milliseconds(1000));
}

TEST(WebhookWireTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64("\xff\xfe"), "//4=");
}

}  // namespace
}  // namespace tgi::delivery
