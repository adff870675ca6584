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

}  // namespace
}  // namespace tgi::log
