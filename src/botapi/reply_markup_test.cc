#include "botapi/reply_markup.h"

#include <gtest/gtest.h>

#include <string>

namespace tgi::botapi {
namespace {

using namespace std::string_literals;
using Kind = ReplyMarkup::Kind;
using Chat = MarkupTarget::Chat;

// The error description of parsing `json`, or "" if it parses.
std::string ParseError(std::string_view json) {
  auto r = ParseReplyMarkup(json);
  if (r) return "";
  EXPECT_EQ(r.error().code, 400) << json;
  return r.error().description;
}

ReplyMarkup Parsed(std::string_view json) {
  auto r = ParseReplyMarkup(json);
  EXPECT_TRUE(r.ok()) << json << ": " << (r ? "" : r.error().description);
  return r ? *r : ReplyMarkup{};
}

InlineButton ParsedInlineButton(std::string_view button_json) {
  ReplyMarkup m = Parsed(R"({"inline_keyboard":[[)" + std::string(button_json) + "]]}");
  EXPECT_EQ(m.kind, Kind::kInlineKeyboard) << button_json;
  if (m.inline_keyboard.empty() || m.inline_keyboard[0].empty()) return {};
  return m.inline_keyboard[0][0];
}

KeyboardButton ParsedKeyboardButton(std::string_view button_json) {
  ReplyMarkup m = Parsed(R"({"keyboard":[[)" + std::string(button_json) + "]]}");
  EXPECT_EQ(m.kind, Kind::kReplyKeyboard) << button_json;
  if (m.keyboard.empty() || m.keyboard[0].empty()) return {};
  return m.keyboard[0][0];
}

// The description of checking the parsed `json` for `target`, or "" if it passes.
std::string CheckError(std::string_view json, MarkupTarget target) {
  auto r = CheckReplyMarkup(Parsed(json), target);
  return r ? "" : r.error().description;
}

ReplyMarkup Checked(std::string_view json, MarkupTarget target = {}) {
  auto r = CheckReplyMarkup(Parsed(json), target);
  EXPECT_TRUE(r.ok()) << json << ": " << (r ? "" : r.error().description);
  return r ? *r : ReplyMarkup{};
}

std::string Echo(std::string_view json, MarkupTarget target = {}) {
  return EchoInlineKeyboard(Checked(json, target));
}

// ---------------------------------------------------------------------------------------------
// ParseReplyMarkup

TEST(ParseReplyMarkupTest, PrecedenceOfTheKinds) {
  struct Case {
    const char* json;
    Kind kind;
  } cases[] = {
      {"", Kind::kNone},
      {"{}", Kind::kNone},
      {R"({"inline_keyboard":[]})", Kind::kNone},
      {R"({"keyboard":[]})", Kind::kNone},
      {R"({"remove_keyboard":false})", Kind::kNone},
      {R"({"force_reply":false,"selective":true})", Kind::kNone},
      {R"({"unknown":1})", Kind::kNone},
      {R"({"keyboard":[[]]})", Kind::kReplyKeyboard},  // a row, even empty, wins
      {R"({"inline_keyboard":[[]]})", Kind::kInlineKeyboard},
      {R"({"keyboard":[["a"]],"inline_keyboard":[[{"text":"b","callback_data":"c"}]]})",
       Kind::kReplyKeyboard},
      {R"({"keyboard":[],"inline_keyboard":[[{"text":"b","callback_data":"c"}]]})",
       Kind::kInlineKeyboard},
      {R"({"inline_keyboard":[[]],"remove_keyboard":true})", Kind::kInlineKeyboard},
      {R"({"inline_keyboard":[],"remove_keyboard":true,"force_reply":true})",
       Kind::kRemoveKeyboard},
      {R"({"hide_keyboard":true})", Kind::kRemoveKeyboard},
      {R"({"force_reply":true})", Kind::kForceReply},
      {R"({"force_reply_keyboard":true})", Kind::kForceReply},
  };
  for (const auto& c : cases) EXPECT_EQ(Parsed(c.json).kind, c.kind) << c.json;
}

TEST(ParseReplyMarkupTest, KeepsTheOptionsOfTheKindThatWins) {
  ReplyMarkup k = Parsed(
      R"({"keyboard":[["a","b"],[{"text":"c"}]],"resize_keyboard":true,"one_time_keyboard":true,
          "is_persistent":true,"personal_keyboard":true,"input_field_placeholder":"type"})");
  ASSERT_EQ(k.kind, Kind::kReplyKeyboard);
  ASSERT_EQ(k.keyboard.size(), 2u);
  EXPECT_EQ(k.keyboard[0].size(), 2u);
  EXPECT_EQ(k.keyboard[1][0].text, "c");
  EXPECT_TRUE(k.resize_keyboard && k.one_time_keyboard && k.is_persistent && k.selective);
  EXPECT_EQ(k.input_field_placeholder, "type");

  ReplyMarkup f = Parsed(R"({"force_reply":true,"input_field_placeholder":12,"selective":true})");
  EXPECT_EQ(f.kind, Kind::kForceReply);
  EXPECT_TRUE(f.selective);
  EXPECT_EQ(f.input_field_placeholder, "12");  // a number is read as its text

  ReplyMarkup r = Parsed(R"({"remove_keyboard":true,"input_field_placeholder":"x"})");
  EXPECT_EQ(r.kind, Kind::kRemoveKeyboard);
  EXPECT_FALSE(r.selective);
  EXPECT_EQ(r.input_field_placeholder, "");

  ReplyMarkup i = Parsed(R"({"inline_keyboard":[[{"text":"a","pay":1}]],"selective":true,
                             "keyboard":[]})");
  EXPECT_EQ(i.kind, Kind::kInlineKeyboard);
  EXPECT_FALSE(i.selective);
  EXPECT_TRUE(i.keyboard.empty());
}

