#include "text/parse.h"

#include <gtest/gtest.h>

#include "text/fix.h"
#include "text/message_text.h"
#include "text/test_util.h"

namespace tgi::text {
namespace {

struct ParseCase {
  ParseMode mode;
  std::string input;
  std::string text;      // expected text, or the expected error detail when `error` is set
  std::string entities;  // Describe() of the expected entities
  bool error = false;
};

std::string Run(ParseMode mode, const std::string& input, bool* failed) {
  auto result = ParseMarkup(input, mode);
  *failed = !result.ok();
  if (!result) return result.error();
  return result->text + "|" + Describe(result->entities);
}

void Check(const std::vector<ParseCase>& cases) {
  for (const ParseCase& c : cases) {
    bool failed;
    std::string got = Run(c.mode, c.input, &failed);
    std::string want = c.error ? c.text : c.text + "|" + c.entities;
    EXPECT_EQ(failed, c.error) << c.input;
    EXPECT_EQ(got, want) << c.input;
  }
}

constexpr ParseMode kHtml = ParseMode::kHtml;
constexpr ParseMode kV2 = ParseMode::kMarkdownV2;
constexpr ParseMode kV1 = ParseMode::kMarkdown;

// The parser's own output (before normalisation): spec 3.2-3.5 and TDLib's test/message_entities.
TEST(ParseMarkup, Html) {
  Check({
      {kHtml, "<b>Hi 👋</b> <a href=\"https://t.me\">link</a>", "Hi 👋 link",
       "bold(0,5) text_link(6,4,https://t.me/)"},
      {kHtml, "<a href=telegram.org>x</a>", "x", "text_link(0,1,http://telegram.org/)"},
      {kHtml, "<pre><code class=\"language-python\">print(1)</code></pre>", "print(1)",
       "pre(0,8,python)"},
      {kHtml, "<code class=\"language-python\"><pre>print(1)</pre></code>", "print(1)",
       "pre(0,8,python)"},
      {kHtml, "<code class=\"language-python\">x</code>", "x", "code(0,1)"},
      {kHtml, "<i>a</i   >", "a", "italic(0,1)"},
      {kHtml, "&ge;&lt;&gt;&amp;&quot;", "&ge;<>&\"", ""},
      {kHtml, "&#128512;&#x1F600&#0;&#x110000;", "😀😀&#0;&#x110000;", ""},
      {kHtml, "<b></b>x", "x", ""},
      {kHtml, "<a href=\"abc\">x</a>", "x", ""},
      {kHtml, "<a>t.me</a>", "t.me", "text_link(0,4,http://t.me/)"},
      {kHtml, "<a href=\"tg://user?id=123456\">u</a>", "u", "text_mention(0,1,#123456)"},
      {kHtml, "<b>a<i>b</>c</>", "abc", "bold(0,3) italic(1,1)"},
      {kHtml, "<span class=\"tg-spoiler\">s</span><tg-spoiler>t</tg-spoiler>", "st",
       "spoiler(0,1) spoiler(1,1)"},
      {kHtml, "<blockquote expandable>q</blockquote><blockquote>r</blockquote>", "qr",
       "expandable_blockquote(0,1) blockquote(1,1)"},
      {kHtml, "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>", "👍",
       "custom_emoji(0,2,5368324170671202286)"},
      {kHtml, "<tg-time unix=\"1647531900\" format=\"Dwt\">x</tg-time>", "x",
       "date_time(0,1,@1647531900,wDt)"},
      {kHtml, "<tg-time unix=\"0\">x</tg-time>", "x", ""},
      {kHtml, "<B>x</b ><STRONG>y</strong>", "xy", "bold(0,1) bold(1,1)"},
      {kHtml, "🏟 🏟<b>a</b>", "🏟 🏟a", "bold(5,1)"},
  });
}

TEST(ParseMarkup, HtmlErrors) {
  Check({
      {kHtml, "a < b", "Unsupported start tag \"\" at byte offset 2", "", true},
      {kHtml, "<b>x", "Can't find end tag corresponding to start tag \"b\"", "", true},
      {kHtml, "<b><i>x</b></i>",
       "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\"", "", true},
      {kHtml, "<br>", "Unsupported start tag \"br\" at byte offset 0", "", true},
      {kHtml, "a <br> b", "Unsupported start tag \"br\" at byte offset 2", "", true},
      {kHtml, "<b a=\"x", "Unclosed start tag at byte offset 0", "", true},
      {kHtml, "ok <b a", "Unclosed start tag \"b\" at byte offset 3", "", true},
      {kHtml, "<b ", "Empty attribute name in the tag \"b\" at byte offset 0", "", true},
      {kHtml, "<i =a>", "Empty attribute name in the tag \"i\" at byte offset 0", "", true},
      {kHtml, "<a href=x/>", "Unexpected end of name token at byte offset 8", "", true},
      {kHtml, "<span>x</span>", "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0", "",
       true},
      {kHtml, "</b>", "Unexpected end tag at byte offset 0", "", true},
      {kHtml, "<b>x</b", "Unclosed end tag at byte offset 4", "", true},
      {kHtml, "<tg-emoji emoji-id=\"0\">x</tg-emoji>", "Invalid custom emoji identifier specified",
       "", true},
      {kHtml, "<tg-time unix=\"1\" format=\"x\">x</tg-time>", "Invalid date format used", "", true},
      {kHtml, "&#xD800;",
       "Text contains invalid Unicode characters after decoding HTML entities, check for "
       "unmatched surrogate code units",
       "", true},
      {kHtml, "<", "Unclosed start tag at byte offset 0", "", true},
  });
}

TEST(ParseMarkup, MarkdownV2) {
  Check({
      {kV2, "*bold* _it_ __u__ ~s~ ||sp|| `c`", "bold it u s sp c",
       "bold(0,4) italic(5,2) underline(8,1) strikethrough(10,1) spoiler(12,2) code(15,1)"},
      {kV2, "🏟 🏟_abac \\* asd _", "🏟 🏟abac * asd ", "italic(5,11)"},
      {kV2, "[telegram\\.org](tg:user?id=123456)", "telegram.org", "text_mention(0,12,#123456)"},
      {kV2, "[ ](as)", " ", ""},
      {kV2, ">asd\n>q||ew||\nasdad", "asd\nqew\nasdad", "blockquote(0,8) spoiler(5,2)"},
      {kV2, ">asd\n>q||e||w||\nasdad", "asd\nqew\nasdad",
       "expandable_blockquote(0,8) spoiler(5,1)"},
      {kV2, "```python\nprint(1)```", "print(1)", "pre(0,8,python)"},
      {kV2, "```\ncode```", "code", "pre(0,4)"},
      {kV2, "[a](http://t.me/\\))", "a", "text_link(0,1,http://t.me/))"},
      {kV2, "![👍](tg://emoji?id=5368324170671202286)", "👍",
       "custom_emoji(0,2,5368324170671202286)"},
      {kV2, "![x](tg://time?unix=1647531900&format=r)", "x", "date_time(0,1,@1647531900,r)"},
      {kV2, "___a_**__", "a", "italic(0,1) underline(0,1)"},
      {kV2, "**", "", ""},
      {kV2, "a\\", "a\\", ""},
  });
}

TEST(ParseMarkup, MarkdownV2Errors) {
  const std::string reserved = "' is reserved and must be escaped with the preceding '\\'";
  Check({
      {kV2, "Hello.", "Character '." + reserved, "", true},
      {kV2, "1+1", "Character '+" + reserved, "", true},
      {kV2, "a > b", "Character '>" + reserved, "", true},
      {kV2, "|", "Character '|" + reserved, "", true},
      {kV2, "!", "Character '!" + reserved, "", true},
      {kV2, "*abc", "Can't find end of Bold entity at byte offset 0", "", true},
      {kV2, "___a___", "Can't find end of Italic entity at byte offset 6", "", true},
      {kV2, "[a](http://x", "Can't find end of a URL at byte offset 4", "", true},
      {kV2, "![👍]", "The entity must contain a tg://emoji or tg://time URL", "", true},
      {kV2, "![👍](t://emoji?id=1)", "Invalid tg://emoji or tg://time URL specified", "", true},
      {kV2, "![x](tg://time?unix=1&format=x)", "Invalid tg://emoji or tg://time URL specified", "",
       true},
      {kV2, ">*a\nb*", "Can't find end of Bold entity at byte offset 1", "", true},
      {kV2, "```python\nprint(1)", "Can't find end of PreCode entity at byte offset 0", "", true},
  });
}

TEST(ParseMarkup, Markdown) {
  Check({
      {kV1, "*bold* _it_ `code` ```python\nprint(1)\n```", "bold it code print(1)\n",
       "bold(0,4) italic(5,2) code(8,4) pre(13,9,python)"},
      {kV1, "_snake_\\__case_", "snake_case", "italic(0,5) italic(6,4)"},
      {kV1, "*2*\\**2=4*", "2*2=4", "bold(0,1) bold(2,3)"},
      {kV1, "[telegram.org]", "telegram.org", "text_link(0,12,http://elegram.orgg/)"},
      {kV1, "[a](tg://user?id=7)", "a", "text_mention(0,1,#7)"},
      {kV1, "[](abc)", "(abc)", ""},
      {kV1, "a\\b", "a\\b", ""},
      {kV1, "snake_case", "Can't find end of the entity starting at byte offset 5", "", true},
  });
}

TEST(ParseMarkup, LongNestedInputIsLinear) {
  std::string text;
  while (text.size() < 32 * 1024) text += "<b><i><u>x";
  for (int i = 0; i < 3; ++i) text += "</u></i></b>";
  auto result = ParseMarkup(text, ParseMode::kHtml);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "Can't find end tag corresponding to start tag \"u\"");
  std::string v2(32 * 1024, '*');
  EXPECT_TRUE(ParseMarkup(v2, ParseMode::kMarkdownV2).ok());
  std::string v1(32 * 1024, '[');
  EXPECT_FALSE(ParseMarkup(v1, ParseMode::kMarkdown).ok());
}

TEST(PrepareMessageText, LongNestedValidInput) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "<b><i>";
  text += "x";
  for (int i = 0; i < 2000; ++i) text += "</i></b>";
  auto result = PrepareMessageText(text, kHtml, {});
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result->text, "x");
  EXPECT_EQ(Describe(result->entities), "bold(0,1) italic(0,1)");
  text.clear();
  for (int i = 0; i < 3000; ++i) text += "<a>";
  text += std::string(10000, 'x') + ".com";
  for (int i = 0; i < 3000; ++i) text += "</a>";
  result = PrepareMessageText(text, kHtml, {}, {.max_length = 1 << 20});
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result->entities.size(), 1u);
}

