#include "common/ascii.h"

#include <gtest/gtest.h>

namespace tginvite::ascii {
namespace {

TEST(AsciiTest, LowersOnlyAsciiLetters) {
  EXPECT_EQ(Lower("Content-Type: Application/JSON; Charset=UTF-8"),
            "content-type: application/json; charset=utf-8");
  EXPECT_EQ(Lower("@Demo_Group9"), "@demo_group9");
  // UTF-8 bytes (here "Ä" and "Ж") and the characters around 'A'-'Z' stay as they are.
  EXPECT_EQ(Lower("\xC3\x84\xD0\x96@[`{"), "\xC3\x84\xD0\x96@[`{");
  EXPECT_EQ(Lower(""), "");
  EXPECT_EQ(Lower('Z'), 'z');
  EXPECT_EQ(Lower('z'), 'z');
}

TEST(AsciiTest, ComparesIgnoringCase) {
  EXPECT_TRUE(EqualsIgnoringCase("exportChatInviteLink", "EXPORTCHATINVITELINK"));
  EXPECT_TRUE(EqualsIgnoringCase("", ""));
  EXPECT_FALSE(EqualsIgnoringCase("getMe", "getMe2"));
  EXPECT_FALSE(EqualsIgnoringCase("a[", "A{"));  // '[' and '{' are not a case pair
}

}  // namespace
}  // namespace tginvite::ascii
