#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "botapi/reply_markup.h"
#include "botapi/reply_markup_test_util.h"

namespace tgi::botapi {
namespace {

using Kind = ReplyMarkup::Kind;
using Chat = MarkupTarget::Chat;

// ---------------------------------------------------------------------------------------------
// CheckReplyMarkup

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

}  // namespace
}  // namespace tgi::botapi
