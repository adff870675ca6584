#include "domain/world.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace tgi::domain {
namespace {

constexpr UserId kBot{7000000001};
constexpr UserId kOtherBot{7000000002};
constexpr UserId kAlice{100001};
constexpr UserId kBob{100002};
constexpr ChatId kSuper{-1001000000001};
constexpr ChatId kPrivateSuper{-1001000000002};
constexpr ChatId kChannel{-1001000000003};
constexpr ChatId kGroup{-4001};
constexpr UnixTime kNow = 1767225600;

Rights InviteRights() {
  Rights r;
  r.Set(Right::kCanInviteUsers, true);
  return r;
}

class WorldTest : public ::testing::Test {
 protected:
  WorldTest()
      : world_(WorldState{}, [this] {
          // Predictable hashes; the first is all digits, which the world must skip.
          return counter_++ == 0 ? std::string("1234567890123456")
                                 : "hash" + std::to_string(1000000000000 + counter_);
        }) {
    WorldFile f;
    f.bots.push_back(
        {Bot{.id = kBot}, User{.id = kBot, .first_name = "Bot", .username = "one_bot"}});
    f.bots.push_back(
        {Bot{.id = kOtherBot}, User{.id = kOtherBot, .first_name = "Two", .username = "two_bot"}});
    f.users.push_back(User{.id = kAlice, .first_name = "Alice", .username = "alice"});
    f.users.push_back(User{.id = kBob, .first_name = "Bob"});
    auto admin = [](ChatId c, UserId u, Rights r) {
      return Member{.chat = c, .user = u, .status = MemberStatus::kAdministrator, .rights = r};
    };
    auto creator = [](ChatId c) {
      return Member{.chat = c, .user = kAlice, .status = MemberStatus::kCreator};
    };
    f.chats.push_back(
        {Chat{.id = kSuper, .type = ChatType::kSupergroup, .title = "S", .username = "demo_group"},
         {creator(kSuper), admin(kSuper, kBot, InviteRights()),
          admin(kSuper, kOtherBot, InviteRights())}});
    f.chats.push_back({Chat{.id = kPrivateSuper, .type = ChatType::kSupergroup, .title = "P"},
                       {creator(kPrivateSuper)}});
    f.chats.push_back(
        {Chat{.id = kChannel, .type = ChatType::kChannel, .title = "C", .username = "demo_channel"},
         {creator(kChannel)}});
    f.chats.push_back({Chat{.id = kGroup, .type = ChatType::kGroup, .title = "G"},
                       {creator(kGroup), admin(kGroup, kBot, InviteRights())}});
    Mutation m;
    Status st = world_.ApplyWorld(f, kNow, m);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
  }

  ChatRef Id(ChatId c) { return ChatRef{.id = c.value}; }
  ChatRef Name(const char* n) { return ChatRef{.username = n}; }

  Err ExportError(UserId bot, ChatRef ref) {
    Mutation m;
    auto r = world_.ExportPrimaryLink(bot, ref, kNow, m);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(m.empty());
    return r.ok() ? Err::kChatNotFound : r.error().kind;
  }

  void SetMember(ChatId c, UserId u, MemberStatus s, Rights r = {}) {
    Mutation m;
    ASSERT_TRUE(
        world_.PutMember(Member{.chat = c, .user = u, .status = s, .rights = r}, kNow, m).ok());
  }

  int counter_ = 0;
  World world_;
};

TEST_F(WorldTest, ExportMakesAPrimaryLinkAndRevokesThePreviousOne) {
  Mutation m1;
  auto first = world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m1);
  ASSERT_TRUE(first.ok());
  EXPECT_NE(*first, "1234567890123456") << "an all-digit hash must never be used";
  EXPECT_EQ(m1.ops.size(), 1u);
  Mutation m2;
  auto second = world_.ExportPrimaryLink(kBot, Name("demo_group"), kNow, m2);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*first, *second);
  ASSERT_EQ(m2.ops.size(), 2u);  // the revocation, then the new link
  EXPECT_TRUE(std::get<InviteLink>(m2.ops[0]).is_revoked);
  EXPECT_TRUE(world_.FindLink(*first)->is_revoked);
  EXPECT_FALSE(world_.FindLink(*second)->is_revoked);
  EXPECT_TRUE(world_.FindLink(*second)->is_primary);
}

TEST_F(WorldTest, ExportLeavesOtherAdministratorsLinksAlone) {
  Mutation m;
  auto other = world_.ExportPrimaryLink(kOtherBot, Id(kSuper), kNow, m);
  auto mine = world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  auto mine2 = world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  ASSERT_TRUE(other.ok() && mine.ok() && mine2.ok());
  EXPECT_FALSE(world_.FindLink(*other)->is_revoked);
  EXPECT_TRUE(world_.FindLink(*mine)->is_revoked);
}

