#include "botapi/message_args.h"

#include <gtest/gtest.h>

#include <string>

namespace tgi::botapi {
namespace {

using namespace std::string_literals;
using text::Entity;
using text::EntityType;

// ---------------------------------------------------------------------------------------------
// parse_mode

TEST(ParseParseModeTest, CaseInsensitiveNamesAndNone) {
  struct Case {
    const char* in;
    std::optional<ParseMode> want;
  } cases[] = {
      {"HTML", ParseMode::kHtml},
      {"Html", ParseMode::kHtml},
      {"html", ParseMode::kHtml},
      {"MarkdownV2", ParseMode::kMarkdownV2},
      {"MARKDOWNV2", ParseMode::kMarkdownV2},
      {"markdown", ParseMode::kMarkdown},
      {"Markdown", ParseMode::kMarkdown},
      {"", std::nullopt},
      {"none", std::nullopt},
      {"None", std::nullopt},
  };
  for (const auto& c : cases) {
    auto r = ParseParseMode(c.in);
    ASSERT_TRUE(r.ok()) << c.in;
    EXPECT_EQ(*r, c.want) << c.in;
  }
  for (const char* bad : {"md", "markdown2", " html", "html ", "htm", "markdownv1", "text"}) {
    auto r = ParseParseMode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().description, "Bad Request: unsupported parse_mode");
  }
}

// ---------------------------------------------------------------------------------------------
// entities

std::vector<Entity> Entities(std::string_view json) {
  auto r = ParseEntities(json);
  EXPECT_TRUE(r.ok()) << json << ": " << (r ? "" : r.error().description);
  return r ? *r : std::vector<Entity>{};
}

std::string EntitiesError(std::string_view json) {
  auto r = ParseEntities(json);
  return r ? "" : r.error().description;
}

TEST(ParseEntitiesTest, NotAnArrayIsSilentlyNoEntities) {
  for (const char* json : {"", "x", "{}", R"({"offset":0})", "1", "null", R"("[]")", "[", "[]",
                           "[1,]", R"([{"offset":0,"length":1,"type":"bold"})"})
    EXPECT_TRUE(Entities(json).empty()) << json;
}

TEST(ParseEntitiesTest, EachTypeWithItsFields) {
  std::vector<Entity> got = Entities(R"([
      {"offset":0,"length":1,"type":"bold"},
      {"offset":1,"length":2,"type":"italic"},
      {"offset":2,"length":3,"type":"underline"},
      {"offset":3,"length":4,"type":"strikethrough"},
      {"offset":4,"length":5,"type":"spoiler"},
      {"offset":5,"length":6,"type":"code"},
      {"offset":6,"length":7,"type":"pre"},
      {"offset":7,"length":8,"type":"pre","language":"c++"},
      {"offset":8,"length":9,"type":"text_link","url":"https://t.me"},
      {"offset":"9","length":"10","type":"text_mention","user":{"id":123456789,"first_name":"A"}},
      {"offset":10,"length":2,"type":"custom_emoji","custom_emoji_id":"5368324170671202286"},
      {"offset":11,"length":12,"type":"blockquote"},
      {"offset":12,"length":13,"type":"expandable_blockquote"},
      {"offset":13,"length":14,"type":"date_time","unix_time":1750000000,"date_time_format":"TDw"},
      {"offset":-1,"length":0,"type":"bold","url":"ignored"}])");
  std::vector<Entity> want = {
      {.type = EntityType::kBold, .offset = 0, .length = 1},
      {.type = EntityType::kItalic, .offset = 1, .length = 2},
      {.type = EntityType::kUnderline, .offset = 2, .length = 3},
      {.type = EntityType::kStrikethrough, .offset = 3, .length = 4},
      {.type = EntityType::kSpoiler, .offset = 4, .length = 5},
      {.type = EntityType::kCode, .offset = 5, .length = 6},
      {.type = EntityType::kPre, .offset = 6, .length = 7},
      {.type = EntityType::kPre, .offset = 7, .length = 8, .argument = "c++"},
      {.type = EntityType::kTextLink, .offset = 8, .length = 9, .argument = "https://t.me"},
      {.type = EntityType::kTextMention, .offset = 9, .length = 10, .user_id = 123456789},
      {.type = EntityType::kCustomEmoji,
       .offset = 10,
       .length = 2,
       .argument = "5368324170671202286"},
      {.type = EntityType::kBlockquote, .offset = 11, .length = 12},
      {.type = EntityType::kExpandableBlockquote, .offset = 12, .length = 13},
      {.type = EntityType::kDateTime,
       .offset = 13,
       .length = 14,
       .argument = "wDT",
       .unix_time = 1750000000},
      // Offsets and lengths are checked against the text later, not here.
      {.type = EntityType::kBold, .offset = -1, .length = 0},
  };
  EXPECT_EQ(got, want);
}

