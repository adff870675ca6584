#include <gtest/gtest.h>

#include <string>

#include "text/fix.h"

namespace tgi::text {
namespace {

using namespace std::string_literals;

TEST(CleanInputStringTest, CleansLikeTdlib) {
  struct Case {
    std::string in;
    std::string want;
  } cases[] = {
      {"plain", "plain"},
      {"a\tb\x01\x1F"
       "c",
       "a b  c"},                      // control bytes become spaces
      {"line\nbreak", "line\nbreak"},  // '\n' stays
      {"cr\r\nlf\r", "cr\nlf"},        // '\r' is removed
      {"\0x"s, " x"},                  // NUL too
      {"a\xE2\x80\xA8"
       "b\xE2\x80\xAE"
       "c",
       "abc"},  // U+2028..U+202E removed
      {"a\xE2\x80\xAF"
       "b",
       "a\xE2\x80\xAF"
       "b"},  // U+202F is not
      {"e\xCC\xB3\xCC\xBF\xCC\x8A"
       "f",
       "ef"},                      // U+0333, U+033F, U+030A removed
      {"e\xCC\x81", "e\xCC\x81"},  // other combining marks stay
      // In a run of U+200E/U+200F every mark but the last becomes U+200C.
      {"\xE2\x80\x8E\xE2\x80\x8F\xE2\x80\x8E"
       "x",
       "\xE2\x80\x8C\xE2\x80\x8C\xE2\x80\x8E"
       "x"},
      {"\xE2\x80\x8F"
       "x\xE2\x80\x8F",
       "\xE2\x80\x8F"
       "x\xE2\x80\x8F"},
      {"", ""},
  };
  for (auto& c : cases) {
    std::string s = c.in;
    EXPECT_TRUE(CleanInputString(s)) << c.in;
    EXPECT_EQ(s, c.want) << c.in;
  }
}

TEST(CleanInputStringTest, RefusesTextThatIsNotUtf8) {
  for (std::string bad : {"\xFF"s, "a\xC3"s, "\xED\xA0\x80"s, "\xC0\x80"s, "\xF4\x90\x80\x80"s}) {
    std::string s = bad;
    EXPECT_FALSE(CleanInputString(s));
    EXPECT_EQ(s, bad);  // left alone
  }
}

TEST(CleanInputStringTest, CutsNearTheServerLimitAtACharacterBoundary) {
  std::string ascii(40000, 'a');
  ASSERT_TRUE(CleanInputString(ascii));
  EXPECT_EQ(ascii.size(), 34996u);

  std::string two_byte;
  for (int i = 0; i < 20000; ++i) two_byte += "\xC3\xA9";
  ASSERT_TRUE(CleanInputString(two_byte));
  EXPECT_EQ(two_byte.size(), 34996u);
  EXPECT_EQ(two_byte.substr(two_byte.size() - 2), "\xC3\xA9");

  std::string short_enough(34996, 'b');
  ASSERT_TRUE(CleanInputString(short_enough));
  EXPECT_EQ(short_enough.size(), 34996u);
}

}  // namespace
}  // namespace tgi::text
