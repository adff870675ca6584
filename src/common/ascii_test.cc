#include "common/ascii.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

namespace tgi::ascii {
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

TEST(AsciiTest, TrimsTheGivenBlanksAtBothEnds) {
  EXPECT_EQ(Trim(" \t chunked \t"), "chunked");
  EXPECT_EQ(Trim("a b"), "a b");
  EXPECT_EQ(Trim(" \t "), "");
  EXPECT_EQ(Trim(""), "");
  // By default only spaces and tabs (HTTP's optional whitespace); kWhitespace also line breaks.
  EXPECT_EQ(Trim("\r\ntoken\n"), "\r\ntoken\n");
  EXPECT_EQ(Trim("\r\n\v\f token \n", kWhitespace), "token");
}

TEST(ParseDecimalTest, AcceptsOnlyPlainDecimalIntegersInRange) {
  EXPECT_EQ(ParseDecimal<int64_t>("0"), 0);
  EXPECT_EQ(ParseDecimal<int64_t>("-1001000000001"), -1001000000001);
  EXPECT_EQ(ParseDecimal<int64_t>("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseDecimal<int64_t>("-9223372036854775808"), INT64_MIN);
  for (std::string_view junk : {"", "-", "+5", " 5", "5 ", "12abc", "1.5", "1e9", "0x10", "--5",
                                "9223372036854775808", "-9223372036854775809", "abc"}) {
    EXPECT_EQ(ParseDecimal<int64_t>(junk), std::nullopt) << junk;
  }
}

TEST(ParseDecimalTest, ChecksTheRangeOfInt32) {
  EXPECT_EQ(ParseDecimal<int32_t>("2147483647"), 2147483647);
  EXPECT_EQ(ParseDecimal<int32_t>("2147483648"), std::nullopt);
  EXPECT_EQ(ParseDecimal<int32_t>("-2147483649"), std::nullopt);
}

}  // namespace
}  // namespace tgi::ascii