TEST(ParseReplyMarkupTest, EveryErrorText) {
  struct Case {
    std::string json;
    const char* want;
  } cases[] = {
      {"x", "Bad Request: can't parse reply keyboard markup JSON object"},
      {R"({"keyboard":[}")", "Bad Request: can't parse reply keyboard markup JSON object"},
      {"[]", "Bad Request: object expected as reply markup"},
      {R"("{}")", "Bad Request: object expected as reply markup"},
      {"null", "Bad Request: object expected as reply markup"},
      {"1", "Bad Request: object expected as reply markup"},
      // keyboard
      {R"({"keyboard":{}})", R"(Bad Request: field "keyboard" must be of type Array)"},
      {R"({"keyboard":null})", R"(Bad Request: field "keyboard" must be of type Array)"},
      {R"({"keyboard":[1]})", R"(Bad Request: field "keyboard" must be an Array of Arrays)"},
      {R"({"keyboard":[["a"],"b"]})",
       R"(Bad Request: field "keyboard" must be an Array of Arrays)"},
      {R"({"keyboard":[[1]]})",
       "Bad Request: can't parse keyboard button: KeyboardButton must be a String or an Object"},
      {R"({"keyboard":[[null]]})",
       "Bad Request: can't parse keyboard button: KeyboardButton must be a String or an Object"},
      {R"({"keyboard":[[{}]]})",
       R"(Bad Request: can't parse keyboard button: Can't find field "text")"},
      {R"({"keyboard":[[{"text":true}]]})",
       R"(Bad Request: can't parse keyboard button: Field "text" must be of type String)"},
      {R"({"keyboard":[[{"text":"a","icon_custom_emoji_id":"x"}]]})",
       R"(Bad Request: can't parse keyboard button: Field "icon_custom_emoji_id" must be a valid Number)"},
      {R"({"keyboard":[[{"text":"a","style":"blue"}]]})",
       "Bad Request: can't parse keyboard button: invalid button style specified"},
      {R"({"keyboard":[[{"text":"a","request_phone_number":1}]]})",
       R"(Bad Request: can't parse keyboard button: Field "request_phone_number" must be of type Boolean)"},
      {R"({"keyboard":[[{"text":"a","request_contact":"true"}]]})",
       R"(Bad Request: can't parse keyboard button: Field "request_contact" must be of type Boolean)"},
      {R"({"keyboard":[[{"text":"a","request_location":null}]]})",
       R"(Bad Request: can't parse keyboard button: Field "request_location" must be of type Boolean)"},
      {R"({"keyboard":[[{"text":"a","request_poll":true}]]})",
       R"(Bad Request: can't parse keyboard button: Field "request_poll" must be of type Object)"},
      {R"({"keyboard":[[{"text":"a","request_poll":{"type":[]}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "type" must be of type String)"},
      {R"({"keyboard":[[{"text":"a","web_app":"https://x.org"}]]})",
       R"(Bad Request: can't parse keyboard button: Field "web_app" must be of type Object)"},
      {R"({"keyboard":[[{"text":"a","web_app":{}}]]})",
       R"(Bad Request: can't parse keyboard button: Can't find field "url")"},
      {R"({"keyboard":[[{"text":"a","request_users":{}}]]})",
       R"(Bad Request: can't parse keyboard button: Can't find field "request_id")"},
      {R"({"keyboard":[[{"text":"a","request_users":{"request_id":"1x"}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "request_id" must be a valid Number)"},
      {R"({"keyboard":[[{"text":"a","request_user":{"request_id":1,"user_is_bot":0}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "user_is_bot" must be of type Boolean)"},
      {R"({"keyboard":[[{"text":"a","request_user":{"request_id":1,"max_quantity":true}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "max_quantity" must be a Number)"},
      {R"({"keyboard":[[{"text":"a","request_users":{"request_id":1,"request_photo":"no"}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "request_photo" must be of type Boolean)"},
      {R"({"keyboard":[[{"text":"a","request_chat":[]}]]})",
       R"(Bad Request: can't parse keyboard button: Field "request_chat" must be of type Object)"},
      {R"({"keyboard":[[{"text":"a","request_chat":{"request_id":1,"chat_is_forum":1}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "chat_is_forum" must be of type Boolean)"},
      {R"({"keyboard":[[{"text":"a","request_chat":{"request_id":1,"user_administrator_rights":[]}}]]})",
       "Bad Request: can't parse keyboard button: ChatAdministratorRights must be an Object"},
      {R"({"keyboard":[[{"text":"a","request_chat":{"request_id":1,"bot_administrator_rights":{"can_manage_tags":1}}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "can_manage_tags" must be of type Boolean)"},
      {R"({"keyboard":[[{"text":"a","request_chat":{"request_id":1,"request_title":"x"}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "request_title" must be of type Boolean)"},
      {R"({"keyboard":[[{"text":"a","request_managed_bot":{"request_id":1,"suggested_name":{}}}]]})",
       R"(Bad Request: can't parse keyboard button: Field "suggested_name" must be of type String)"},
      {R"({"keyboard":[[{"text":"a","request_managed_bot":{}}]]})",
       R"(Bad Request: can't parse keyboard button: Can't find field "request_id")"},
      // inline_keyboard
      {R"({"inline_keyboard":"x"})",
       R"(Bad Request: field "inline_keyboard" must be of type Array)"},
      {R"({"inline_keyboard":[{}]})",
       R"(Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays)"},
      {R"({"inline_keyboard":[["a"]]})",
       "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object"},
      {R"({"inline_keyboard":[[{"callback_data":"x"}]]})",
       R"(Bad Request: can't parse inline keyboard button: Can't find field "text")"},
      {R"({"inline_keyboard":[[{"text":null,"callback_data":"x"}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "text" must be of type String)"},
      {R"({"inline_keyboard":[[{"text":"a"}]]})",
       "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline "
       "keyboard"},
      {R"({"inline_keyboard":[[{"text":"a","callback_data":""}]]})",
       "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline "
       "keyboard"},
      {R"({"inline_keyboard":[[{"text":"a","icon_custom_emoji_id":1.5,"callback_data":"x"}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "icon_custom_emoji_id" must be a valid Number)"},
      {R"({"inline_keyboard":[[{"text":"a","icon_custom_emoji_id":true,"callback_data":"x"}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "icon_custom_emoji_id" must be a Number)"},
      {R"({"inline_keyboard":[[{"text":"a","style":"Blue","callback_data":"x"}]]})",
       "Bad Request: can't parse inline keyboard button: invalid button style specified"},
      {R"({"inline_keyboard":[[{"text":"a","style":null,"callback_data":"x"}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "style" must be of type String)"},
      // A field of a type earlier in the order is read, and must be right, even if it loses.
      {R"({"inline_keyboard":[[{"text":"a","url":{},"callback_data":"x"}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "url" must be of type String)"},
      {R"({"inline_keyboard":[[{"text":"a","callback_data":null,"pay":true}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "callback_data" must be of type String)"},
      {R"({"inline_keyboard":[[{"text":"a","switch_inline_query":null}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "switch_inline_query" must be of type String)"},
      {R"({"inline_keyboard":[[{"text":"a","switch_inline_query_chosen_chat":"x"}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "switch_inline_query_chosen_chat" must be of type Object)"},
      {R"({"inline_keyboard":[[{"text":"a","switch_inline_query_chosen_chat":{"query":[]}}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "query" must be of type String)"},
      {R"({"inline_keyboard":[[{"text":"a","switch_inline_query_chosen_chat":{"allow_bot_chats":"yes"}}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "allow_bot_chats" must be of type Boolean)"},
      {R"({"inline_keyboard":[[{"text":"a","switch_inline_query_current_chat":{}}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "switch_inline_query_current_chat" must be of type String)"},
      {R"({"inline_keyboard":[[{"text":"a","login_url":"https://x.org"}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "login_url" must be of type Object)"},
      {R"({"inline_keyboard":[[{"text":"a","login_url":{}}]]})",
       R"(Bad Request: can't parse inline keyboard button: Can't find field "url")"},
      {R"({"inline_keyboard":[[{"text":"a","login_url":{"url":"u","bot_username":1.5}}]]})",
       "Bad Request: can't parse inline keyboard button: LoginUrl bot username is invalid"},
      {R"({"inline_keyboard":[[{"text":"a","login_url":{"url":"u","bot_username":"@"}}]]})",
       "Bad Request: can't parse inline keyboard button: LoginUrl bot username is invalid"},
      {R"({"inline_keyboard":[[{"text":"a","login_url":{"url":"u","bot_username":"my-bot"}}]]})",
       "Bad Request: can't parse inline keyboard button: LoginUrl bot username is invalid"},
      {R"({"inline_keyboard":[[{"text":"a","login_url":{"url":"u","bot_username":"@@bot"}}]]})",
       "Bad Request: can't parse inline keyboard button: LoginUrl bot username is invalid"},
      {R"({"inline_keyboard":[[{"text":"a","login_url":{"url":"u","request_write_access":1}}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "request_write_access" must be of type Boolean)"},
      {R"({"inline_keyboard":[[{"text":"a","login_url":{"url":"u","forward_text":false}}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "forward_text" must be of type String)"},
      {R"({"inline_keyboard":[[{"text":"a","web_app":{"url":null}}]]})",
       R"(Bad Request: can't parse inline keyboard button: Field "url" must be of type String)"},
      {R"({"inline_keyboard":[[{"text":"a","copy_text":{}}]]})",
       R"(Bad Request: can't parse inline keyboard button: Can't find field "text")"},
      // The flags and the placeholder, after both keyboards.
      {R"({"selective":"true"})", R"(Bad Request: field "selective" must be of type Boolean)"},
      {R"({"remove_keyboard":1})",
       R"(Bad Request: field "remove_keyboard" must be of type Boolean)"},
      {R"({"hide_keyboard":null})",
       R"(Bad Request: field "hide_keyboard" must be of type Boolean)"},
      {R"({"personal_keyboard":0})",
       R"(Bad Request: field "personal_keyboard" must be of type Boolean)"},
      {R"({"force_reply_keyboard":"1"})",
       R"(Bad Request: field "force_reply_keyboard" must be of type Boolean)"},
      {R"({"force_reply":1,"input_field_placeholder":{}})",
       R"(Bad Request: field "force_reply" must be of type Boolean)"},
      {R"({"input_field_placeholder":{}})",
       R"(Bad Request: field "input_field_placeholder" must be of type String)"},
      {R"({"keyboard":[["a"]],"resize_keyboard":"true"})",
       R"(Bad Request: field "resize_keyboard" must be of type Boolean)"},
      {R"({"keyboard":[[]],"one_time_keyboard":1})",
       R"(Bad Request: field "one_time_keyboard" must be of type Boolean)"},
      {R"({"keyboard":[["a"]],"is_persistent":null})",
       R"(Bad Request: field "is_persistent" must be of type Boolean)"},
      // Order: the keyboard, then the inline keyboard (read even when the keyboard wins), then the
      // flags.
      {R"({"inline_keyboard":[[1]],"keyboard":[[1]]})",
       "Bad Request: can't parse keyboard button: KeyboardButton must be a String or an Object"},
      {R"({"keyboard":[["a"]],"inline_keyboard":[[{"text":"a"}]]})",
       "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline "
       "keyboard"},
      {R"({"selective":1,"inline_keyboard":[[{"text":"a"}]]})",
       "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline "
       "keyboard"},
      // The first button in error decides.
      {R"({"inline_keyboard":[[{"text":"a","callback_data":"x"},{"text":"b"},{}]]})",
       "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline "
       "keyboard"},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseError(c.json), c.want) << c.json;
}

TEST(ParseReplyMarkupTest, OptionsOnlyReadWhereTheyApply) {
  // resize_keyboard and friends are read only for a non-empty keyboard.
  for (const char* ok : {R"({"inline_keyboard":[[{"text":"a","pay":1}]],"resize_keyboard":"x"})",
                         R"({"keyboard":[],"one_time_keyboard":1})", R"({"is_persistent":{}})"})
    EXPECT_EQ(ParseError(ok), "") << ok;
  // Fields of a type later in the order than the one chosen are not read.
  EXPECT_EQ(ParseError(R"({"inline_keyboard":[[{"text":"a","url":"u","login_url":7}]]})"), "");
  EXPECT_EQ(ParseError(R"({"inline_keyboard":[[{"text":"a","pay":1,"web_app":[]}]]})"), "");
  EXPECT_EQ(ParseError(R"({"keyboard":[[{"text":"a","request_contact":true,"web_app":1}]]})"), "");
}

TEST(ParseReplyMarkupTest, InlineButtonTypesByPrecedence) {
  using T = InlineButtonType;
  struct Case {
    const char* button;
    T type;
    const char* data;
  } cases[] = {
      {R"({"text":"a","url":"https://t.me","callback_data":"d"})", T::kUrl, "https://t.me"},
      {R"({"text":"a","url":"","callback_data":"d"})", T::kCallback, "d"},
      {R"({"text":"a","callback_data":12})", T::kCallback, "12"},
      {R"({"text":"a","callback_data":"d","callback_game":{}})", T::kCallback, "d"},
      {R"({"text":"a","callback_game":null,"pay":true})", T::kCallbackGame, ""},
      {R"({"text":"a","pay":false,"switch_inline_query":"q"})", T::kPay, ""},
      {R"({"text":"a","switch_inline_query":"","switch_inline_query_current_chat":"q"})",
       T::kSwitchInline, ""},
      {R"({"text":"a","switch_inline_query_chosen_chat":{"query":"q"},"login_url":{}})",
       T::kSwitchInline, "q"},
      {R"({"text":"a","switch_inline_query_current_chat":"q","web_app":{}})",
       T::kSwitchInlineCurrent, "q"},
      {R"({"text":"a","login_url":{"url":"https://x.org/l"},"web_app":{}})", T::kLoginUrl,
       "https://x.org/l"},
      {R"({"text":"a","web_app":{"url":"https://x.org/w"},"copy_text":1})", T::kWebApp,
       "https://x.org/w"},
      {R"({"text":"a","copy_text":{"text":"copy me"}})", T::kCopyText, "copy me"},
  };
  for (const auto& c : cases) {
    InlineButton b = ParsedInlineButton(c.button);
    EXPECT_EQ(b.type, c.type) << c.button;
    EXPECT_EQ(b.data, c.data) << c.button;
  }

  InlineButton plain = ParsedInlineButton(R"({"text":"a","switch_inline_query":"q"})");
  EXPECT_TRUE(plain.allow_user_chats && plain.allow_bot_chats && plain.allow_group_chats &&
              plain.allow_channel_chats);
  InlineButton chosen = ParsedInlineButton(
      R"({"text":"a","switch_inline_query_chosen_chat":{"allow_user_chats":true,"allow_channel_chats":true}})");
  EXPECT_TRUE(chosen.allow_user_chats && chosen.allow_channel_chats);
  EXPECT_FALSE(chosen.allow_bot_chats || chosen.allow_group_chats);
  EXPECT_EQ(chosen.data, "");

  InlineButton login = ParsedInlineButton(
      R"({"text":"a","login_url":{"url":"u","bot_username":"@Other_Bot1","request_write_access":true,"forward_text":"f"}})");
  EXPECT_EQ(login.bot_username, "Other_Bot1");
  EXPECT_TRUE(login.request_write_access);
  EXPECT_EQ(login.forward_text, "f");
  EXPECT_EQ(
      ParsedInlineButton(R"({"text":"a","login_url":{"url":"u","bot_username":""}})").bot_username,
      "");

  InlineButton styled = ParsedInlineButton(
      R"({"text":1.50,"style":"PRIMARY","icon_custom_emoji_id":"5368324170671202286","pay":1})");
  EXPECT_EQ(styled.text, "1.50");
  EXPECT_EQ(styled.style, ButtonStyle::kPrimary);
  EXPECT_EQ(styled.icon_custom_emoji_id, 5368324170671202286);
  EXPECT_EQ(ParsedInlineButton(R"({"text":"a","style":"Default","pay":1})").style,
            ButtonStyle::kDefault);
  EXPECT_EQ(ParsedInlineButton(R"({"text":"a","style":"","pay":1})").style, ButtonStyle::kDefault);
  EXPECT_EQ(ParsedInlineButton(R"({"text":"a","style":"danger","pay":1})").style,
            ButtonStyle::kDanger);
  EXPECT_EQ(ParsedInlineButton(R"({"text":"a","style":"Success","pay":1})").style,
            ButtonStyle::kSuccess);
}

TEST(ParseReplyMarkupTest, KeyboardButtonTypesByPrecedence) {
  using T = KeyboardButtonType;
  struct Case {
    const char* button;
    T type;
  } cases[] = {
      {R"("just text")", T::kText},
      {R"({"text":"a"})", T::kText},
      {R"({"text":"a","request_contact":false,"request_location":false})", T::kText},
      {R"({"text":"a","request_phone_number":true,"request_location":true})", T::kRequestContact},
      {R"({"text":"a","request_contact":true})", T::kRequestContact},
      {R"({"text":"a","request_location":true,"request_poll":{}})", T::kRequestLocation},
      {R"({"text":"a","request_poll":{},"web_app":{"url":"u"}})", T::kRequestPoll},
      {R"({"text":"a","web_app":{"url":"u"},"request_users":{"request_id":1}})", T::kWebApp},
      {R"({"text":"a","request_user":{"request_id":1},"request_chat":{}})", T::kRequestUsers},
      {R"({"text":"a","request_chat":{"request_id":2},"request_managed_bot":{}})", T::kRequestChat},
      {R"({"text":"a","request_managed_bot":{"request_id":3}})", T::kRequestManagedBot},
  };
  for (const auto& c : cases) EXPECT_EQ(ParsedKeyboardButton(c.button).type, c.type) << c.button;

  EXPECT_EQ(ParsedKeyboardButton(R"({"text":"a","request_poll":{"type":"quiz"}})").poll_type,
            "quiz");
  EXPECT_EQ(ParsedKeyboardButton(R"({"text":"a","request_poll":{"type":"regular"}})").poll_type,
            "regular");
  EXPECT_EQ(ParsedKeyboardButton(R"({"text":"a","request_poll":{"type":"Quiz"}})").poll_type, "");
  KeyboardButton users = ParsedKeyboardButton(
      R"({"text":"a","request_user":{"request_id":"7"},"request_users":{"request_id":8,"max_quantity":5}})");
  EXPECT_EQ(users.request_id, 8);  // request_users wins over legacy request_user
  EXPECT_EQ(users.max_quantity, 5);
  EXPECT_EQ(ParsedKeyboardButton(R"({"text":"a","request_user":{"request_id":"7"}})").max_quantity,
            1);
  EXPECT_EQ(ParsedKeyboardButton(R"({"text":"a","web_app":{"url":"https://x.org"}})").url,
            "https://x.org");
  KeyboardButton chat = ParsedKeyboardButton(R"({"text":"a","request_chat":{"request_id":2,
      "user_administrator_rights":{"can_manage_chat":true},"bot_administrator_rights":{},
      "bot_is_member":true}})");
  EXPECT_EQ(chat.request_id, 2);
}

TEST(LoginUrlBotUsernamesTest, DistinctInButtonOrderForInlineKeyboardsOnly) {
  ReplyMarkup m = Parsed(R"({"inline_keyboard":[
      [{"text":"a","login_url":{"url":"u","bot_username":"@b1"}},
       {"text":"b","login_url":{"url":"u"}}],
      [{"text":"","login_url":{"url":"u","bot_username":"b2"}},
       {"text":"c","login_url":{"url":"u","bot_username":"b1"}},
       {"text":"d","callback_data":"x"}]]})");
  EXPECT_EQ(LoginUrlBotUsernames(m), (std::vector<std::string>{"b1", "b2"}));
  // An inline keyboard that loses to a reply keyboard has nothing to resolve.
  EXPECT_TRUE(LoginUrlBotUsernames(Parsed(R"({"keyboard":[["k"]],
      "inline_keyboard":[[{"text":"a","login_url":{"url":"u","bot_username":"b1"}}]]})"))
                  .empty());
}

