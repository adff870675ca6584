#include "common/crypto.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

namespace tgi::crypto {
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

TEST(RandomBase64UrlTest, LongerThanOneDrawOfRandomBytes) {
  // 512 bytes are drawn from OpenSSL at a time; a longer string spans several draws.
  std::string a = RandomBase64Url(2000), b = RandomBase64Url(2000);
  EXPECT_EQ(a.size(), 2000u);
  EXPECT_NE(a, b);
  std::set<char> chars(a.begin(), a.end());
  EXPECT_EQ(chars.size(), 64u);
}

// The bytes buffered before a fork must not be handed out by both processes: the parent and the
// child would make the same invite links.
TEST(RandomBase64UrlTest, ParentAndChildOfAForkDrawDifferentBytes) {
  (void)RandomBase64Url(16);  // the calling thread's buffer is now full
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    std::string out;
    for (int i = 0; i < 8; ++i) out += RandomBase64Url(16);
    _exit(write(fds[1], out.data(), out.size()) == static_cast<ssize_t>(out.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string parent;
  for (int i = 0; i < 8; ++i) parent += RandomBase64Url(16);
  std::string from_child(128, '\0');
  size_t got = 0;
  while (got < from_child.size()) {
    ssize_t n = read(fds[0], from_child.data() + got, from_child.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_EQ(got, 128u);
  for (size_t i = 0; i < 128; i += 16) {
    EXPECT_EQ(parent.find(from_child.substr(i, 16)), std::string::npos)
        << "the child repeated the parent's link hash " << from_child.substr(i, 16);
  }
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
}  // namespace tgi::crypto
