// World::Replay: a replica that applies another World's committed mutations ends up answering
// as that World does, and as one loaded from a store holding the same records.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr UserId kBot{7000000001};
constexpr UserId kAlice{100001};
constexpr UserId kBob{100002};
constexpr UserId kCarol{100003};
constexpr ChatId kSuper{-1001000000001};
constexpr UnixTime kNow = 1767225600;

std::string Encoder(const World&, const UpdateEvent& e, UserId receiver, int64_t id) {
  return "{\"update_id\":" + std::to_string(id) + ",\"to\":" + std::to_string(receiver.value) +
         ",\"kind\":" + std::to_string(e.index()) + "}";
}

// The primary World, whose every mutation is kept to be replayed.
class WorldReplayTest : public ::testing::Test {
 protected:
  WorldReplayTest()
      : primary_(WorldState{},
                 [this] { return "hash" + std::to_string(1000000000000 + ++hashes_); }) {
    primary_.SetUpdateEncoder(Encoder);
    WorldFile f;
    f.bots.push_back(
        {Bot{.id = kBot}, User{.id = kBot, .first_name = "Bot", .username = "one_bot"}});
    for (UserId u : {kAlice, kBob, kCarol})
      f.users.push_back(User{.id = u, .first_name = "U" + std::to_string(u.value)});
    Rights rights;
    rights.Set(Right::kCanInviteUsers, true);
    rights.Set(Right::kCanRestrictMembers, true);
    rights.Set(Right::kCanPinMessages, true);
    f.chats.push_back(
        {Chat{.id = kSuper, .type = ChatType::kSupergroup, .title = "S", .username = "demo"},
         {Member{.chat = kSuper, .user = kAlice, .status = MemberStatus::kCreator},
          Member{.chat = kSuper,
                 .user = kBot,
                 .status = MemberStatus::kAdministrator,
                 .rights = rights}}});
    Keep([&](Mutation& m) { EXPECT_TRUE(primary_.ApplyWorld(f, kNow, m).ok()); });
  }

  // Runs `step` on the primary and keeps what it changed.
  template <typename Step>
  void Keep(Step step) {
    Mutation m;
    step(m);
    log_.push_back(std::move(m));
  }

  // A World that starts empty and replays the whole log.
  World Replica() {
    World w(WorldState{}, [] { return std::string("replica-never-makes-a-hash"); });
    w.SetUpdateEncoder(Encoder);
    for (const Mutation& m : log_) w.Replay(m);
    return w;
  }

  static std::string Dump(const WorldState& s) {
    std::string out;
    auto add = [&out](const auto& records) { out += std::to_string(records.size()) + ";"; };
    add(s.bots), add(s.users), add(s.chats), add(s.members), add(s.links), add(s.joins);
    add(s.join_requests), add(s.bot_settings), add(s.updates), add(s.messages);
    add(s.private_chats), add(s.callback_queries), add(s.bot_profile), add(s.sender_chat_bans);
    for (const auto& m : s.members)
      out += "m" + std::to_string(m.user.value) + MemberStatusName(m.status) + m.joined_via + ";";
    for (const auto& l : s.links)
      out += "l" + l.hash + (l.is_revoked ? "r" : "") + std::to_string(l.member_limit) + ";";
    for (const auto& u : s.updates) out += "u" + std::to_string(u.id) + u.json.str() + ";";
    for (const auto& m : s.messages) out += "msg" + std::to_string(m.id) + m.text.text + ";";
    for (const auto& r : s.join_requests) out += "jr" + std::string(JoinRequestStateName(r.state));
    out += "clock" + std::to_string(s.clock.offset);
    return out;
  }

  int hashes_ = 0;
  World primary_;
  std::vector<Mutation> log_;
};

TEST_F(WorldReplayTest, AReplicaOfEveryKindOfChangeAnswersAsThePrimary) {
  ChatRef super{.id = kSuper.value};
  std::string limited;
  Keep([&](Mutation& m) { ASSERT_TRUE(primary_.ExportPrimaryLink(kBot, super, kNow, m).ok()); });
  Keep([&](Mutation& m) { ASSERT_TRUE(primary_.ExportPrimaryLink(kBot, super, kNow, m).ok()); });
  Keep([&](Mutation& m) {
    auto l = primary_.CreateLink(kBot, super, LinkSpec{.name = "two", .member_limit = 2}, kNow, m);
    ASSERT_TRUE(l.ok());
    limited = l->hash;
  });
  std::string requests;
  Keep([&](Mutation& m) {
    auto l = primary_.CreateLink(kBot, super, LinkSpec{.creates_join_request = true}, kNow, m);
    ASSERT_TRUE(l.ok());
    requests = l->hash;
  });
  Keep([&](Mutation& m) { ASSERT_TRUE(primary_.JoinByLink(kBob, limited, kNow, m).ok()); });
  Keep([&](Mutation& m) { ASSERT_TRUE(primary_.JoinByLink(kCarol, requests, kNow, m).ok()); });
  Keep([&](Mutation& m) {
    ASSERT_TRUE(
        primary_.DecideJoinRequest(kBot, super, kCarol, JoinDecision::kApprove, kNow, m).ok());
  });
  Keep([&](Mutation& m) {
    auto target = primary_.ResolveMessageChat(kBot, super, MessageAccess::kWrite);
    ASSERT_TRUE(target.ok());
    NewMessage hello;
    hello.text.text = "hello";
    primary_.SendBotMessage(kBot, *target, hello, kNow, m);
  });
  Keep([&](Mutation& m) {
    ASSERT_TRUE(primary_.SendUserMessage(kBob, kSuper, {.text = "hi"}, 0, kNow, m).ok());
  });
  Keep([&](Mutation& m) { primary_.SetProfile(kBot, "name", "A bot", m); });
  Keep([&](Mutation& m) { ASSERT_TRUE(primary_.AdvanceClock(30, m).ok()); });
  Keep([&](Mutation& m) { ASSERT_TRUE(primary_.Leave(kSuper, kBob, kNow + 30, m).ok()); });
  Keep([&](Mutation& m) { primary_.GetUpdates(kBot, UpdatesQuery{.offset = 3}, kNow + 30, m); });

  World replica = Replica();
  const std::string want = Dump(primary_.SnapshotForTesting());
  EXPECT_EQ(Dump(replica.SnapshotForTesting()), want);
  // And as a World loaded from those records.
  World loaded(primary_.SnapshotForTesting(), [] { return std::string("x"); });
  EXPECT_EQ(Dump(loaded.SnapshotForTesting()), want);

  // What is derived, not stored: members per link (Bob left: 0 of 2), the active primary link,
  // the next message id and the next update id all agree.
  EXPECT_EQ(replica.LinkMemberCount(limited), primary_.LinkMemberCount(limited));
  EXPECT_EQ(replica.LinkMemberCount(limited), 0);
  EXPECT_EQ(replica.LinkMemberCount(requests), 1);  // Carol, approved
  Mutation on_primary, on_replica;
  auto p = primary_.JoinByLink(kBob, limited, kNow + 31, on_primary);
  auto r = replica.JoinByLink(kBob, limited, kNow + 31, on_replica);
  ASSERT_TRUE(p.ok() && r.ok());
  EXPECT_EQ(Dump(replica.SnapshotForTesting()), Dump(primary_.SnapshotForTesting()));
  EXPECT_EQ(on_replica.ops.size(), on_primary.ops.size());
}

