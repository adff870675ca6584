#include "text/find_entities.h"

#include <gtest/gtest.h>

#include "text/test_util.h"

namespace tgi::text {
namespace {

// The found entities of one type, as the substrings they cover.
std::vector<std::string> Found(const std::string& text, EntityType type) {
  std::vector<std::string> result;
  for (const Entity& e : FindEntities(text)) {
    if (e.type != type) continue;
    // ASCII-only inputs below: UTF-16 offsets are byte offsets.
    result.push_back(text.substr(static_cast<size_t>(e.offset), static_cast<size_t>(e.length)));
  }
  return result;
}

using Strings = std::vector<std::string>;

TEST(FindEntities, BotCommands) {
  const std::pair<std::string, Strings> cases[] = {
      {"/start", {"/start"}},
      {"/start payload", {"/start"}},
      {"/start@mybot", {"/start@mybot"}},
      {"/start@mybot hello", {"/start@mybot"}},
      {"hi /help", {"/help"}},
      {"/a@b", {}},
      {"/@bfdsa", {}},
      {"/test/", {}},
      {"a/start", {}},
      {"/\xd1\x81\xd1\x82\xd0\xb0\xd1\x80\xd1\x82", {}},  // /старт
      {"/abc</b>", {}},
  };
  for (const auto& [text, want] : cases) {
    EXPECT_EQ(Found(text, EntityType::kBotCommand), want) << text;
  }
  EXPECT_TRUE(FindEntities("/start", {.skip_bot_commands = true}).empty());
}

TEST(FindEntities, Mentions) {
  EXPECT_EQ(Found("@ya @gif @wiki @vid @bing @pic @bold @cap", EntityType::kMention),
            (Strings{"@gif", "@wiki", "@vid", "@bing", "@pic", "@bold"}));
  EXPECT_EQ(Found("no@mention", EntityType::kMention), Strings{});
  EXPECT_EQ(Found("@" + std::string(33, 'a'), EntityType::kMention), Strings{});
}

TEST(FindEntities, HashtagsAndCashtags) {
  const std::pair<std::string, Strings> hashtags[] = {
      {"#a", {"#a"}},
      {"#123", {}},
      {"#123a", {"#123a"}},
      {"#a#b #c", {"#c"}},
      {"#test@abc", {"#test@abc"}},
      {"#test@ab", {"#test"}},
      {"a#b", {}},
      {"#" + std::string(300, 'a'), {"#" + std::string(256, 'a')}},
  };
  for (const auto& [text, want] : hashtags)
    EXPECT_EQ(Found(text, EntityType::kHashtag), want) << text;
  const std::pair<std::string, Strings> cashtags[] = {
      {"$ABC", {"$ABC"}},     {"$abc", {}},  {"$ABCDEFGHJ", {}},           {"$ABC1", {}},
      {"$1INCH", {"$1INCH"}}, {"$$ABC", {}}, {"$ABC@bot1", {"$ABC@bot1"}},
  };
  for (const auto& [text, want] : cashtags)
    EXPECT_EQ(Found(text, EntityType::kCashtag), want) << text;
}

TEST(FindEntities, UrlsAndEmails) {
  const std::pair<std::string, Strings> urls[] = {
      {"telegram.org", {"telegram.org"}},
      {"(telegram.org)", {"telegram.org"}},
      {"telegram.org.", {"telegram.org"}},
      {"http://google,.com", {}},
      {"sftp://x.com", {}},
      {"https://t.me/x?y=1#z", {"https://t.me/x?y=1#z"}},
      {"t.me/(a)b", {"t.me/(a)b"}},
      {"t.me/a)", {"t.me/a"}},
      {"see example.com:8080/path!", {"example.com:8080/path"}},
      {"1.1.1.1", {"1.1.1.1"}},
      {"999.1.1.1", {}},
      {"example.unknowntld", {}},
      {"http://example.unknowntld", {"http://example.unknowntld"}},
      {"Example.Com", {}},
      {"example.COM", {"example.COM"}},
      {"teiegram.org", {}},
      {"tg://resolve?domain=x", {"tg://resolve?domain=x"}},
      {"ton://x", {"ton://x"}},
      // TDLib's slip, kept (find_entities is the model of the server): a tonsite:// link without
      // a dot is matched from "ite://".
      {"x tonsite://abc", {"ite://abc"}},
      {"tonsite://ton.ton/x", {"tonsite://ton.ton/x"}},
      {"xn--80ak6aa92e.com", {"xn--80ak6aa92e.com"}},
  };
  for (const auto& [text, want] : urls) EXPECT_EQ(Found(text, EntityType::kUrl), want) << text;
  EXPECT_EQ(Found("mail a@b.com now", EntityType::kEmail), Strings{"a@b.com"});
  EXPECT_EQ(Found("mailto:a@b.com", EntityType::kEmail), Strings{"a@b.com"});
  EXPECT_TRUE(IsEmailAddress("user.name+tag@example.co.uk"));
  EXPECT_FALSE(IsEmailAddress("a@b"));
  EXPECT_FALSE(IsEmailAddress("a@b.c"));
  EXPECT_TRUE(IsCommonTld("com"));
  EXPECT_TRUE(IsCommonTld("COM"));
  EXPECT_FALSE(IsCommonTld("Com"));
  EXPECT_TRUE(IsCommonTld("\xd1\x80\xd1\x84"));   // рф
  EXPECT_TRUE(IsCommonTld("\xd0\xa0\xd0\xa4"));   // РФ
  EXPECT_FALSE(IsCommonTld("\xd0\xa0\xd1\x84"));  // Рф
}

TEST(FindEntities, Utf16OffsetsAndOrder) {
  // 👋 is 2 UTF-16 units; entities come sorted and never intersect.
  EXPECT_EQ(Describe(FindEntities("👋 @gif t.me/x #tag 4111 1111 1111 1111")),
            "mention(3,4) url(8,6) hashtag(15,4) bank_card_number(20,19)");
  EXPECT_EQ(Describe(FindEntities("a@b.com")), "email(0,7)");
}

TEST(FindEntities, LongInputIsFast) {
  std::string text;
  while (text.size() < 32 * 1024) text += "a.b.c@d#e$F/g:";
  EXPECT_NO_FATAL_FAILURE(FindEntities(text));
}

}  // namespace
}  // namespace tgi::text
