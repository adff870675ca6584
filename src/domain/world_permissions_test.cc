// Moderation on the World alone: ChatPermissions, restrictChatMember, setChatPermissions, who
// may send text, and restrictions ending on the clock (spec bot-api-moderation.md 4, 6.1, 12).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr UserId kBot{7000000001};
constexpr UserId kWeakBot{7000000002};  // an administrator without can_restrict_members
constexpr UserId kOwner{100001};
constexpr UserId kBob{100002};
constexpr UserId kAdmin{100003};
constexpr UserId kOutsider{100004};
constexpr UserId kNobody{100009};  // not a known user
constexpr ChatId kSuper{-1001000000001};
constexpr ChatId kChannel{-1001000000003};
constexpr ChatId kGroup{-4001};
constexpr UnixTime kNow = 1767225600;

// "<receiver>:<type>:<old status>-><new status>:<until>" for member updates.
std::string TestEncoder(const World&, const UpdateEvent& e, UserId receiver, int64_t) {
  std::string out = std::to_string(receiver.value);
  if (const auto* mm = std::get_if<MemberUpdateEvent>(&e)) {
    out += mm->new_member.user == receiver ? ":my_chat_member:" : ":chat_member:";
    out += MemberStatusName(mm->old_member.status);
    out += "->";
    out += MemberStatusName(mm->new_member.status);
    out += ":";
    out += std::to_string(mm->new_member.until_date);
  }
  return out;
}

Permissions With(std::initializer_list<Permission> ps) {
  Permissions p;
  for (Permission x : ps) p.Set(x, true);
  return p;
}

class WorldPermissionsTest : public ::testing::Test {
 protected:
  WorldPermissionsTest() : world_(WorldState{}, [] { return std::string("hash"); }) {
    world_.SetUpdateEncoder(TestEncoder);
    WorldFile f;
    for (UserId b : {kBot, kWeakBot}) {
      // Appended: GCC 12 at -O3 gives a false -Wrestrict on "b" + std::to_string(...).
      std::string username = "b";
      username += std::to_string(b.value);
      username += "_bot";
      f.bots.push_back(
          {Bot{.id = b}, User{.id = b, .is_bot = true, .first_name = "B", .username = username}});
    }
    for (UserId u : {kOwner, kBob, kAdmin, kOutsider})
      f.users.push_back(User{.id = u, .first_name = "U"});
    auto member = [](ChatId c, UserId u, MemberStatus s = MemberStatus::kMember, Rights r = {}) {
      return Member{.chat = c, .user = u, .status = s, .rights = r};
    };
    Rights restrict;
    restrict.Set(Right::kCanRestrictMembers, true);
    Rights invite;
    invite.Set(Right::kCanInviteUsers, true);
    for (auto [id, type] :
         {std::pair{kSuper, ChatType::kSupergroup}, std::pair{kGroup, ChatType::kGroup},
          std::pair{kChannel, ChatType::kChannel}})
      f.chats.push_back({Chat{.id = id, .type = type, .title = "C"},
                         {member(id, kOwner, MemberStatus::kCreator), member(id, kBob),
                          member(id, kAdmin, MemberStatus::kAdministrator, invite),
                          member(id, kBot, MemberStatus::kAdministrator, restrict),
                          member(id, kWeakBot, MemberStatus::kAdministrator, invite)}});
    Mutation m;
    auto st = world_.ApplyWorld(f, kNow, m);
    EXPECT_TRUE(st.ok()) << st.error().message;
    Mutation allow;
    world_.SetAllowedUpdates(kBot, UpdateBit(UpdateType::kChatMember), allow);
  }