TEST(ParseModeFromName, Names) {
  bool unknown;
  EXPECT_EQ(ParseModeFromName("HTML", &unknown), ParseMode::kHtml);
  EXPECT_EQ(ParseModeFromName("MarkdownV2", &unknown), ParseMode::kMarkdownV2);
  EXPECT_EQ(ParseModeFromName("markdown", &unknown), ParseMode::kMarkdown);
  EXPECT_EQ(ParseModeFromName("none", &unknown), std::nullopt);
  EXPECT_FALSE(unknown);
  EXPECT_EQ(ParseModeFromName("", &unknown), std::nullopt);
  EXPECT_FALSE(unknown);
  EXPECT_EQ(ParseModeFromName("xml", &unknown), std::nullopt);
  EXPECT_TRUE(unknown);
}

// The whole pipeline (spec 3.5: "all results are after the whole pipeline").
TEST(PrepareMessageText, WorkedExamples) {
  struct Case {
    std::optional<ParseMode> mode;
    std::string input;
    std::string want;  // text|entities, or the error
  };
  const std::vector<Case> cases = {
      {kHtml, "<b>Hi 👋</b> <a href=\"https://t.me\">link</a>",
       "Hi 👋 link|bold(0,5) text_link(6,4,https://t.me/)"},
      {kV2, "🏟 🏟_abac \\* asd _", "🏟 🏟abac * asd|italic(5,10)"},
      {kV2, "[ ](as)", "Text must be non-empty"},
      {kV1, "*bold* _it_ `code` ```python\nprint(1)\n```",
       "bold it code print(1)|bold(0,4) italic(5,2) code(8,4) pre(13,8,python)"},
      {kHtml, " <b> x</b>", " x|bold(0,2)"},
      {std::nullopt, "  hello \t\n", "hello|"},
      {std::nullopt, " ", "Text must be non-empty"},
      {kHtml, "a <br> b", "Can't parse entities: Unsupported start tag \"br\" at byte offset 2"},
      {std::nullopt, "/start@mybot hello", "/start@mybot hello|bot_command(0,12)"},
      // Bold is split at the border of the URL found in it, as TDLib's fix_entities does with
      // the server's entities.
      {kHtml, "<b>see telegram.org</b>", "see telegram.org|bold(0,4) url(4,12) bold(4,12)"},
      {kHtml, "<a href=\"https://t.me\">telegram.org</a>",
       "telegram.org|text_link(0,12,https://t.me/)"},
  };
  for (const Case& c : cases) {
    auto result = PrepareMessageText(c.input, c.mode, {});
    std::string got = result ? result->text + "|" + Describe(result->entities) : result.error();
    EXPECT_EQ(got, c.want) << c.input;
  }
  EXPECT_EQ(PrepareMessageText(std::string(32769, 'a'), std::nullopt, {}).error(),
            "Text is too long");
  EXPECT_EQ(PrepareMessageText(std::string(4097, 'a'), std::nullopt, {}).error(),
            "Message is too long");
  EXPECT_TRUE(PrepareMessageText(std::string(4096, 'a'), std::nullopt, {}).ok());
  EXPECT_EQ(PrepareMessageText("a\xff", kHtml, {}).error(), "Text must be encoded in UTF-8");
  EXPECT_EQ(PrepareMessageText("a\xff", std::nullopt, {}).error(),
            "Strings must be encoded in UTF-8");
}

}  // namespace
}  // namespace tgi::text
