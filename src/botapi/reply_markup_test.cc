#include "botapi/reply_markup.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "botapi/reply_markup_test_util.h"

namespace tgi::botapi {
namespace {

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

// The reply keyboards a message keeps for the control plane: normalised, flags only when true.
TEST(EncodeReplyKeyboardTest, EachKindAndButtonType) {
  auto encoded = [](const char* json, MarkupTarget target = {}) {
    return EncodeReplyKeyboard(Checked(json, target));
  };
  EXPECT_EQ(encoded(R"({"keyboard":[["a",{"text":"b"}],[{"text":"c","request_contact":true},
      {"text":"d","request_location":true}],[{"text":"e","request_poll":{}},
      {"text":"f","request_poll":{"type":"quiz"}},{"text":"g","web_app":{"url":"https://x.org/a"}}],
      [{"text":"h","request_users":{"request_id":3,"max_quantity":2}},
      {"text":"i","request_chat":{"request_id":4,"chat_is_channel":false}},
      {"text":"j","icon_custom_emoji_id":"5368324170671202286","style":"danger"}]],
      "one_time_keyboard":true,"resize_keyboard":true,"is_persistent":false,
      "input_field_placeholder":"Pick","selective":true})"),
            R"({"keyboard":[[{"text":"a"},{"text":"b"}],)"
            R"([{"text":"c","request_contact":true},{"text":"d","request_location":true}],)"
            R"([{"text":"e","request_poll":{}},{"text":"f","request_poll":{"type":"quiz"}},)"
            R"({"text":"g","web_app":{"url":"https://x.org/a"}}],)"
            R"([{"text":"h","request_users":{"request_id":3,"max_quantity":2}},)"
            R"({"text":"i","request_chat":{"request_id":4}},)"
            R"({"text":"j","icon_custom_emoji_id":"5368324170671202286","style":"danger"}]],)"
            R"("resize_keyboard":true,"one_time_keyboard":true,"input_field_placeholder":"Pick"})");
  // selective survives outside private chats only (CheckReplyMarkup drops it there).
  MarkupTarget group{.chat = MarkupTarget::Chat::kGroup};
  EXPECT_EQ(encoded(R"({"keyboard":[["x"]],"is_persistent":true,"selective":true})", group),
            R"({"keyboard":[[{"text":"x"}]],"is_persistent":true,"selective":true})");
  EXPECT_EQ(encoded(R"({"remove_keyboard":true,"selective":true})", group),
            R"({"remove_keyboard":true,"selective":true})");
  EXPECT_EQ(encoded(R"({"remove_keyboard":true,"input_field_placeholder":"ignored"})"),
            R"({"remove_keyboard":true})");
  EXPECT_EQ(encoded(R"({"force_reply":true,"input_field_placeholder":"Your name"})"),
            R"({"force_reply":true,"input_field_placeholder":"Your name"})");
  EXPECT_EQ(encoded(R"({"inline_keyboard":[[{"text":"a","callback_data":"1"}]]})"), "");
  EXPECT_EQ(encoded("{}"), "");
  EXPECT_EQ(encoded(R"({"keyboard":[[""]]})"), "");  // every button dropped: none
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