  Result<void, DomainError> Restrict(UserId bot, ChatId chat, UserId user, Permissions p,
                                     UnixTime until = 0) {
    Mutation m;
    return world_.RestrictMember(bot, ChatRef{.id = chat.value}, user,
                                 World::Restriction{.permissions = p, .until_date = until}, kNow,
                                 m);
  }
  Err RestrictError(UserId bot, ChatId chat, UserId user, Permissions p = {}) {
    auto r = Restrict(bot, chat, user, p);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Err::kChatNotFound : r.error().kind;
  }
  std::vector<std::string> Updates(UserId bot) {
    std::vector<std::string> out;
    for (const Update* u : world_.PendingUpdates(bot, kNow)) out.push_back(u->json.str());
    return out;
  }
  bool UserMaySend(UserId user, ChatId chat) {
    Mutation m;
    return world_.SendUserMessage(user, chat, text::FormattedText{.text = "hi"}, 0, kNow, m).ok();
  }

  World world_;
};

TEST(PermissionsTest, ChatDefaultsAreTheBitsMigration0007Writes) {
  EXPECT_EQ(Permissions::ChatDefaults().bits, 10239u);
  EXPECT_FALSE(Permissions::ChatDefaults().Has(Permission::kCanPinMessages));
  EXPECT_TRUE(Permissions::ChatDefaults().Has(Permission::kCanInviteUsers));
  EXPECT_EQ(Permissions::All().bits, 0xFFFFu);
  EXPECT_TRUE(With({Permission::kCanSendPhotos}).AnyMedia());
  EXPECT_FALSE(With({Permission::kCanSendPolls}).AnyMedia());
  for (int i = 0; i < static_cast<int>(Permission::kCount); ++i)
    EXPECT_EQ(PermissionFromName(PermissionName(static_cast<Permission>(i))),
              static_cast<Permission>(i));
}

TEST(PermissionsTest, WhoMaySendTextFollowsCanSendMessages) {
  World world(WorldState{}, [] { return std::string("hash"); });
  WorldFile f;
  for (UserId u : {kOwner, kBob, kAdmin, kOutsider})
    f.users.push_back(User{.id = u, .first_name = "U"});
  Chat quiet{.id = kSuper, .type = ChatType::kSupergroup, .title = "S"};
  quiet.permissions.Set(Permission::kCanSendMessages, false);
  Member talker{.chat = kSuper, .user = kBob, .status = MemberStatus::kRestricted};
  talker.permissions = With({Permission::kCanSendMessages});
  Member admin{.chat = kSuper, .user = kAdmin, .status = MemberStatus::kAdministrator};
  f.chats.push_back(
      {quiet,
       {Member{.chat = kSuper, .user = kOwner, .status = MemberStatus::kCreator}, talker, admin}});
  Chat open{.id = kGroup, .type = ChatType::kGroup, .title = "G"};
  f.chats.push_back({open,
                     {Member{.chat = kGroup, .user = kOwner, .status = MemberStatus::kCreator},
                      Member{.chat = kGroup, .user = kBob, .status = MemberStatus::kMember},
                      Member{.chat = kGroup, .user = kOutsider, .status = MemberStatus::kMember}}});
  Mutation m;
  ASSERT_TRUE(world.ApplyWorld(f, kNow, m).ok());
  auto may = [&](UserId user, ChatId chat) {
    Mutation sent;
    return world.SendUserMessage(user, chat, text::FormattedText{.text = "hi"}, 0, kNow, sent).ok();
  };
  // The chat forbids it: the restricted member's own permission is not enough.
  EXPECT_FALSE(may(kBob, kSuper));
  EXPECT_TRUE(may(kAdmin, kSuper));
  EXPECT_TRUE(may(kOwner, kSuper));
  // A plain member of a chat with the defaults may.
  EXPECT_TRUE(may(kBob, kGroup));
  const Chat& c = *world.FindChat(kSuper);
  EXPECT_EQ(World::EffectivePermissions(c, world.FindMember(kSuper, kBob)), Permissions{});
  EXPECT_EQ(World::EffectivePermissions(c, world.FindMember(kSuper, kAdmin)), Permissions::All());
  EXPECT_EQ(World::EffectivePermissions(c, nullptr), Permissions{});
}

