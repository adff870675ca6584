// Moderation on the World alone (spec bot-api-moderation.md 1-3, 5, 6.2, 6.3): banChatMember,
// unbanChatMember, promoteChatMember, setChatAdministratorCustomTitle, leaveChat, bans that run
// out, and banChatSenderChat / unbanChatSenderChat.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr UserId kBot{7000000001};
constexpr UserId kOtherBot{7000000002};
constexpr UserId kOwner{100001};
constexpr UserId kBob{100002};
constexpr UserId kCarol{100003};
constexpr UserId kAdmin{100004};  // an administrator nobody here promoted
constexpr UserId kStranger{100005};
constexpr ChatId kGroup{-100};
constexpr ChatId kSuper{-1001000000001};
constexpr ChatId kChannel{-1001000000003};
constexpr UnixTime kNow = 1767225600;

Rights MakeRights(std::initializer_list<Right> list) {
  Rights r;
  for (Right x : list) r.Set(x, true);
  return r;
}

// "<type>:<user>:<old>-><new>[/until]:from=<from>" for each member update.
std::string TestEncoder(const World& w, const UpdateEvent& e, UserId receiver, int64_t) {
  if (const auto* me = std::get_if<MessageEvent>(&e)) {
    // A service message about a member: "message:new:<user>:from=<from>" or "message:left:...".
    const Message* msg = w.FindMessage(me->chat, me->bot, me->message_id);
    if (!msg || msg->users.empty()) return "message:?";
    return std::string("message:")
        .append(msg->kind == MessageKind::kNewChatMembers ? "new:" : "left:")
        .append(std::to_string(msg->users.front().value))
        .append(":from=")
        .append(std::to_string(msg->from.value));
  }
  const auto& m = std::get<MemberUpdateEvent>(e);
  std::string s = m.new_member.user == receiver ? "my_chat_member:" : "chat_member:";
  s.append(std::to_string(m.new_member.user.value))
      .append(":")
      .append(MemberStatusName(m.old_member.status))
      .append("->")
      .append(MemberStatusName(m.new_member.status));
  if (m.new_member.until_date) s.append("/").append(std::to_string(m.new_member.until_date));
  s.append(":from=").append(std::to_string(m.from.value));
  return s;
}

class WorldModerationTest : public ::testing::Test {
 protected:
  WorldModerationTest()
      : world_(WorldState{}, [this] { return std::string("h").append(std::to_string(++n_)); }) {
    world_.SetUpdateEncoder(TestEncoder);
    WorldFile f;
    f.bots.push_back({Bot{.id = kBot}, User{.id = kBot, .first_name = "Bot", .username = "a_bot"}});
    f.bots.push_back(
        {Bot{.id = kOtherBot}, User{.id = kOtherBot, .first_name = "Two", .username = "b_bot"}});
    for (UserId u : {kOwner, kBob, kCarol, kAdmin, kStranger})
      f.users.push_back(User{.id = u, .first_name = "U"});
    Rights all =
        MakeRights({Right::kCanManageChat, Right::kCanRestrictMembers, Right::kCanPromoteMembers,
                    Right::kCanInviteUsers, Right::kCanDeleteMessages, Right::kCanPinMessages,
                    Right::kCanPostMessages});
    auto mb = [](ChatId c, UserId u, MemberStatus s, Rights r = {}) {
      return Member{.chat = c, .user = u, .status = s, .rights = r};
    };
    for (auto [id, type] :
         {std::pair{kSuper, ChatType::kSupergroup}, std::pair{kChannel, ChatType::kChannel}}) {
      f.chats.push_back(
          {Chat{.id = id, .type = type, .title = "T"},
           {mb(id, kOwner, MemberStatus::kCreator), mb(id, kBot, MemberStatus::kAdministrator, all),
            mb(id, kOtherBot, MemberStatus::kAdministrator, MakeRights({Right::kCanManageChat})),
            mb(id, kBob, MemberStatus::kMember), mb(id, kCarol, MemberStatus::kMember),
            mb(id, kAdmin, MemberStatus::kAdministrator, MakeRights({Right::kCanManageChat}))}});
    }
    f.chats.push_back({Chat{.id = kGroup, .type = ChatType::kGroup, .title = "G"},
                       {mb(kGroup, kOwner, MemberStatus::kCreator),
                        mb(kGroup, kBot, MemberStatus::kAdministrator, all),
                        mb(kGroup, kBob, MemberStatus::kMember),
                        mb(kGroup, kAdmin, MemberStatus::kAdministrator, all)}});
    Mutation m;
    EXPECT_TRUE(world_.ApplyWorld(f, kNow, m).ok());
    Mutation a;
    uint32_t mask = DefaultAllowedUpdates() | UpdateBit(UpdateType::kChatMember);
    world_.SetAllowedUpdates(kBot, mask, a);
    world_.SetAllowedUpdates(kOtherBot, mask, a);
  }