TEST_F(WorldReplayTest, AReplicaRefusesWhatThePrimaryRefusesAtAMemberLimit) {
  std::string limited;
  Keep([&](Mutation& m) {
    auto l = primary_.CreateLink(kBot, ChatRef{.id = kSuper.value}, LinkSpec{.member_limit = 1},
                                 kNow, m);
    ASSERT_TRUE(l.ok());
    limited = l->hash;
  });
  Keep([&](Mutation& m) { ASSERT_TRUE(primary_.JoinByLink(kBob, limited, kNow, m).ok()); });
  World replica = Replica();
  Mutation m;
  auto joined = replica.JoinByLink(kCarol, limited, kNow, m);
  ASSERT_FALSE(joined.ok());
  EXPECT_TRUE(m.empty());
}

// Cluster mode: a webhook's delivery error, made where the webhook is delivered, is shared
// (SharedEntry) and seen on a replica; a new URL, or none, clears it on both.
TEST_F(WorldReplayTest, AWebhookErrorIsSharedAndClearedWithItsWebhook) {
  primary_.SetSharesState(true);
  BotUpdateSettings hook{.webhook_url = "https://example.com/a"};
  Keep([&](Mutation& m) { ASSERT_TRUE(primary_.SetWebhook(kBot, hook, QueuedUpdates::kKeep, m)); });
  Mutation error;
  primary_.SetWebhookError(kBot, kNow + 5, "Connection refused", error);
  ASSERT_EQ(error.shared.size(), 1u);
  EXPECT_EQ(error.shared[0].key, "webhook/7000000001");
  World replica = Replica();
  EXPECT_EQ(replica.WebhookStatusOf(kBot).last_error_date, 0);
  ASSERT_TRUE(replica.ApplyShared(error.shared[0].key, error.shared[0].value));
  EXPECT_EQ(replica.WebhookStatusOf(kBot).last_error_date, kNow + 5);
  EXPECT_EQ(replica.WebhookStatusOf(kBot).last_error_message, "Connection refused");

  // Another URL on the primary: the error goes there, is shared as cleared, and the replica,
  // replaying the new settings, drops it too.
  Mutation moved;
  hook.webhook_url = "https://example.com/b";
  ASSERT_TRUE(primary_.SetWebhook(kBot, hook, QueuedUpdates::kKeep, moved));
  EXPECT_EQ(primary_.WebhookStatusOf(kBot).last_error_date, 0);
  ASSERT_EQ(moved.shared.size(), 1u);
  EXPECT_EQ(moved.shared[0].value, "");
  replica.Replay(moved);
  EXPECT_EQ(replica.WebhookStatusOf(kBot).last_error_date, 0);

  // What cannot be read changes nothing; an error for a bot without a webhook is dropped.
  EXPECT_FALSE(replica.ApplyShared("webhook/x", "1\nm"));
  EXPECT_FALSE(replica.ApplyShared("webhook/7000000001", "1"));
  EXPECT_FALSE(replica.ApplyShared("webhook/7000000001", "0\nm"));
  EXPECT_FALSE(replica.ApplyShared("webhook/7000000001/2", "1\nm"));
  EXPECT_FALSE(replica.ApplyShared("webhook/", "1\nm"));
  EXPECT_FALSE(replica.ApplyShared("webhook/7000000001", "1 2\nm"));
  EXPECT_FALSE(replica.ApplyShared("webhook/7000000001", "\nm"));
  EXPECT_FALSE(replica.ApplyShared("webhook/7000000001", "-5\nm"));
  EXPECT_FALSE(replica.ApplyShared("guards/7000000001", "1\nm"));
  Mutation gone;
  ASSERT_TRUE(primary_.DeleteWebhook(kBot, QueuedUpdates::kKeep, gone));
  replica.Replay(gone);
  EXPECT_TRUE(replica.ApplyShared("webhook/7000000001", "7\nlate"));
  EXPECT_EQ(replica.WebhookStatusOf(kBot).last_error_date, 0);
}

}  // namespace
}  // namespace tgi::domain