// ---------------------------------------------------------------------------------------------
// CheckReplyMarkup

constexpr MarkupTarget kPrivate{.chat = Chat::kPrivate};
constexpr MarkupTarget kGroup{.chat = Chat::kGroup};
constexpr MarkupTarget kChannel{.chat = Chat::kChannel};
constexpr MarkupTarget kEditInGroup{.chat = Chat::kGroup, .edit = true};
constexpr MarkupTarget kEditInChannel{.chat = Chat::kChannel, .edit = true};
constexpr MarkupTarget kEditInPrivate{.chat = Chat::kPrivate, .edit = true};

TEST(CheckReplyMarkupTest, OnlyInlineKeyboardsInChannelsAndEdits) {
  const char* non_inline[] = {R"({"keyboard":[["a"]]})", R"({"keyboard":[[]]})",
                              R"({"remove_keyboard":true})", R"({"force_reply":true})"};
  for (const char* json : non_inline) {
    for (MarkupTarget t : {kChannel, kEditInGroup, kEditInChannel, kEditInPrivate})
      EXPECT_EQ(CheckError(json, t), "Bad Request: inline keyboard expected") << json;
    EXPECT_EQ(CheckError(json, kPrivate), "") << json;
    EXPECT_EQ(CheckError(json, kGroup), "") << json;
  }
  for (MarkupTarget t : {kPrivate, kGroup, kChannel, kEditInGroup, kEditInChannel}) {
    EXPECT_EQ(Checked("", t).kind, Kind::kNone);
    EXPECT_EQ(Checked(R"({"inline_keyboard":[[{"text":"a","callback_data":"b"}]]})", t).kind,
              Kind::kInlineKeyboard);
  }
}

