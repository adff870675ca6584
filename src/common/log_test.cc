#include "common/log.h"

#include <gtest/gtest.h>

namespace tgi::log {
namespace {

TEST(RedactTargetTest, HidesTheTokenSecretButKeepsTheBotId) {
  EXPECT_EQ(RedactTarget("/bot123456:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo/getMe"),
            "/bot123456:***/getMe");
}

TEST(RedactTargetTest, HidesAMalformedTokenWhole) {
  EXPECT_EQ(RedactTarget("/botSECRETSECRET/getMe"), "/bot***/getMe");
}

TEST(RedactTargetTest, DropsQueryStrings) {
  EXPECT_EQ(RedactTarget("/bot1:abc/getMe?secret=1"), "/bot1:***/getMe?...");
}

TEST(RedactTargetTest, HidesEveryBotSegmentInAnyCase) {
  EXPECT_EQ(RedactTarget("/Bot123:SECRET/getMe"), "/Bot123:***/getMe");
  EXPECT_EQ(RedactTarget("/BOTSECRET"), "/BOT***");
  EXPECT_EQ(RedactTarget("/bot1:a/x/bot2:SECRET/getMe"), "/bot1:***/x/bot2:***/getMe");
  EXPECT_EQ(RedactTarget("/file/bot1:SECRET/photos/a.jpg"), "/file/bot1:***/photos/a.jpg");
  EXPECT_EQ(RedactTarget("/bot1:SECRET"), "/bot1:***");
  EXPECT_EQ(RedactTarget("/bot1:SECRET?x=/bot2:S2"), "/bot1:***?...");
  EXPECT_EQ(RedactTarget("/bot"), "/bot");
  EXPECT_EQ(RedactTarget(""), "");
}

TEST(RedactTargetTest, KeepsOtherPathsAndCleansControlBytes) {
  EXPECT_EQ(RedactTarget("/control/v1/world"), "/control/v1/world");
  EXPECT_EQ(RedactTarget("/control/v1/bots/7000000003"), "/control/v1/bots/7000000003");
  EXPECT_EQ(RedactTarget("/control/v1/bots/7?x=1"), "/control/v1/bots/7?...");
  EXPECT_EQ(RedactTarget("/x\n\x01"), "/x??");
}

TEST(LogLevelTest, EnabledFollowsTheMinimumLevel) {
  SetMinLevel(Level::kInfo);
  EXPECT_FALSE(Enabled(Level::kDebug));
  EXPECT_TRUE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kError));
  SetMinLevel(Level::kDebug);
  EXPECT_TRUE(Enabled(Level::kDebug));
  SetMinLevel(Level::kInfo);
}

// Each line written with Format::kJson, captured from stderr.
std::string JsonLineOf(Level level, std::string_view component, std::string_view message) {
  SetFormat(Format::kJson);
  testing::internal::CaptureStderr();
  Write(level, component, message);
  std::string line = testing::internal::GetCapturedStderr();
  SetFormat(Format::kText);
  return line;
}

TEST(JsonLogTest, WritesOneObjectWithTimeLevelComponentAndMessage) {
  std::string line = JsonLineOf(Level::kWarn, "http", "closing");
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(line.substr(0, 9), "{\"time\":\"");
  EXPECT_NE(line.find("Z\",\"level\":\"warn\",\"component\":\"http\",\"message\":\"closing\"}\n"),
            std::string::npos)
      << line;
}

TEST(JsonLogTest, EscapesQuotesControlCharactersAndBadUtf8) {
  std::string line = JsonLineOf(Level::kError, "x", "a\"b\\c\nd\x01\xff\xc3\xa9");
  EXPECT_NE(line.find(R"("message":"a\"b\\c\u000ad\u0001\ufffd)"
                      "\xc3\xa9\"}"),
            std::string::npos)
      << line;
}

TEST(JsonLogTest, CarriesTheRequestIdOfTheInnermostScope) {
  EXPECT_EQ(JsonLineOf(Level::kError, "x", "m").find("request_id"), std::string::npos);
  {
    RequestScope outer("r-1");
    {
      RequestScope inner("r-2");
      EXPECT_NE(JsonLineOf(Level::kError, "x", "m").find(R"("request_id":"r-2"})"),
                std::string::npos);
    }
    EXPECT_NE(JsonLineOf(Level::kError, "x", "m").find(R"("request_id":"r-1"})"),
              std::string::npos);
  }
  EXPECT_EQ(JsonLineOf(Level::kError, "x", "m").find("request_id"), std::string::npos);
}

TEST(JsonLogTest, TextFormatIsUnchanged) {
  testing::internal::CaptureStderr();
  {
    RequestScope scope("r-1");
    Write(Level::kError, "main", "stopped");
  }
  std::string line = testing::internal::GetCapturedStderr();
  EXPECT_NE(line.find(" ERROR main: stopped\n"), std::string::npos) << line;
  EXPECT_EQ(line.find("r-1"), std::string::npos);
}

TEST(RequestIdTest, IdsAreDistinctWithOneProcessPrefix) {
  std::string a = NewRequestId();
  std::string b = NewRequestId();
  EXPECT_NE(a, b);
  ASSERT_NE(a.find('-'), std::string::npos);
  EXPECT_EQ(a.substr(0, a.find('-')), b.substr(0, b.find('-')));
}

}  // namespace
}  // namespace tgi::log