TEST(ParseEntitiesTest, AutomaticTypesAreAcceptedAndLeftOut) {
  std::vector<Entity> got = Entities(R"([{"offset":0,"length":1,"type":"mention"},
      {"offset":0,"length":1,"type":"hashtag"},{"offset":0,"length":1,"type":"cashtag"},
      {"offset":0,"length":1,"type":"bot_command"},{"offset":0,"length":1,"type":"url"},
      {"offset":0,"length":1,"type":"email"},{"offset":0,"length":1,"type":"phone_number"},
      {"offset":0,"length":1,"type":"bank_card_number"},{"offset":2,"length":3,"type":"code"}])");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].type, EntityType::kCode);
}

TEST(ParseEntitiesTest, DateTimeFormatsInTheReferencesSpelling) {
  struct Case {
    const char* format;
    const char* want;
  } cases[] = {{"", ""},     {"r", "r"},   {"R", "r"},  {"wDT", "wDT"}, {"TDw", "wDT"},
               {"tT", "T"},  {"Tt", "t"},  {"ww", "w"}, {"W", "w"},     {"dD", "D"},
               {"td", "dt"}, {"Dw", "wD"}, {"T", "T"}};
  for (const auto& c : cases) {
    std::string json = R"([{"offset":0,"length":1,"type":"date_time","unix_time":1,)"
                       R"("date_time_format":")" +
                       std::string(c.format) + "\"}]";
    std::vector<Entity> got = Entities(json);
    ASSERT_EQ(got.size(), 1u) << c.format;
    EXPECT_EQ(got[0].argument, c.want) << c.format;
  }
  std::vector<Entity> none =
      Entities(R"([{"offset":0,"length":1,"type":"date_time","unix_time":0}])");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].argument, "");
}

TEST(ParseEntitiesTest, EveryErrorText) {
  const std::string p = "Bad Request: can't parse MessageEntity: ";
  struct Case {
    std::string json;
    std::string want;
  } cases[] = {
      {"[1]", p + "expected an Object"},
      {"[null]", p + "expected an Object"},
      {R"(["bold"])", p + "expected an Object"},
      {"[{}]", p + R"(Can't find field "offset")"},
      {R"([{"type":"nope"}])", p + R"(Can't find field "offset")"},
      {R"([{"offset":null,"length":1,"type":"bold"}])", p + R"(Field "offset" must be a Number)"},
      {R"([{"offset":[],"length":1,"type":"bold"}])", p + R"(Field "offset" must be a Number)"},
      {R"([{"offset":"1x","length":1,"type":"bold"}])",
       p + R"(Field "offset" must be a valid Number)"},
      {R"([{"offset":2147483648,"length":1,"type":"bold"}])",
       p + R"(Field "offset" must be a valid Number)"},
      {R"([{"offset":0}])", p + R"(Can't find field "length")"},
      {R"([{"offset":0,"length":1.0,"type":"bold"}])",
       p + R"(Field "length" must be a valid Number)"},
      {R"([{"offset":0,"length":1}])", p + R"(Can't find field "type")"},
      {R"([{"offset":0,"length":1,"type":true}])", p + R"(Field "type" must be of type String)"},
      {R"([{"offset":0,"length":1,"type":null}])", p + R"(Field "type" must be of type String)"},
      {R"([{"offset":0,"length":1,"type":""}])", p + "Type is not specified"},
      {R"([{"offset":0,"length":1,"type":"Bold"}])", p + "Unsupported type specified"},
      {R"([{"offset":0,"length":1,"type":5}])", p + "Unsupported type specified"},
      {R"([{"offset":0,"length":1,"type":"text_url"}])", p + "Unsupported type specified"},
      {R"([{"offset":0,"length":1,"type":"pre","language":{}}])",
       p + R"(Field "language" must be of type String)"},
      {R"([{"offset":0,"length":1,"type":"text_link"}])", p + R"(Can't find field "url")"},
      {R"([{"offset":0,"length":1,"type":"text_link","url":false}])",
       p + R"(Field "url" must be of type String)"},
      {R"([{"offset":0,"length":1,"type":"text_mention"}])", p + R"(Can't find field "user")"},
      {R"([{"offset":0,"length":1,"type":"text_mention","user":5}])",
       p + R"(Field "user" must be of type Object)"},
      {R"([{"offset":0,"length":1,"type":"text_mention","user":{}}])",
       p + R"(Can't find field "id")"},
      {R"([{"offset":0,"length":1,"type":"text_mention","user":{"id":"x"}}])",
       p + R"(Field "id" must be a valid Number)"},
      {R"([{"offset":0,"length":1,"type":"custom_emoji"}])",
       p + R"(Can't find field "custom_emoji_id")"},
      {R"([{"offset":0,"length":1,"type":"custom_emoji","custom_emoji_id":true}])",
       p + R"(Field "custom_emoji_id" must be a Number)"},
      {R"([{"offset":0,"length":1,"type":"date_time"}])", p + R"(Can't find field "unix_time")"},
      {R"([{"offset":0,"length":1,"type":"date_time","unix_time":1e9}])",
       p + R"(Field "unix_time" must be a valid Number)"},
      {R"([{"offset":0,"length":1,"type":"date_time","unix_time":1,"date_time_format":[]}])",
       p + R"(Field "date_time_format" must be of type String)"},
      {R"([{"offset":0,"length":1,"type":"date_time","unix_time":1,"date_time_format":"rt"}])",
       p + "Invalid date-time format specified"},
      {R"([{"offset":0,"length":1,"type":"date_time","unix_time":1,"date_time_format":"x"}])",
       p + "Invalid date-time format specified"},
      {R"([{"offset":0,"length":1,"type":"date_time","unix_time":1,"date_time_format":1}])",
       p + "Invalid date-time format specified"},
      // The first bad element decides; an automatic type is still read for offset and length.
      {R"([{"offset":0,"length":1,"type":"bold"},{"offset":0,"type":"url"},1])",
       p + R"(Can't find field "length")"},
      {R"([1,{}])", p + "expected an Object"},
  };
  for (const auto& c : cases) EXPECT_EQ(EntitiesError(c.json), c.want) << c.json;
}

