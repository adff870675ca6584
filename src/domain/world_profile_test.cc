// Bot settings on the World alone: the profile entries, their ops and their loading, the texts'
// fallback, the chats of command scopes and the users of menu buttons (spec
// bot-api-moderation.md 10).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/world.h"

namespace tgi::domain {
namespace {

constexpr UserId kBot{7000000001};
constexpr UserId kOtherBot{7000000002};
constexpr UserId kAlice{100001};
constexpr UserId kBob{100002};                   // in no chat with the bot; writes to it privately
constexpr UserId kCarol{100003};                 // in no chat with the bot, never wrote to it
constexpr ChatId kPublic{-1001000000001};        // public supergroup, the bot an administrator
constexpr ChatId kPrivate{-1001000000002};       // private supergroup, the bot a member
constexpr ChatId kLeft{-1001000000003};          // private supergroup, the bot left
constexpr ChatId kKicked{-1001000000004};        // private supergroup, the bot kicked
constexpr ChatId kPublicLeft{-1001000000005};    // public supergroup, the bot left
constexpr ChatId kPublicKicked{-1001000000006};  // public supergroup, the bot kicked
constexpr ChatId kChannel{-1002000000001};       // channel, the bot an administrator
constexpr ChatId kGroup{-4001};                  // basic group, the bot a member
constexpr ChatId kGroupLeft{-4002};              // basic group, the bot left
constexpr ChatId kUpgraded{-4003};               // basic group, upgraded
constexpr ChatId kNoRecord{-1001000000009};      // private supergroup without the bot
constexpr UnixTime kNow = 1767225600;

using Scope = World::CommandScope;
using ScopeType = World::CommandScopeType;

class WorldProfileTest : public ::testing::Test {
 protected:
  WorldProfileTest()
      : world_(WorldState{}, [this] { return std::string("h").append(std::to_string(++n_)); }) {
    WorldFile f;
    f.bots.push_back(
        {Bot{.id = kBot},
         User{.id = kBot, .is_bot = true, .first_name = "One", .username = "one_bot"}});
    f.bots.push_back(
        {Bot{.id = kOtherBot},
         User{.id = kOtherBot, .is_bot = true, .first_name = "Two", .username = "two_bot"}});
    for (UserId u : {kAlice, kBob, kCarol})
      f.users.push_back(
          User{.id = u, .first_name = std::string("U").append(std::to_string(u.value))});
    auto member = [](ChatId c, UserId u, MemberStatus s) {
      return Member{.chat = c, .user = u, .status = s};
    };
    auto chat = [&](ChatId id, ChatType type, std::string username, MemberStatus bot) {
      f.chats.push_back({Chat{.id = id, .type = type, .title = "T", .username = username},
                         {member(id, kAlice, MemberStatus::kCreator), member(id, kBot, bot)}});
    };
    chat(kPublic, ChatType::kSupergroup, "pub_chat", MemberStatus::kAdministrator);
    chat(kPrivate, ChatType::kSupergroup, "", MemberStatus::kMember);
    chat(kLeft, ChatType::kSupergroup, "", MemberStatus::kLeft);
    chat(kKicked, ChatType::kSupergroup, "", MemberStatus::kKicked);
    chat(kPublicLeft, ChatType::kSupergroup, "pub_left", MemberStatus::kLeft);
    chat(kPublicKicked, ChatType::kSupergroup, "pub_kicked", MemberStatus::kKicked);
    chat(kChannel, ChatType::kChannel, "", MemberStatus::kAdministrator);
    chat(kGroup, ChatType::kGroup, "", MemberStatus::kMember);
    chat(kGroupLeft, ChatType::kGroup, "", MemberStatus::kLeft);
    chat(kUpgraded, ChatType::kGroup, "", MemberStatus::kMember);
    f.chats.push_back({Chat{.id = kNoRecord, .type = ChatType::kSupergroup, .title = "N"},
                       {member(kNoRecord, kAlice, MemberStatus::kCreator)}});
    Mutation m;
    Status st = world_.ApplyWorld(f, kNow, m);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
    auto upgraded = world_.Upgrade(kUpgraded, std::nullopt, kNow, m);
    EXPECT_TRUE(upgraded.ok());
    if (upgraded) new_chat_ = *upgraded;
    // Bob starts the bot: the bot now knows him. Carol never did.
    auto said = world_.SendUserMessage(kBob, ChatId(kBot.value), {.text = "/start"}, 0, kNow, m);
    EXPECT_TRUE(said.ok()) << (said.ok() ? "" : said.error().message);
  }

  // The scope's name, or "error:<Err>".
  std::string Resolve(Scope scope) {
    auto r = world_.ResolveCommandScope(kBot, scope);
    if (!r) return ErrorOf(r.error().kind);
    return r->name;
  }
  static std::string ErrorOf(Err e) {
    std::string out = "error:";
    return out.append(std::to_string(static_cast<int>(e)));
  }
  static Scope ChatScope(ScopeType type, int64_t chat, UserId user = {}) {
    return Scope{.type = type, .chat = ChatRef{.id = chat}, .user = user};
  }