  static ChatRef Id(ChatId c) { return ChatRef{.id = c.value}; }

  // The member updates `bot` has (chat_member, my_chat_member), and apart the service messages.
  std::vector<std::string> Updates(UserId bot) { return Pending(bot, false); }
  std::vector<std::string> ServiceMessages(UserId bot) { return Pending(bot, true); }
  std::vector<std::string> Pending(UserId bot, bool messages) {
    std::vector<std::string> out;
    for (const Update* u : world_.PendingUpdates(bot, kNow))
      if ((u->type == UpdateType::kMessage) == messages) out.push_back(u->json.str());
    return out;
  }
  MemberStatus Status(ChatId chat, UserId user, UnixTime now = kNow) {
    return world_.GetChatMember(kBot, Id(chat), user, now)->member.status;
  }
  Err Ban(ChatId chat, UserId user, UnixTime until = 0) {
    Mutation m;
    auto r = world_.BanChatMember(kBot, Id(chat), user, until, kNow, m);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.ok() || m.empty()) << "a refusal changes nothing";
    return r.ok() ? Err::kChatNotFound : r.error().kind;
  }

  int n_ = 0;
  World world_;
};

TEST_F(WorldModerationTest, UntilDateUnder30SecondsOrOver366DaysIsForever) {
  EXPECT_EQ(NormalizeUntilDate(0, kNow), 0);
  EXPECT_EQ(NormalizeUntilDate(-5, kNow), 0);
  EXPECT_EQ(NormalizeUntilDate(kNow + 29, kNow), 0);
  EXPECT_EQ(NormalizeUntilDate(kNow + 30, kNow), kNow + 30);
  EXPECT_EQ(NormalizeUntilDate(kNow + 366 * 86400, kNow), kNow + 366 * 86400);
  EXPECT_EQ(NormalizeUntilDate(kNow + 366 * 86400 + 1, kNow), 0);
}

TEST_F(WorldModerationTest, BanInASupergroupMakesTheMemberKickedWithAnUpdateFromTheBot) {
  Mutation m;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kSuper), kBob, kNow + 3600, kNow, m).ok());
  auto view = world_.GetChatMember(kBot, Id(kSuper), kBob, kNow);
  EXPECT_EQ(view->member.status, MemberStatus::kKicked);
  EXPECT_EQ(view->member.until_date, kNow + 3600);
  std::string expected = "chat_member:100002:member->kicked/";
  expected.append(std::to_string(kNow + 3600)).append(":from=7000000001");
  EXPECT_EQ(Updates(kBot), std::vector<std::string>{expected});
  EXPECT_EQ(Updates(kOtherBot), std::vector<std::string>{expected});
  // The same ban again changes nothing and makes no update.
  Mutation again;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kSuper), kBob, kNow + 3600, kNow, again).ok());
  EXPECT_TRUE(again.empty());
}