TEST(CheckReplyMarkupTest, SilentDrops) {
  // Buttons with an empty text and no icon are skipped, rows left empty dropped, and a keyboard
  // left empty is no markup.
  EXPECT_EQ(Checked(R"({"keyboard":[[]]})").kind, Kind::kNone);
  EXPECT_EQ(Checked(R"({"keyboard":[[""],[{"text":""}]]})").kind, Kind::kNone);
  EXPECT_EQ(Checked(R"({"inline_keyboard":[[],[{"text":"","callback_data":"x"}]]})").kind,
            Kind::kNone);
  ReplyMarkup m = Checked(R"({"inline_keyboard":[[],[{"text":"","url":"u"},
      {"text":"a","callback_data":"1"}],[{"text":"","pay":1}],[{"text":"b","callback_data":"2"}]]})");
  ASSERT_EQ(m.inline_keyboard.size(), 2u);
  EXPECT_EQ(m.inline_keyboard[0].size(), 1u);
  EXPECT_EQ(m.inline_keyboard[0][0].text, "a");
  EXPECT_EQ(m.inline_keyboard[1][0].text, "b");
  // A skipped button is not checked either ("" skips before the text or URL rules).
  EXPECT_EQ(Checked(R"({"inline_keyboard":[[{"text":"","web_app":{"url":""}},
      {"text":"ok","callback_data":"x"}]]})",
                    kGroup)
                .inline_keyboard[0]
                .size(),
            1u);
}