  int n_ = 0;
  World world_;
  ChatId new_chat_;
};

TEST_F(WorldProfileTest, KeysNameEverySettingAndLanguage) {
  EXPECT_EQ(World::CommandsKey("default", ""), "commands/default/");
  EXPECT_EQ(World::CommandsKey("chat_member:-4001:100001", "en"),
            "commands/chat_member:-4001:100001/en");
  EXPECT_EQ(World::ProfileTextKey(World::ProfileText::kName, ""), "name/");
  EXPECT_EQ(World::ProfileTextKey(World::ProfileText::kDescription, "de"), "description/de");
  EXPECT_EQ(World::ProfileTextKey(World::ProfileText::kShortDescription, "fr"),
            "short_description/fr");
  EXPECT_EQ(World::MenuButtonKey(std::nullopt), "menu_button/default");
  EXPECT_EQ(World::MenuButtonKey(kAlice), "menu_button/100001");
  EXPECT_EQ(World::DefaultAdminRightsKey(false), "default_admin_rights/groups");
  EXPECT_EQ(World::DefaultAdminRightsKey(true), "default_admin_rights/channels");
}

TEST_F(WorldProfileTest, ScopesWithoutChatNameThemselves) {
  EXPECT_EQ(Resolve({.type = ScopeType::kDefault}), "default");
  EXPECT_EQ(Resolve({.type = ScopeType::kAllPrivateChats}), "all_private_chats");
  EXPECT_EQ(Resolve({.type = ScopeType::kAllGroupChats}), "all_group_chats");
  EXPECT_EQ(Resolve({.type = ScopeType::kAllChatAdministrators}), "all_chat_administrators");
  auto r = world_.ResolveCommandScope(kBot, {.type = ScopeType::kDefault});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->target.chat, nullptr);
  EXPECT_EQ(r->target.user, nullptr);
}

TEST_F(WorldProfileTest, ChatScopesNameTheChatByItsId) {
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kPublic.value)), "chat:-1001000000001");
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChatAdministrators, kGroup.value)),
            "chat_administrators:-4001");
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChatMember, kPrivate.value, kAlice)),
            "chat_member:-1001000000002:100001");
  // An @username gives the same name as the id.
  EXPECT_EQ(Resolve({.type = ScopeType::kChat, .chat = ChatRef{.username = "PUB_Chat"}}),
            "chat:-1001000000001");
  // The member of chat_member need not be known (the server is asked with any valid id).
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChatMember, kPublic.value, UserId(555))),
            "chat_member:-1001000000001:555");
  // A channel resolves: refusing it is TDLib's, in the Bot API layer.
  auto channel = world_.ResolveCommandScope(kBot, ChatScope(ScopeType::kChat, kChannel.value));
  ASSERT_TRUE(channel.ok());
  EXPECT_EQ(channel->name, "chat:-1002000000001");
  ASSERT_NE(channel->target.chat, nullptr);
  EXPECT_EQ(channel->target.chat->type, ChatType::kChannel);
}

TEST_F(WorldProfileTest, PrivateChatScopesNeedAUserTheBotKnows) {
  auto bob = world_.ResolveCommandScope(kBot, ChatScope(ScopeType::kChatMember, kBob.value, kBob));
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->name, "chat_member:100002:100002");
  ASSERT_NE(bob->target.user, nullptr);
  EXPECT_EQ(bob->target.user->id, kBob);
  // Alice shares chats with the bot.
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kAlice.value)), "chat:100001");
  // Carol never met it; 999 does not exist; the bot has no private chat with itself.
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kCarol.value)), ErrorOf(Err::kChatNotFound));
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, 999)), ErrorOf(Err::kChatNotFound));
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kBot.value)), ErrorOf(Err::kChatNotFound));
  // Another bot by its @username (the reference's searchPublicChat finds bots).
  EXPECT_EQ(Resolve({.type = ScopeType::kChat, .chat = ChatRef{.username = "two_bot"}}),
            "chat:7000000002");
}

TEST_F(WorldProfileTest, ChatScopesNeedTheMemberListAccess) {
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, -1001999999999)), ErrorOf(Err::kChatNotFound));
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kNoRecord.value)), ErrorOf(Err::kChatNotFound));
  EXPECT_EQ(Resolve({.type = ScopeType::kChat, .chat = ChatRef{.username = "nobody"}}),
            ErrorOf(Err::kChatNotFound));
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kLeft.value)), ErrorOf(Err::kBotNotMember));
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kKicked.value)), ErrorOf(Err::kBotKicked));
  // Public: readable without being a member, but not by a kicked bot.
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kPublicLeft.value)), "chat:-1001000000005");
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kPublicKicked.value)), ErrorOf(Err::kBotKicked));
  // Basic groups: write access.
  EXPECT_EQ(Resolve(ChatScope(ScopeType::kChat, kGroupLeft.value)), ErrorOf(Err::kBotNotMember));
  auto upgraded = world_.ResolveCommandScope(kBot, ChatScope(ScopeType::kChat, kUpgraded.value));
  ASSERT_FALSE(upgraded.ok());
  EXPECT_EQ(upgraded.error().kind, Err::kGroupUpgraded);
  ASSERT_TRUE(upgraded.error().migrate_to.has_value());
  EXPECT_EQ(*upgraded.error().migrate_to, new_chat_);
  // The kind of chat travels with the error for its text.
  auto kicked = world_.ResolveCommandScope(kBot, ChatScope(ScopeType::kChat, kKicked.value));
  ASSERT_FALSE(kicked.ok());
  EXPECT_EQ(kicked.error().chat_type, ChatType::kSupergroup);
}