TEST_F(WorldTest, ExportRefusesWhatTheSpecRefuses) {
  EXPECT_EQ(ExportError(kBot, Id(ChatId(-1009999999999))), Err::kChatNotFound);
  EXPECT_EQ(ExportError(kBot, Name("nobody_here")), Err::kChatNotFound);
  EXPECT_EQ(ExportError(kBot, Name("alice")), Err::kChatNotFound);  // a person, not a bot
  EXPECT_EQ(ExportError(kBot, Name("two_bot")), Err::kPrivateChatNoInvite);
  EXPECT_EQ(ExportError(kBot, ChatRef{.id = kAlice.value}), Err::kPrivateChatNoInvite);
  EXPECT_EQ(ExportError(kBot, ChatRef{.id = 999}), Err::kChatNotFound);
  EXPECT_EQ(ExportError(kBot, Id(kPrivateSuper)), Err::kChatNotFound);  // never been in it
  EXPECT_EQ(ExportError(kBot, Id(kChannel)), Err::kBotNotMember);       // public, not in it
}

TEST_F(WorldTest, ExportChecksTheBotsStatusAndRights) {
  SetMember(kSuper, kBot, MemberStatus::kMember);
  EXPECT_EQ(ExportError(kBot, Id(kSuper)), Err::kNotEnoughRightsInviteLink);
  SetMember(kSuper, kBot, MemberStatus::kAdministrator);
  EXPECT_EQ(ExportError(kBot, Id(kSuper)), Err::kNotEnoughRightsInviteLink);
  SetMember(kSuper, kBot, MemberStatus::kKicked);
  EXPECT_EQ(ExportError(kBot, Id(kSuper)), Err::kBotKicked);
  SetMember(kSuper, kBot, MemberStatus::kLeft);
  EXPECT_EQ(ExportError(kBot, Id(kSuper)), Err::kBotNotMember);
  SetMember(kGroup, kBot, MemberStatus::kLeft);
  Mutation m;
  auto r = world_.ExportPrimaryLink(kBot, Id(kGroup), kNow, m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Err::kBotNotMember);
  EXPECT_EQ(r.error().chat_type, ChatType::kGroup);
}

TEST_F(WorldTest, LosingTheRightRevokesThePrimaryLink) {
  Mutation m;
  auto link = world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  ASSERT_TRUE(link.ok());
  SetMember(kSuper, kBot, MemberStatus::kAdministrator);
  EXPECT_TRUE(world_.FindLink(*link)->is_revoked);
}

TEST_F(WorldTest, UpgradedGroupAnswersWithTheNewId) {
  Mutation m;
  auto old_link = world_.ExportPrimaryLink(kBot, Id(kGroup), kNow, m);
  ASSERT_TRUE(old_link.ok());
  auto target = world_.Upgrade(kGroup, std::nullopt, kNow, m);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->value, -1000000004001);
  auto r = world_.ExportPrimaryLink(kBot, Id(kGroup), kNow, m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Err::kGroupUpgraded);
  EXPECT_EQ(r.error().migrate_to, *target);
  EXPECT_TRUE(world_.ExportPrimaryLink(kBot, Id(*target), kNow, m).ok());
  auto join = world_.JoinByLink(kBob, *old_link, kNow, m);
  ASSERT_FALSE(join.ok());
  EXPECT_EQ(join.error().kind, Err::kInviteHashExpired);
  // Reading the old group still works.
  EXPECT_TRUE(world_.GetChat(kBot, Id(kGroup), kNow, m).ok());
}

TEST_F(WorldTest, GetChatMakesThePrimaryLinkOnDemandAndKeepsIt) {
  Mutation m;
  auto view = world_.GetChat(kBot, Id(kSuper), kNow, m);
  ASSERT_TRUE(view.ok());
  ASSERT_FALSE(view->invite_link_hash.empty());
  EXPECT_EQ(m.ops.size(), 1u);
  Mutation again;
  auto view2 = world_.GetChat(kBot, Id(kSuper), kNow, again);
  EXPECT_EQ(view2->invite_link_hash, view->invite_link_hash);
  EXPECT_TRUE(again.empty());
  // Readable public channel, but no link for a bot that is not an administrator there.
  auto channel = world_.GetChat(kBot, Name("demo_channel"), kNow, again);
  ASSERT_TRUE(channel.ok());
  EXPECT_TRUE(channel->invite_link_hash.empty());
}