TEST_F(WorldModerationTest, ABanEndsInTheStoreWhenTheEngineExpiresIt) {
  Mutation m;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kSuper), kBob, kNow + 3600, kNow, m).ok());
  Mutation early;
  world_.ExpireRestrictionsAndBans(kNow + 3599, early);
  EXPECT_TRUE(early.empty());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kKicked);
  Mutation due;
  world_.ExpireRestrictionsAndBans(kNow + 3600, due);
  EXPECT_EQ(due.ops.size(), 1u);
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kLeft);
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->until_date, 0);
  // A ban for ever is never ended.
  Mutation forever;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kSuper), kCarol, 0, kNow, forever).ok());
  Mutation later;
  world_.ExpireRestrictionsAndBans(kNow + 100 * 86400, later);
  EXPECT_TRUE(later.empty());
  EXPECT_EQ(world_.FindMember(kSuper, kCarol)->status, MemberStatus::kKicked);
}

TEST_F(WorldModerationTest, BanOfSomeoneNotInTheSupergroupIsPreemptive) {
  Mutation m;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kSuper), kStranger, 0, kNow, m).ok());
  EXPECT_EQ(Status(kSuper, kStranger), MemberStatus::kKicked);
  EXPECT_EQ(Updates(kBot),
            std::vector<std::string>{"chat_member:100005:left->kicked:from=7000000001"});
}

TEST_F(WorldModerationTest, BanRefusalsInTheSpecsOrder) {
  EXPECT_EQ(Ban(kSuper, UserId(int64_t{1} << 40)), Err::kInvalidUserIdentifier);
  EXPECT_EQ(Ban(kSuper, UserId(999)), Err::kParticipantIdInvalid);
  EXPECT_EQ(Ban(kSuper, kOwner), Err::kCantRemoveChatOwner);
  EXPECT_EQ(Ban(kSuper, kBot), Err::kCantRestrictSelf);
  EXPECT_EQ(Ban(kSuper, kAdmin), Err::kUserIsAdministrator);
  Mutation m;
  EXPECT_EQ(world_.BanChatMember(kOtherBot, Id(kSuper), kBob, 0, kNow, m).error().kind,
            Err::kNotEnoughRightsToRestrict);
  // A private chat: resolved first (a user the bot never met is no chat), then refused.
  EXPECT_EQ(world_.BanChatMember(kBot, ChatRef{.id = 424242}, kBob, 0, kNow, m).error().kind,
            Err::kChatNotFound);
  EXPECT_TRUE(m.empty());
}

TEST_F(WorldModerationTest, AnAdministratorTheBotPromotedCanBeBanned) {
  Mutation m;
  ASSERT_TRUE(world_
                  .PromoteChatMember(kBot, Id(kSuper), kBob, MakeRights({Right::kCanInviteUsers}),
                                     false, kNow, m)
                  .ok());
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kSuper), kBob, 0, kNow, m).ok());
  EXPECT_EQ(Status(kSuper, kBob), MemberStatus::kKicked);
}

TEST_F(WorldModerationTest, BanInABasicGroupRemovesTheUserAndIgnoresUntilDate) {
  Mutation m;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kGroup), kBob, kNow + 3600, kNow, m).ok());
  EXPECT_EQ(Status(kGroup, kBob), MemberStatus::kLeft);
  EXPECT_EQ(Ban(kGroup, kBob), Err::kUserNotParticipant);
  EXPECT_EQ(Ban(kGroup, kOwner), Err::kChatAdminRequired);
  EXPECT_EQ(Ban(kGroup, kAdmin), Err::kChatAdminRequired);
  EXPECT_EQ(Ban(kGroup, UserId(999)), Err::kUserIdInvalid);
  // The bot banning itself leaves.
  Mutation self;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kGroup), kBot, 0, kNow, self).ok());
  EXPECT_EQ(world_.FindMember(kGroup, kBot)->status, MemberStatus::kLeft);
  auto updates = Updates(kBot);
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0], "chat_member:100002:member->left:from=7000000001");
  EXPECT_EQ(updates[1], "my_chat_member:7000000001:administrator->left:from=7000000001");
}

