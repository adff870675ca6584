#include "control/world_json.h"

#include <gtest/gtest.h>

namespace tgi::control {
namespace {

constexpr const char* kWorld = R"({
  "bots": [{"id": 7000000001, "token": "7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo",
            "username": "invite_demo_bot", "first_name": "Invite Demo", "can_join_groups": false}],
  "users": [{"id": 100001, "first_name": "Alice", "username": "alice"}],
  "chats": [{"id": -1001000000001, "type": "supergroup", "title": "Demo", "username": "demo_group",
             "members": [{"user_id": 100001, "status": "creator"},
                         {"user_id": 7000000001, "status": "administrator",
                          "rights": {"can_invite_users": true, "can_manage_chat": true}}]}]})";

TEST(WorldJsonTest, ReadsTheDocumentedExample) {
  auto f = ParseWorldFile(kWorld);
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->bots.size(), 1u);
  EXPECT_EQ(f->bots[0].bot.id.value, 7000000001);
  EXPECT_FALSE(f->bots[0].bot.can_join_groups);
  EXPECT_EQ(f->bots[0].user.username, "invite_demo_bot");
  EXPECT_EQ(f->bots[0].bot.token_sha256,
            crypto::Sha256("7000000001:AAE3kq0Zp9xY2vWc7LmN4rTb8HsJd1uFgQo"));
  ASSERT_EQ(f->chats.size(), 1u);
  ASSERT_EQ(f->chats[0].members.size(), 2u);
  EXPECT_TRUE(f->chats[0].members[1].rights.Has(domain::Right::kCanInviteUsers));
  EXPECT_TRUE(f->chats[0].members[1].rights.Has(domain::Right::kCanManageChat));
  EXPECT_FALSE(f->chats[0].members[1].rights.Has(domain::Right::kCanChangeInfo));
}

TEST(WorldJsonTest, NamesThePathOfTheFirstProblem) {
  struct Case {
    const char* json;
    const char* error;
  } cases[] = {
      {"[]", "$: must be an object, not an array"},
      {"{\"bots\": {}}", "$.bots: must be an array"},
      {"{\"chats\": [{\"id\": -1001, \"type\": \"group\", \"title\": \"x\", \"members\": "
       "[{\"user_id\": 1, \"status\": \"admin\"}]}]}",
       "$.chats[0].members[0].status: unknown status \"admin\" (creator, administrator, member, "
       "restricted, left, kicked)"},
      {"{\"users\": [{\"id\": \"5\", \"first_name\": \"x\"}]}",
       "$.users[0].id: must be an integer, not a string"},
      {"{\"users\": [{\"id\": 5}]}", "$.users[0].first_name: is required"},
      {"{\"users\": [{\"id\": 5, \"first_name\": \"x\", \"nick\": 1}]}",
       "$.users[0].nick: unknown field"},
      {"{\"bots\": [{\"id\": 5, \"token\": \"6:AAAAAAAAAAAAAAAAAAAAAAAAAAAA\", \"username\": "
       "\"a_bot\", \"first_name\": \"x\"}]}",
       "$.bots[0].token: must start with the bot id and ':'"},
      {"{\"chats\": [{\"id\": -1, \"type\": \"group\", \"title\": \"x\", \"members\": "
       "[{\"user_id\": 1, \"status\": \"member\", \"rights\": {\"can_fly\": true}}]}]}",
       "$.chats[0].members[0].rights.can_fly: unknown right"},
  };
  for (const auto& c : cases) {
    auto f = ParseWorldFile(c.json);
    ASSERT_FALSE(f.ok()) << c.json;
    EXPECT_EQ(f.error().message, c.error);
  }
}

TEST(WorldJsonTest, PermissionsOfChatsAndRestrictedMembers) {
  auto f = ParseWorldFile(R"({"chats": [
    {"id": -1001, "type": "supergroup", "title": "x", "permissions": {"can_send_messages": false},
     "members": [{"user_id": 1, "status": "restricted", "until_date": 5,
                  "permissions": {"can_send_polls": true}},
                 {"user_id": 2, "status": "restricted"}]},
    {"id": -1002, "type": "group", "title": "y"}]})");
  ASSERT_TRUE(f.ok()) << f.error().message;
  using domain::Permission;
  domain::Permissions quiet = domain::Permissions::ChatDefaults();
  quiet.Set(Permission::kCanSendMessages, false);
  EXPECT_EQ(f->chats[0].chat.permissions, quiet);
  EXPECT_EQ(f->chats[1].chat.permissions, domain::Permissions::ChatDefaults());
  domain::Permissions polls;
  polls.Set(Permission::kCanSendPolls, true);
  EXPECT_EQ(f->chats[0].members[0].permissions, polls);
  EXPECT_EQ(f->chats[0].members[0].until_date, 5);
  EXPECT_EQ(f->chats[0].members[1].permissions, domain::Permissions{});

  struct Case {
    const char* json;
    const char* error;
  } cases[] = {
      {R"({"chats": [{"id": -1, "type": "group", "title": "x", "members":
          [{"user_id": 1, "status": "member", "permissions": {}}]}]})",
       "$.chats[0].members[0].permissions: only restricted members have permissions"},
      {R"({"chats": [{"id": -1, "type": "group", "title": "x", "members":
          [{"user_id": 1, "status": "restricted", "permissions": {"can_fly": true}}]}]})",
       "$.chats[0].members[0].permissions.can_fly: unknown permission"},
      {R"({"chats": [{"id": -1, "type": "group", "title": "x",
          "permissions": {"can_send_messages": 1}}]})",
       "$.chats[0].permissions.can_send_messages: must be true or false"},
      {R"({"chats": [{"id": -1002, "type": "channel", "title": "x", "permissions": {}}]})",
       "$.chats[0].permissions: channels have no member permissions"},
  };
  for (const auto& c : cases) {
    auto r = ParseWorldFile(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().message, c.error);
  }
}

TEST(WorldJsonTest, ErrorsNeverRepeatAToken) {
  auto f = ParseWorldFile(
      R"({"bots": [{"id": 5, "token": "5:short_secret", "username": "a_bot", "first_name": "x"}]})");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message.find("short_secret"), std::string::npos);
}

TEST(WorldJsonTest, BrokenJsonIsSaidToBeBroken) {
  auto f = ParseWorldFile("{\"bots\": [");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message.rfind("body is not valid JSON", 0), 0u);
}

}  // namespace
}  // namespace tgi::control