TEST_F(WorldTest, JoinsThroughActiveLinksOnly) {
  Mutation m;
  auto old_link = *world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  auto new_link = *world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  EXPECT_EQ(world_.JoinByLink(kBob, old_link, kNow, m).error().kind, Err::kInviteHashExpired);
  EXPECT_EQ(world_.JoinByLink(kBob, "nosuchhash", kNow, m).error().kind, Err::kInviteHashExpired);
  std::string lower = new_link;
  for (char& c : lower) c = static_cast<char>(tolower(c));
  if (lower != new_link) {
    EXPECT_EQ(world_.JoinByLink(kBob, lower, kNow, m).error().kind, Err::kInviteHashExpired);
  }
  auto join = world_.JoinByLink(kBob, new_link, kNow + 5, m);
  ASSERT_TRUE(join.ok());
  EXPECT_FALSE(join->pending);
  EXPECT_EQ(join->join.date, kNow + 5);
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kMember);
  EXPECT_EQ(world_.JoinByLink(kBob, new_link, kNow, m).error().kind, Err::kUserAlreadyParticipant);
  auto links = world_.ListLinks(kSuper);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[1].joins.size(), 1u);
  EXPECT_EQ(world_.JoinByLink(UserId(5), new_link, kNow, m).error().kind, Err::kUserNotFound);
}

TEST_F(WorldTest, KickedUsersCannotJoin) {
  Mutation m;
  auto link = *world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, m);
  SetMember(kSuper, kBob, MemberStatus::kKicked);
  EXPECT_EQ(world_.JoinByLink(kBob, link, kNow, m).error().kind, Err::kBannedFromChat);
}

TEST_F(WorldTest, ApplyingTheSameWorldTwiceChangesNothing) {
  WorldState before = world_.SnapshotForTesting();
  WorldFile f;
  f.users.push_back(User{.id = kAlice, .first_name = "Alice", .username = "alice"});
  f.chats.push_back({Chat{.id = kGroup, .type = ChatType::kGroup, .title = "G"},
                     {Member{.chat = kGroup, .user = kAlice, .status = MemberStatus::kCreator}}});
  Mutation m;
  ASSERT_TRUE(world_.ApplyWorld(f, kNow + 100, m).ok());
  EXPECT_TRUE(m.empty());
}

TEST_F(WorldTest, PutsCompareWholeRecords) {
  Bot bot{.id = kBot};
  User bot_user{.id = kBot, .first_name = "Bot", .username = "one_bot"};
  Mutation m;
  ASSERT_TRUE(world_.PutBot(bot, bot_user, m).ok());
  EXPECT_TRUE(m.empty());
  // Any field of the bot counts, e.g. the last getMe flag.
  bot.can_manage_bots = true;
  ASSERT_TRUE(world_.PutBot(bot, bot_user, m).ok());
  EXPECT_EQ(m.ops.size(), 1u);
  EXPECT_TRUE(world_.FindBot(kBot)->can_manage_bots);
  // A logged-out bot put again as it was is logged in again.
  Mutation out;
  world_.LogOut(kBot, out);
  Mutation again;
  ASSERT_TRUE(world_.PutBot(bot, bot_user, again).ok());
  EXPECT_EQ(again.ops.size(), 1u);
  EXPECT_FALSE(world_.FindBot(kBot)->logged_out);

  Mutation user;
  ASSERT_TRUE(world_.PutUser(User{.id = kBob, .first_name = "Bob"}, user).ok());
  EXPECT_TRUE(user.empty());
  ASSERT_TRUE(world_.PutUser(User{.id = kBob, .first_name = "Bob", .is_premium = true}, user).ok());
  EXPECT_EQ(user.ops.size(), 1u);

  // A chat keeps its creation time and migration, which a PUT does not carry.
  Mutation chat;
  Chat g{.id = kGroup, .type = ChatType::kGroup, .title = "G", .created = kNow + 5};
  ASSERT_TRUE(world_.PutChat(g, chat).ok());
  EXPECT_TRUE(chat.empty());
  g.description = "about";
  ASSERT_TRUE(world_.PutChat(g, chat).ok());
  EXPECT_EQ(chat.ops.size(), 1u);
}

TEST_F(WorldTest, ABadWorldIsRefusedWholeWithItsPath) {
  WorldFile f;
  f.users.push_back(User{.id = UserId(100009), .first_name = "New"});
  f.chats.push_back({Chat{.id = kGroup, .type = ChatType::kGroup, .title = "G"},
                     {Member{.chat = kGroup, .user = UserId(424242)}}});
  Mutation m;
  Status st = world_.ApplyWorld(f, kNow, m);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "$.chats[0].members[0]: unknown user_id 424242");
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(world_.FindUser(UserId(100009)), nullptr);
}