TEST_F(WorldModerationTest, ABanRunsOutOnTheClockAndTheUserMayJoinAgain) {
  Mutation m;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kSuper), kBob, kNow + 60, kNow, m).ok());
  Mutation link;
  std::string hash = *world_.ExportPrimaryLink(kBot, Id(kSuper), kNow, link);
  Mutation join;
  EXPECT_EQ(world_.JoinByLink(kBob, hash, kNow + 59, join).error().kind, Err::kBannedFromChat);
  EXPECT_EQ(Status(kSuper, kBob, kNow + 59), MemberStatus::kKicked);
  EXPECT_EQ(Status(kSuper, kBob, kNow + 60), MemberStatus::kLeft);
  ASSERT_TRUE(world_.JoinByLink(kBob, hash, kNow + 60, join).ok());
  EXPECT_EQ(Status(kSuper, kBob, kNow + 60), MemberStatus::kMember);
  // The join's update starts from left, not from the old ban.
  auto updates = world_.PendingUpdates(kBot, kNow + 60);
  ASSERT_GE(updates.size(), 2u);
  EXPECT_EQ(updates[updates.size() - 2]->json, "chat_member:100002:left->member:from=100002");
  EXPECT_EQ(updates.back()->json, "message:new:100002:from=100002");
}

TEST_F(WorldModerationTest, UnbanOfABannedUserLeavesThemFreeToJoin) {
  Mutation m;
  ASSERT_TRUE(world_.BanChatMember(kBot, Id(kSuper), kBob, 0, kNow, m).ok());
  ASSERT_TRUE(world_.UnbanChatMember(kBot, Id(kSuper), kBob, true, kNow, m).ok());
  EXPECT_EQ(Status(kSuper, kBob), MemberStatus::kLeft);
  auto updates = Updates(kBot);
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[1], "chat_member:100002:kicked->left:from=7000000001");
  // Unbanning someone who is left changes nothing.
  Mutation again;
  ASSERT_TRUE(world_.UnbanChatMember(kBot, Id(kSuper), kBob, false, kNow, again).ok());
  EXPECT_TRUE(again.empty());
}

TEST_F(WorldModerationTest, UnbanOfAMemberRemovesThemUnlessOnlyIfBanned) {
  Mutation m;
  ASSERT_TRUE(world_.UnbanChatMember(kBot, Id(kSuper), kCarol, true, kNow, m).ok());
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(Status(kSuper, kCarol), MemberStatus::kMember);
  ASSERT_TRUE(world_.UnbanChatMember(kBot, Id(kSuper), kCarol, false, kNow, m).ok());
  EXPECT_EQ(Status(kSuper, kCarol), MemberStatus::kLeft);
  std::string kicked = "chat_member:100003:member->kicked/";
  kicked.append(std::to_string(kNow + 60)).append(":from=7000000001");
  EXPECT_EQ(Updates(kBot),
            (std::vector<std::string>{kicked, "chat_member:100003:kicked->left:from=7000000001"}));
}

TEST_F(WorldModerationTest, UnbanRefusals) {
  Mutation m;
  EXPECT_EQ(world_.UnbanChatMember(kBot, Id(kGroup), kBob, false, kNow, m).error().kind,
            Err::kSupergroupOrChannelOnly);
  EXPECT_EQ(world_.UnbanChatMember(kBot, Id(kSuper), kOwner, false, kNow, m).error().kind,
            Err::kCantRemoveChatOwner);
  EXPECT_EQ(world_.UnbanChatMember(kBot, Id(kSuper), kAdmin, false, kNow, m).error().kind,
            Err::kUserIsAdministrator);
  EXPECT_EQ(world_.UnbanChatMember(kOtherBot, Id(kSuper), kBob, false, kNow, m).error().kind,
            Err::kNotEnoughRightsToRestrict);
  EXPECT_EQ(world_.UnbanChatMember(kBot, Id(kSuper), UserId(999), true, kNow, m).error().kind,
            Err::kUserNotFound);
  EXPECT_TRUE(m.empty());
  // Unbanning itself, the bot leaves.
  ASSERT_TRUE(world_.UnbanChatMember(kBot, Id(kSuper), kBot, false, kNow, m).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBot)->status, MemberStatus::kLeft);
}

