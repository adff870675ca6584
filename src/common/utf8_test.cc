#include "common/utf8.h"

#include <gtest/gtest.h>

namespace tgi::utf8 {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValid(""));
  EXPECT_TRUE(IsValid("hello"));
  EXPECT_TRUE(IsValid("\xd0\x9f\xd1\x80\xd0\xb8"));  // Cyrillic
  EXPECT_TRUE(IsValid("\xf0\x9f\x98\x80"));          // U+1F600
}

TEST(Utf8Test, RefusesMalformedText) {
  EXPECT_FALSE(IsValid("\xff"));
  EXPECT_FALSE(IsValid("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValid("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsValid("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValid("\xe2\x82"));          // truncated
}

TEST(Utf8Test, CountsAndCutsByCodePoint) {
  std::string s = "a\xd0\x9f\xf0\x9f\x98\x80z";
  EXPECT_EQ(CodePointCount(s), 4u);
  EXPECT_EQ(Truncate(s, 2), "a\xd0\x9f");
  EXPECT_EQ(Truncate(s, 10), s);
}

TEST(Utf8Test, AppendEncodes) {
  std::string out;
  Append(out, U'\u00e9');
  Append(out, U'\U0001F600');
  EXPECT_EQ(out, "\xc3\xa9\xf0\x9f\x98\x80");
}

}  // namespace
}  // namespace tgi::utf8