// ---------------------------------------------------------------------------------------------
// text, parse_mode and entities together

TEST(ParseTextArgsTest, WhichPathIsTaken) {
  // A parse mode applies: entities are ignored, even broken ones.
  auto html = ParseTextArgs("<b>x</b>", "HTML", "[1]");
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->parse_mode, ParseMode::kHtml);
  EXPECT_EQ(html->text, "<b>x</b>");
  EXPECT_TRUE(html->entities.empty());

  // No parse mode: the entities are read.
  auto plain = ParseTextArgs("hello", "none", R"([{"offset":0,"length":5,"type":"bold"}])");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->parse_mode.has_value());
  ASSERT_EQ(plain->entities.size(), 1u);
  EXPECT_EQ(ParseTextArgs("hello", "", "[1]").error().description,
            "Bad Request: can't parse MessageEntity: expected an Object");

  // An empty text is not parsed, so its parse_mode is not even looked at.
  auto empty = ParseTextArgs("", "bogus", R"([{"offset":0,"length":1,"type":"code"}])");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->entities.size(), 1u);
  EXPECT_EQ(ParseTextArgs("x", "bogus", "").error().description,
            "Bad Request: unsupported parse_mode");
}

TEST(ParseTextArgsTest, TooLongBeforeAnythingElse) {
  std::string max(32768, 'a');
  EXPECT_TRUE(ParseTextArgs(max, "", "").ok());
  std::string over(32769, 'a');
  EXPECT_EQ(ParseTextArgs(over, "", "").error().description, "Bad Request: text is too long");
  EXPECT_EQ(ParseTextArgs(over, "bogus", "[1]").error().description,
            "Bad Request: text is too long");
  EXPECT_EQ(ParseMessageText("", "bogus", "[1]").error().description,
            "Bad Request: message text is empty");
  EXPECT_EQ(ParseMessageText(over, "", "").error().description, "Bad Request: text is too long");
  EXPECT_TRUE(ParseMessageText("x", "", "").ok());
}

