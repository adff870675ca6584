#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "botapi/reply_markup.h"
#include "botapi/reply_markup_test_util.h"

namespace tgi::botapi {
namespace {

using namespace std::string_literals;
using Kind = ReplyMarkup::Kind;

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

}  // namespace
}  // namespace tgi::botapi
