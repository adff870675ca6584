// Moderation on the World alone: ChatPermissions and who may send text (spec
// bot-api-moderation.md 4.5).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr UserId kOwner{100001};
constexpr UserId kBob{100002};
constexpr UserId kAdmin{100003};
constexpr UserId kOutsider{100004};
constexpr ChatId kSuper{-1001000000001};
constexpr ChatId kGroup{-4001};
constexpr UnixTime kNow = 1767225600;

Permissions With(std::initializer_list<Permission> ps) {
  Permissions p;
  for (Permission x : ps) p.Set(x, true);
  return p;
}

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

}  // namespace
}  // namespace tgi::domain