TEST(ParseTextArgsTest, RunsTheInjectedParser) {
  std::string seen_text;
  std::optional<ParseMode> seen_mode;
  TextParser parser = [&](std::string_view text,
                          ParseMode mode) -> Result<text::FormattedText, ApiError> {
    seen_text = std::string(text);
    seen_mode = mode;
    if (text == "bad") return Unexpected{BadRequest("Can't parse entities: nope")};
    return text::FormattedText{.text = "x",
                               .entities = {{.type = EntityType::kBold, .offset = 0, .length = 1}}};
  };
  auto r = ParseTextArgs("<b>x</b>", "MarkdownV2", "[1]", parser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(seen_text, "<b>x</b>");
  EXPECT_EQ(seen_mode, ParseMode::kMarkdownV2);
  EXPECT_FALSE(r->parse_mode.has_value());
  EXPECT_EQ(r->text, "x");
  EXPECT_EQ(r->entities.size(), 1u);
  EXPECT_EQ(ParseTextArgs("bad", "html", "", parser).error().description,
            "Bad Request: can't parse entities: nope");
  seen_mode.reset();
  EXPECT_TRUE(ParseTextArgs("plain", "", "", parser).ok());
  EXPECT_FALSE(seen_mode.has_value());  // no parse mode, no parser
}

// ---------------------------------------------------------------------------------------------
// link_preview_options

TEST(ParseLinkPreviewOptionsTest, OptionsOrTheLegacyFlag) {
  EXPECT_EQ(*ParseLinkPreviewOptions("", ""), LinkPreviewOptions{});
  EXPECT_TRUE(ParseLinkPreviewOptions("", "true")->is_disabled);
  EXPECT_TRUE(ParseLinkPreviewOptions("", "Yes")->is_disabled);
  EXPECT_FALSE(ParseLinkPreviewOptions("", "false")->is_disabled);
  // Given options win over the legacy flag, even empty ones.
  EXPECT_FALSE(ParseLinkPreviewOptions("{}", "true")->is_disabled);
  auto all = ParseLinkPreviewOptions(
      R"({"is_disabled":true,"url":"https://x.org","prefer_small_media":true,
          "prefer_large_media":true,"show_above_text":true,"unknown":1})",
      "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (LinkPreviewOptions{.is_disabled = true,
                                      .url = "https://x.org",
                                      .prefer_small_media = true,
                                      .prefer_large_media = true,
                                      .show_above_text = true}));
  EXPECT_EQ(ParseLinkPreviewOptions(R"({"url":12})", "")->url, "12");
}

TEST(ParseLinkPreviewOptionsTest, EveryErrorText) {
  struct Case {
    const char* json;
    const char* want;
  } cases[] = {
      {"x", "Bad Request: can't parse link preview options JSON object"},
      {"{", "Bad Request: can't parse link preview options JSON object"},
      {"[]", "Bad Request: object expected as link preview options"},
      {"true", "Bad Request: object expected as link preview options"},
      {R"({"is_disabled":"true"})", R"(Bad Request: field "is_disabled" must be of type Boolean)"},
      {R"({"url":true})", R"(Bad Request: field "url" must be of type String)"},
      {R"({"url":null})", R"(Bad Request: field "url" must be of type String)"},
      {R"({"prefer_small_media":1})",
       R"(Bad Request: field "prefer_small_media" must be of type Boolean)"},
      {R"({"prefer_large_media":null})",
       R"(Bad Request: field "prefer_large_media" must be of type Boolean)"},
      {R"({"show_above_text":"x"})",
       R"(Bad Request: field "show_above_text" must be of type Boolean)"},
      {R"({"show_above_text":1,"is_disabled":1})",
       R"(Bad Request: field "is_disabled" must be of type Boolean)"},
  };
  for (const auto& c : cases) {
    auto r = ParseLinkPreviewOptions(c.json, "true");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().description, c.want) << c.json;
  }
}

// ---------------------------------------------------------------------------------------------
// reply_parameters

TEST(ParseReplyParametersTest, LegacyParametersOnlyWhenAbsent) {
  struct Case {
    const char* id;
    const char* allow;
    int32_t want_id;
    bool want_allow;
  } cases[] = {{"17", "true", 17, true},   {"-5", "1", 0, true}, {"abc", "", 0, false},
               {"12abc", "no", 12, false}, {"", "", 0, false},   {"4294967313", "", 17, false}};
  for (const auto& c : cases) {
    auto r = ParseReplyParameters(std::nullopt, c.id, c.allow);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->message_id, c.want_id) << c.id;
    EXPECT_EQ(r->allow_sending_without_reply, c.want_allow) << c.allow;
  }
  // Present, even empty: the legacy pair is ignored.
  for (const char* present : {"", "{}", " { } "}) {
    auto r = ParseReplyParameters(std::string_view(present), "17", "true");
    ASSERT_TRUE(r.ok()) << present;
    EXPECT_EQ(*r, ReplyParameters{}) << present;
  }
}

