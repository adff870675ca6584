// The service messages about members on the World alone (spec bot-api-moderation.md 9): which
// change posts which message, its sender and users, the chat's history, and which bots receive
// it as a `message` update (9.2).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr UserId kBot{7000000001};        // administrator everywhere, with every right
constexpr UserId kMemberBot{7000000002};  // a plain member of the groups (privacy mode on)
constexpr UserId kOwner{100001};
constexpr UserId kBob{100002};
constexpr UserId kCarol{100003};
constexpr ChatId kGroup{-4001};
constexpr ChatId kSuper{-1001000000001};
constexpr ChatId kChannel{-1001000000003};
constexpr UnixTime kNow = 1767225600;

// "<chat>:<kind>:<user>,...:from=<from>" for a service message; "member:<user>" for member
// updates; "other" for the rest.
std::string TestEncoder(const World& w, const UpdateEvent& e, UserId, int64_t) {
  const auto* me = std::get_if<MessageEvent>(&e);
  if (const auto* member = std::get_if<MemberUpdateEvent>(&e))
    return "member:" + std::to_string(member->new_member.user.value);
  if (!me) return "other";
  const Message* msg = w.FindMessage(me->chat, me->bot, me->message_id);
  if (!msg) return "missing";
  static const char* const kNames[] = {"text",   "new",        "left",
                                       "pinned", "migrate_to", "migrate_from"};
  std::string s = std::to_string(me->chat.value) + ":" + kNames[static_cast<int>(msg->kind)] + ":";
  for (UserId u : msg->users) s += std::to_string(u.value) + ",";
  return s + ":from=" + std::to_string(msg->from.value);
}

class WorldServiceMessagesTest : public ::testing::Test {
 protected:
  WorldServiceMessagesTest()
      : world_(WorldState{}, [this] { return std::string("h").append(std::to_string(++n_)); }) {
    world_.SetUpdateEncoder(TestEncoder);
    WorldFile f;
    f.bots.push_back({Bot{.id = kBot}, User{.id = kBot, .first_name = "Bot", .username = "a_bot"}});
    f.bots.push_back(
        {Bot{.id = kMemberBot}, User{.id = kMemberBot, .first_name = "Two", .username = "b_bot"}});
    for (UserId u : {kOwner, kBob, kCarol}) f.users.push_back(User{.id = u, .first_name = "U"});
    Rights all;
    for (Right r : {Right::kCanManageChat, Right::kCanRestrictMembers, Right::kCanPromoteMembers,
                    Right::kCanInviteUsers, Right::kCanPostMessages, Right::kCanDeleteMessages})
      all.Set(r, true);
    auto mb = [](ChatId c, UserId u, MemberStatus s, Rights r = {}) {
      return Member{.chat = c, .user = u, .status = s, .rights = r};
    };
    for (auto [id, type] :
         {std::pair{kSuper, ChatType::kSupergroup}, std::pair{kGroup, ChatType::kGroup}}) {
      f.chats.push_back(
          {Chat{.id = id, .type = type, .title = "T"},
           {mb(id, kOwner, MemberStatus::kCreator), mb(id, kBot, MemberStatus::kAdministrator, all),
            mb(id, kMemberBot, MemberStatus::kMember), mb(id, kBob, MemberStatus::kMember)}});
    }
    f.chats.push_back({Chat{.id = kChannel, .type = ChatType::kChannel, .title = "C"},
                       {mb(kChannel, kOwner, MemberStatus::kCreator),
                        mb(kChannel, kBot, MemberStatus::kAdministrator, all),
                        mb(kChannel, kBob, MemberStatus::kMember)}});
    Mutation m;
    EXPECT_TRUE(world_.ApplyWorld(f, kNow, m).ok());
    EXPECT_TRUE(world_.ListMessages(kSuper, UserId()).empty()) << "a world file posts nothing";
  }

  static ChatRef Id(ChatId c) { return ChatRef{.id = c.value}; }

