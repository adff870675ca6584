#include "botapi/flood.h"

#include <gtest/gtest.h>

#include "botapi/shared_test_util.h"

namespace tgi::botapi {
namespace {

using testing::ApplyAllShared;

constexpr UserId kBot{7000000001};
constexpr UserId kOther{7000000002};
constexpr ChatId kPrivate{100001};
constexpr ChatId kGroup{-1001000000001};
constexpr UnixMillis kT = 1'700'000'000'000;

TEST(FloodControlTest, AChatTakesABurstOf3ThenOneASecond) {
  FloodControl f;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(f.Admit(kBot, kPrivate, false, kT), std::nullopt) << i;
  EXPECT_EQ(f.Admit(kBot, kPrivate, false, kT), 1);
  EXPECT_EQ(f.Admit(kBot, kPrivate, false, kT + 999), 1);  // 1 ms left: rounded up
  EXPECT_EQ(f.Admit(kBot, kPrivate, false, kT + 1000), std::nullopt);
  EXPECT_EQ(f.Admit(kBot, kPrivate, false, kT + 1000), 1);
  // Another chat and another bot have their own.
  EXPECT_EQ(f.Admit(kBot, ChatId{100002}, false, kT + 1000), std::nullopt);
  EXPECT_EQ(f.Admit(kOther, kPrivate, false, kT + 1000), std::nullopt);
}

TEST(FloodControlTest, AQuietChatRefillsItsBurst) {
  FloodControl f;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(f.Admit(kBot, kPrivate, false, kT), std::nullopt);
  // After 3 s the bucket is full again: 3 more at once, not 4.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(f.Admit(kBot, kPrivate, false, kT + 3000), std::nullopt);
  EXPECT_EQ(f.Admit(kBot, kPrivate, false, kT + 3000), 1);
}

TEST(FloodControlTest, AGroupTakes20AMinute) {
  FloodControl f;
  UnixMillis t = kT;
  // One a second fits the chat's limit; the 21st within the minute is refused until the first
  // leaves the window.
  for (int i = 0; i < 20; ++i, t += 1000)
    ASSERT_EQ(f.Admit(kBot, kGroup, true, t), std::nullopt) << i;
  // t = kT + 20 s; the first send leaves the window at kT + 60 s.
  EXPECT_EQ(f.Admit(kBot, kGroup, true, t), 40);
  EXPECT_EQ(f.Admit(kBot, kGroup, true, kT + 59'001), 1);
  EXPECT_EQ(f.Admit(kBot, kGroup, true, kT + 60'000), std::nullopt);
  EXPECT_EQ(f.Admit(kBot, kGroup, true, kT + 60'000), 1);  // the one sent at kT + 1 s
}

TEST(FloodControlTest, AChannelHasNoGroupLimit) {
  FloodControl f;
  UnixMillis t = kT;
  for (int i = 0; i < 25; ++i, t += 1000)
    EXPECT_EQ(f.Admit(kBot, kGroup, false, t), std::nullopt) << i;
}

TEST(FloodControlTest, ABotSends30ASecondInAll) {
  FloodControl f;
  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(f.Admit(kBot, ChatId{100000 + i}, false, kT + i), std::nullopt) << i;
  EXPECT_EQ(f.Admit(kBot, ChatId{200000}, false, kT + 500), 1);
  EXPECT_EQ(f.Admit(kOther, ChatId{200000}, false, kT + 500), std::nullopt);
  EXPECT_EQ(f.Admit(kBot, ChatId{200000}, false, kT + 1000), std::nullopt);
  EXPECT_EQ(f.Admit(kBot, ChatId{200001}, false, kT + 1000), 1);  // the one sent at kT + 1
  EXPECT_EQ(f.Admit(kBot, ChatId{200001}, false, kT + 1001), std::nullopt);
}

TEST(FloodControlTest, ARefusedMessageDoesNotCount) {
  FloodControl f;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(f.Admit(kBot, kPrivate, false, kT), std::nullopt);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(f.Admit(kBot, kPrivate, false, kT), 1);
  EXPECT_EQ(f.Admit(kBot, kPrivate, false, kT + 1000), std::nullopt);
}

TEST(FloodControlTest, TheLongestWaitIsAnswered) {
  FloodControl f;
  UnixMillis t = kT;
  for (int i = 0; i < 20; ++i, t += 1000) ASSERT_EQ(f.Admit(kBot, kGroup, true, t), std::nullopt);
  // The chat's bucket would let one through at once; the group's window not for 40 s.
  EXPECT_EQ(f.Admit(kBot, kGroup, true, t + 5000), 35);
}

TEST(FloodControlTest, PruningForgetsOnlyChatsThatHoldNothingBack) {
  FloodControl f;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(f.Admit(kBot, kPrivate, false, kT), std::nullopt);
  // Many other chats, each at its own time so the bot's total stays under 30 a second.
  UnixMillis t = kT;
  for (int i = 0; i < 3000; ++i, t += 40)
    ASSERT_EQ(f.Admit(kOther, ChatId{300000 + i}, false, t), std::nullopt);
  // kPrivate's bucket is full again long since: it is as new.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(f.Admit(kBot, kPrivate, false, t), std::nullopt);
  EXPECT_EQ(f.Admit(kBot, kPrivate, false, t), 1);
  // A chat still limited is kept through a prune: many bots write at the same time, so the
  // table grows past the pruning threshold while every bucket still holds something back.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(f.Admit(kBot, kPrivate, false, t + 3000), std::nullopt);
  for (int i = 0; i < 3000; ++i)
    ASSERT_EQ(f.Admit(UserId{8000000000 + i}, kPrivate, false, t + 3000), std::nullopt);
  EXPECT_EQ(f.Admit(kBot, kPrivate, false, t + 3000), 1);
}

TEST(FloodControlTest, SharedStateCarriesTheCountersToAnotherInstance) {
  FloodControl a, b;
  domain::Mutation m;
  // Two in the group on instance a, the third on b: the burst of 3 is used up across both.
  ASSERT_EQ(a.Admit(kBot, kGroup, true, kT, &m), std::nullopt);
  ASSERT_EQ(a.Admit(kBot, kGroup, true, kT, &m), std::nullopt);
  ASSERT_EQ(m.shared.size(), 4u);  // the bot's total and the chat's, per message
  EXPECT_EQ(m.shared[0].key, "flood/7000000001");
  EXPECT_EQ(m.shared[1].key, "flood/7000000001/-1001000000001");
  EXPECT_TRUE(ApplyAllShared(b, m));
  ASSERT_EQ(b.Admit(kBot, kGroup, true, kT), std::nullopt);
  EXPECT_EQ(b.Admit(kBot, kGroup, true, kT), 1);
  // A refused message shares nothing.
  m = {};
  EXPECT_EQ(a.Admit(kBot, kGroup, true, kT + 1, &m), std::nullopt);  // a has seen two only
  m = {};
  EXPECT_EQ(a.Admit(kBot, kGroup, true, kT + 2, &m), 1);
  EXPECT_TRUE(m.shared.empty());
}

TEST(FloodControlTest, SharedTotalsCountAcrossChats) {
  FloodControl a, b;
  domain::Mutation m;
  for (int i = 0; i < FloodControl::kBotMessages; ++i)
    ASSERT_EQ(a.Admit(kBot, ChatId(100000 + i), false, kT, &m), std::nullopt);
  ASSERT_TRUE(ApplyAllShared(b, m));
  EXPECT_EQ(b.Admit(kBot, kPrivate, false, kT + 10), 1);
  EXPECT_EQ(b.Admit(kOther, kPrivate, false, kT + 10), std::nullopt);
}

TEST(FloodControlTest, UnreadableSharedStateChangesNothing) {
  FloodControl f;
  EXPECT_FALSE(f.ApplyShared("flood/", "1"));
  EXPECT_FALSE(f.ApplyShared("flood/7000000001/1/2", "1"));
  EXPECT_FALSE(f.ApplyShared("flood/7000000001/100001", ""));
  EXPECT_FALSE(f.ApplyShared("flood/7000000001/100001", "1 x"));
  EXPECT_FALSE(f.ApplyShared("guards/7000000001", "1"));
}

}  // namespace
}  // namespace tgi::botapi