TEST_F(WorldProfileTest, SetProfileWritesAnOpOnlyWhenTheValueChanges) {
  Mutation m;
  world_.SetProfile(kBot, "name/en", "Helper", m);
  ASSERT_EQ(m.ops.size(), 1u);
  EXPECT_EQ(std::get<BotProfileEntry>(m.ops[0]),
            (BotProfileEntry{.bot = kBot, .key = "name/en", .value = "Helper"}));
  EXPECT_EQ(world_.Profile(kBot, "name/en"), "Helper");
  EXPECT_EQ(world_.Profile(kOtherBot, "name/en"), "");

  world_.SetProfile(kBot, "name/en", "Helper", m);  // unchanged
  EXPECT_EQ(m.ops.size(), 1u);
  world_.SetProfile(kBot, "name/de", "", m);  // removing what is not there
  EXPECT_EQ(m.ops.size(), 1u);

  world_.SetProfile(kBot, "name/en", "", m);  // removes it
  ASSERT_EQ(m.ops.size(), 2u);
  EXPECT_EQ(std::get<BotProfileEntry>(m.ops[1]),
            (BotProfileEntry{.bot = kBot, .key = "name/en", .value = ""}));
  EXPECT_EQ(world_.Profile(kBot, "name/en"), "");
}

TEST_F(WorldProfileTest, EntriesAreLoadedAndSnapshotInTheStoresOrder) {
  Mutation m;
  world_.SetProfile(kOtherBot, "name/", "Two!", m);
  world_.SetProfile(kBot, "name/", "One!", m);
  world_.SetProfile(kBot, "commands/default/", R"([{"command":"a","description":"b"}])", m);
  world_.SetProfile(kBot, "description/", "gone", m);
  world_.SetProfile(kBot, "description/", "", m);
  std::vector<BotProfileEntry> want = {
      {.bot = kBot, .key = "commands/default/", .value = R"([{"command":"a","description":"b"}])"},
      {.bot = kBot, .key = "name/", .value = "One!"},
      {.bot = kOtherBot, .key = "name/", .value = "Two!"},
  };
  WorldState state = world_.SnapshotForTesting();
  EXPECT_EQ(state.bot_profile, want);

  World reloaded(state, [] { return std::string("x"); });
  EXPECT_EQ(reloaded.Profile(kBot, "name/"), "One!");
  EXPECT_EQ(reloaded.Profile(kBot, "description/"), "");
  EXPECT_EQ(reloaded.SnapshotForTesting().bot_profile, want);
}

TEST_F(WorldProfileTest, TextsFallBackToTheDefaultLanguageThenTheFirstName) {
  using PT = World::ProfileText;
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kName, ""), "One");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kName, "en"), "One");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kDescription, "en"), "");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kShortDescription, ""), "");

  Mutation m;
  world_.SetProfile(kBot, World::ProfileTextKey(PT::kName, ""), "Helper", m);
  world_.SetProfile(kBot, World::ProfileTextKey(PT::kName, "de"), "Helfer", m);
  world_.SetProfile(kBot, World::ProfileTextKey(PT::kDescription, ""), "About", m);
  world_.SetProfile(kBot, World::ProfileTextKey(PT::kShortDescription, "fr"), "Court", m);
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kName, ""), "Helper");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kName, "de"), "Helfer");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kName, "en"), "Helper");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kDescription, "de"), "About");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kShortDescription, "fr"), "Court");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kShortDescription, "en"), "");
  EXPECT_EQ(world_.ProfileTextFor(kBot, PT::kShortDescription, ""), "");
  // The other bot is untouched.
  EXPECT_EQ(world_.ProfileTextFor(kOtherBot, PT::kName, "de"), "Two");
}

TEST_F(WorldProfileTest, MenuButtonUsersMustBeKnownToTheBot) {
  EXPECT_TRUE(world_.CheckMenuButtonUser(kBot, kBob).ok());    // started the bot
  EXPECT_TRUE(world_.CheckMenuButtonUser(kBot, kAlice).ok());  // shares chats with it
  for (UserId u : {kCarol, UserId(999), kBot}) {
    auto r = world_.CheckMenuButtonUser(kBot, u);
    ASSERT_FALSE(r.ok()) << u.value;
    EXPECT_EQ(r.error().kind, Err::kUserNotFound);
  }
  // Knowing is per bot: the other bot never met Bob.
  EXPECT_FALSE(world_.CheckMenuButtonUser(kOtherBot, kBob).ok());
}

}  // namespace
}  // namespace tgi::domain