  // The service messages `bot` has been sent, as the encoder writes them.
  std::vector<std::string> Messages(UserId bot) {
    std::vector<std::string> out;
    for (const Update* u : world_.PendingUpdates(bot, kNow))
      if (u->type == UpdateType::kMessage) out.push_back(u->json.str());
    return out;
  }
  // The chat's history, the same way.
  std::vector<std::string> History(ChatId chat) {
    std::vector<std::string> out;
    for (const Message* msg : world_.ListMessages(chat, UserId()))
      out.push_back(
          TestEncoder(world_, MessageEvent{.chat = chat, .message_id = msg->id}, kBot, 0));
    return out;
  }
  std::string Link(ChatId chat, bool request = false) {
    Mutation m;
    auto link =
        world_.CreateLink(kBot, Id(chat), LinkSpec{.creates_join_request = request}, kNow, m);
    EXPECT_TRUE(link.ok());
    return link.ok() ? link->hash : "";
  }
  static std::string S(ChatId chat) { return std::to_string(chat.value); }

  World world_;
  int n_ = 0;
};

TEST_F(WorldServiceMessagesTest, AJoinThroughALinkIsTheJoinersOwnNewChatMembersMessage) {
  for (ChatId chat : {kSuper, kGroup}) {
    Mutation m;
    ASSERT_TRUE(world_.JoinByLink(kCarol, Link(chat), kNow, m).ok());
    std::string expected = S(chat) + ":new:100003,:from=100003";
    EXPECT_EQ(History(chat), std::vector<std::string>{expected});
    // Privacy mode does not matter: the plain member bot receives it as well.
    EXPECT_EQ(Messages(kBot).back(), expected);
    EXPECT_EQ(Messages(kMemberBot).back(), expected);
  }
}

TEST_F(WorldServiceMessagesTest, AnApprovedRequestIsTheJoinersMessageTooButTheUpdateIsFromTheBot) {
  Mutation m;
  ASSERT_TRUE(world_.JoinByLink(kCarol, Link(kSuper, true), kNow, m).ok());
  EXPECT_TRUE(History(kSuper).empty()) << "a request is not a join";
  ASSERT_TRUE(
      world_.DecideJoinRequest(kBot, Id(kSuper), kCarol, JoinDecision::kApprove, kNow, m).ok());
  EXPECT_EQ(History(kSuper), std::vector<std::string>{S(kSuper) + ":new:100003,:from=100003"});
  EXPECT_EQ(Messages(kBot), History(kSuper));
}

TEST_F(WorldServiceMessagesTest, AnAdditionIsTheAddersMessageAndNotSentBackToAnAddingBot) {
  Mutation m;
  ASSERT_TRUE(
      world_
          .PutMember(Member{.chat = kSuper, .user = kCarol, .status = MemberStatus::kMember}, kNow,
                     m, kOwner)
          .ok());
  EXPECT_EQ(History(kSuper), std::vector<std::string>{S(kSuper) + ":new:100003,:from=100001"});
  EXPECT_EQ(Messages(kBot).size(), 1u);
  // The administrator bot adds someone (as the control plane may say): it does not receive its
  // own new_chat_members (9.2), the other bot does.
  ASSERT_TRUE(world_.Leave(kSuper, kCarol, kNow, m).ok());
  ASSERT_TRUE(
      world_
          .PutMember(Member{.chat = kSuper, .user = kCarol, .status = MemberStatus::kMember}, kNow,
                     m, kBot)
          .ok());
  std::string by_bot = S(kSuper) + ":new:100003,:from=7000000001";
  EXPECT_EQ(History(kSuper).back(), by_bot);
  EXPECT_NE(Messages(kBot).back(), by_bot);
  EXPECT_EQ(Messages(kMemberBot).back(), by_bot);
}

