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

TEST(Utf8Test, BoundariesOfWellFormedText) {
  EXPECT_TRUE(IsValid(std::string("\0\x7f", 2)));
  EXPECT_TRUE(IsValid("\xc2\x80"));          // U+0080
  EXPECT_TRUE(IsValid("\xdf\xbf"));          // U+07FF
  EXPECT_TRUE(IsValid("\xe0\xa0\x80"));      // U+0800
  EXPECT_TRUE(IsValid("\xed\x9f\xbf"));      // U+D7FF
  EXPECT_TRUE(IsValid("\xee\x80\x80"));      // U+E000
  EXPECT_TRUE(IsValid("\xef\xbf\xbf"));      // U+FFFF
  EXPECT_TRUE(IsValid("\xf0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(IsValid("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST(Utf8Test, RefusesEveryKindOfIllFormedSequence) {
  const char* cases[] = {
      "\x80",  // a continuation byte first
      "\xbf",
      "a\x80z",
      "\xc1\xbf",      // overlong, two bytes
      "\xe0\x80\xaf",  // overlong, three bytes
      "\xe0\x9f\xbf",
      "\xf0\x80\x80\xaf",  // overlong, four bytes
      "\xf0\x8f\xbf\xbf",
      "\xed\xbf\xbf",      // U+DFFF
      "\xf5\x80\x80\x80",  // lead bytes that never occur
      "\xf8\x88\x80\x80\x80",
      "\xfe",
      "\xc3",  // truncated
      "\xf0\x9f\x98",
      "\xe2\x28\xa1",      // a non-continuation byte inside
      "\xe2\x82\xac\xff",  // well-formed, then not
  };
  for (const char* c : cases) EXPECT_FALSE(IsValid(c)) << testing::PrintToString(c);
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

TEST(Utf8Test, AppendEncodesEachLength) {
  std::string out;
  for (char32_t cp : {U'\x7f', U'\x80', U'\x7ff', U'\x800', U'\xffff', U'\x10000', U'\x10ffff'})
    Append(out, cp);
  EXPECT_EQ(out, "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
}

}  // namespace
}  // namespace tgi::utf8