std::string Row(int n, std::string_view bad_from = "", int bad_at = -1) {
  std::string row = "[";
  for (int i = 0; i < n; ++i) {
    if (i) row += ",";
    row += i == bad_at ? std::string(bad_from)
                       : R"({"text":"b)" + std::to_string(i) + R"(","callback_data":"d"})";
  }
  return row + "]";
}

TEST(CheckReplyMarkupTest, TwelvePerRowAndThreeHundredInAll) {
  ReplyMarkup m = Checked(R"({"inline_keyboard":[)" + Row(15) + "]}");
  ASSERT_EQ(m.inline_keyboard[0].size(), 12u);
  EXPECT_EQ(m.inline_keyboard[0][11].text, "b11");
  // The buttons beyond the limit are not checked: a bad 13th passes, a bad 12th does not.
  std::string bad = "{\"text\":\"\xFF\",\"callback_data\":\"d\"}";
  EXPECT_EQ(CheckError(R"({"inline_keyboard":[)" + Row(15, bad, 12) + "]}", kPrivate), "");
  EXPECT_EQ(CheckError(R"({"inline_keyboard":[)" + Row(15, bad, 11) + "]}", kPrivate),
            "Bad Request: inline keyboard button text must be encoded in UTF-8");
  // Skipped buttons do not count.
  std::string with_empty =
      R"({"inline_keyboard":[[{"text":"","callback_data":"x"},)" + Row(12).substr(1) + "]}";
  EXPECT_EQ(Checked(with_empty).inline_keyboard[0].size(), 12u);

  std::string rows;
  for (int r = 0; r < 30; ++r) rows.append(r ? "," : "").append(Row(12));
  ReplyMarkup big = Checked(R"({"inline_keyboard":[)" + rows + "]}");
  EXPECT_EQ(big.inline_keyboard.size(), 25u);
  std::string after = rows + "," + Row(1, bad, 0);
  EXPECT_EQ(CheckError(R"({"inline_keyboard":[)" + after + "]}", kPrivate), "");

  std::string keyboard = "[";
  for (int i = 0; i < 20; ++i) keyboard += (i ? ",\"k" : "\"k") + std::to_string(i) + "\"";
  ReplyMarkup k = Checked(R"({"keyboard":[)" + keyboard + "]]}");
  EXPECT_EQ(k.keyboard[0].size(), 12u);
}

TEST(CheckReplyMarkupTest, ButtonTexts) {
  struct Case {
    std::string json;
    const char* want;
  } cases[] = {
      {"{\"inline_keyboard\":[[{\"text\":\"\\r\",\"callback_data\":\"x\"}]]}",
       "Bad Request: inline keyboard button text must be non-empty"},
      {R"({"inline_keyboard":[[{"text":"","icon_custom_emoji_id":5,"callback_data":"x"}]]})",
       "Bad Request: inline keyboard button text must be non-empty"},
      {"{\"inline_keyboard\":[[{\"text\":\"\xC3\",\"callback_data\":\"x\"}]]}",
       "Bad Request: inline keyboard button text must be encoded in UTF-8"},
      {"{\"keyboard\":[[\"\\r\\r\"]]}", "Bad Request: keyboard button text must be non-empty"},
      {R"({"keyboard":[[{"text":"","icon_custom_emoji_id":"5"}]]})",
       "Bad Request: keyboard button text must be non-empty"},
      {"{\"keyboard\":[[\"\\ud800\"]]}",
       "Bad Request: keyboard button text must be encoded in UTF-8"},
  };
  for (const auto& c : cases) EXPECT_EQ(CheckError(c.json, kPrivate), c.want) << c.json;

  ReplyMarkup m = Checked(
      "{\"inline_keyboard\":[[{\"text\":\"a\\tb\\r\\n\",\"callback_data\":"
      "\"\\r\\t\"}]],\"keyboard\":[]}");
  EXPECT_EQ(m.inline_keyboard[0][0].text, "a b\n");
  EXPECT_EQ(m.inline_keyboard[0][0].data, "\r\t");  // callback data is bytes, never cleaned
}