TEST_F(WorldModerationTest, PromoteMasksRightsImpliesManageChatAndDemotesWithNoRights) {
  Mutation m;
  // can_post_messages does not exist in a supergroup: dropped.
  ASSERT_TRUE(
      world_
          .PromoteChatMember(kBot, Id(kSuper), kBob,
                             MakeRights({Right::kCanDeleteMessages, Right::kCanPostMessages}),
                             false, kNow, m)
          .ok());
  const Member* bob = world_.FindMember(kSuper, kBob);
  EXPECT_EQ(bob->status, MemberStatus::kAdministrator);
  EXPECT_EQ(bob->rights,
            MakeRights({Right::kCanDeleteMessages, Right::kCanManageChat, Right::kCanBeEdited}));
  EXPECT_EQ(Updates(kOtherBot),
            std::vector<std::string>{"chat_member:100002:member->administrator:from=7000000001"});
  Mutation same;
  ASSERT_TRUE(world_
                  .PromoteChatMember(kBot, Id(kSuper), kBob,
                                     MakeRights({Right::kCanDeleteMessages}), false, kNow, same)
                  .ok());
  EXPECT_TRUE(same.empty()) << "the same rights again change nothing";
  ASSERT_TRUE(world_.PromoteChatMember(kBot, Id(kSuper), kBob, Rights{}, false, kNow, m).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kMember);
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->rights, Rights{});
}

TEST_F(WorldModerationTest, PromoteInAChannelDefaultsCanRestrictMembers) {
  Mutation m;
  ASSERT_TRUE(world_
                  .PromoteChatMember(kBot, Id(kChannel), kBob,
                                     MakeRights({Right::kCanPostMessages}), false, kNow, m)
                  .ok());
  EXPECT_TRUE(world_.FindMember(kChannel, kBob)->rights.Has(Right::kCanRestrictMembers));
  ASSERT_TRUE(world_
                  .PromoteChatMember(kBot, Id(kChannel), kCarol,
                                     MakeRights({Right::kCanPostMessages}), true, kNow, m)
                  .ok());
  EXPECT_FALSE(world_.FindMember(kChannel, kCarol)->rights.Has(Right::kCanRestrictMembers));
}

TEST_F(WorldModerationTest, PromoteRefusals) {
  Mutation m;
  Rights invite = MakeRights({Right::kCanInviteUsers});
  auto promote = [&](UserId bot, ChatId chat, UserId user, Rights r) {
    return world_.PromoteChatMember(bot, Id(chat), user, r, false, kNow, m).error().kind;
  };
  EXPECT_EQ(promote(kBot, kGroup, kBob, invite), Err::kSupergroupOrChannelOnly);
  EXPECT_EQ(promote(kBot, kSuper, kOwner, invite), Err::kCantRemoveChatOwner);
  EXPECT_EQ(promote(kBot, kSuper, kBot, invite), Err::kCantPromoteSelf);
  EXPECT_EQ(promote(kOtherBot, kSuper, kBob, invite), Err::kNotEnoughRights);
  EXPECT_EQ(promote(kBot, kSuper, kAdmin, invite), Err::kChatAdminRequired);
  EXPECT_EQ(promote(kBot, kSuper, kStranger, invite), Err::kUserNotParticipant);
  EXPECT_EQ(promote(kBot, kSuper, kBob, MakeRights({Right::kCanChangeInfo})), Err::kRightForbidden);
  EXPECT_TRUE(m.empty());
}

