#include "text/links.h"

#include <gtest/gtest.h>

namespace tgi::text {
namespace {

std::string Normalize(std::string_view link, LinkScope scope = LinkScope::kAny) {
  auto result = NormalizeLink(link, scope);
  return result ? *result : "error: " + result.error();
}

TEST(NormalizeLink, HttpUrls) {
  const std::pair<std::string, std::string> cases[] = {
      {"https://t.me", "https://t.me/"},
      {"telegram.org", "http://telegram.org/"},
      {"https://telegram.dog?", "https://telegram.dog/?"},
      {"HTTP://Example.COM/Path", "http://example.com/Path"},
      {"example.com/a b\x01", "http://example.com/a%20b%01"},
      {"example.com/a  \n", "http://example.com/a"},
      {"user:pw@example.com:8080/x", "http://user:pw@example.com:8080/x"},
      {"example.com:0080", "http://example.com:80/"},
      {"https://[::1]:443/", "https://[::1]:443/"},
      {"https://[::1]", "https://[::1]/"},
      {"пример.рф", "http://пример.рф/"},
      {"mailto:a@b.com", "http://mailto:a@b.com/"},
      {"abc", "error: Wrong HTTP URL"},
      {"ftp://x.com", "error: Unsupported URL protocol"},
      {"http://", "error: URL host is empty"},
      {"http://./", "error: Host is invalid"},
      {"example.com:0", "error: Wrong port number specified in the URL"},
      {"example.com:65536", "error: Wrong port number specified in the URL"},
      {"example.com:", "error: Wrong port number specified in the URL"},
      {"https://[::g]/", "error: Wrong IPv6 address specified in the URL"},
      {"exa mple.com", "error: Disallowed character in URL host"},
      {"a%zz.com", "error: Wrong percent-encoded symbol in URL host"},
      {"a%4", "error: Wrong percent-encoded symbol in URL host"},
      {"u<@example.com", "error: Disallowed character in URL userinfo"},
  };
  for (const auto& [link, want] : cases) EXPECT_EQ(Normalize(link), want) << link;
}

TEST(NormalizeLink, TgLinks) {
  EXPECT_EQ(Normalize("tg://resolve?domain=x"), "tg://resolve?domain=x");
  EXPECT_EQ(Normalize("TG:resolve/?domain=x"), "tg://resolve?domain=x");
  EXPECT_EQ(Normalize("tg://settings/themes"), "tg://settings/themes");
  EXPECT_EQ(Normalize("ton://wallet/x"), "ton://wallet/x");
  EXPECT_EQ(Normalize("tonsite://a.ton/x"), "tonsite://a.ton/x");
  EXPECT_EQ(Normalize("tg://a.b"), "error: Unallowed characters in URL host");
  EXPECT_EQ(Normalize("tg://http://x.com"), "error: Wrong tg URL");
  EXPECT_EQ(Normalize("tg://x:5"), "error: Wrong tg URL");
  EXPECT_EQ(Normalize("ton://u@x"), "error: Wrong ton URL");
  EXPECT_EQ(Normalize("tg://resolve", LinkScope::kHttpOnly), "error: Only HTTP links are allowed");
  EXPECT_EQ(Normalize("http://a.com", LinkScope::kHttpsOnly),
            "error: Only HTTPS links are allowed");
  EXPECT_EQ(Normalize("https://a.com", LinkScope::kHttpsOnly), "https://a.com/");
}

TEST(CheckLink, ErrorTexts) {
  EXPECT_EQ(CheckLink("abc").error(), "URL 'abc' is invalid: Wrong HTTP URL");
  EXPECT_EQ(CheckLink("\xff").error(), "URL is invalid: Wrong HTTP URL");
  EXPECT_EQ(*CheckLink("https://t.me"), "https://t.me/");
}

TEST(LinkUserId, Links) {
  EXPECT_EQ(LinkUserId("tg://user?id=123456"), 123456);
  EXPECT_EQ(LinkUserId("TG:USER?ID=7"), 7);
  EXPECT_EQ(LinkUserId("tg:user/?x=1&id=5#f"), 5);
  EXPECT_EQ(LinkUserId("tg://user?id=0"), std::nullopt);
  EXPECT_EQ(LinkUserId("tg://user?id=1099511627776"), std::nullopt);  // 2^40
  EXPECT_EQ(LinkUserId("tg://user?id=01"), std::nullopt);
  EXPECT_EQ(LinkUserId("tg://users?id=1"), std::nullopt);
  EXPECT_EQ(LinkUserId("https://t.me/user?id=1"), std::nullopt);
}

TEST(LinkCustomEmojiAndDate, Links) {
  EXPECT_EQ(*LinkCustomEmojiId("tg://emoji?id=5368324170671202286"), 5368324170671202286);
  EXPECT_EQ(LinkCustomEmojiId("tg://emoji?id=0").error(),
            "Invalid custom emoji identifier specified");
  EXPECT_EQ(LinkCustomEmojiId("tg://emoji?x=1").error(),
            "Custom emoji URL must have an emoji identifier");
  EXPECT_EQ(LinkCustomEmojiId("t://emoji?id=1").error(), "URL must have scheme tg");
  auto date = LinkFormattedDate("tg://time?unix=1647531900&format=wDT");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(date->unix_time, 1647531900);
  EXPECT_EQ(date->format, "wDT");
  EXPECT_EQ(LinkFormattedDate("tg://time?unix=-1").error(), "Invalid Unix time specified");
  EXPECT_EQ(LinkFormattedDate("tg://time?format=r").error(),
            "URL must have the corresponding Unix time");
  EXPECT_EQ(LinkFormattedDate("tg://time?unix=1&format=rt").error(), "Invalid date format used");
}

TEST(DateTimeFormat, CanonicalSpellings) {
  EXPECT_EQ(CanonicalDateTimeFormat(""), "");
  EXPECT_EQ(CanonicalDateTimeFormat("R"), "r");
  EXPECT_EQ(CanonicalDateTimeFormat("TdW"), "wdT");
  EXPECT_EQ(CanonicalDateTimeFormat("tT"), "t");
  EXPECT_EQ(CanonicalDateTimeFormat("rt"), std::nullopt);
  EXPECT_EQ(CanonicalEntityDateTimeFormat("tT"), "T");
  EXPECT_EQ(CanonicalEntityDateTimeFormat("Dd"), "d");
  EXPECT_EQ(CanonicalEntityDateTimeFormat("x"), std::nullopt);
}

TEST(LinkUserIdTest, TgUserLinksOfKeyboardButtons) {
  struct Case {
    const char* url;
    int64_t want;
  } cases[] = {
      {"tg://user?id=123", 123},
      {"TG://USER?ID=123", 123},
      {"tg:user?id=123", 123},
      {"tg://user/?id=123", 123},
      {"tg://user?x=1&id=42&id=7", 42},
      {"tg://user?id=42#frag", 42},
      {"tg://user?id=1099511627775", 1099511627775},
      {"tg://user?id=1099511627776", 0},  // beyond 2^40 - 1
      {"tg://user?id=0", 0},
      {"tg://user?id=-5", 0},
      {"tg://user?id=007", 0},
      {"tg://user?id=1x", 0},
      {"tg://user?id", 0},
      {"tg://user?id=x&id=5", 0},  // the first id decides
      {"tg://user", 0},
      {"tg://userx?id=1", 0},
      {"tg://user#?id=1", 0},
      {"tg://resolve?domain=x", 0},
      {"https://t.me/user?id=1", 0},
      {"", 0},
  };
  for (const auto& c : cases) EXPECT_EQ(LinkUserId(c.url).value_or(0), c.want) << c.url;
}

}  // namespace
}  // namespace tgi::text