TEST(CheckReplyMarkupTest, RequestButtonsOnlyInPrivateChats) {
  struct Case {
    const char* button;
    const char* want;
  } cases[] = {
      {R"({"text":"a","request_contact":true})",
       "Bad Request: phone number can be requested in private chats only"},
      {R"({"text":"a","request_location":true})",
       "Bad Request: location can be requested in private chats only"},
      {R"({"text":"a","request_poll":{"type":"quiz"}})",
       "Bad Request: poll can be requested in private chats only"},
      {R"({"text":"a","web_app":{"url":"https://x.org"}})",
       "Bad Request: web App buttons can be used in private chats only"},
      {R"({"text":"a","request_users":{"request_id":1}})",
       "Bad Request: users can be requested in private chats only"},
      {R"({"text":"a","request_chat":{"request_id":1}})",
       "Bad Request: chats can be requested in private chats only"},
      {R"({"text":"a","request_managed_bot":{"request_id":1}})",
       "Bad Request: managed bots can be requested in private chats only"},
  };
  for (const auto& c : cases) {
    std::string json = R"({"keyboard":[["plain",)" + std::string(c.button) + "]]}";
    EXPECT_EQ(CheckError(json, kGroup), c.want) << c.button;
    EXPECT_EQ(CheckError(json, kPrivate), "") << c.button;
  }
  EXPECT_EQ(CheckError(R"({"keyboard":[["plain"]]})", kGroup), "");
}

TEST(CheckReplyMarkupTest, KeyboardWebAppUrl) {
  EXPECT_EQ(
      CheckError(R"({"keyboard":[[{"text":"a","web_app":{"url":"tg://user?id=5"}}]]})", kPrivate),
      "Bad Request: link to a user can't be used in Web App URL buttons");
  EXPECT_EQ(CheckError(R"({"keyboard":[[{"text":"a","web_app":{"url":""}}]]})", kPrivate),
            "Bad Request: keyboard button Web App URL '' is invalid: URL host is empty");
}

TEST(CheckReplyMarkupTest, InlineButtonRules) {
  struct Case {
    std::string button;
    MarkupTarget target;
    const char* want;
  } cases[] = {
      {R"({"text":"a","switch_inline_query":"q"})", kChannel,
       "Bad Request: can't use switch_inline_query button in a channel chat, because users will "
       "not be able to use the button without knowing bot's username"},
      {R"({"text":"a","switch_inline_query_chosen_chat":{"allow_user_chats":true}})", kChannel,
       "Bad Request: can't use switch_inline_query button in a channel chat, because users will "
       "not be able to use the button without knowing bot's username"},
      {R"({"text":"a","switch_inline_query_current_chat":""})", kEditInChannel,
       "Bad Request: can't use switch_inline_query_current_chat button in a channel chat, because "
       "users will not be able to use the button without knowing bot's username"},
      {R"({"text":"a","switch_inline_query":"q"})", kEditInGroup, ""},
      {R"({"text":"a","switch_inline_query_current_chat":"q"})", kGroup, ""},
      // No chat type allowed: checked before the channel rule.
      {R"({"text":"a","switch_inline_query_chosen_chat":{}})", kPrivate,
       "Bad Request: at least one chat type must be allowed"},
      {R"({"text":"a","switch_inline_query_chosen_chat":{"allow_group_chats":false}})", kChannel,
       "Bad Request: at least one chat type must be allowed"},
      {"{\"text\":\"a\",\"switch_inline_query\":\"\xFF\"}", kPrivate,
       "Bad Request: inline keyboard button switch inline query must be encoded in UTF-8"},
      {"{\"text\":\"a\",\"url\":\"https://x.org/\xFF\"}", kPrivate,
       "Bad Request: inline keyboard button URL must be encoded in UTF-8"},
      {R"({"text":"a","login_url":{"url":"tg://user?id=5"}})", kPrivate,
       "Bad Request: link to a user can't be used in login URL buttons"},
      {R"({"text":"a","login_url":{"url":""}})", kGroup,
       "Bad Request: inline keyboard button login URL '' is invalid: URL host is empty"},
      {"{\"text\":\"a\",\"login_url\":{\"url\":\"https://x.org/\xFF\"}}", kPrivate,
       "Bad Request: inline keyboard button login URL must be encoded in UTF-8"},
      {"{\"text\":\"a\",\"login_url\":{\"url\":\"https://x.org\",\"forward_text\":\"\xFF\"}}",
       kPrivate, "Bad Request: inline keyboard button forward text must be encoded in UTF-8"},
      {R"({"text":"a","web_app":{"url":"TG://user?id=5"}})", kGroup,
       "Bad Request: link to a user can't be used in Web App URL buttons"},
      {R"({"text":"a","web_app":{"url":""}})", kPrivate,
       "Bad Request: inline keyboard button Web App URL '' is invalid: URL host is empty"},
      {"{\"text\":\"a\",\"web_app\":{\"url\":\"https://x.org/\xFF\"}}", kPrivate,
       "Bad Request: inline keyboard button Web App URL must be encoded in UTF-8"},
      {"{\"text\":\"a\",\"copy_text\":{\"text\":\"\xFF\"}}", kPrivate,
       "Bad Request: inline keyboard button copied text must be encoded in UTF-8"},
      // An inline web_app button outside a private chat passes TDLib (the server refuses it).
      {R"({"text":"a","web_app":{"url":"https://x.org"}})", kGroup, ""},
      {"{\"text\":\"a\",\"callback_data\":\"\xFF\"}", kChannel, ""},
      {R"({"text":"a","callback_game":{}})", kChannel, ""},
      {R"({"text":"a","pay":true})", kChannel, ""},
  };
  for (const auto& c : cases) {
    std::string json = R"({"inline_keyboard":[[)" + c.button + "]]}";
    EXPECT_EQ(CheckError(json, c.target), c.want) << c.button;
  }
  // The first button in error decides.
  EXPECT_EQ(CheckError(R"({"inline_keyboard":[[{"text":"a","callback_data":"x"}],
      [{"text":"b","login_url":{"url":""}},{"text":"\r","callback_data":"x"}]]})",
                       kPrivate),
            "Bad Request: inline keyboard button login URL '' is invalid: URL host is empty");
}

TEST(CheckReplyMarkupTest, UserLinksBecomeUserButtons) {
  ReplyMarkup m = Checked(R"({"inline_keyboard":[[{"text":"me","url":"tg://user?id=123456"},
      {"text":"not","url":"tg://user?id=0"}]]})");
  const InlineButton& user = m.inline_keyboard[0][0];
  EXPECT_EQ(user.type, InlineButtonType::kUser);
  EXPECT_EQ(user.user_id, 123456);
  EXPECT_EQ(m.inline_keyboard[0][1].type, InlineButtonType::kUrl);  // not a valid user id
}

TEST(CheckReplyMarkupTest, SelectiveOnlyOutsidePrivateChats) {
  EXPECT_FALSE(Checked(R"({"keyboard":[["a"]],"selective":true})", kPrivate).selective);
  EXPECT_TRUE(Checked(R"({"keyboard":[["a"]],"selective":true})", kGroup).selective);
  EXPECT_FALSE(Checked(R"({"remove_keyboard":true,"selective":true})", kPrivate).selective);
  EXPECT_TRUE(Checked(R"({"remove_keyboard":true,"personal_keyboard":true})", kGroup).selective);
  ReplyMarkup f = Checked(R"({"force_reply":true,"selective":true,
                              "input_field_placeholder":"p"})",
                          kGroup);
  EXPECT_TRUE(f.selective);
  EXPECT_EQ(f.input_field_placeholder, "p");
}