TEST_F(WorldModerationTest, CustomTitleOnlyForAdministratorsTheBotMayEdit) {
  Mutation m;
  auto title = [&](ChatId chat, UserId user, std::string_view t) {
    return world_.SetChatAdministratorCustomTitle(kBot, Id(chat), user, t, kNow, m);
  };
  EXPECT_EQ(title(kChannel, kBob, "x").error().kind, Err::kGroupsOnly);
  EXPECT_EQ(title(kSuper, kOwner, "x").error().kind, Err::kOnlyOwnerEditsTitle);
  EXPECT_EQ(title(kSuper, kBob, "x").error().kind, Err::kUserNotAdministrator);
  EXPECT_EQ(title(kSuper, kAdmin, "x").error().kind, Err::kNotEnoughRightsToEditTitle);
  EXPECT_EQ(title(kGroup, kAdmin, "x").error().kind, Err::kNotEnoughRightsToEditTitle);
  ASSERT_TRUE(world_
                  .PromoteChatMember(kBot, Id(kSuper), kBob, MakeRights({Right::kCanInviteUsers}),
                                     false, kNow, m)
                  .ok());
  EXPECT_EQ(title(kSuper, kBob, "\xff").error().kind, Err::kStringsMustBeUtf8);
  EXPECT_EQ(title(kSuper, kBob, "boss \xF0\x9F\x98\x80").error().kind,
            Err::kCustomTitleEmojiNotAllowed);
  ASSERT_TRUE(title(kSuper, kBob, "  the very important boss").ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->custom_title, "the very importa");
  EXPECT_EQ(Updates(kOtherBot).back(),
            "chat_member:100002:administrator->administrator:from=7000000001");
  ASSERT_TRUE(title(kSuper, kBob, "").ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->custom_title, "");
}

TEST_F(WorldModerationTest, LeaveChat) {
  Mutation m;
  ASSERT_TRUE(world_.LeaveChat(kBot, Id(kSuper), kNow, m).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBot)->status, MemberStatus::kLeft);
  EXPECT_EQ(Updates(kBot), std::vector<std::string>{
                               "my_chat_member:7000000001:administrator->left:from=7000000001"});
  EXPECT_EQ(Updates(kOtherBot),
            std::vector<std::string>{"chat_member:7000000001:administrator->left:from=7000000001"});
  // Left already: a private supergroup is no longer reachable for writing, nor for reading.
  EXPECT_EQ(world_.LeaveChat(kBot, Id(kSuper), kNow, m).error().kind, Err::kBotNotMember);
  // A basic group stays readable: leaving again succeeds without a change.
  ASSERT_TRUE(world_.LeaveChat(kBot, Id(kGroup), kNow, m).ok());
  Mutation again;
  ASSERT_TRUE(world_.LeaveChat(kBot, Id(kGroup), kNow, again).ok());
  EXPECT_TRUE(again.empty());
  // A private chat with a user the bot knows: TDLib's text.
  EXPECT_EQ(world_.LeaveChat(kBot, ChatRef{.id = kBob.value}, kNow, m).error().kind,
            Err::kStatusInPrivate);
}

// --- banChatSenderChat / unbanChatSenderChat (spec 6.3).

constexpr ChatId kSenderChannel{-1001000000009};  // a channel of the world, in none of the chats

class SenderChatTest : public WorldModerationTest {
 protected:
  SenderChatTest() {
    Mutation m;
    EXPECT_TRUE(
        world_.PutChat(Chat{.id = kSenderChannel, .type = ChatType::kChannel, .title = "S"}, m)
            .ok());
  }
  Result<void, DomainError> BanSender(ChatId chat, int64_t sender, UserId bot = kBot,
                                      Mutation* out = nullptr) {
    Mutation m;
    auto r = world_.BanChatSenderChat(bot, Id(chat), sender, 0, kNow, out ? *out : m);
    EXPECT_TRUE(r.ok() || (out ? *out : m).empty()) << "a refusal changes nothing";
    return r;
  }
  Result<void, DomainError> UnbanSender(ChatId chat, int64_t sender, UserId bot = kBot,
                                        Mutation* out = nullptr) {
    Mutation m;
    auto r = world_.UnbanChatSenderChat(bot, Id(chat), sender, kNow, out ? *out : m);
    EXPECT_TRUE(r.ok() || (out ? *out : m).empty()) << "a refusal changes nothing";
    return r;
  }
  static Err Kind(const Result<void, DomainError>& r) {
    EXPECT_FALSE(r.ok());
    return r.ok() ? Err::kChatNotFound : r.error().kind;
  }
};