TEST_F(WorldPermissionsTest, RestrictingAMemberStoresThePermissionsAndTellsTheAdminBots) {
  Permissions p = With({Permission::kCanSendMessages});
  ASSERT_TRUE(Restrict(kBot, kSuper, kBob, p, kNow + 3600).ok());
  const Member* bob = world_.FindMember(kSuper, kBob);
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->status, MemberStatus::kRestricted);
  EXPECT_EQ(bob->permissions, p);
  EXPECT_EQ(bob->until_date, kNow + 3600);
  std::string restricted = "7000000001:chat_member:member->restricted:";
  restricted += std::to_string(kNow + 3600);
  EXPECT_EQ(Updates(kBot), std::vector<std::string>{restricted});
  // The same restriction again changes nothing and says nothing.
  ASSERT_TRUE(Restrict(kBot, kSuper, kBob, p, kNow + 3600).ok());
  EXPECT_EQ(Updates(kBot).size(), 1u);
  // All true lifts it: a plain member again.
  ASSERT_TRUE(Restrict(kBot, kSuper, kBob, Permissions::All()).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kMember);
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->permissions, Permissions{});
  EXPECT_EQ(Updates(kBot).back(), "7000000001:chat_member:restricted->member:0");
}

TEST_F(WorldPermissionsTest, RestrictRefusesInTheSpecsOrder) {
  EXPECT_EQ(RestrictError(kBot, kGroup, kBob), Err::kOnlyForSupergroups);
  EXPECT_EQ(RestrictError(kBot, kChannel, kBob), Err::kOnlyForSupergroups);
  EXPECT_EQ(RestrictError(kBot, ChatId(-1001999999999), kBob), Err::kChatNotFound);
  EXPECT_EQ(RestrictError(kBot, kSuper, kNobody), Err::kUserNotFound);
  EXPECT_EQ(RestrictError(kBot, kSuper, kOwner), Err::kCantRemoveChatOwner);
  EXPECT_EQ(RestrictError(kBot, kSuper, kBot), Err::kCantRestrictSelf);
  // The owner error comes before the rights error; the admin error after it.
  EXPECT_EQ(RestrictError(kWeakBot, kSuper, kOwner), Err::kCantRemoveChatOwner);
  EXPECT_EQ(RestrictError(kWeakBot, kSuper, kBob), Err::kNotEnoughRightsToRestrict);
  EXPECT_EQ(RestrictError(kWeakBot, kSuper, kAdmin), Err::kNotEnoughRightsToRestrict);
  EXPECT_EQ(RestrictError(kBot, kSuper, kAdmin), Err::kUserIsAdministrator);
  EXPECT_EQ(RestrictError(kBot, kSuper, kOutsider), Err::kUserNotParticipant);
  // Lifting the restrictions of a plain member, or of someone not in the chat: nothing to do.
  EXPECT_TRUE(Restrict(kWeakBot, kSuper, kBob, Permissions::All()).ok());
  EXPECT_TRUE(Restrict(kBot, kSuper, kOutsider, Permissions::All()).ok());
  EXPECT_EQ(world_.FindMember(kSuper, kOutsider), nullptr);
}

TEST_F(WorldPermissionsTest, TheLegacyFormKeepsWhatItCannotSay) {
  ASSERT_TRUE(
      Restrict(kBot, kSuper, kBob, With({Permission::kCanSendPolls, Permission::kCanInviteUsers}))
          .ok());
  Mutation m;
  ASSERT_TRUE(
      world_
          .RestrictMember(kBot, ChatRef{.id = kSuper.value}, kBob,
                          World::Restriction{.permissions = With({}), .keep_legacy_extras = true},
                          kNow, m)
          .ok());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->permissions,
            With({Permission::kCanSendPolls, Permission::kCanInviteUsers}));
}