TEST(CheckButtonUrlTest, ButtonUrlsAreCheckedAndNormalisedAsLinks) {
  EXPECT_EQ(CheckButtonUrl("", false, false).error(), "URL host is empty");
  EXPECT_EQ(*CheckButtonUrl("https://t.me/x", true, true), "https://t.me/x");
  EXPECT_EQ(*CheckButtonUrl("Example.COM", false, false), "http://example.com/");
  EXPECT_EQ(CheckButtonUrl("ftp://x.org", false, false).error(), "Unsupported URL protocol");
  EXPECT_EQ(CheckButtonUrl("http://localhost", false, false).error(), "Wrong HTTP URL");
  EXPECT_EQ(CheckButtonUrl("http://x.org", false, true).error(), "Only HTTPS links are allowed");
  EXPECT_EQ(UrlInvalidText("ftp://x", "Unsupported URL protocol"),
            "URL 'ftp://x' is invalid: Unsupported URL protocol");
  EXPECT_EQ(UrlInvalidText("http://\xFF", "Wrong HTTP URL"), "URL is invalid: Wrong HTTP URL");
  EXPECT_EQ(
      InlineButtonUrlInvalid(UrlInvalidText("ftp://x", "Unsupported URL protocol")).description,
      "Bad Request: inline keyboard button URL 'ftp://x' is invalid: Unsupported URL "
      "protocol");
  // Through the whole check: the error names the URL as given; a good one is echoed normalised.
  EXPECT_EQ(CheckError(R"({"inline_keyboard":[[{"text":"a","url":"ftp://x.org"}]]})", {}),
            "Bad Request: inline keyboard button URL 'ftp://x.org' is invalid: Unsupported URL "
            "protocol");
  EXPECT_EQ(Echo(R"({"inline_keyboard":[[{"text":"a","url":"Telegram.ORG"}]]})"),
            R"({"inline_keyboard":[[{"text":"a","url":"http://telegram.org/"}]]})");
}

// ---------------------------------------------------------------------------------------------
// CheckReplyMarkupAtServer

TEST(CheckReplyMarkupAtServerTest, ServerErrors) {
  auto server = [](std::string_view json, Chat chat) -> std::string {
    auto r = CheckReplyMarkupAtServer(Checked(json, MarkupTarget{.chat = chat}), chat);
    return r ? "" : r.error().description;
  };
  std::string d64(64, 'x');
  EXPECT_EQ(server(R"({"inline_keyboard":[[{"text":"a","callback_data":")" + d64 + "\"}]]}",
                   Chat::kPrivate),
            "");
  EXPECT_EQ(server(R"({"inline_keyboard":[[{"text":"a","callback_data":")" + d64 + "x\"}]]}",
                   Chat::kGroup),
            "Bad Request: BUTTON_DATA_INVALID");
  // 64 bytes, not characters.
  std::string e33;
  for (int i = 0; i < 33; ++i) e33 += "\xC3\xA9";
  EXPECT_EQ(server(R"({"inline_keyboard":[[{"text":"a","callback_data":")" + e33 + "\"}]]}",
                   Chat::kPrivate),
            "Bad Request: BUTTON_DATA_INVALID");
  const char* web_app = R"({"inline_keyboard":[[{"text":"a","web_app":{"url":"https://x.org"}}]]})";
  EXPECT_EQ(server(web_app, Chat::kPrivate), "");
  EXPECT_EQ(server(web_app, Chat::kGroup), "Bad Request: BUTTON_TYPE_INVALID");
  EXPECT_EQ(server(web_app, Chat::kChannel), "Bad Request: BUTTON_TYPE_INVALID");
  EXPECT_EQ(server(R"({"inline_keyboard":[[{"text":"g","callback_game":{}},
      {"text":"b","callback_data":"x"}]]})",
                   Chat::kGroup),
            "");
  EXPECT_EQ(server(R"({"inline_keyboard":[[{"text":"b","callback_data":"x"},
      {"text":"p","pay":true}]]})",
                   Chat::kPrivate),
            "Bad Request: BUTTON_POS_INVALID");
  EXPECT_EQ(server(R"({"inline_keyboard":[[{"text":"b","callback_data":"x"}],
      [{"text":"g","callback_game":{}}]]})",
                   Chat::kPrivate),
            "Bad Request: BUTTON_POS_INVALID");
  // Positions count after the drops: an empty first button is gone.
  EXPECT_EQ(server(R"({"inline_keyboard":[[{"text":"","callback_data":"x"},
      {"text":"p","pay":true}]]})",
                   Chat::kPrivate),
            "");
  // The first offending button decides.
  EXPECT_EQ(server(R"({"inline_keyboard":[[{"text":"w","web_app":{"url":"https://x.org"}},
      {"text":"a","callback_data":")" +
                       d64 + "x\"}]]}",
                   Chat::kGroup),
            "Bad Request: BUTTON_TYPE_INVALID");
  // Other kinds have nothing for the server to refuse here.
  EXPECT_TRUE(CheckReplyMarkupAtServer(Checked(R"({"keyboard":[["a"]]})"), Chat::kPrivate).ok());
}

// ---------------------------------------------------------------------------------------------
// EchoInlineKeyboard and CallbackData