TEST_F(SenderChatTest, ABanIsRecordedAndLiftedWithoutUpdates) {
  for (ChatId chat : {kSuper, kChannel}) {
    Mutation m;
    ASSERT_TRUE(BanSender(chat, kSenderChannel.value, kBot, &m).ok());
    EXPECT_EQ(world_.BannedSenderChats(chat), std::vector<ChatId>{kSenderChannel});
    ASSERT_EQ(m.ops.size(), 1u);
    EXPECT_EQ(std::get<SenderChatBan>(m.ops[0]),
              (SenderChatBan{.chat = chat, .sender_chat = kSenderChannel, .banned = true}));
    // Banned again: the server is asked (no refusal), nothing changes.
    Mutation again;
    ASSERT_TRUE(BanSender(chat, kSenderChannel.value, kBot, &again).ok());
    EXPECT_TRUE(again.empty());

    Mutation lift;
    ASSERT_TRUE(UnbanSender(chat, kSenderChannel.value, kBot, &lift).ok());
    EXPECT_TRUE(world_.BannedSenderChats(chat).empty());
    ASSERT_EQ(lift.ops.size(), 1u);
    EXPECT_EQ(std::get<SenderChatBan>(lift.ops[0]),
              (SenderChatBan{.chat = chat, .sender_chat = kSenderChannel, .banned = false}));
    Mutation lift_again;
    ASSERT_TRUE(UnbanSender(chat, kSenderChannel.value, kBot, &lift_again).ok());
    EXPECT_TRUE(lift_again.empty());
  }
  // Chats are never members: no chat_member or my_chat_member update.
  EXPECT_TRUE(Updates(kBot).empty());
  EXPECT_TRUE(Updates(kOtherBot).empty());
}

TEST_F(SenderChatTest, BansSurviveAReload) {
  ASSERT_TRUE(BanSender(kSuper, kSenderChannel.value).ok());
  ASSERT_TRUE(BanSender(kSuper, kChannel.value).ok());
  ASSERT_TRUE(BanSender(kChannel, kSenderChannel.value).ok());
  World reloaded(world_.SnapshotForTesting(), [] { return std::string("x"); });
  EXPECT_EQ(reloaded.BannedSenderChats(kSuper), (std::vector<ChatId>{kSenderChannel, kChannel}));
  EXPECT_EQ(reloaded.BannedSenderChats(kChannel), std::vector<ChatId>{kSenderChannel});
  EXPECT_TRUE(reloaded.BannedSenderChats(kGroup).empty());
}

TEST_F(SenderChatTest, TheChatIsCheckedFirstThenTheSenderIdThenTheChatType) {
  EXPECT_EQ(Kind(BanSender(ChatId(-1009999999999), 0)), Err::kChatNotFound);
  // Ids no chat can have: 0, a user id above 2^40 - 1, the zero ids of channels and secret chats,
  // and below the secret chats.
  for (int64_t bad : {int64_t{0}, int64_t{1} << 40, int64_t{-1'000'000'000'000},
                      int64_t{-2'000'000'000'000}, int64_t{-3'000'000'000'000}}) {
    EXPECT_EQ(Kind(BanSender(kSuper, bad)), Err::kInvalidChatIdentifier) << bad;
    EXPECT_EQ(Kind(UnbanSender(kGroup, bad)), Err::kInvalidChatIdentifier) << bad;
    // Before the type of a private chat (with a user the bot knows).
    EXPECT_EQ(Kind(BanSender(ChatId(kBob.value), bad)), Err::kInvalidChatIdentifier) << bad;
  }
  EXPECT_EQ(Kind(BanSender(ChatId(kBob.value), kSenderChannel.value)), Err::kCantBanInPrivate);
  EXPECT_EQ(Kind(UnbanSender(ChatId(kBob.value), kSenderChannel.value)), Err::kStatusInPrivate);
}