TEST_F(WorldPermissionsTest, WhoMaySendTextFollowsThePermissions) {
  EXPECT_TRUE(UserMaySend(kBob, kSuper));
  ASSERT_TRUE(Restrict(kBot, kSuper, kBob, With({Permission::kCanSendPolls})).ok());
  EXPECT_FALSE(UserMaySend(kBob, kSuper));
  ASSERT_TRUE(Restrict(kBot, kSuper, kBob, With({Permission::kCanSendMessages})).ok());
  EXPECT_TRUE(UserMaySend(kBob, kSuper));
  // The chat's defaults govern plain members and cap restricted ones; not administrators.
  Mutation m;
  ASSERT_TRUE(world_.SetChatPermissions(kBot, ChatRef{.id = kSuper.value}, Permissions{}, m).ok());
  EXPECT_FALSE(UserMaySend(kBob, kSuper));
  EXPECT_TRUE(UserMaySend(kAdmin, kSuper));
  EXPECT_EQ(world_.FindChat(kSuper)->permissions, Permissions{});
  ASSERT_TRUE(world_.SetChatPermissions(kBot, ChatRef{.id = kGroup.value}, Permissions{}, m).ok());
  EXPECT_FALSE(UserMaySend(kBob, kGroup));
  Target group{.chat = world_.FindChat(kGroup)};
  EXPECT_TRUE(world_.CheckNotRestricted(kBot, group).ok());  // an administrator
}

TEST_F(WorldPermissionsTest, SetChatPermissionsRefusals) {
  Mutation m;
  auto err = [&](UserId bot, ChatId chat) {
    auto r = world_.SetChatPermissions(bot, ChatRef{.id = chat.value}, Permissions{}, m);
    return r.ok() ? Err::kChatNotFound : r.error().kind;
  };
  EXPECT_EQ(err(kBot, kChannel), Err::kCantChangeChannelPermissions);
  EXPECT_EQ(err(kWeakBot, kSuper), Err::kNotEnoughRightsToChangePermissions);
  EXPECT_EQ(err(kWeakBot, kGroup), Err::kNotEnoughRightsToChangePermissions);
  auto priv = world_.SetChatPermissions(kBot, ChatRef{.id = kBob.value}, Permissions{}, m);
  // The bot never met Bob in private: the chat does not resolve.
  EXPECT_FALSE(priv.ok());
  // Unchanged: no op.
  Mutation same;
  ASSERT_TRUE(
      world_
          .SetChatPermissions(kBot, ChatRef{.id = kSuper.value}, Permissions::ChatDefaults(), same)
          .ok());
  EXPECT_TRUE(same.empty());
}

TEST_F(WorldPermissionsTest, ARestrictionEndsByItselfWhenItsUntilDatePasses) {
  ASSERT_TRUE(Restrict(kBot, kSuper, kBob, Permissions{}, kNow + 60).ok());
  Mutation early;
  world_.ExpireRestrictionsAndBans(kNow + 59, early);
  EXPECT_TRUE(early.empty());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kRestricted);
  Mutation due;
  world_.ExpireRestrictionsAndBans(kNow + 60, due);
  EXPECT_EQ(due.ops.size(), 1u);
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kMember);
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->until_date, 0);
  // A restriction replaced before it ends is not ended by the old date.
  ASSERT_TRUE(Restrict(kBot, kSuper, kBob, Permissions{}, kNow + 100).ok());
  ASSERT_TRUE(Restrict(kBot, kSuper, kBob, Permissions{}, 0).ok());
  Mutation later;
  world_.ExpireRestrictionsAndBans(kNow + 1000, later);
  EXPECT_TRUE(later.empty());
  EXPECT_EQ(world_.FindMember(kSuper, kBob)->status, MemberStatus::kRestricted);
}

}  // namespace
}  // namespace tgi::domain
