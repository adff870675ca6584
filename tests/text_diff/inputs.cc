#include "inputs.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace tgi::text;

namespace text_diff {

const char* ModeName(ParseMode mode) {
  switch (mode) {
    case ParseMode::kHtml:
      return "html";
    case ParseMode::kMarkdownV2:
      return "markdownv2";
    case ParseMode::kMarkdown:
      return "markdown";
  }
  return "";
}

namespace {

// Shared pieces of text: words, spaces, emoji, non-BMP, invisible and cleaned characters.
const std::vector<std::string> kTextPieces = {
    "a",      "hello",   "word",       " ",      " ",
    "  ",     "\n",      "\n\n",       "\r",     "\r\n",
    "\t",     "\x01",    "\x0b",       "🏟",   "👋",
    "😀",      "𝕏",       "Ω",          "тест",   "日本",
    "é",      "\u200b",  "\u200e",     "\u200f", "\u200e\u200f",
    "\u2028", "\u202e",  "\u00a0",     "\u3000", "\ufeff",
    "\u0333", "e\u030a", "\U000e0080", "123",    "x_y",
    ",",      ":",       ";",          "'",      "\"",
    "?",      "(",       ")",          "{",      "}",
    "/",      "%20",     "+"};

const std::vector<std::string> kHtmlPieces = {"<b>",
                                              "</b>",
                                              "<i>",
                                              "</i>",
                                              "<u>",
                                              "</u>",
                                              "<s>",
                                              "</s>",
                                              "<strong>",
                                              "</strong>",
                                              "<em>",
                                              "</em>",
                                              "<ins>",
                                              "<del>",
                                              "</del>",
                                              "<strike>",
                                              "<tg-spoiler>",
                                              "</tg-spoiler>",
                                              "<span class=\"tg-spoiler\">",
                                              "</span>",
                                              "<span>",
                                              "<span class=tg-spoiler>",
                                              "<a href=\"https://t.me\">",
                                              "<a href=\"http://Example.COM/a b\">",
                                              "<a href=telegram.org>",
                                              "<a href='tg://user?id=123456'>",
                                              "<a href=\"tg://resolve?domain=x\">",
                                              "<a href=\"abc\">",
                                              "<a>",
                                              "</a>",
                                              "<a href=\"ftp://x.com\">",
                                              "<a href=\"https://t.me:99999\">",
                                              "<a href=\"&lt;x.com&gt;\">",
                                              "<code>",
                                              "</code>",
                                              "<code class=\"language-python\">",
                                              "<code class=\"language-\">",
                                              "<pre>",
                                              "</pre>",
                                              "<blockquote>",
                                              "</blockquote>",
                                              "<blockquote expandable>",
                                              "<tg-emoji emoji-id=\"5368324170671202286\">",
                                              "</tg-emoji>",
                                              "<tg-emoji emoji-id=\"0\">",
                                              "<tg-time unix=\"1647531900\" format=\"wDT\">",
                                              "<tg-time unix=1647531900 format=r>",
                                              "<tg-time unix=\"-5\">",
                                              "<tg-time format=\"x\">",
                                              "</tg-time>",
                                              "</>",
                                              "<br>",
                                              "<",
                                              ">",
                                              "&",
                                              "&lt;",
                                              "&gt;",
                                              "&amp;",
                                              "&quot;",
                                              "&amp",
                                              "&ge;",
                                              "&#128512;",
                                              "&#x1F600;",
                                              "&#xd83d;",
                                              "&#0;",
                                              "&#1114111;",
                                              "&#65",
                                              "&#x;",
                                              "<b ",
                                              "<i =a>",
                                              "<a href=x/>",
                                              "</i",
                                              "<B>",
                                              "</B >",
                                              "< b>",
                                              "<b a=\"x",
                                              "<b a",
                                              "<b\tclass=x>",
                                              "<a href=\"https://t.me\" title='x'>",
                                              "</b  >",
                                              "</ b>",
                                              "<pre><code class=\"language-js\">",
                                              "</code></pre>",
                                              "\0"};

const std::vector<std::string> kV2Pieces = {"*",
                                            "_",
                                            "__",
                                            "~",
                                            "||",
                                            "`",
                                            "```",
                                            "```python\n",
                                            "```\n",
                                            "```c++ ",
                                            "[",
                                            "]",
                                            "](",
                                            ")",
                                            "](http://t.me)",
                                            "](tg://user?id=42)",
                                            "](abc)",
                                            "](https://x.com/\\))",
                                            "![👍](tg://emoji?id=5368324170671202286)",
                                            "![x](tg://time?unix=1647531900&format=wDT)",
                                            "![x](tg://time?unix=1&format=q)",
                                            "![👍](t://emoji?id=1)",
                                            "![x]",
                                            "!",
                                            "\\",
                                            "\\.",
                                            "\\*",
                                            "\\_",
                                            "\\\\",
                                            "\\`",
                                            "\\>",
                                            ">",
                                            "\n>",
                                            "**>",
                                            "||\n",
                                            "|| ",
                                            ".",
                                            "#",
                                            "-",
                                            "=",
                                            "+",
                                            "{",
                                            "}",
                                            "(",
                                            ")",
                                            "\\(",
                                            "\\)",
                                            "\\[",
                                            "\\]",
                                            "\\|",
                                            "\\~",
                                            "\\!",
                                            "\\#",
                                            "\\-"};

const std::vector<std::string> kV1Pieces = {"*",
                                            "_",
                                            "`",
                                            "```",
                                            "```python\n",
                                            "```js ",
                                            "[",
                                            "]",
                                            "](",
                                            ")",
                                            "](http://t.me)",
                                            "](tg://user?id=9)",
                                            "](ftp://x)",
                                            "\\_",
                                            "\\*",
                                            "\\`",
                                            "\\[",
                                            "\\",
                                            "[telegram.org]",
                                            "[x]",
                                            "(",
                                            "]"};

const std::vector<std::string> kFindPieces = {"@gif",
                                              "@ya",
                                              "@wiki",
                                              "@username_x",
                                              "@a",
                                              "@" + std::string(33, 'a'),
                                              "/start",
                                              "/start@mybot",
                                              "/a@b",
                                              "/help",
                                              "a/b",
                                              "/старт",
                                              "#tag",
                                              "#123",
                                              "#123a",
                                              "#a#b",
                                              "#test@abc",
                                              "#test@ab",
                                              "$ABC",
                                              "$abc",
                                              "$ABCDEFGHJ",
                                              "$1INCH",
                                              "$ABC@bot",
                                              "$$A",
                                              "telegram.org",
                                              "t.me/x",
                                              "https://t.me/x?y=1#z",
                                              "HTTP://T.ME",
                                              "http://google,.com",
                                              "a@b.com",
                                              "mailto:a@b.com",
                                              "user.name+tag@example.co.uk",
                                              "tg://resolve?domain=x",
                                              "ton://x",
                                              "tonsite://x.ton",
                                              "xn--80ak6aa92e.com",
                                              "xn--p1ai",
                                              "1.1.1.1",
                                              "999.1.1.1",
                                              "example.рф",
                                              "пример.рф",
                                              "Example.Com",
                                              "example.COM",
                                              "a.Com",
                                              "t.me/(a)",
                                              "t.me/a)",
                                              "t.me/[b]",
                                              "example.com:8080/path",
                                              "example.com:99999",
                                              "ftp://x.y",
                                              "sftp://x.com",
                                              "a_b.example.com",
                                              "teiegram.org",
                                              "x.onion",
                                              "x.ton",
                                              "4111 1111 1111 1111",
                                              "4111111111111111",
                                              "12:30",
                                              "1:02:03",
                                              ".",
                                              "..",
                                              "...",
                                              "(",
                                              ")",
                                              "[",
                                              "]",
                                              "<",
                                              ">",
                                              "«",
                                              "»",
                                              "`",
                                              "'",
                                              "!",
                                              "?",
                                              "-",
                                              "—",
                                              "e.g.",
                                              "www.example.com.",
                                              "http://a.b/c.",
                                              "user:pass@host.com",
                                              "@host.com",
                                              "a@b",
                                              "x.yz",
                                              "localhost",
                                              "http://localhost",
                                              "https://[::1]/",
                                              "a.b.c.d.e.f.g.h.com"};

std::string Pick(std::mt19937_64& rng, const std::vector<std::string>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

std::string RandomText(std::mt19937_64& rng, const std::vector<std::string>& markup, int max_pieces,
                       int markup_percent) {
  std::uniform_int_distribution<int> count(1, max_pieces), percent(0, 99);
  std::string s;
  for (int n = count(rng); n > 0; --n) {
    s += percent(rng) < markup_percent ? Pick(rng, markup) : Pick(rng, kTextPieces);
  }
  return s;
}

// Well-formed markup built from a small grammar: text pieces and nested wrappers, so that
// most inputs parse and the entities (and their repair) are compared, not only the errors.
std::string SafeText(std::mt19937_64& rng, ParseMode mode) {
  std::string piece = Pick(rng, kTextPieces);
  std::string out;
  for (char c : piece) {
    if (mode == ParseMode::kHtml && (c == '<' || c == '&')) {
      out += c == '<' ? "&lt;" : "&amp;";
    } else if (mode == ParseMode::kMarkdownV2 &&
               std::string_view("_*[]()~`>#+-=|{}.!\\").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (mode == ParseMode::kMarkdown &&
               std::string_view("_*`[").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Grammar(std::mt19937_64& rng, ParseMode mode, int depth) {
  std::uniform_int_distribution<int> percent(0, 99);
  std::string s;
  for (int n = std::uniform_int_distribution<int>(1, 4)(rng); n > 0; --n) {
    if (depth >= 4 || percent(rng) < 45) {
      s += SafeText(rng, mode);
      continue;
    }
    std::string inner = Grammar(rng, mode, depth + 1);
    static const std::vector<std::pair<std::string, std::string>> kHtml = {
        {"<b>", "</b>"},
        {"<i>", "</i>"},
        {"<u>", "</u>"},
        {"<s>", "</s>"},
        {"<tg-spoiler>", "</tg-spoiler>"},
        {"<code>", "</code>"},
        {"<pre>", "</pre>"},
        {"<pre><code class=\"language-go\">", "</code></pre>"},
        {"<a href=\"t.me/x\">", "</a>"},
        {"<a href=\"tg://user?id=7\">", "</a>"},
        {"<a>", "</a>"},
        {"<blockquote>", "</blockquote>"},
        {"<blockquote expandable>", "</blockquote>"},
        {"<tg-emoji emoji-id=\"5368324170671202286\">", "</tg-emoji>"},
        {"<tg-time unix=\"1647531900\" format=\"wd\">", "</tg-time>"},
        {"<em>", "</>"}};
    static const std::vector<std::pair<std::string, std::string>> kV2 = {
        {"*", "*"},
        {"_", "_"},
        {"__", "__"},
        {"~", "~"},
        {"||", "||"},
        {"`", "`"},
        {"```\n", "```"},
        {"```rust\n", "```"},
        {"[", "](https://t.me/x)"},
        {"[", "]"},
        {"[", "](tg://user?id=7)"},
        {"![", "](tg://emoji?id=5368324170671202286)"},
        {"![", "](tg://time?unix=1647531900&format=R)"},
        {"\n>", "\n"},
        {"\n**>", "||\n"}};
    static const std::vector<std::pair<std::string, std::string>> kV1 = {
        {"*", "*"},       {"_", "_"},         {"`", "`"},
        {"```\n", "```"}, {"```py\n", "```"}, {"[", "](http://t.me)"},
        {"[", "]"}};
    const auto& wrappers = mode == ParseMode::kHtml         ? kHtml
                           : mode == ParseMode::kMarkdownV2 ? kV2
                                                            : kV1;
    const auto& w = wrappers[std::uniform_int_distribution<size_t>(0, wrappers.size() - 1)(rng)];
    s += w.first + (mode == ParseMode::kMarkdown ? SafeText(rng, mode) : inner) + w.second;
  }
  return s;
}

}  // namespace

bool HasMarkdownV3Markup(const std::string& s) {
  return s.find_first_of("*_~|`[") != std::string::npos;
}

std::vector<Input> SpecInputs() {
  std::vector<Input> v;
  auto parse = [&v](ParseMode mode, std::string text) {
    v.push_back({Input::kParse, mode, std::move(text), {}});
  };
  const ParseMode html = ParseMode::kHtml, v2 = ParseMode::kMarkdownV2, v1 = ParseMode::kMarkdown;
  // Spec 3.2-3.5 and their error tables.
  for (const char* s : {"<b>Hi 👋</b> <a href=\"https://t.me\">link</a>",
                        "<a href=telegram.org>x</a>",
                        "<pre><code class=\"language-python\">print(1)</code></pre>",
                        "<i>a</i   >",
                        "&ge;&lt;&gt;&amp;&quot;",
                        "<b></b>x",
                        "<a href=\"abc\">x</a>",
                        "a < b",
                        "<b>x",
                        "<b><i>x</b></i>",
                        "<br>",
                        "a <br> b",
                        "<b a=\"x",
                        "ok <b a",
                        "<b ",
                        "<i =a>",
                        "<a href=x/>",
                        "<span>x</span>",
                        "</b>",
                        "</i",
                        "<tg-emoji emoji-id=\"0\">x</tg-emoji>",
                        "<tg-time unix=\"1\" format=\"x\">x</tg-time>",
                        "&#xD800;",
                        "&#xD83D;&#xDE00;",
                        "<a href=\"https://telegram.dog?\">x</a>",
                        "<a href=\"https://example.com\">x</a>",
                        " <b> x</b>",
                        "🏟 🏟<b>a</b>",
                        "<code class=\"language-python\"><pre>x</pre></code>",
                        "<blockquote expandable>q</blockquote>",
                        "<tg-time unix=\"1647531900\" format=\"tT\">x</tg-time>"}) {
    parse(html, s);
  }
  for (const char* s : {"*bold* _it_ __u__ ~s~ ||sp|| `c`",
                        "🏟 🏟_abac \\* asd _",
                        "[telegram\\.org](tg:user?id=123456)",
                        "[ ](as)",
                        ">asd\n>q||ew||\nasdad",
                        ">asd\n>q||e||w||\nasdad",
                        "___a___",
                        "___a_**__",
                        "```python\nprint(1)```",
                        "Hello.",
                        "1+1",
                        "a > b",
                        "*abc",
                        "[a](http://x",
                        "![👍]",
                        "![👍](t://emoji?id=1)",
                        "![x](tg://time?unix=1&format=x)",
                        "**",
                        "**>a\n>b",
                        ">a||\n>b",
                        ">*a\nb*",
                        "![x](tg://time?unix=1647531900&format=tT)"}) {
    parse(v2, s);
  }
  for (const char* s : {"*bold* _it_ `code` ```python\nprint(1)\n```", "_snake_\\__case_",
                        "*2*\\**2=4*", "[telegram.org]", "snake_case", "[](abc)"}) {
    parse(v1, s);
  }
  for (const char* s : {"@ya @gif @wiki @vid @bing @pic @bold @cap",
                        "no@mention",
                        "/start",
                        "/start payload",
                        "/start@mybot",
                        "/start@mybot hello",
                        "hi /help",
                        "/a@b",
                        "/@bfdsa",
                        "/test/",
                        "a/start",
                        "/старт",
                        "#a",
                        "#123",
                        "#123a",
                        "#a#b #c",
                        "#test@abc",
                        "#test@ab",
                        "$ABC",
                        "$abc",
                        "$ABCDEFGHJ",
                        "$ABC1",
                        "telegram.org",
                        "(telegram.org)",
                        "telegram.org.",
                        "http://google,.com",
                        "sftp://x.com",
                        "ftps://x.com",
                        "shttp://x.com",
                        "mailto:a@b.com",
                        "tonsite://ton.ton/x"}) {
    v.push_back({Input::kFind, html, s, {}});
  }
  return v;
}

namespace {

Entity RandomEntity(std::mt19937_64& rng, int32_t utf16_length) {
  static const std::vector<EntityType> kTypes = {
      EntityType::kBold,          EntityType::kItalic,     EntityType::kUnderline,
      EntityType::kStrikethrough, EntityType::kSpoiler,    EntityType::kCode,
      EntityType::kPre,           EntityType::kTextLink,   EntityType::kTextMention,
      EntityType::kCustomEmoji,   EntityType::kBlockquote, EntityType::kExpandableBlockquote,
      EntityType::kDateTime};
  static const std::vector<std::string> kUrls = {"https://t.me",
                                                 "t.me/x",
                                                 "http://EXAMPLE.com/a b",
                                                 "abc",
                                                 "ftp://x.com",
                                                 "tg://resolve?domain=a",
                                                 "tg://user?id=5",
                                                 "ton://x",
                                                 "https://t.me:0",
                                                 "https://[::1]/",
                                                 "http://a.b/%zz",
                                                 "https://a\x01.com",
                                                 "mailto:x@y.com",
                                                 "http://",
                                                 "tonsite://a.ton",
                                                 "https://t.me/x",
                                                 "https://t.me/x",
                                                 "https://t.me/x",
                                                 "example.com/a?b#c"};
  std::uniform_int_distribution<int> percent(0, 99);
  Entity e;
  e.type = kTypes[std::uniform_int_distribution<size_t>(0, kTypes.size() - 1)(rng)];
  std::uniform_int_distribution<int32_t> pos(0, utf16_length + 1);
  e.offset = pos(rng);
  e.length = std::uniform_int_distribution<int32_t>(0, utf16_length + 1 - e.offset)(rng);
  if (percent(rng) < 70 && e.offset + e.length > utf16_length) {
    e.length = std::max(0, utf16_length - e.offset);
  }
  if (percent(rng) < 2) e.offset = -1;
  if (percent(rng) < 2) e.length = 1000001;
  switch (e.type) {
    case EntityType::kPre:
      if (percent(rng) < 50) e.argument = percent(rng) < 90 ? "python" : "a\tb";
      break;
    case EntityType::kTextLink:
      e.argument = kUrls[std::uniform_int_distribution<size_t>(0, kUrls.size() - 1)(rng)];
      break;
    case EntityType::kTextMention:
      e.user_id = percent(rng) < 90 ? 123456 : 0;
      break;
    case EntityType::kCustomEmoji:
      e.argument = percent(rng) < 95 ? "5368324170671202286" : "0";
      break;
    case EntityType::kDateTime:
      e.unix_time = percent(rng) < 95 ? 1647531900 : 0;
      e.argument = percent(rng) < 50 ? "wDt" : (percent(rng) < 50 ? "r" : "");
      break;
    default:
      break;
  }
  return e;
}

}  // namespace

std::vector<Input> RandomInputs(uint64_t seed, int count) {
  std::mt19937_64 rng(seed);
  std::vector<Input> v;
  std::uniform_int_distribution<int> percent(0, 99);
  for (int i = 0; i < count; ++i) {
    int which = i % 5;
    bool grammar = percent(rng) < 60;
    if (which <= 2) {
      ParseMode mode = which == 0   ? ParseMode::kHtml
                       : which == 1 ? ParseMode::kMarkdownV2
                                    : ParseMode::kMarkdown;
      const auto& pieces = which == 0 ? kHtmlPieces : which == 1 ? kV2Pieces : kV1Pieces;
      std::string text = grammar ? Grammar(rng, mode, 0) : RandomText(rng, pieces, 12, 40);
      v.push_back({Input::kParse, mode, std::move(text), {}});
    } else if (which == 3) {
      std::string text;
      for (int n = std::uniform_int_distribution<int>(1, 8)(rng); n > 0; --n) {
        text += percent(rng) < 60 ? Pick(rng, kFindPieces) : Pick(rng, kTextPieces);
      }
      v.push_back({Input::kFind, ParseMode::kHtml, std::move(text), {}});
    } else {
      std::string text;
      for (int n = std::uniform_int_distribution<int>(1, 10)(rng); n > 0; --n) {
        std::string piece = percent(rng) < 30 ? Pick(rng, kFindPieces) : Pick(rng, kTextPieces);
        if (!HasMarkdownV3Markup(piece)) text += piece;
      }
      int32_t length = 0;
      for (unsigned char c : text) length += ((c & 0xC0) != 0x80) + (c >= 0xF0);
      Input input{Input::kFix, ParseMode::kHtml, std::move(text), {}};
      for (int n = std::uniform_int_distribution<int>(0, 5)(rng); n > 0; --n) {
        input.entities.push_back(RandomEntity(rng, length));
      }
      v.push_back(std::move(input));
    }
  }
  return v;
}

}  // namespace text_diff