TEST_F(SenderChatTest, BasicGroupsRefuseBansOfChatsAndIgnoreUnbans) {
  EXPECT_EQ(Kind(BanSender(kGroup, kSenderChannel.value)), Err::kCantBanChatsInBasicGroups);
  EXPECT_EQ(Kind(BanSender(kGroup, -1009999999999)), Err::kCantBanChatsInBasicGroups);
  Mutation m;
  ASSERT_TRUE(UnbanSender(kGroup, kSenderChannel.value, kBot, &m).ok());
  ASSERT_TRUE(UnbanSender(kGroup, kSuper.value, kBot, &m).ok());
  EXPECT_TRUE(m.empty());
}

TEST_F(SenderChatTest, InSupergroupsAndChannelsTheSenderMustBeAKnownChannelAndTheBotMayRestrict) {
  for (ChatId chat : {kSuper, kChannel}) {
    // A chat the world does not have, and a secret chat: no input peer.
    EXPECT_EQ(Kind(BanSender(chat, -1009999999999)), Err::kMemberNotFound);
    EXPECT_EQ(Kind(UnbanSender(chat, -2'000'000'000'001)), Err::kMemberNotFound);
    EXPECT_EQ(Kind(BanSender(chat, -555)), Err::kMemberNotFound);
    // A basic group of the world.
    EXPECT_EQ(Kind(BanSender(chat, kGroup.value)), Err::kCantRestrictTheChat);
    EXPECT_EQ(Kind(UnbanSender(chat, kGroup.value)), Err::kCantRestrictTheChat);
    // The other bot is an administrator without can_restrict_members.
    EXPECT_EQ(Kind(BanSender(chat, kSenderChannel.value, kOtherBot)),
              Err::kNotEnoughRightsToRestrict);
    EXPECT_EQ(Kind(UnbanSender(chat, kSenderChannel.value, kOtherBot)),
              Err::kNotEnoughRightsToRestrict);
  }
  EXPECT_TRUE(world_.BannedSenderChats(kSuper).empty());
}

TEST_F(SenderChatTest, APositiveIdIsAUserBannedAndUnbannedAsByTheMemberMethods) {
  Mutation m;
  ASSERT_TRUE(world_.BanChatSenderChat(kBot, Id(kSuper), kBob.value, kNow + 3600, kNow, m).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kKicked);
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->until_date, kNow + 3600);
  // unbanChatMember without only_if_banned: a present member is removed (kicked, then left).
  ASSERT_TRUE(UnbanSender(kSuper, kCarol.value).ok());
  EXPECT_EQ(Status(kSuper, kCarol), MemberStatus::kLeft);
  std::string bob_banned = "chat_member:100002:member->kicked/";
  bob_banned.append(std::to_string(kNow + 3600)).append(":from=7000000001");
  std::string carol_kicked = "chat_member:100003:member->kicked/";
  carol_kicked.append(std::to_string(kNow + 60)).append(":from=7000000001");
  EXPECT_EQ(Updates(kOtherBot),
            (std::vector<std::string>{bob_banned, carol_kicked,
                                      "chat_member:100003:kicked->left:from=7000000001"}));
  ASSERT_TRUE(UnbanSender(kSuper, kBob.value).ok());
  EXPECT_EQ(Status(kSuper, kBob), MemberStatus::kLeft);
  // The member methods' own errors.
  EXPECT_EQ(Kind(BanSender(kSuper, kOwner.value)), Err::kCantRemoveChatOwner);
  EXPECT_EQ(Kind(BanSender(kSuper, kBot.value)), Err::kCantRestrictSelf);
  EXPECT_EQ(Kind(BanSender(kSuper, kStranger.value + 1000)), Err::kParticipantIdInvalid);

  // A basic group: both remove the user, as banChatMember does there.
  ASSERT_TRUE(UnbanSender(kGroup, kBob.value).ok());
  EXPECT_EQ(Status(kGroup, kBob), MemberStatus::kLeft);
  EXPECT_EQ(Kind(BanSender(kGroup, kBob.value)), Err::kUserNotParticipant);
  EXPECT_TRUE(world_.BannedSenderChats(kSuper).empty());
}

}  // namespace
}  // namespace tgi::domain
