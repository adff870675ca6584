#include "common/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace tginvite::crypto {
namespace {

TEST(RandomBase64UrlTest, HasTheLengthAndAlphabetAsked) {
  for (size_t len : {1u, 16u, 35u}) {
    std::string s = RandomBase64Url(len);
    EXPECT_EQ(s.size(), len);
    for (char c : s)
      EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << s;
  }
}

TEST(RandomBase64UrlTest, DoesNotRepeatItself) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(RandomBase64Url(16));
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(RandomBase64UrlTest, UsesEveryCharacterOfTheAlphabet) {
  std::set<char> chars;
  for (int i = 0; i < 200; ++i)
    for (char c : RandomBase64Url(16)) chars.insert(c);
  EXPECT_EQ(chars.size(), 64u);
}

TEST(Sha256Test, MatchesTheKnownDigestOfAbc) {
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, HexRoundTrips) {
  Sha256Digest d = Sha256("token"), back{};
  ASSERT_TRUE(FromHex(ToHex(d), &back));
  EXPECT_TRUE(ConstantTimeEqual(d, back));
  EXPECT_FALSE(FromHex("zz", &back));
}

TEST(ConstantTimeEqualTest, TellsDifferentDigestsApart) {
  EXPECT_FALSE(ConstantTimeEqual(Sha256("a"), Sha256("b")));
  EXPECT_TRUE(ConstantTimeEqual(Sha256("a"), Sha256("a")));
}

}  // namespace
}  // namespace tginvite::crypto
