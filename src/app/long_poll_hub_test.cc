#include "app/long_poll_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <vector>

namespace tgi::app {
namespace {

using Wake = LongPollHub::Wake;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr UserId kBot{7000000001};
constexpr UserId kOther{7000000002};

LongPollHub::Window Far() {
  auto now = steady_clock::now();
  return {.since = now, .deadline = now + std::chrono::hours(1)};
}

TEST(LongPollHubTest, NotifyWakesTheWaiterOfThatBotOnly) {
  LongPollHub hub;
  std::promise<Wake> mine, other;
  hub.Wait(kBot, hub.Seq(kBot), Far(), [&](Wake w) { mine.set_value(w); });
  hub.Wait(kOther, hub.Seq(kOther), Far(), [&](Wake w) { other.set_value(w); });
  hub.Notify({kBot});
  EXPECT_EQ(mine.get_future().get(), Wake::kUpdates);
  auto f = other.get_future();
  EXPECT_EQ(f.wait_for(milliseconds(50)), std::future_status::timeout);
  hub.Stop();
  EXPECT_EQ(f.get(), Wake::kStopping);
}

TEST(LongPollHubTest, ANotifyBeforeTheWaitIsNotLost) {
  LongPollHub hub;
  uint64_t seen = hub.Seq(kBot);
  hub.Notify({kBot});  // between reading the queue and parking
  std::promise<Wake> woke;
  hub.Wait(kBot, seen, Far(), [&](Wake w) { woke.set_value(w); });
  EXPECT_EQ(woke.get_future().get(), Wake::kUpdates);
}

TEST(LongPollHubTest, TimesOut) {
  LongPollHub hub;
  std::promise<Wake> woke;
  auto start = steady_clock::now();
  hub.Wait(kBot, hub.Seq(kBot), {.since = start, .deadline = start + milliseconds(100)},
           [&](Wake w) { woke.set_value(w); });
  EXPECT_EQ(woke.get_future().get(), Wake::kTimeout);
  EXPECT_GE(steady_clock::now() - start, milliseconds(100));
}

TEST(LongPollHubTest, ASecondWaitEndsTheFirst) {
  LongPollHub hub;
  std::promise<Wake> first, second;
  hub.Wait(kBot, hub.Seq(kBot), Far(), [&](Wake w) { first.set_value(w); });
  hub.Wait(kBot, hub.Seq(kBot), Far(), [&](Wake w) { second.set_value(w); });
  EXPECT_EQ(first.get_future().get(), Wake::kReplaced);
  hub.Cancel(kBot, Wake::kWebhookSet);
  EXPECT_EQ(second.get_future().get(), Wake::kWebhookSet);
}

TEST(LongPollHubTest, ShowsTheParkedWaitersWindowUntilItIsWoken) {
  LongPollHub hub;
  EXPECT_FALSE(hub.Parked(kBot));
  auto since = steady_clock::now();
  LongPollHub::Window window{.since = since, .deadline = since + std::chrono::seconds(50)};
  std::promise<Wake> woke;
  hub.Wait(kBot, hub.Seq(kBot), window, [&](Wake w) { woke.set_value(w); });
  std::optional<LongPollHub::Window> parked = hub.Parked(kBot);
  ASSERT_TRUE(parked);
  EXPECT_EQ(parked->since, window.since);
  EXPECT_EQ(parked->deadline, window.deadline);
  EXPECT_FALSE(hub.Parked(kOther));
  hub.Notify({kBot});
  EXPECT_EQ(woke.get_future().get(), Wake::kUpdates);
  EXPECT_FALSE(hub.Parked(kBot));
}

TEST(LongPollHubTest, WaitsAfterStopEndAtOnce) {
  LongPollHub hub;
  hub.Stop();
  std::promise<Wake> woke;
  hub.Wait(kBot, hub.Seq(kBot), Far(), [&](Wake w) { woke.set_value(w); });
  EXPECT_EQ(woke.get_future().get(), Wake::kStopping);
}

TEST(LongPollHubTest, AfterRunsTheTaskAtItsTimeInOrder) {
  LongPollHub hub;
  std::mutex mu;
  std::vector<int> order;
  std::promise<void> done;
  auto start = steady_clock::now();
  hub.After(start + milliseconds(40), [&] {
    std::lock_guard lock(mu);
    order.push_back(2);
    done.set_value();
  });
  hub.After(start + milliseconds(20), [&] {
    std::lock_guard lock(mu);
    order.push_back(1);
  });
  done.get_future().get();
  EXPECT_GE(steady_clock::now() - start, milliseconds(40));  // not before its time
  std::lock_guard lock(mu);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(LongPollHubTest, StopRunsTheTasksNotYetDueAndLaterOnesAtOnce) {
  LongPollHub hub;
  bool ran = false;
  hub.After(Far().deadline, [&] { ran = true; });
  hub.Stop();
  EXPECT_TRUE(ran);
  bool late = false;
  hub.After(Far().deadline, [&] { late = true; });
  EXPECT_TRUE(late);
}

}  // namespace
}  // namespace tgi::app