TEST(ParseReplyParametersTest, Fields) {
  auto r = ParseReplyParameters(
      R"({"message_id":"5","chat_id":-1001234567890,"allow_sending_without_reply":true,
          "quote":"q","quote_parse_mode":"","quote_entities":[{"offset":0,"length":1,"type":"bold"}],
          "quote_position":3,"checklist_task_id":"4","poll_option_id":7})",
      "99", "");
  ASSERT_TRUE(r.ok()) << r.error().description;
  EXPECT_EQ(r->message_id, 5);
  EXPECT_EQ(r->chat_id, "-1001234567890");
  EXPECT_TRUE(r->allow_sending_without_reply);
  EXPECT_EQ(r->quote.text, "q");
  EXPECT_EQ(r->quote.entities.size(), 1u);
  EXPECT_EQ(r->quote_position, 3);
  EXPECT_EQ(r->checklist_task_id, 4);
  EXPECT_EQ(r->poll_option_id, "7");

  EXPECT_EQ(ParseReplyParameters(R"({"message_id":-3})", "", "")->message_id, 0);
  EXPECT_EQ(ParseReplyParameters(R"({"message_id":1,"chat_id":"@chan"})", "", "")->chat_id,
            "@chan");
  // quote_entities counts only as an array (a JSON string holding one is ignored).
  EXPECT_TRUE(ParseReplyParameters(R"({"message_id":1,"quote":"q","quote_entities":"[1]"})", "", "")
                  ->quote.entities.empty());
  // A quote parse mode applies to a non-empty quote only, and then its entities are ignored.
  auto mode = ParseReplyParameters(
      R"({"message_id":1,"quote":"<b>q</b>","quote_parse_mode":"HTML","quote_entities":[1]})", "",
      "");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(mode->quote.parse_mode, ParseMode::kHtml);
  EXPECT_TRUE(ParseReplyParameters(R"({"message_id":1,"quote_parse_mode":"bogus"})", "", "").ok());
}

TEST(ParseReplyParametersTest, EveryErrorText) {
  struct Case {
    std::string json;
    std::string want;
  } cases[] = {
      {"x", "Bad Request: can't parse reply parameters JSON object"},
      {R"({"message_id":1)", "Bad Request: can't parse reply parameters JSON object"},
      {"[]", "Bad Request: object expected as reply parameters"},
      {"null", "Bad Request: object expected as reply parameters"},
      {"5", "Bad Request: object expected as reply parameters"},
      {R"({"chat_id":1})", R"(Bad Request: can't find field "message_id")"},
      {R"({"message_id":null})", R"(Bad Request: field "message_id" must be a Number)"},
      {R"({"message_id":true})", R"(Bad Request: field "message_id" must be a Number)"},
      {R"({"message_id":"1.0"})", R"(Bad Request: field "message_id" must be a valid Number)"},
      {R"({"message_id":2147483648})", R"(Bad Request: field "message_id" must be a valid Number)"},
      {R"({"chat_id":{}})", R"(Bad Request: field "chat_id" must be of type String)"},
      {R"({"message_id":1,"allow_sending_without_reply":"true"})",
       R"(Bad Request: field "allow_sending_without_reply" must be of type Boolean)"},
      {R"({"message_id":1,"quote":[]})", R"(Bad Request: field "quote" must be of type String)"},
      {R"({"message_id":1,"quote_parse_mode":true})",
       R"(Bad Request: field "quote_parse_mode" must be of type String)"},
      {R"({"message_id":1,"quote":"q","quote_parse_mode":"bogus"})",
       "Bad Request: unsupported parse_mode"},
      {R"({"message_id":1,"quote":"q","quote_entities":[1]})",
       "Bad Request: can't parse MessageEntity: expected an Object"},
      {R"({"message_id":1,"quote":")" + std::string(32769, 'q') + "\"}",
       "Bad Request: text is too long"},
      {R"({"message_id":1,"quote_position":"x"})",
       R"(Bad Request: field "quote_position" must be a valid Number)"},
      {R"({"message_id":1,"checklist_task_id":{}})",
       R"(Bad Request: field "checklist_task_id" must be a Number)"},
      {R"({"message_id":1,"poll_option_id":[]})",
       R"(Bad Request: field "poll_option_id" must be of type String)"},
      // In the reference's order.
      {R"({"poll_option_id":[],"quote":[],"message_id":1})",
       R"(Bad Request: field "quote" must be of type String)"},
      {R"({"quote_position":"x","quote":"q","quote_entities":[1],"message_id":1})",
       "Bad Request: can't parse MessageEntity: expected an Object"},
  };
  for (const auto& c : cases) {
    auto r = ParseReplyParameters(std::string_view(c.json), "", "");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().description, c.want) << c.json;
  }
}

TEST(ParseReplyParametersTest, TheQuoteParserRunsBeforeTheLaterFields) {
  TextParser failing = [](std::string_view, ParseMode) -> Result<text::FormattedText, ApiError> {
    return Unexpected{
        BadRequest("Can't parse entities: Unsupported start tag \"br\" at byte "
                   "offset 0")};
  };
  auto r = ParseReplyParameters(
      R"({"message_id":1,"quote":"<br>","quote_parse_mode":"html","quote_position":"x"})", "", "",
      failing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().description,
            "Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 0");
}

