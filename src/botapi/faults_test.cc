#include "botapi/faults.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "botapi/shared_test_util.h"

namespace tgi::botapi {
namespace {

using testing::ApplyAllShared;

const UserId kBot(7000000001);
const UserId kOther(7000000002);

TEST(FaultsTest, NothingSetTakesNothing) {
  Faults f;
  EXPECT_FALSE(f.Take(kBot, "getMe"));
  EXPECT_TRUE(f.List().empty());
  EXPECT_EQ(f.Clear(), 0u);
}

TEST(FaultsTest, UsesTheCountThenTheMethodRunsAgain) {
  Faults f;
  f.Set(kBot, "exportChatInviteLink", 2, TooManyRequests(3));
  auto first = f.Take(kBot, "exportChatInviteLink");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->error.code, 429);
  EXPECT_EQ(first->error.description, "Too Many Requests: retry after 3");
  EXPECT_EQ(first->error.retry_after, 3);
  EXPECT_EQ(first->remaining, 1);
  ASSERT_EQ(f.List().size(), 1u);
  EXPECT_EQ(f.List()[0].remaining, 1);
  auto second = f.Take(kBot, "exportChatInviteLink");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->remaining, 0);
  EXPECT_FALSE(f.Take(kBot, "exportChatInviteLink"));
  EXPECT_TRUE(f.List().empty());
}

TEST(FaultsTest, MatchesTheMethodInAnyCaseAndOnlyThatBotAndMethod) {
  Faults f;
  f.Set(kBot, "getMe", 5, ApiError{.code = 500, .description = "Internal Server Error"});
  EXPECT_FALSE(f.Take(kOther, "getMe"));
  EXPECT_FALSE(f.Take(kBot, "getChat"));
  auto taken = f.Take(kBot, "GETME");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->error.code, 500);
  EXPECT_EQ(taken->method, "getMe");
  EXPECT_EQ(taken->remaining, 4);
}

TEST(FaultsTest, SettingAgainReplaces) {
  Faults f;
  f.Set(kBot, "getMe", 5, TooManyRequests(1));
  f.Set(kBot, "GetMe", 1, TooManyRequests(9));
  auto list = f.List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].remaining, 1);
  EXPECT_EQ(list[0].error.retry_after, 9);
  EXPECT_TRUE(f.Take(kBot, "getMe"));
  EXPECT_FALSE(f.Take(kBot, "getMe"));
}

TEST(FaultsTest, TheWildcardCoversEveryMethodAfterTheMethodsOwn) {
  Faults f;
  f.Set(kBot, "*", 2, TooManyRequests(1));
  f.Set(kBot, "getMe", 1, ApiError{.code = 400, .description = "Bad Request: own"});
  auto own = f.Take(kBot, "getMe");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->error.code, 400);
  auto any = f.Take(kBot, "getMe");
  ASSERT_TRUE(any);
  EXPECT_EQ(any->error.code, 429);
  EXPECT_TRUE(f.Take(kBot, "getChat"));
  EXPECT_FALSE(f.Take(kBot, "getChat"));
  EXPECT_FALSE(f.Take(kOther, "getChat"));
}

TEST(FaultsTest, ListsByBotThenMethodAndClears) {
  Faults f;
  f.Set(kOther, "getMe", 1, TooManyRequests(1));
  f.Set(kBot, "getMe", 1, TooManyRequests(1));
  f.Set(kBot, "*", 1, TooManyRequests(1));
  f.Set(kBot, "close", 1, TooManyRequests(1));
  auto list = f.List();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].bot, kBot);
  EXPECT_EQ(list[0].method, "*");
  EXPECT_EQ(list[1].method, "close");
  EXPECT_EQ(list[2].method, "getMe");
  EXPECT_EQ(list[3].bot, kOther);
  EXPECT_EQ(f.Clear(kBot), 3u);
  EXPECT_EQ(f.Clear(kBot), 0u);
  EXPECT_FALSE(f.Take(kBot, "getMe"));
  ASSERT_EQ(f.List().size(), 1u);
  EXPECT_EQ(f.Clear(), 1u);
  EXPECT_FALSE(f.Take(kOther, "getMe"));
}

TEST(FaultsTest, ConcurrentTakesUseEachCallOnce) {
  Faults f;
  constexpr int kThreads = 4, kCalls = 5000, kCount = 7000;
  f.Set(kBot, "getMe", kCount, TooManyRequests(1));
  std::vector<int> faulted(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i)
        if (f.Take(kBot, "getMe")) ++faulted[t];
    });
  for (auto& t : threads) t.join();
  int total = 0;
  for (int n : faulted) total += n;
  EXPECT_EQ(total, kCount);
  EXPECT_TRUE(f.List().empty());
}

TEST(FaultsTest, SharedStateCarriesTheFaultsToAnotherInstance) {
  Faults a, b;
  domain::Mutation m;
  a.Set(kBot, "sendMessage", 2,
        ApiError{.code = 429, .description = "Too Many Requests:\nretry after 5", .retry_after = 5},
        &m);
  a.Set(kBot, "*", 1,
        ApiError{.code = 400, .description = "Bad Request: x", .migrate_to_chat_id = -1001}, &m);
  ASSERT_TRUE(ApplyAllShared(b, m));
  auto listed = b.List();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].method, "*");
  EXPECT_EQ(listed[0].error.migrate_to_chat_id, -1001);
  EXPECT_EQ(listed[1].method, "sendMessage");
  EXPECT_EQ(listed[1].error.description, "Too Many Requests:\nretry after 5");
  EXPECT_EQ(listed[1].error.retry_after, 5);
  EXPECT_EQ(listed[1].error.migrate_to_chat_id, std::nullopt);

  // One call taken on b: a learns that one is left, then that none is.
  m = {};
  ASSERT_TRUE(b.Take(kBot, "SENDMESSAGE", &m));
  ASSERT_TRUE(ApplyAllShared(a, m));
  EXPECT_EQ(a.List()[1].remaining, 1);
  m = {};
  ASSERT_TRUE(b.Take(kBot, "sendMessage", &m));
  ASSERT_TRUE(ApplyAllShared(a, m));
  ASSERT_EQ(a.List().size(), 1u);
  // Clearing a bot's faults clears them everywhere.
  m = {};
  EXPECT_EQ(a.Clear(kBot, &m), 1u);
  ASSERT_TRUE(ApplyAllShared(b, m));
  EXPECT_TRUE(b.List().empty());
  EXPECT_FALSE(b.Take(kBot, "getMe"));
}

TEST(FaultsTest, UnreadableSharedStateChangesNothing) {
  Faults f;
  EXPECT_FALSE(f.ApplyShared("faults/7000000001", ""));
  EXPECT_FALSE(f.ApplyShared("faults/x/getme", ""));
  EXPECT_FALSE(f.ApplyShared("faults/7000000001/getme", "1 429 0 0 0 0"));
  EXPECT_FALSE(f.ApplyShared("faults/7000000001/getme", "0 429 0 0 0 0\ngetMe\nx"));
  EXPECT_FALSE(f.ApplyShared("faults/7000000001/getme", "1 429 0 0 0\ngetMe\nx"));
  EXPECT_TRUE(f.List().empty());
}

}  // namespace
}  // namespace tgi::botapi
