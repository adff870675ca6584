#include "common/utf8.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

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

TEST(Utf8Test, DecodeReadsOneSequenceAtAPosition) {
  std::string s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  char32_t cp = 0;
  EXPECT_EQ(Decode(s, 0, &cp), 1u);
  EXPECT_EQ(cp, U'a');
  EXPECT_EQ(Decode(s, 1, &cp), 2u);
  EXPECT_EQ(cp, U'\u00e9');
  EXPECT_EQ(Decode(s, 3, &cp), 3u);
  EXPECT_EQ(cp, U'\u20ac');
  EXPECT_EQ(Decode(s, 6, &cp), 4u);
  EXPECT_EQ(cp, U'\U0001F600');
  // Not well-formed: 0, and the code point is left alone.
  EXPECT_EQ(Decode(s, 2, &cp), 0u);  // the middle of a sequence
  EXPECT_EQ(cp, U'\U0001F600');
  // Cut short by the end of the view, whatever lies beyond it in memory.
  EXPECT_EQ(Decode(std::string_view(s).substr(0, 8), 6, &cp), 0u);
  EXPECT_EQ(Decode(std::string(1, '\0'), 0, &cp), 1u);
  EXPECT_EQ(cp, U'\0');
}

// The length Unicode's Table 3-7 gives the well-formed sequence at the start of `b`, or 0. Written
// from the table's ranges, apart from Decode's bit arithmetic.
size_t TableLength(const std::array<unsigned char, 4>& b) {
  auto in = [](unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; };
  const unsigned char c = b[0];
  if (c <= 0x7F) return 1;
  if (in(c, 0xC2, 0xDF)) return in(b[1], 0x80, 0xBF) ? 2 : 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c == 0xE0) lo = 0xA0;
  if (c == 0xED) hi = 0x9F;
  if (c == 0xF0) lo = 0x90;
  if (c == 0xF4) hi = 0x8F;
  if (in(c, 0xE0, 0xEF)) return in(b[1], lo, hi) && in(b[2], 0x80, 0xBF) ? 3 : 0;
  if (in(c, 0xF0, 0xF4))
    return in(b[1], lo, hi) && in(b[2], 0x80, 0xBF) && in(b[3], 0x80, 0xBF) ? 4 : 0;
  return 0;
}

TEST(Utf8Test, DecodeAgreesWithUnicodeTable37) {
  // Every first and second byte; for the third and fourth, the edges of every range in the table.
  const unsigned char edges[] = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
  size_t well_formed = 0;
  for (int b0 = 0; b0 < 256; ++b0) {
    for (int b1 = 0; b1 < 256; ++b1) {
      for (unsigned char b2 : edges) {
        for (unsigned char b3 : edges) {
          std::array<unsigned char, 4> b{static_cast<unsigned char>(b0),
                                         static_cast<unsigned char>(b1), b2, b3};
          std::string_view s(reinterpret_cast<const char*>(b.data()), b.size());
          char32_t cp = 0;
          size_t expected = TableLength(b);
          ASSERT_EQ(Decode(s, 0, &cp), expected) << testing::PrintToString(std::string(s));
          if (expected == 0) continue;
          ++well_formed;
          std::string encoded;
          Append(encoded, cp);
          ASSERT_EQ(encoded, s.substr(0, expected));
          // The same bytes with the last one missing are cut short.
          if (expected > 1) {
            ASSERT_EQ(Decode(s.substr(0, expected - 1), 0, &cp), 0u);
          }
        }
      }
    }
  }
  EXPECT_GT(well_formed, 0u);
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
