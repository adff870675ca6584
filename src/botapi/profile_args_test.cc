#include "botapi/profile_args.h"

#include <gtest/gtest.h>

#include <string>

namespace tgi::botapi {
namespace {

using domain::Right;
using Scope = domain::World::CommandScope;
using ScopeType = domain::World::CommandScopeType;
using ProfileText = domain::World::ProfileText;

template <typename T>
std::string ErrorOf(const Result<T, ApiError>& r) {
  return r ? std::string("ok") : r.error().description;
}

// ---------------------------------------------------------------------------------------------
// language_code

TEST(CheckBotLanguageCodeTest, EmptyOrTwoLowercaseLetters) {
  for (const char* ok : {"", "en", "de", "zz"}) EXPECT_TRUE(CheckBotLanguageCode(ok).ok()) << ok;
  for (const char* bad : {"EN", "En", "e", "eng", "en-US", "en_US", "e1", " en", "\xc3\xa9n"}) {
    auto r = CheckBotLanguageCode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, 400);
    EXPECT_EQ(r.error().description, "Bad Request: invalid language code specified") << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// commands

TEST(ParseBotCommandsTest, EmptyIsAnEmptyList) {
  auto r = ParseBotCommands("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  auto empty_array = ParseBotCommands("[]");
  ASSERT_TRUE(empty_array.ok());
  EXPECT_TRUE(empty_array->empty());
}

TEST(ParseBotCommandsTest, ReadsCommandsInOrderAndNumbersAsText) {
  auto r = ParseBotCommands(
      R"([{"command":"start","description":"Start it","extra":1},{"command":42,"description":1.50}])");
  ASSERT_TRUE(r.ok()) << ErrorOf(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0], (BotCommandArg{"start", "Start it"}));
  EXPECT_EQ((*r)[1], (BotCommandArg{"42", "1.50"}));
}

TEST(ParseBotCommandsTest, ErrorTexts) {
  struct Case {
    const char* json;
    const char* want;
  } cases[] = {
      {"x", "Bad Request: can't parse commands JSON object"},
      {"[", "Bad Request: can't parse commands JSON object"},
      {"{}", "Bad Request: expected an Array of BotCommand"},
      {R"({"command":"a","description":"b"})", "Bad Request: expected an Array of BotCommand"},
      {"null", "Bad Request: expected an Array of BotCommand"},
      {R"("[]")", "Bad Request: expected an Array of BotCommand"},
      {"[1]", "Bad Request: can't parse BotCommand: expected an Object"},
      {R"([{"command":"a","description":"b"},[]])",
       "Bad Request: can't parse BotCommand: expected an Object"},
      {R"([{"command":"a"}])",
       R"(Bad Request: can't parse BotCommand: Can't find field "description")"},
      {R"([{"description":"a"}])",
       R"(Bad Request: can't parse BotCommand: Can't find field "command")"},
      {R"([{"command":true,"description":"b"}])",
       R"(Bad Request: can't parse BotCommand: Field "command" must be of type String)"},
      {R"([{"command":"a","description":null}])",
       R"(Bad Request: can't parse BotCommand: Field "description" must be of type String)"},
      {R"([{"command":"a","description":["b"]}])",
       R"(Bad Request: can't parse BotCommand: Field "description" must be of type String)"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseBotCommands(c.json)), c.want) << c.json;
}

std::string Clean(std::vector<BotCommandArg> commands, std::vector<BotCommandArg>* out = nullptr) {
  auto r = CleanBotCommands(commands);
  if (out) *out = commands;
  return ErrorOf(r);
}

TEST(CleanBotCommandsTest, TrimsAndDropsOneLeadingSlash) {
  std::vector<BotCommandArg> out;
  ASSERT_EQ(Clean({{" /start\n", "\tStart the bot  "},
                   {"//twice", "x"},
                   {"/ spaced", "y"},
                   {"a\rb", "line\r\nbreak"},
                   {"caf\xc3\xa9", "d\x01"}},
                  &out),
            "ok");
  std::vector<BotCommandArg> want = {{"start", "Start the bot"},
                                     {"/twice", "x"},
                                     {" spaced", "y"},  // trimmed before the '/' only
                                     {"ab", "line\nbreak"},
                                     {"caf\xc3\xa9", "d"}};
  EXPECT_EQ(out, want);
}

TEST(CleanBotCommandsTest, LengthsCountCodePoints) {
  std::string e_acute = "\xc3\xa9";
  std::string command32, description256;
  for (int i = 0; i < 32; ++i) command32 += e_acute;
  for (int i = 0; i < 256; ++i) description256 += e_acute;
  EXPECT_EQ(Clean({{command32, description256}}), "ok");
  EXPECT_EQ(Clean({{command32 + "a", "d"}}), "Bad Request: command length must not exceed 32");
  EXPECT_EQ(Clean({{"c", description256 + "x"}}),
            "Bad Request: command description length must not exceed 256");
}

TEST(CleanBotCommandsTest, ErrorTextsInTdlibsOrder) {
  struct Case {
    std::vector<BotCommandArg> commands;
    const char* want;
  } cases[] = {
      {{{"a\xff", "d"}}, "Bad Request: command must be encoded in UTF-8"},
      {{{"a\xff", "\xff"}}, "Bad Request: command must be encoded in UTF-8"},
      {{{"a", "d\xc3"}}, "Bad Request: command description must be encoded in UTF-8"},
      {{{"", "d"}}, "Bad Request: command must be non-empty"},
      {{{"/", "d"}}, "Bad Request: command must be non-empty"},
      {{{" / ", "d"}}, "Bad Request: command must be non-empty"},
      {{{"  ", "d"}}, "Bad Request: command must be non-empty"},
      {{{"a", ""}}, "Bad Request: command description must be non-empty"},
      {{{"a", " \n\t"}}, "Bad Request: command description must be non-empty"},
      {{{"", ""}}, "Bad Request: command must be non-empty"},
      // Command by command: the first bad one decides.
      {{{"ok", "fine"}, {"", "x"}, {"b\xff", "y"}}, "Bad Request: command must be non-empty"},
  };
  for (const auto& c : cases) EXPECT_EQ(Clean(c.commands), c.want);
}

TEST(CheckBotCommandsAtServerTest, CharactersAndCount) {
  EXPECT_TRUE(CheckBotCommandsAtServer({{"start_2", "d"}, {"a", "b"}}).ok());
  for (const char* bad : {"Start", "st-art", "st art", " spaced", "caf\xc3\xa9", "a.b", "/x"}) {
    EXPECT_EQ(ErrorOf(CheckBotCommandsAtServer({{"ok", "d"}, {bad, "d"}})),
              "Bad Request: BOT_COMMAND_INVALID")
        << bad;
  }
  std::vector<BotCommandArg> hundred(100, BotCommandArg{"a", "b"});
  EXPECT_TRUE(CheckBotCommandsAtServer(hundred).ok());
  hundred.push_back({"b", "c"});
  EXPECT_EQ(ErrorOf(CheckBotCommandsAtServer(hundred)), "Bad Request: BOT_COMMANDS_TOO_MUCH");
  hundred.back().command = "B";  // the count first
  EXPECT_EQ(ErrorOf(CheckBotCommandsAtServer(hundred)), "Bad Request: BOT_COMMANDS_TOO_MUCH");
}

TEST(EncodeBotCommandsTest, ReferenceShape) {
  EXPECT_EQ(EncodeBotCommands({}), "[]");
  EXPECT_EQ(EncodeBotCommands({{"start", "Caf\xc3\xa9 \"now\""}, {"help", "Help"}}),
            R"([{"command":"start","description":"Caf\u00e9 \"now\""},)"
            R"({"command":"help","description":"Help"}])");
}

// ---------------------------------------------------------------------------------------------
// scope

Scope ParseScope(std::string_view json) {
  auto r = ParseBotCommandScope(json);
  EXPECT_TRUE(r.ok()) << json << ": " << ErrorOf(r);
  return r ? *r : Scope{};
}

TEST(ParseBotCommandScopeTest, Types) {
  EXPECT_EQ(ParseScope("").type, ScopeType::kDefault);
  EXPECT_EQ(ParseScope(R"({"type":"default"})").type, ScopeType::kDefault);
  EXPECT_EQ(ParseScope(R"({"type":"all_private_chats"})").type, ScopeType::kAllPrivateChats);
  EXPECT_EQ(ParseScope(R"({"type":"all_group_chats","chat_id":[]})").type,
            ScopeType::kAllGroupChats);
  EXPECT_EQ(ParseScope(R"({"type":"all_chat_administrators"})").type,
            ScopeType::kAllChatAdministrators);

  Scope chat = ParseScope(R"({"type":"chat","chat_id":-1001000000001})");
  EXPECT_EQ(chat.type, ScopeType::kChat);
  EXPECT_EQ(chat.chat.id, std::optional<int64_t>(-1001000000001));
  Scope admins = ParseScope(R"({"type":"chat_administrators","chat_id":"@demo_group"})");
  EXPECT_EQ(admins.type, ScopeType::kChatAdministrators);
  EXPECT_FALSE(admins.chat.id.has_value());
  EXPECT_EQ(admins.chat.username, "demo_group");
  Scope member = ParseScope(R"({"type":"chat_member","chat_id":"-4001","user_id":"100001"})");
  EXPECT_EQ(member.type, ScopeType::kChatMember);
  EXPECT_EQ(member.chat.id, std::optional<int64_t>(-4001));
  EXPECT_EQ(member.user, UserId(100001));
  // chat_id is read as check_chat reads it: a lenient integer.
  EXPECT_EQ(ParseScope(R"({"type":"chat","chat_id":"12abc"})").chat.id, std::optional<int64_t>(12));
  EXPECT_EQ(ParseScope(R"({"type":"chat","chat_id":"abc"})").chat.id, std::optional<int64_t>(0));
}

TEST(ParseBotCommandScopeTest, ErrorTexts) {
  const std::string p = "Bad Request: can't parse BotCommandScope: ";
  struct Case {
    const char* json;
    std::string want;
  } cases[] = {
      {"x", "Bad Request: can't parse BotCommandScope JSON object"},
      {"{", "Bad Request: can't parse BotCommandScope JSON object"},
      {"[]", p + "BotCommandScope must be an Object"},
      {"null", p + "BotCommandScope must be an Object"},
      {R"("default")", p + "BotCommandScope must be an Object"},
      {"{}", p + R"(Can't find field "type")"},
      {R"({"type":1})", p + "Unsupported type specified"},  // a number is its text, "1"
      {R"({"type":null})", p + R"(Field "type" must be of type String)"},
      {R"({"type":"Default"})", p + "Unsupported type specified"},
      {R"({"type":"chat_admins"})", p + "Unsupported type specified"},
      {R"({"type":"chat"})", p + R"(Can't find field "chat_id")"},
      {R"({"type":"chat_member","user_id":1})", p + R"(Can't find field "chat_id")"},
      {R"({"type":"chat","chat_id":""})", p + "Empty chat_id specified"},
      {R"({"type":"chat","chat_id":true})", p + R"(Field "chat_id" must be of type String)"},
      {R"({"type":"chat_member","chat_id":-1})", p + R"(Can't find field "user_id")"},
      {R"({"type":"chat_member","chat_id":-1,"user_id":"x"})",
       p + R"(Field "user_id" must be a valid Number)"},
      {R"({"type":"chat_member","chat_id":-1,"user_id":1.5})",
       p + R"(Field "user_id" must be a valid Number)"},
      {R"({"type":"chat_member","chat_id":-1,"user_id":0})", p + "Invalid user_id specified"},
      {R"({"type":"chat_member","chat_id":-1,"user_id":-5})", p + "Invalid user_id specified"},
      {R"({"type":"chat_member","chat_id":"","user_id":0})", p + "Empty chat_id specified"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseBotCommandScope(c.json)), c.want) << c.json;
}

TEST(CheckCommandScopeChatTest, TdlibsRulesOnTheChat) {
  domain::User user{.id = UserId(100001)};
  domain::Chat channel{.id = ChatId(-1002000000001), .type = domain::ChatType::kChannel};
  domain::Chat supergroup{.id = ChatId(-1001000000001), .type = domain::ChatType::kSupergroup};
  domain::Chat group{.id = ChatId(-4001), .type = domain::ChatType::kGroup};
  auto check = [](ScopeType type, domain::Target target, UserId member = UserId(5)) {
    return ErrorOf(CheckCommandScopeChat(Scope{.type = type, .user = member}, target));
  };
  EXPECT_EQ(check(ScopeType::kDefault, {}), "ok");
  EXPECT_EQ(check(ScopeType::kChat, {.user = &user}), "ok");
  for (ScopeType type : {ScopeType::kChatAdministrators, ScopeType::kChatMember})
    EXPECT_EQ(check(type, {.user = &user}),
              "Bad Request: can't use specified scope in private chats");
  for (ScopeType type : {ScopeType::kChat, ScopeType::kChatAdministrators, ScopeType::kChatMember})
    EXPECT_EQ(check(type, {.chat = &channel}),
              "Bad Request: can't change commands in channel chats");
  EXPECT_EQ(check(ScopeType::kChatMember, {.chat = &supergroup}), "ok");
  EXPECT_EQ(check(ScopeType::kChatAdministrators, {.chat = &group}), "ok");
  // The member's id is checked first.
  EXPECT_EQ(check(ScopeType::kChatMember, {.chat = &supergroup}, UserId((int64_t{1} << 40) - 1)),
            "ok");
  EXPECT_EQ(check(ScopeType::kChatMember, {.chat = &channel}, UserId(int64_t{1} << 40)),
            "Bad Request: user not found");
}

// ---------------------------------------------------------------------------------------------
// name, description, short description

TEST(CheckProfileTextTest, CleansAndChecksInTdlibsOrder) {
  EXPECT_EQ(*CheckProfileText(ProfileText::kName, "Helper\r", ""), "Helper");
  EXPECT_EQ(*CheckProfileText(ProfileText::kDescription, "a\tb", "en"), "a b");
  EXPECT_EQ(*CheckProfileText(ProfileText::kShortDescription, "", "en"), "");
  EXPECT_EQ(*CheckProfileText(ProfileText::kDescription, "", ""), "");
  EXPECT_EQ(*CheckProfileText(ProfileText::kName, "", "de"), "");
  // UTF-8 before the language, the language before the server's limits.
  EXPECT_EQ(ErrorOf(CheckProfileText(ProfileText::kName, "\xff", "EN")),
            "Bad Request: strings must be encoded in UTF-8");
  EXPECT_EQ(ErrorOf(CheckProfileText(ProfileText::kName, "", "EN")),
            "Bad Request: invalid language code specified");
  EXPECT_EQ(ErrorOf(CheckProfileText(ProfileText::kName, std::string(65, 'x'), "en-")),
            "Bad Request: invalid language code specified");
}

TEST(CheckProfileTextTest, ServerLimitsInCodePoints) {
  auto repeat = [](std::string s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
  };
  const std::string e = "\xc3\xa9";
  EXPECT_TRUE(CheckProfileText(ProfileText::kName, repeat(e, 64), "").ok());
  EXPECT_EQ(ErrorOf(CheckProfileText(ProfileText::kName, repeat(e, 65), "en")),
            "Bad Request: FIRSTNAME_INVALID");
  EXPECT_EQ(ErrorOf(CheckProfileText(ProfileText::kName, "", "")),
            "Bad Request: FIRSTNAME_INVALID");
  EXPECT_TRUE(CheckProfileText(ProfileText::kDescription, repeat(e, 512), "").ok());
  EXPECT_EQ(ErrorOf(CheckProfileText(ProfileText::kDescription, repeat(e, 513), "")),
            "Bad Request: DESCRIPTION_TOO_LONG");
  EXPECT_TRUE(CheckProfileText(ProfileText::kShortDescription, repeat(e, 120), "fr").ok());
  EXPECT_EQ(ErrorOf(CheckProfileText(ProfileText::kShortDescription, repeat(e, 121), "fr")),
            "Bad Request: ABOUT_TOO_LONG");
}

TEST(EncodeProfileTextTest, OneFieldEach) {
  EXPECT_EQ(EncodeProfileText(ProfileText::kName, "Caf\xc3\xa9"), R"({"name":"Caf\u00e9"})");
  EXPECT_EQ(EncodeProfileText(ProfileText::kDescription, ""), R"({"description":""})");
  EXPECT_EQ(EncodeProfileText(ProfileText::kShortDescription, "a/b"),
            R"({"short_description":"a/b"})");
}

// ---------------------------------------------------------------------------------------------
// menu button

TEST(ParseMenuButtonTest, Types) {
  EXPECT_EQ(*ParseMenuButton(""), MenuButtonArg{.type = MenuButtonType::kDefault});
  EXPECT_EQ(*ParseMenuButton(R"({"type":"default","text":5})"),
            MenuButtonArg{.type = MenuButtonType::kDefault});
  EXPECT_EQ(*ParseMenuButton(R"({"type":"commands"})"),
            MenuButtonArg{.type = MenuButtonType::kCommands});
  EXPECT_EQ(*ParseMenuButton(R"({"type":"web_app","text":"Open","web_app":{"url":"x.org"}})"),
            (MenuButtonArg{.type = MenuButtonType::kWebApp, .text = "Open", .url = "x.org"}));
}

TEST(ParseMenuButtonTest, ErrorTexts) {
  const std::string p = "Bad Request: can't parse menu button: ";
  struct Case {
    const char* json;
    std::string want;
  } cases[] = {
      {"x", "Bad Request: can't parse menu button JSON object"},
      {"[", "Bad Request: can't parse menu button JSON object"},
      {"[]", p + "MenuButton must be an Object"},
      {R"("commands")", p + "MenuButton must be an Object"},
      {"{}", p + R"(Can't find field "type")"},
      {R"({"type":[]})", p + R"(Field "type" must be of type String)"},
      {R"({"type":"Commands"})", p + "MenuButton has unsupported type"},
      {R"({"type":"web_app"})", p + R"(Can't find field "text")"},
      {R"({"type":"web_app","text":"a"})", p + R"(Can't find field "web_app")"},
      {R"({"type":"web_app","text":"a","web_app":"https://x.org"})",
       p + R"(Field "web_app" must be of type Object)"},
      {R"({"type":"web_app","text":"a","web_app":{}})", p + R"(Can't find field "url")"},
      {R"({"type":"web_app","text":"a","web_app":{"url":null}})",
       p + R"(Field "url" must be of type String)"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(ParseMenuButton(c.json)), c.want) << c.json;
}

std::string CheckButton(MenuButtonArg b, MenuButtonArg* out = nullptr) {
  auto r = CheckMenuButton(b);
  if (out) *out = b;
  return ErrorOf(r);
}

TEST(CheckMenuButtonTest, WebAppUrlsAreNormalisedHttpsLinks) {
  MenuButtonArg out;
  ASSERT_EQ(CheckButton({MenuButtonType::kWebApp, "Open\r", "HTTPS://Example.ORG"}, &out), "ok");
  EXPECT_EQ(out, (MenuButtonArg{MenuButtonType::kWebApp, "Open", "https://example.org/"}));
  ASSERT_EQ(CheckButton({MenuButtonType::kCommands, "", ""}, &out), "ok");
  EXPECT_EQ(out.type, MenuButtonType::kCommands);
  // TDLib's own spelling of the default button.
  ASSERT_EQ(CheckButton({MenuButtonType::kWebApp, "", "default"}, &out), "ok");
  EXPECT_EQ(out, MenuButtonArg{.type = MenuButtonType::kDefault});
}

TEST(CheckMenuButtonTest, ErrorTexts) {
  struct Case {
    MenuButtonArg button;
    const char* want;
  } cases[] = {
      {{MenuButtonType::kWebApp, "", "https://x.org"},
       "Bad Request: menu button text must be non-empty"},
      {{MenuButtonType::kWebApp, "", ""}, "Bad Request: menu button text must be non-empty"},
      {{MenuButtonType::kWebApp, "\r", "https://x.org"},
       "Bad Request: menu button text must be non-empty"},
      {{MenuButtonType::kWebApp, "a\xff", "\xff"},
       "Bad Request: menu button text must be encoded in UTF-8"},
      {{MenuButtonType::kWebApp, "a", "https://x.org/\xff"},
       "Bad Request: menu button URL must be encoded in UTF-8"},
      {{MenuButtonType::kWebApp, "a", "http://x.org"},
       "Bad Request: menu button Web App URL 'http://x.org' is invalid: Only HTTPS links are "
       "allowed"},
      {{MenuButtonType::kWebApp, "a", "x.org"},
       "Bad Request: menu button Web App URL 'x.org' is invalid: Only HTTPS links are allowed"},
      {{MenuButtonType::kWebApp, "a", "https://localhost"},
       "Bad Request: menu button Web App URL 'https://localhost' is invalid: Wrong HTTP URL"},
      {{MenuButtonType::kWebApp, "a", "tg://resolve?domain=x"},
       "Bad Request: menu button Web App URL 'tg://resolve?domain=x' is invalid: Only HTTPS "
       "links are allowed"},
      {{MenuButtonType::kWebApp, "a", "default"},
       "Bad Request: menu button Web App URL 'default' is invalid: Only HTTPS links are allowed"},
  };
  for (const auto& c : cases) EXPECT_EQ(CheckButton(c.button), c.want) << c.button.url;
}

TEST(EncodeMenuButtonTest, ReferenceShape) {
  EXPECT_EQ(EncodeMenuButton({.type = MenuButtonType::kDefault}), R"({"type":"default"})");
  EXPECT_EQ(EncodeMenuButton({.type = MenuButtonType::kCommands}), R"({"type":"commands"})");
  EXPECT_EQ(EncodeMenuButton({MenuButtonType::kWebApp, "\xc3\x9c", "https://x.org/"}),
            R"({"type":"web_app","text":"\u00dc","web_app":{"url":"https://x.org/"}})");
}

// ---------------------------------------------------------------------------------------------
// default administrator rights

TEST(ParseAdministratorRightsTest, EmptyIsNoneAndFieldsDefaultFalse) {
  auto none = ParseAdministratorRights("");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto empty = ParseAdministratorRights("{}");
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(empty->has_value());
  EXPECT_EQ((*empty)->bits, 0u);
  auto some = ParseAdministratorRights(
      R"({"can_invite_users":true,"is_anonymous":true,"can_be_edited":true,"can_pin_messages":false,"x":1})");
  ASSERT_TRUE(some.ok()) << ErrorOf(some);
  domain::Rights want;
  want.Set(Right::kCanInviteUsers, true);
  want.Set(Right::kIsAnonymous, true);
  EXPECT_EQ(**some, want);  // can_be_edited is not a ChatAdministratorRights field
}

TEST(ParseAdministratorRightsTest, ErrorTexts) {
  const std::string p = "Bad Request: can't parse ChatAdministratorRights: ";
  struct Case {
    const char* json;
    std::string want;
  } cases[] = {
      {"x", "Bad Request: can't parse ChatAdministratorRights JSON object"},
      {"{", "Bad Request: can't parse ChatAdministratorRights JSON object"},
      {"[]", p + "ChatAdministratorRights must be an Object"},
      {"null", p + "ChatAdministratorRights must be an Object"},
      {"true", p + "ChatAdministratorRights must be an Object"},
      {R"({"can_manage_chat":1})", p + R"(Field "can_manage_chat" must be of type Boolean)"},
      {R"({"can_manage_chat":"true"})", p + R"(Field "can_manage_chat" must be of type Boolean)"},
      // The first bad field in the reference's order, not in the JSON's.
      {R"({"is_anonymous":0,"can_change_info":null})",
       p + R"(Field "can_change_info" must be of type Boolean)"},
      {R"({"can_manage_tags":"no"})", p + R"(Field "can_manage_tags" must be of type Boolean)"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(ErrorOf(ParseAdministratorRights(c.json)), c.want) << c.json;
}

domain::Rights RightsOf(std::initializer_list<Right> rights) {
  domain::Rights r;
  for (Right x : rights) r.Set(x, true);
  return r;
}

TEST(DefaultAdministratorRightsTest, MasksByTargetAndImpliesManageChat) {
  // Groups drop the channel-only rights; channels the group-only ones and is_anonymous.
  EXPECT_EQ(DefaultAdministratorRights(RightsOf({Right::kCanPostMessages, Right::kCanEditMessages,
                                                 Right::kCanManageDirectMessages}),
                                       false)
                .bits,
            0u);
  EXPECT_EQ(DefaultAdministratorRights(RightsOf({Right::kCanPinMessages, Right::kCanManageTopics,
                                                 Right::kCanManageTags, Right::kIsAnonymous}),
                                       true)
                .bits,
            0u);
  EXPECT_EQ(
      DefaultAdministratorRights(RightsOf({Right::kCanPinMessages, Right::kIsAnonymous}), false),
      RightsOf({Right::kCanManageChat, Right::kCanPinMessages, Right::kIsAnonymous}));
  EXPECT_EQ(
      DefaultAdministratorRights(RightsOf({Right::kCanPostMessages, Right::kIsAnonymous}), true),
      RightsOf({Right::kCanManageChat, Right::kCanPostMessages}));
  EXPECT_EQ(DefaultAdministratorRights(RightsOf({Right::kCanManageChat}), true),
            RightsOf({Right::kCanManageChat}));
  EXPECT_EQ(DefaultAdministratorRights(RightsOf({Right::kCanBeEdited}), false).bits, 0u);
}

TEST(EncodeDefaultAdministratorRightsTest, EveryKeyOfTheTargetInOrder) {
  EXPECT_EQ(EncodeDefaultAdministratorRights({}, false),
            R"({"can_manage_chat":false,"can_change_info":false,"can_delete_messages":false,)"
            R"("can_invite_users":false,"can_restrict_members":false,"can_pin_messages":false,)"
            R"("can_manage_topics":false,"can_promote_members":false,)"
            R"("can_manage_video_chats":false,"can_post_stories":false,)"
            R"("can_edit_stories":false,"can_delete_stories":false,"can_manage_tags":false,)"
            R"("is_anonymous":false})");
  EXPECT_EQ(
      EncodeDefaultAdministratorRights(RightsOf({Right::kCanManageChat, Right::kCanPostMessages,
                                                 Right::kCanManageDirectMessages}),
                                       true),
      R"({"can_manage_chat":true,"can_change_info":false,"can_post_messages":true,)"
      R"("can_edit_messages":false,"can_delete_messages":false,"can_invite_users":false,)"
      R"("can_restrict_members":false,"can_promote_members":false,)"
      R"("can_manage_video_chats":false,"can_post_stories":false,"can_edit_stories":false,)"
      R"("can_delete_stories":false,"can_manage_direct_messages":true,"is_anonymous":false})");
}

}  // namespace
}  // namespace tgi::botapi
