#include "app/event_hub.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace tgi::app {
namespace {

Event Ev(std::string kind) { return Event{kind, "{\"kind\":\"" + kind + "\"}"}; }
const Event kReady = Ev("ready");
const Event kStop = Ev("stop");

// The kinds of one Pull's batch ("" for an end), or nullopt while the Pull still waits.
class Reader {
 public:
  explicit Reader(std::shared_ptr<EventSubscription> s) : s_(std::move(s)) {}
  void Pull() {
    got_.reset();
    s_->Pull([this](std::vector<Event> batch) {
      std::string kinds;
      for (const Event& e : batch) kinds += (kinds.empty() ? "" : ",") + e.kind;
      got_ = kinds;
    });
  }
  std::optional<std::string> got() const { return got_; }
  std::string Next() {
    Pull();
    return got_.value_or("(waiting)");
  }

 private:
  std::shared_ptr<EventSubscription> s_;
  std::optional<std::string> got_;
};

TEST(EventHubTest, NoSubscriberNoWork) {
  EventHub hub(8);
  EXPECT_FALSE(hub.HasSubscribers());
  auto s = hub.Subscribe(kReady);
  EXPECT_TRUE(hub.HasSubscribers());
  hub.Unsubscribe(s);
  EXPECT_FALSE(hub.HasSubscribers());
  hub.Publish({Ev("member")});  // nobody: nothing to do, nothing kept
  EXPECT_EQ(hub.stats().subscribers, 0u);
}

TEST(EventHubTest, DeliversInOrderBatchedAndWakesAWaitingPull) {
  EventHub hub(8);
  Reader r(hub.Subscribe(kReady));
  EXPECT_EQ(r.Next(), "ready");
  r.Pull();
  EXPECT_FALSE(r.got().has_value());  // nothing queued: it waits
  hub.Publish({Ev("member"), Ev("join")});
  EXPECT_EQ(r.got(), "member,join");
  hub.Publish({Ev("update")});
  hub.Publish({Ev("message")});
  EXPECT_EQ(r.Next(), "update,message");
}

TEST(EventHubTest, AFullQueueDropsOnlyThatSubscriberWithAFinalEvent) {
  EventHub hub(4);
  auto slow = hub.Subscribe(kReady);  // never pulls: "ready" stays queued
  Reader fast(hub.Subscribe(kReady));
  EXPECT_EQ(fast.Next(), "ready");
  hub.Publish({Ev("a"), Ev("b")});  // slow: 3 queued
  EXPECT_EQ(fast.Next(), "a,b");
  hub.Publish({Ev("c")});  // slow: 4, the limit
  EXPECT_EQ(hub.stats().dropped, 0u);
  hub.Publish({Ev("d")});  // slow would hold 5: dropped
  EXPECT_EQ(hub.stats().dropped, 1u);
  EXPECT_EQ(hub.stats().subscribers, 1u);
  EXPECT_EQ(fast.Next(), "c,d");
  // The dropped one gets no queued event (they were freed), its final event, then the end.
  Reader late(slow);
  EXPECT_EQ(late.Next(), "dropped");
  EXPECT_EQ(late.Next(), "");
  EXPECT_EQ(late.Next(), "");
  hub.Publish({Ev("e")});
  EXPECT_EQ(fast.Next(), "e");
}

TEST(EventHubTest, StopEndsEveryStreamAfterWhatIsQueued) {
  EventHub hub(8);
  Reader waiting(hub.Subscribe(kReady));
  EXPECT_EQ(waiting.Next(), "ready");
  waiting.Pull();
  Reader behind(hub.Subscribe(kReady));
  hub.Publish({Ev("member")});
  EXPECT_EQ(waiting.got(), "member");
  waiting.Pull();
  hub.Stop(kStop);
  EXPECT_EQ(waiting.got(), "stop");
  EXPECT_EQ(waiting.Next(), "");
  EXPECT_EQ(behind.Next(), "ready,member");
  EXPECT_EQ(behind.Next(), "stop");
  EXPECT_EQ(behind.Next(), "");
  EXPECT_EQ(hub.Subscribe(kReady), nullptr);
  EXPECT_FALSE(hub.HasSubscribers());
}

TEST(EventHubTest, ACancelledPullIsNeverCalled) {
  EventHub hub(8);
  auto s = hub.Subscribe(kReady);
  Reader r(s);
  EXPECT_EQ(r.Next(), "ready");
  r.Pull();
  hub.Unsubscribe(s);
  hub.Publish({Ev("member")});
  EXPECT_FALSE(r.got().has_value());
}

domain::Mutation Change(std::vector<domain::Op> ops) { return domain::Mutation{std::move(ops)}; }

// Cluster mode: each change of the counts calls the hook; another hub takes the shared entry in
// and counts both.
TEST(EventHubTest, StatsAreSharedWithTheOtherInstances) {
  EventHub a(1), b(4);
  int changes = 0;
  a.SetStatsHook([&changes] { ++changes; });
  auto one = a.Subscribe(kReady);
  auto two = a.Subscribe(kReady);
  EXPECT_EQ(changes, 2);
  a.Publish({Ev("x")});  // both hold 2 > 1: dropped
  EXPECT_EQ(changes, 3);
  a.Publish({Ev("y")});  // no subscriber: nothing changed
  EXPECT_EQ(changes, 3);
  auto three = a.Subscribe(kReady);
  EXPECT_EQ(changes, 4);
  domain::SharedEntry e = a.SharedStats("i1");
  EXPECT_EQ(e.key, "events/i1");
  EXPECT_EQ(e.value, "1 2");

  auto own = b.Subscribe(kReady);
  ASSERT_TRUE(b.ApplyShared(e.key, e.value));
  EXPECT_EQ(b.stats(), (EventHub::Stats{.subscribers = 1, .dropped = 0}));
  EXPECT_EQ(b.ClusterStats(), (EventHub::Stats{.subscribers = 2, .dropped = 2}));
  ASSERT_TRUE(b.ApplyShared("events/i1", ""));
  EXPECT_EQ(b.ClusterStats(), b.stats());
  EXPECT_FALSE(b.ApplyShared("events/", "1 1"));
  EXPECT_FALSE(b.ApplyShared("events/i2", "1"));
  EXPECT_FALSE(b.ApplyShared("events/i2", "1 x"));
  EXPECT_FALSE(b.ApplyShared("events/i2", "1 2 3"));
  EXPECT_FALSE(b.ApplyShared("events/i2", "1  2"));
  EXPECT_FALSE(b.ApplyShared("events/i2", "-1 2"));
  EXPECT_FALSE(b.ApplyShared("events/i2", " 1"));
  EXPECT_FALSE(b.ApplyShared("guards/1", "1 1"));
  EXPECT_EQ(b.ClusterStats(), b.stats());
  // Counts are unsigned: the largest is read.
  ASSERT_TRUE(b.ApplyShared("events/i3", "0 18446744073709551615"));
  EXPECT_EQ(b.ClusterStats().dropped, 18446744073709551615u);
  ASSERT_TRUE(b.ApplyShared("events/i3", ""));
  a.Unsubscribe(three);
  EXPECT_EQ(changes, 5);
}

TEST(EventsOfTest, OneSmallEventPerRecordWithIds) {
  domain::Member member{.chat = ChatId(-1001), .user = UserId(7)};
  domain::Update update{.bot = UserId(70), .id = 3, .type = domain::UpdateType::kChatMember};
  domain::Message message{.chat = ChatId(-1001), .id = 12};
  domain::Message private_message{.chat = ChatId(7), .bot = UserId(70), .id = 4};
  std::vector<Event> events =
      EventsOf(Change({member, member, update, message, private_message,
                       domain::InviteLink{.chat = ChatId(-1001), .creator = UserId(70)}}));
  std::string all;
  for (const Event& e : events) all += e.json + "\n";
  EXPECT_EQ(all,
            "{\"kind\":\"member\",\"chat_id\":-1001,\"user_id\":7}\n"
            "{\"kind\":\"update\",\"bot_id\":70,\"update_id\":3,\"type\":\"chat_member\"}\n"
            "{\"kind\":\"message\",\"chat_id\":-1001,\"message_id\":12}\n"
            "{\"kind\":\"message\",\"chat_id\":7,\"bot_id\":70,\"message_id\":4}\n"
            "{\"kind\":\"invite_link\",\"chat_id\":-1001,\"creator_id\":70}\n");
  EXPECT_EQ(events[0].kind, "member");
}

TEST(EventsOfTest, AHugeChangeIsOneWorldEvent) {
  std::vector<domain::Op> ops;
  for (int i = 0; i <= static_cast<int>(kEventsPerChangeLimit); ++i)
    ops.push_back(domain::User{.id = UserId(i + 1)});
  std::vector<Event> events = EventsOf(Change(ops));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].json, "{\"kind\":\"world\"}");
  ops.pop_back();
  EXPECT_EQ(EventsOf(Change(ops)).size(), kEventsPerChangeLimit);
}

}  // namespace
}  // namespace tgi::app
