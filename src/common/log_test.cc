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

TEST(RedactTargetTest, KeepsOtherPathsAndCleansControlBytes) {
  EXPECT_EQ(RedactTarget("/control/v1/world"), "/control/v1/world");
  EXPECT_EQ(RedactTarget("/x\n\x01"), "/x??");
}

}  // namespace
}  // namespace tgi::log