TEST_F(WorldServiceMessagesTest, LeavingAndRemovalPostLeftChatMemberFromWhoeverDidIt) {
  Mutation m;
  ASSERT_TRUE(world_.Leave(kSuper, kBob, kNow, m).ok());
  EXPECT_EQ(History(kSuper), std::vector<std::string>{S(kSuper) + ":left:100002,:from=100002"});
  ASSERT_TRUE(world_.Remove(kGroup, kBob, Removal::kBan, kOwner, kNow, m).ok());
  EXPECT_EQ(History(kGroup), std::vector<std::string>{S(kGroup) + ":left:100002,:from=100001"});
  // Removing someone who is not there posts nothing.
  ASSERT_TRUE(world_.Remove(kSuper, kBob, Removal::kBan, kOwner, kNow, m).ok());
  EXPECT_EQ(History(kSuper).size(), 1u);
}

TEST_F(WorldServiceMessagesTest, TheBotReceivesItsOwnBansLeftChatMember) {
  for (ChatId chat : {kSuper, kGroup}) {
    Mutation m;
    ASSERT_TRUE(world_.BanChatMember(kBot, Id(chat), kBob, 0, kNow, m).ok());
    std::string expected = S(chat) + ":left:100002,:from=7000000001";
    EXPECT_EQ(History(chat), std::vector<std::string>{expected});
    EXPECT_EQ(Messages(kBot).back(), expected) << "messageChatDeleteMember is not skipped";
    EXPECT_EQ(Messages(kMemberBot).back(), expected);
  }
}

TEST_F(WorldServiceMessagesTest, UnbanOfAMemberPostsOneDepartureAndRestrictionsPostNothing) {
  Mutation m;
  ASSERT_TRUE(world_.RestrictMember(kBot, Id(kSuper), kBob, World::Restriction{}, kNow, m)
                  .ok());  // Bob stays in the chat
  EXPECT_TRUE(History(kSuper).empty());
  ASSERT_TRUE(world_.UnbanChatMember(kBot, Id(kSuper), kBob, false, kNow, m).ok());
  EXPECT_EQ(History(kSuper), std::vector<std::string>{S(kSuper) + ":left:100002,:from=7000000001"});
  ASSERT_TRUE(world_.UnbanChatMember(kBot, Id(kSuper), kBob, false, kNow, m).ok());
  EXPECT_EQ(History(kSuper).size(), 1u) << "an unban of someone already out posts nothing";
}

TEST_F(WorldServiceMessagesTest, ChannelsHaveNoServiceMessagesAboutSubscribers) {
  Mutation m;
  ASSERT_TRUE(world_.JoinByLink(kCarol, Link(kChannel), kNow, m).ok());
  ASSERT_TRUE(world_.Leave(kChannel, kBob, kNow, m).ok());
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kChannel), kCarol, 0, kNow, m).ok());
  EXPECT_TRUE(History(kChannel).empty());
  EXPECT_TRUE(Messages(kBot).empty());
}

TEST_F(WorldServiceMessagesTest, ABotHearsOfItsOwnDepartureAndNothingAfter) {
  Mutation m;
  ASSERT_TRUE(world_.Remove(kSuper, kMemberBot, Removal::kLeaveFree, kOwner, kNow, m).ok());
  std::string gone = S(kSuper) + ":left:7000000002,:from=100001";
  EXPECT_EQ(Messages(kMemberBot), std::vector<std::string>{gone});
  EXPECT_EQ(Messages(kBot), std::vector<std::string>{gone});
  ASSERT_TRUE(world_.Leave(kSuper, kBob, kNow, m).ok());
  EXPECT_EQ(Messages(kMemberBot).size(), 1u);
  // Added again, it hears of its own arrival (it is in the chat when the message is posted).
  ASSERT_TRUE(
      world_
          .PutMember(Member{.chat = kSuper, .user = kMemberBot, .status = MemberStatus::kMember},
                     kNow, m, kOwner)
          .ok());
  EXPECT_EQ(Messages(kMemberBot).back(), S(kSuper) + ":new:7000000002,:from=100001");
  // leaveChat: the bot's own departure reaches it too.
  ASSERT_TRUE(world_.LeaveChat(kBot, Id(kGroup), kNow, m).ok());
  EXPECT_EQ(Messages(kBot).back(), S(kGroup) + ":left:7000000001,:from=7000000001");
}