// ---------------------------------------------------------------------------------------------
// message_id, the edited message, message_ids

TEST(ParseMessageIdTest, LenientAndNeverNegative) {
  struct Case {
    const char* in;
    int32_t want;
  } cases[] = {{"", 0},           {"0", 0},   {"17", 17},
               {"17abc", 17},     {"abc", 0}, {"-1", 0},
               {" 5", 0},         {"+5", 0},  {"2147483647", 2147483647},
               {"2147483648", 0},  // wraps negative, then 0
               {"4294967297", 1}};
  for (const auto& c : cases) EXPECT_EQ(ParseMessageId(c.in), c.want) << c.in;
}

TEST(ParseEditedMessageTest, ChatOrInline) {
  auto chat = ParseEditedMessage("-100123", "42", "ignored");
  ASSERT_TRUE(chat.ok());
  EXPECT_EQ(*chat, (EditedMessage{.chat_id = "-100123", .message_id = 42}));
  // A chat_id alone, or a message_id alone, is chat mode (check_message refuses what is missing).
  EXPECT_FALSE(ParseEditedMessage("@chan", "", "")->is_inline);
  EXPECT_FALSE(ParseEditedMessage("", "7", "abc")->is_inline);
  auto in = ParseEditedMessage("", "-5", "AAQ");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(*in, (EditedMessage{.is_inline = true, .inline_message_id = "AAQ"}));
  for (const char* zero : {"", "0", "abc", "-9"})
    EXPECT_EQ(ParseEditedMessage("", zero, "").error().description,
              "Bad Request: message identifier is not specified");
}