TEST(EchoInlineKeyboardTest, EachButtonTypeByteForByte) {
  struct Case {
    const char* button;
    const char* echo;  // the button's object in the echo
  } cases[] = {
      {R"({"text":"U","url":"https://t.me/x"})", R"({"text":"U","url":"https://t.me/x"})"},
      {R"({"text":"M","url":"tg://user?id=77"})", R"({"text":"M","url":"tg://user?id=77"})"},
      {R"({"text":"M","url":"TG:user/?id=77&x=1"})", R"({"text":"M","url":"tg://user?id=77"})"},
      {R"({"text":"L","login_url":{"url":"https://x.org/login","bot_username":"b","forward_text":"f"}})",
       R"({"text":"L","url":"https://x.org/login"})"},
      {R"({"text":"C","callback_data":"data 1"})", R"({"text":"C","callback_data":"data 1"})"},
      {"{\"text\":\"C\",\"callback_data\":\"\xFF\xFE\"}",
       R"({"text":"C","callback_data":"INVALID"})"},
      {R"({"text":"G","callback_game":{"ignored":1}})", R"({"text":"G","callback_game":{}})"},
      {R"({"text":"P","pay":false})", R"({"text":"P","pay":true})"},
      {R"({"text":"S","switch_inline_query":"q"})", R"({"text":"S","switch_inline_query":"q"})"},
      {R"({"text":"S","switch_inline_query_chosen_chat":{"query":"q","allow_user_chats":true,"allow_bot_chats":true,"allow_group_chats":true,"allow_channel_chats":true}})",
       R"({"text":"S","switch_inline_query":"q"})"},
      {R"({"text":"S","switch_inline_query_chosen_chat":{"allow_bot_chats":true}})",
       R"({"text":"S","switch_inline_query_chosen_chat":{"query":"","allow_user_chats":false,"allow_bot_chats":true,"allow_group_chats":false,"allow_channel_chats":false}})"},
      {R"({"text":"S","switch_inline_query_current_chat":""})",
       R"({"text":"S","switch_inline_query_current_chat":""})"},
      {R"({"text":"W","web_app":{"url":"https://x.org/app"}})",
       R"({"text":"W","web_app":{"url":"https://x.org/app"}})"},
      {R"({"text":"K","copy_text":{"text":"secret"}})",
       R"({"text":"K","copy_text":{"text":"secret"}})"},
      {R"({"text":"I","icon_custom_emoji_id":5368324170671202286,"style":"Danger","pay":1})",
       R"({"text":"I","icon_custom_emoji_id":"5368324170671202286","style":"danger","pay":true})"},
      {R"({"text":"I","icon_custom_emoji_id":"0","style":"default","pay":1})",
       R"({"text":"I","pay":true})"},
      {R"({"text":"Y","style":"primary","callback_data":"y"})",
       R"({"text":"Y","style":"primary","callback_data":"y"})"},
      {R"({"text":"Y","style":"success","callback_data":"y"})",
       R"({"text":"Y","style":"success","callback_data":"y"})"},
      {"{\"text\":\"caf\xC3\xA9 \xF0\x9F\x91\x8B\\t\",\"callback_data\":\"\\\"/\"}",
       R"({"text":"caf\u00e9 \ud83d\udc4b ","callback_data":"\"/"})"},
  };
  for (const auto& c : cases) {
    std::string json = R"({"inline_keyboard":[[)" + std::string(c.button) + "]]}";
    EXPECT_EQ(Echo(json), R"({"inline_keyboard":[[)" + std::string(c.echo) + "]]}") << c.button;
  }
}

TEST(EchoInlineKeyboardTest, RowsAndOtherKinds) {
  EXPECT_EQ(Echo(R"({"inline_keyboard":[[{"text":"a","callback_data":"1"},
      {"text":"b","callback_data":"2"}],[],[{"text":"c","pay":1}]]})"),
            R"({"inline_keyboard":[[{"text":"a","callback_data":"1"},)"
            R"({"text":"b","callback_data":"2"}],[{"text":"c","pay":true}]]})");
  EXPECT_EQ(Echo(R"({"keyboard":[["a"]]})"), "");
  EXPECT_EQ(Echo(R"({"remove_keyboard":true})"), "");
  EXPECT_EQ(Echo(R"({"force_reply":true})"), "");
  EXPECT_EQ(Echo("{}"), "");
}

TEST(CallbackDataTest, InOrder) {
  ReplyMarkup m = Checked(R"({"inline_keyboard":[[{"text":"a","callback_data":"1"},
      {"text":"u","url":"https://t.me"}],[{"text":"b","callback_data":"2"},
      {"text":"c","callback_data":"1"}]]})");
  EXPECT_EQ(CallbackData(m), (std::vector<std::string>{"1", "2", "1"}));
  EXPECT_TRUE(CallbackData(Checked(R"({"keyboard":[["a"]]})")).empty());
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs: no crash, a plain answer.

TEST(ReplyMarkupHostileTest, DeepNestingHugeArraysAndBytes) {
  std::string deep = R"({"inline_keyboard":)" + std::string(100000, '[') + "]";
  EXPECT_EQ(ParseError(deep), "Bad Request: can't parse reply keyboard markup JSON object");
  std::string nested = R"({"inline_keyboard":[[{"text":"a","callback_data":"x","extra":)" +
                       std::string(95, '[') + std::string(95, ']') + "}]]}";
  EXPECT_EQ(ParseError(nested), "");

  std::string huge = R"({"inline_keyboard":[)";
  for (int r = 0; r < 500; ++r) huge.append(r ? "," : "").append(Row(50));
  huge += "]}";
  ReplyMarkup m = Parsed(huge);
  EXPECT_EQ(m.inline_keyboard.size(), 500u);
  auto checked = CheckReplyMarkup(m, kPrivate);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->inline_keyboard.size(), 25u);
  EXPECT_FALSE(EchoInlineKeyboard(*checked).empty());

  // Every byte value in every string position.
  for (int c = 0; c < 256; ++c) {
    std::string byte(1, static_cast<char>(c));
    std::string json = R"({"inline_keyboard":[[{"text":")" + byte + R"(","callback_data":")" +
                       byte + R"("},{"text":"t","url":")" + byte + R"("}]]})";
    auto parsed = ParseReplyMarkup(json);
    if (!parsed) continue;
    for (MarkupTarget t : {kPrivate, kGroup, kChannel, kEditInGroup}) {
      auto r = CheckReplyMarkup(*parsed, t);
      if (r) (void)EchoInlineKeyboard(*r);
    }
  }
}

// Truncations and byte flips of a rich markup: whatever comes out, nothing crashes.
TEST(ReplyMarkupHostileTest, MutationsOfAValidMarkup) {
  const std::string base =
      R"({"keyboard":[["a",{"text":"b","request_chat":{"request_id":1,"user_administrator_rights":{"can_manage_chat":true}}}]],)"
      R"("inline_keyboard":[[{"text":"c","callback_data":"d","style":"danger","icon_custom_emoji_id":"1"},)"
      R"({"text":"e","switch_inline_query_chosen_chat":{"query":"q","allow_bot_chats":true}},)"
      R"({"text":"f","login_url":{"url":"https://x.org","bot_username":"@b"}}]],)"
      R"("selective":true,"input_field_placeholder":"p","resize_keyboard":true})";
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245 + 12345;
    return seed >> 8;
  };
  for (size_t cut = 0; cut <= base.size(); ++cut) (void)ParseReplyMarkup(base.substr(0, cut));
  for (int i = 0; i < 5000; ++i) {
    std::string s = base;
    for (int k = 0; k < 3; ++k) s[next() % s.size()] = static_cast<char>(next() & 0xFF);
    auto parsed = ParseReplyMarkup(s);
    if (!parsed) continue;
    for (MarkupTarget t : {kPrivate, kGroup, kChannel}) {
      auto r = CheckReplyMarkup(*parsed, t);
      if (!r) continue;
      (void)CheckReplyMarkupAtServer(*r, t.chat);
      (void)EchoInlineKeyboard(*r);
      (void)CallbackData(*r);
    }
    (void)LoginUrlBotUsernames(*parsed);
  }
}

}  // namespace
}  // namespace tgi::botapi