TEST_F(WorldTest, WorldRulesAreChecked) {
  Mutation m;
  EXPECT_FALSE(
      world_.PutChat(Chat{.id = ChatId(-1001), .type = ChatType::kSupergroup, .title = "x"}, m)
          .ok());
  EXPECT_FALSE(
      world_
          .PutChat(
              Chat{
                  .id = ChatId(-5), .type = ChatType::kGroup, .title = "x", .username = "grp_name"},
              m)
          .ok());
  EXPECT_FALSE(
      world_
          .PutMember(Member{.chat = kChannel, .user = kBot, .status = MemberStatus::kMember}, kNow,
                     m)
          .ok());
  EXPECT_FALSE(
      world_
          .PutMember(Member{.chat = kSuper, .user = kBob, .status = MemberStatus::kCreator}, kNow,
                     m)
          .ok());
  EXPECT_FALSE(
      world_.PutBot(Bot{.id = kAlice}, User{.first_name = "x", .username = "x_bot"}, m).ok());
  EXPECT_FALSE(world_
                   .PutBot(Bot{.id = UserId(7000000009)},
                           User{.first_name = "x", .username = "not_a_bat"}, m)
                   .ok());
}

TEST_F(WorldTest, MembersAndAdministratorsAreListed) {
  auto admins = world_.GetChatAdministrators(kBot, Id(kSuper), AdminBots::kCallerOnly);
  ASSERT_TRUE(admins.ok());
  ASSERT_EQ(admins->size(), 2u);  // the creator and the calling bot; the other bot is left out
  EXPECT_EQ((*admins)[0].member.status, MemberStatus::kCreator);
  EXPECT_EQ(world_.GetChatAdministrators(kBot, Id(kSuper), AdminBots::kAll)->size(), 3u);
  EXPECT_EQ(*world_.GetChatMemberCount(kBot, Id(kSuper)), 3);
  auto bob = world_.GetChatMember(kBot, Id(kSuper), kBob, 0);
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->member.status, MemberStatus::kLeft);
  EXPECT_EQ(world_.GetChatMember(kBot, Id(kSuper), UserId(55), 0).error().kind, Err::kUserNotFound);
  EXPECT_EQ(world_.GetChatAdministrators(kBot, ChatRef{.id = kAlice.value}, AdminBots::kCallerOnly)
                .error()
                .kind,
            Err::kNoAdministratorsInPrivate);
}

TEST_F(WorldTest, CloseIsRefusedForTenMinutesAfterLaunch) {
  world_.NoteRequest(kBot, kNow);
  world_.NoteRequest(kBot, kNow + 100);  // only the first request counts
  EXPECT_EQ(world_.CloseRetryAfter(kBot, kNow + 100), 500);
  EXPECT_EQ(world_.CloseRetryAfter(kBot, kNow + 600), 0);
}

}  // namespace
}  // namespace tgi::domain

namespace tgi::domain {
namespace {

template <class T, class Id>
std::string Ids(const std::vector<const T*>& page, Id id) {
  std::string out;
  for (const T* r : page) {
    if (!out.empty()) out += ' ';
    out += std::to_string(id(*r));
  }
  return out;
}

// The control plane's listings (GET /control/v1/bots, /users, /chats, /chats/{id}/members).
TEST_F(WorldTest, ListingsPageByAscendingIdAfterAGivenOne) {
  auto bot_id = [](const Bot& b) { return b.id.value; };
  auto user_id = [](const User& u) { return u.id.value; };
  auto chat_id = [](const Chat& c) { return c.id.value; };
  auto member_id = [](const Member& m) { return m.user.value; };
  constexpr int64_t kStart = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(Ids(world_.BotsAfter(kStart, 10), bot_id), "7000000001 7000000002");
  EXPECT_EQ(Ids(world_.BotsAfter(kBot.value, 10), bot_id), "7000000002");
  EXPECT_EQ(Ids(world_.UsersAfter(kStart, 10), user_id), "100001 100002");  // bots are not users
  EXPECT_EQ(Ids(world_.ChatsAfter(kStart, 10), chat_id),
            "-1001000000003 -1001000000002 -1001000000001 -4001");
  EXPECT_EQ(Ids(world_.ChatsAfter(kStart, 2), chat_id), "-1001000000003 -1001000000002");
  EXPECT_EQ(Ids(world_.ChatsAfter(kPrivateSuper.value, 2), chat_id), "-1001000000001 -4001");
  EXPECT_EQ(Ids(world_.ChatsAfter(kGroup.value, 2), chat_id), "");
  EXPECT_EQ(Ids(world_.MembersAfter(kSuper, kStart, 10), member_id),
            "100001 7000000001 7000000002");
  EXPECT_EQ(Ids(world_.MembersAfter(kSuper, kAlice.value, 1), member_id), "7000000001");
  EXPECT_EQ(Ids(world_.MembersAfter(ChatId(-1009), kStart, 10), member_id), "");
}

}  // namespace
}  // namespace tgi::domain
