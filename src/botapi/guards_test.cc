#include "botapi/guards.h"

#include <gtest/gtest.h>

#include "botapi/shared_test_util.h"

namespace tgi::botapi {
namespace {

using testing::ApplyAllShared;

constexpr UserId kBot{7000000001};
constexpr UserId kOther{7000000002};
constexpr UnixMillis kT = 1'700'000'000'000;

TEST(GuardsTest, TheFirstGetUpdatesRunsAsAsked) {
  Guards g;
  auto p = g.StartGetUpdates(kBot, 0, 0, 100, kT);
  EXPECT_EQ(p.timeout_seconds, 0);
  EXPECT_EQ(p.limit, 100);
}

TEST(GuardsTest, TheSameOffsetWithin3SecondsWaits3SecondsAndWithinHalfASecondGetsOneUpdate) {
  Guards g;
  g.StartGetUpdates(kBot, 5, 0, 100, kT);
  auto p = g.StartGetUpdates(kBot, 5, 0, 100, kT + 499);
  EXPECT_EQ(p.timeout_seconds, 3);
  EXPECT_EQ(p.limit, 1);
  // Measured from the previous call's start, which was kT + 499.
  p = g.StartGetUpdates(kBot, 5, 1, 100, kT + 999);
  EXPECT_EQ(p.timeout_seconds, 3);
  EXPECT_EQ(p.limit, 100);
  p = g.StartGetUpdates(kBot, 5, 2, 50, kT + 3998);
  EXPECT_EQ(p.timeout_seconds, 3);
  EXPECT_EQ(p.limit, 50);
  // 3 s or more later: as asked.
  p = g.StartGetUpdates(kBot, 5, 0, 100, kT + 3998 + 3000);
  EXPECT_EQ(p.timeout_seconds, 0);
  EXPECT_EQ(p.limit, 100);
}

TEST(GuardsTest, ALongerTimeoutIsKeptAndAnotherOffsetOrBotIsNotStretched) {
  Guards g;
  g.StartGetUpdates(kBot, 5, 0, 100, kT);
  auto p = g.StartGetUpdates(kBot, 5, 30, 100, kT + 600);
  EXPECT_EQ(p.timeout_seconds, 30);
  p = g.StartGetUpdates(kBot, 6, 0, 100, kT + 601);
  EXPECT_EQ(p.timeout_seconds, 0);
  EXPECT_EQ(p.limit, 100);
  p = g.StartGetUpdates(kOther, 6, 0, 100, kT + 602);
  EXPECT_EQ(p.timeout_seconds, 0);
  EXPECT_EQ(p.limit, 100);
}

TEST(GuardsTest, TheFirstCallWithOffsetMinusOneIsNotStretched) {
  // The reference's previous offset starts at -1, with a start 100 s in the past.
  Guards g;
  auto p = g.StartGetUpdates(kBot, -1, 0, 100, kT);
  EXPECT_EQ(p.timeout_seconds, 0);
  EXPECT_EQ(p.limit, 100);
}

TEST(GuardsTest, SetWebhookOnceASecond) {
  Guards g;
  EXPECT_TRUE(g.AllowSetWebhook(kBot, kT));
  EXPECT_FALSE(g.AllowSetWebhook(kBot, kT + 999));
  EXPECT_TRUE(g.AllowSetWebhook(kOther, kT + 999));
  // A refused call does not move the window.
  EXPECT_TRUE(g.AllowSetWebhook(kBot, kT + 1000));
  EXPECT_FALSE(g.AllowSetWebhook(kBot, kT + 1999));
}

TEST(GuardsTest, OneConflictAnsweredAtOnceEvery3Seconds) {
  Guards g;
  EXPECT_TRUE(g.AnswerConflictNow(kBot, kT));
  EXPECT_FALSE(g.AnswerConflictNow(kBot, kT + 2999));
  EXPECT_TRUE(g.AnswerConflictNow(kOther, kT + 2999));
  // Held-back ones do not move the window.
  EXPECT_TRUE(g.AnswerConflictNow(kBot, kT + 3000));
  EXPECT_FALSE(g.AnswerConflictNow(kBot, kT + 3001));
}

// Cluster mode: what one instance's guards share (domain::SharedEntry) makes another's behave as
// if it had seen the calls itself.
TEST(GuardsTest, SharedStateCarriesTheGuardsToAnotherInstance) {
  Guards a, b;
  domain::Mutation m;
  a.StartGetUpdates(kBot, 5, 0, 100, kT, &m);
  ASSERT_EQ(m.shared.size(), 1u);
  EXPECT_EQ(m.shared[0].key, "guards/7000000001");
  EXPECT_TRUE(ApplyAllShared(b, m));
  // The same offset on the other instance within half a second: stretched and cut to one.
  auto p = b.StartGetUpdates(kBot, 5, 0, 100, kT + 100);
  EXPECT_EQ(p.timeout_seconds, 3);
  EXPECT_EQ(p.limit, 1);
  // Another bot is untouched there.
  p = b.StartGetUpdates(kOther, 5, 0, 100, kT + 100);
  EXPECT_EQ(p.limit, 100);

  m = {};
  EXPECT_TRUE(a.AllowSetWebhook(kBot, kT, &m));
  EXPECT_TRUE(a.AnswerConflictNow(kBot, kT, &m));
  ASSERT_EQ(m.shared.size(), 2u);
  EXPECT_TRUE(ApplyAllShared(b, m));
  EXPECT_FALSE(b.AllowSetWebhook(kBot, kT + 999));
  EXPECT_FALSE(b.AnswerConflictNow(kBot, kT + 2999));
  // A refused call changes nothing, so it shares nothing.
  m = {};
  EXPECT_FALSE(a.AllowSetWebhook(kBot, kT + 10, &m));
  EXPECT_FALSE(a.AnswerConflictNow(kBot, kT + 10, &m));
  EXPECT_TRUE(m.shared.empty());
}

// The hot path of long polling in cluster mode: a getUpdates that leaves the bot's state as it
// was (the same offset at the same millisecond, e.g. with the clock standing still) shares
// nothing; one that changes it (another offset, or a later start) shares the new state.
TEST(GuardsTest, AGetUpdatesSharesTheStateOnlyWhenItChanged) {
  Guards a, b;
  domain::Mutation m;
  a.StartGetUpdates(kBot, 5, 30, 100, kT, &m);
  ASSERT_EQ(m.shared.size(), 1u);  // the first call: polled, offset and start are new
  m = {};
  auto p = a.StartGetUpdates(kBot, 5, 30, 100, kT, &m);
  EXPECT_TRUE(m.shared.empty());
  EXPECT_EQ(p.limit, 1);  // still guarded as before
  a.StartGetUpdates(kBot, 6, 30, 100, kT, &m);
  ASSERT_EQ(m.shared.size(), 1u);  // another offset
  EXPECT_TRUE(ApplyAllShared(b, m));
  m = {};
  a.StartGetUpdates(kBot, 6, 30, 100, kT + 1, &m);
  ASSERT_EQ(m.shared.size(), 1u);  // a later start
  EXPECT_EQ(m.shared[0].key, "guards/7000000001");
  EXPECT_TRUE(ApplyAllShared(b, m));
  // b holds what a holds: the same call there is guarded the same way and shares nothing either.
  m = {};
  p = b.StartGetUpdates(kBot, 6, 0, 100, kT + 1, &m);
  EXPECT_EQ(p.timeout_seconds, 3);
  EXPECT_EQ(p.limit, 1);
  EXPECT_TRUE(m.shared.empty());
}

TEST(GuardsTest, UnreadableSharedStateChangesNothing) {
  Guards g;
  EXPECT_FALSE(g.ApplyShared("guards/x", "1 1 1 1 1"));
  EXPECT_FALSE(g.ApplyShared("guards/7000000001", "1 1 1"));
  EXPECT_FALSE(g.ApplyShared("guards/7000000001", "1 1 1 1 z"));
  EXPECT_FALSE(g.ApplyShared("flood/7000000001", "1 1 1 1 1"));
  auto p = g.StartGetUpdates(kBot, 1, 0, 100, kT);
  EXPECT_EQ(p.limit, 100);
}

}  // namespace
}  // namespace tgi::botapi