TEST(ParseMessageIdsTest, ValidLists) {
  EXPECT_EQ(*ParseMessageIds(R"([1,"2", 3 ])"), (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(*ParseMessageIds("[2147483647]"), (std::vector<int32_t>{2147483647}));
  std::string hundred = "[";
  for (int i = 1; i <= 100; ++i) hundred.append(i > 1 ? "," : "").append(std::to_string(i));
  EXPECT_EQ(ParseMessageIds(hundred + "]")->size(), 100u);
}

TEST(ParseMessageIdsTest, EveryErrorText) {
  std::string many = "[";
  for (int i = 1; i <= 101; ++i) many += i > 1 ? ",true" : "true";
  many += "]";
  struct Case {
    std::string json;
    const char* want;
  } cases[] = {
      {"", "Bad Request: message identifiers are not specified"},
      {"[]", "Bad Request: message identifiers are not specified"},
      {"x", "Bad Request: can't parse message_ids JSON object"},
      {"[1,", "Bad Request: can't parse message_ids JSON object"},
      {"{}", "Bad Request: expected an Array of message identifiers"},
      {"1", "Bad Request: expected an Array of message identifiers"},
      {R"("[1]")", "Bad Request: expected an Array of message identifiers"},
      {many, "Bad Request: too many message identifiers specified"},
      {"[true]", "Bad Request: message identifier must be a Number"},
      {"[null]", "Bad Request: message identifier must be a Number"},
      {"[[1]]", "Bad Request: message identifier must be a Number"},
      {"[{}]", "Bad Request: message identifier must be a Number"},
      {R"(["1.0"])", "Bad Request: can't parse message identifier as a Number"},
      {"[1.5]", "Bad Request: can't parse message identifier as a Number"},
      {R"(["007"])", "Bad Request: can't parse message identifier as a Number"},
      {R"([""])", "Bad Request: can't parse message identifier as a Number"},
      {"[2147483648]", "Bad Request: can't parse message identifier as a Number"},
      {"[+1]", "Bad Request: can't parse message identifier as a Number"},
      {"[0]", "Bad Request: invalid message identifier specified"},
      {"[-1]", "Bad Request: invalid message identifier specified"},
      {R"(["-5"])", "Bad Request: invalid message identifier specified"},
      // The first bad element decides.
      {"[0,true]", "Bad Request: invalid message identifier specified"},
      {"[true,0]", "Bad Request: message identifier must be a Number"},
  };
  for (const auto& c : cases) {
    auto r = ParseMessageIds(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().description, c.want) << c.json;
  }
  EXPECT_EQ(ParseMessageIds("x", "ids").error().description,
            "Bad Request: can't parse ids JSON object");
}

// ---------------------------------------------------------------------------------------------
// sendChatAction

TEST(ParseChatActionTest, NamesLegacyNamesAndCase) {
  struct Case {
    const char* in;
    ChatAction want;
  } cases[] = {
      {"typing", ChatAction::kTyping},
      {"TYPING", ChatAction::kTyping},
      {"upload_photo", ChatAction::kUploadPhoto},
      {"record_video", ChatAction::kRecordVideo},
      {"upload_video", ChatAction::kUploadVideo},
      {"record_voice", ChatAction::kRecordVoice},
      {"record_audio", ChatAction::kRecordVoice},
      {"upload_voice", ChatAction::kUploadVoice},
      {"Upload_Audio", ChatAction::kUploadVoice},
      {"upload_document", ChatAction::kUploadDocument},
      {"choose_sticker", ChatAction::kChooseSticker},
      {"find_location", ChatAction::kFindLocation},
      {"pick_up_location", ChatAction::kFindLocation},
      {"record_video_note", ChatAction::kRecordVideoNote},
      {"upload_video_note", ChatAction::kUploadVideoNote},
      {"cancel", ChatAction::kCancel},
  };
  for (const auto& c : cases) {
    auto r = ParseChatAction(c.in);
    ASSERT_TRUE(r.ok()) << c.in;
    EXPECT_EQ(*r, c.want) << c.in;
  }
  for (const char* bad : {"", "typing ", " typing", "upload_file", "record_audio_note", "choose"}) {
    auto r = ParseChatAction(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().description, "Bad Request: wrong parameter action in request");
  }
  EXPECT_FALSE(ParseChatAction("typing\0"s).ok());
}

TEST(ParseChatActionTest, NamesRoundTrip) {
  for (ChatAction a :
       {ChatAction::kTyping, ChatAction::kUploadPhoto, ChatAction::kRecordVideo,
        ChatAction::kUploadVideo, ChatAction::kRecordVoice, ChatAction::kUploadVoice,
        ChatAction::kUploadDocument, ChatAction::kChooseSticker, ChatAction::kFindLocation,
        ChatAction::kRecordVideoNote, ChatAction::kUploadVideoNote, ChatAction::kCancel}) {
    std::string_view name = ChatActionName(a);
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(*ParseChatAction(name), a) << name;
  }
  EXPECT_EQ(ChatActionName(ChatAction::kRecordVoice), "record_voice");
  EXPECT_EQ(ChatActionName(ChatAction::kFindLocation), "find_location");
}

// ---------------------------------------------------------------------------------------------
// answerCallbackQuery

CallbackAnswer Answer(std::initializer_list<std::pair<const char*, std::string>> params) {
  http::ParamList list;
  for (const auto& [name, value] : params) list.Add(name, value);
  return ParseCallbackAnswer(Args(list));
}

TEST(CallbackAnswerTest, Parameters) {
  CallbackAnswer a = Answer({{"callback_query_id", "8447356312134897053"},
                             {"text", "Done!"},
                             {"show_alert", "True"},
                             {"url", "https://t.me/bot?start=x"},
                             {"cache_time", "60"}});
  EXPECT_EQ(a, (CallbackAnswer{.callback_query_id = 8447356312134897053,
                               .text = "Done!",
                               .show_alert = true,
                               .url = "https://t.me/bot?start=x",
                               .cache_time = 60}));
  EXPECT_EQ(Answer({}), CallbackAnswer{});
  EXPECT_EQ(Answer({{"callback_query_id", "abc"}}).callback_query_id, 0);
  EXPECT_EQ(Answer({{"callback_query_id", "123abc"}}).callback_query_id, 123);
  EXPECT_EQ(Answer({{"callback_query_id", "-5"}}).callback_query_id, -5);
  struct Case {
    const char* in;
    int32_t want;
  } cache[] = {
      {"", 0},     {"-5", 0}, {"2592000", 2592000}, {"2592001", 2592000}, {"9999999999", 2592000},
      {"12s", 12}, {"x", 0}};
  for (const auto& c : cache) EXPECT_EQ(Answer({{"cache_time", c.in}}).cache_time, c.want) << c.in;
}

TEST(CallbackAnswerTest, CleanedByTdlibAndMeasuredByTheServer) {
  CallbackAnswer a{.text = "a\tb\r", .url = "https://x.org/\x01"};
  ASSERT_TRUE(CleanCallbackAnswer(a).ok());
  EXPECT_EQ(a.text, "a b");
  EXPECT_EQ(a.url, "https://x.org/ ");
  for (CallbackAnswer bad : {CallbackAnswer{.text = "\xFF"}, CallbackAnswer{.url = "\xC3"}}) {
    auto r = CleanCallbackAnswer(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().description, "Bad Request: strings must be encoded in UTF-8");
  }

  std::string two_hundred;
  for (int i = 0; i < 200; ++i) two_hundred += "\xC3\xA9";  // 400 bytes, 200 characters
  EXPECT_TRUE(CheckCallbackAnswerAtServer(CallbackAnswer{.text = two_hundred}).ok());
  auto r = CheckCallbackAnswerAtServer(CallbackAnswer{.text = two_hundred + "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().description, "Bad Request: MESSAGE_TOO_LONG");
}

// ---------------------------------------------------------------------------------------------
// The catalogue's other message texts.

TEST(MessagesCatalogueTest, Texts) {
  EXPECT_EQ(MessageNotFound("message to edit").description,
            "Bad Request: message to edit not found");
  EXPECT_EQ(MessageNotFound("message to be replied").description,
            "Bad Request: message to be replied not found");
  EXPECT_EQ(ChatIdNotSpecified().description, "Bad Request: chat identifier is not specified");
  EXPECT_EQ(CallbackQueryTooOld().description,
            "Bad Request: query is too old and response timeout expired or query ID is invalid");
  EXPECT_EQ(CallbackUrlInvalid().description, "Bad Request: URL_INVALID");
  EXPECT_EQ(RawMessageTooLong().description, "Bad Request: MESSAGE_TOO_LONG");
  EXPECT_EQ(BotNotFound("some_bot").description, R"(Bad Request: bot "some_bot" not found)");
  EXPECT_EQ(JsonFieldError(JsonFieldText(JsonField::kNotNumberType, "x")).description,
            R"(Bad Request: field "x" must be of type Number)");
  for (const ApiError& e : {MessageTextEmpty(), TextTooLong(), UnsupportedParseMode(),
                            ButtonDataInvalid(), WrongChatAction(), StringsMustBeUtf8()})
    EXPECT_EQ(e.code, 400) << e.description;
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs: no crash, a plain answer.

TEST(MessageArgsHostileTest, DeepNestingHugeArraysAndBytes) {
  std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_TRUE(Entities(deep).empty());
  EXPECT_EQ(ParseMessageIds(deep).error().description,
            "Bad Request: can't parse message_ids JSON object");
  EXPECT_EQ(ParseReplyParameters(std::string_view(deep), "", "").error().description,
            "Bad Request: can't parse reply parameters JSON object");
  EXPECT_EQ(ParseLinkPreviewOptions(deep, "").error().description,
            "Bad Request: can't parse link preview options JSON object");

  std::string many = "[";
  for (int i = 0; i < 100000; ++i)
    many.append(i ? "," : "").append(R"({"offset":1,"length":2,"type":"bold"})");
  many += "]";
  EXPECT_EQ(Entities(many).size(), 100000u);

  std::string ids = "[";
  for (int i = 0; i < 500000; ++i) ids += i ? ",1" : "1";
  EXPECT_EQ(ParseMessageIds(ids + "]").error().description,
            "Bad Request: too many message identifiers specified");

  for (int c = 0; c < 256; ++c) {
    std::string byte(1, static_cast<char>(c));
    (void)ParseEntities(R"([{"offset":0,"length":1,"type":"text_link","url":")" + byte + "\"}]");
    (void)ParseReplyParameters(std::string_view(R"({"message_id":1,"quote":")" + byte + "\"}"), "",
                               "");
    (void)ParseChatAction(byte);
    (void)ParseParseMode(byte);
    (void)ParseMessageIds("[" + byte + "]");
    (void)ParseLinkPreviewOptions(R"({"url":")" + byte + "\"}", "");
  }
}

TEST(MessageArgsHostileTest, MutationsOfValidParameters) {
  const std::string reply =
      R"({"message_id":5,"chat_id":"@c","quote":"q","quote_parse_mode":"","quote_entities":)"
      R"([{"offset":0,"length":1,"type":"date_time","unix_time":1,"date_time_format":"wT"}],)"
      R"("quote_position":1})";
  const std::string entities = R"([{"offset":0,"length":1,"type":"text_mention","user":{"id":1}},)"
                               R"({"offset":0,"length":1,"type":"pre","language":"go"}])";
  uint32_t seed = 99;
  auto next = [&seed] {
    seed = seed * 1103515245 + 12345;
    return seed >> 8;
  };
  for (int i = 0; i < 5000; ++i) {
    std::string r = reply;
    std::string e = entities;
    for (int k = 0; k < 3; ++k) {
      r[next() % r.size()] = static_cast<char>(next() & 0xFF);
      e[next() % e.size()] = static_cast<char>(next() & 0xFF);
    }
    (void)ParseReplyParameters(std::string_view(r), "", "");
    (void)ParseEntities(e);
    (void)ParseTextArgs("text", "", e);
    (void)ParseMessageIds(e);
  }
}

}  // namespace
}  // namespace tgi::botapi