TEST_F(WorldServiceMessagesTest, AnUpgradePostsMigrateToAndMigrateFrom) {
  Mutation m;
  auto target = world_.Upgrade(kGroup, std::nullopt, kNow, m);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(History(kGroup), std::vector<std::string>{S(kGroup) + ":migrate_to::from=100001"});
  EXPECT_EQ(History(*target), std::vector<std::string>{S(*target) + ":migrate_from::from=100001"});
  EXPECT_EQ(world_.UpgradedFrom(*target), kGroup);
  EXPECT_EQ(world_.UpgradedFrom(kSuper), std::nullopt);
  std::vector<std::string> both = {History(kGroup)[0], History(*target)[0]};
  EXPECT_EQ(Messages(kBot), both);
  EXPECT_EQ(Messages(kMemberBot), both);
}

// Captcha bots delete the join message. In a new supergroup it is message 1, which Telegram never
// lets anyone delete because there message 1 is the "created" message; the emulator has none, so
// the join message goes like any other. The "migrated from" message stays.
TEST_F(WorldServiceMessagesTest, AnAdministratorDeletesTheJoinMessageButNotMigratedFrom) {
  Mutation m;
  ASSERT_TRUE(world_.JoinByLink(kCarol, Link(kSuper), kNow, m).ok());
  std::vector<const Message*> listed = world_.ListMessages(kSuper, UserId());
  ASSERT_EQ(listed.size(), 1u);
  const int64_t join = listed[0]->id;
  ASSERT_EQ(join, 1);
  const Target super{.chat = world_.FindChat(kSuper)};
  EXPECT_EQ(world_.DeleteMessages(kMemberBot, super, {join}, kNow, m).error().kind,
            Err::kMessageCantBeDeleted)
      << "without can_delete_messages: not the bot's message";
  ASSERT_TRUE(world_.DeleteMessages(kBot, super, {join}, kNow, m).ok());
  EXPECT_TRUE(History(kSuper).empty());

  auto target = world_.Upgrade(kGroup, std::nullopt, kNow, m);
  ASSERT_TRUE(target.ok());
  std::vector<const Message*> migrated = world_.ListMessages(*target, UserId());
  ASSERT_EQ(migrated.size(), 1u);
  const Target upgraded{.chat = world_.FindChat(*target)};
  EXPECT_EQ(world_.DeleteMessages(kBot, upgraded, {migrated[0]->id}, kNow, m).error().kind,
            Err::kMessageCantBeDeleted);
  EXPECT_EQ(History(*target).size(), 1u);
}

TEST_F(WorldServiceMessagesTest, LargeGroupsLoseTheMessagesAboutUsersAboveTheThreshold) {
  world_.SetQuietJoinsAbove(4);  // the supergroup has 4 people: at 5, joins and leaves are quiet
  Mutation m;
  ASSERT_TRUE(world_.JoinByLink(kCarol, Link(kSuper), kNow, m).ok());
  EXPECT_TRUE(History(kSuper).empty());
  EXPECT_TRUE(Messages(kBot).empty());
  // Bots' arrivals and departures are still posted.
  ASSERT_TRUE(world_.Remove(kSuper, kMemberBot, Removal::kLeaveFree, kOwner, kNow, m).ok());
  EXPECT_EQ(History(kSuper), std::vector<std::string>{S(kSuper) + ":left:7000000002,:from=100001"});
  // Back to 4 people: Bob's departure leaves 3, under the threshold, and is posted.
  ASSERT_TRUE(world_.Leave(kSuper, kBob, kNow, m).ok());
  EXPECT_EQ(History(kSuper).back(), S(kSuper) + ":left:100002,:from=100002");
  world_.SetQuietJoinsAbove(0);
  ASSERT_TRUE(world_.Leave(kSuper, kCarol, kNow, m).ok());
  EXPECT_EQ(History(kSuper).back(), S(kSuper) + ":left:100003,:from=100003");
}

}  // namespace
}  // namespace tgi::domain
