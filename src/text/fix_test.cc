#include "text/fix.h"

#include <gtest/gtest.h>

#include "text/entity_kinds.h"
#include "text/test_util.h"

namespace tgi::text {
namespace {

constexpr EntityType kBold = EntityType::kBold;
constexpr EntityType kItalic = EntityType::kItalic;
constexpr EntityType kUnderline = EntityType::kUnderline;
constexpr EntityType kPre = EntityType::kPre;
constexpr EntityType kCode = EntityType::kCode;
constexpr EntityType kTextLink = EntityType::kTextLink;
constexpr EntityType kBlockquote = EntityType::kBlockquote;

// The Bot API's own options (trimmed, found entities merged) unless told otherwise.
std::string Fix(std::string text, std::vector<Entity> entities, FixOptions options = {}) {
  auto result = FixFormattedText({std::move(text), std::move(entities)}, options);
  if (!result) return "error: " + result.error();
  return result->text + "|" + Describe(result->entities);
}

const FixOptions kNoTrimNoFind = {.allow_empty = true, .skip_trim = true, .find_entities = false};

TEST(FixFormattedText, Cleaning) {
  // Spec 2.5: control bytes become spaces ('\n' stays), '\r' goes.
  std::string controls;
  for (int c = 0; c <= 32; ++c) controls.push_back(static_cast<char>(c));
  std::string cleaned;
  for (int c = 0; c <= 32; ++c) {
    if (c != 13) cleaned.push_back(c == 10 ? '\n' : ' ');
  }
  EXPECT_EQ(Fix(controls + "a", {}, kNoTrimNoFind), cleaned + "a|");
  EXPECT_EQ(Fix(controls, {}, kNoTrimNoFind), "|");
  EXPECT_EQ(Fix(controls, {}), "error: Text must be non-empty");
  EXPECT_EQ(Fix("a\u2028b\u202ec\u0333d\u033fe\u030af", {}), "abcdef|");
  EXPECT_EQ(Fix("a\u200e\u200f\u200eb", {}), "a\u200c\u200c\u200eb|");
  EXPECT_EQ(Fix("a\xff", {}), "error: Strings must be encoded in UTF-8");
  EXPECT_EQ(Fix("a\xff", {E(kBold, 0, 1)}), "error: Strings must be encoded in UTF-8");
  // Entities move with removed characters: "aba \r\n caba".
  EXPECT_EQ(Fix("aba \r\n caba ", {E(kBold, 3, 3)}, kNoTrimNoFind), "aba \n caba |bold(3,2)");
  EXPECT_EQ(Fix("aba \r\n caba ", {E(kBold, 6, 3)}, kNoTrimNoFind), "aba \n caba |bold(5,3)");
  EXPECT_EQ(Fix("a\rbc\r", {E(kItalic, 0, 1), E(kBold, 0, 2), E(kItalic, 3, 2), E(kBold, 3, 1)},
                kNoTrimNoFind),
            "abc|bold(0,1) italic(0,1) bold(2,1) italic(2,1)");
  EXPECT_EQ(Fix("a \r b", {E(kBold, 0, 5), E(kUnderline, 2, 1)}, kNoTrimNoFind), "a  b|bold(0,4)");
}

TEST(FixFormattedText, Trimming) {
  EXPECT_EQ(Fix("  hello \t\n", {}), "hello|");
  EXPECT_EQ(Fix(" ", {}), "error: Text must be non-empty");
  EXPECT_EQ(Fix("  aba\n ", {}, kNoTrimNoFind), "  aba\n |");
  EXPECT_EQ(Fix("  aba\n ", {}, {.find_entities = false}), "aba|");
  // A leading space inside an entity stays (spec 2.5).
  EXPECT_EQ(Fix(" x", {E(kBold, 0, 2)}), " x|bold(0,2)");
  EXPECT_EQ(Fix("  x", {E(kBold, 1, 2)}), " x|bold(0,2)");
  // Entities are cut back at the right.
  EXPECT_EQ(Fix("a ", {E(kItalic, 0, 2), E(kBold, 0, 1)}), "a|bold(0,1) italic(0,1)");
  EXPECT_EQ(Fix("ab  ", {E(kBold, 3, 1)}), "ab|");
  // "👉 👉  " with bold on each UTF-16 offset (TDLib's test).
  const std::string arrows = "👉 👉  ";
  for (int i = 0; i < 10; ++i) {
    std::string got = Fix(arrows, {E(kBold, i, 1)}, {.find_entities = false});
    if (i == 2) {
      EXPECT_EQ(got, "👉 👉|bold(2,1)");
    } else if (i == 5 || i == 6) {
      EXPECT_EQ(got, "👉 👉|");
    } else {
      EXPECT_TRUE(got.starts_with("error: Entity")) << i << " " << got;
    }
  }
  EXPECT_EQ(Fix(" \n ➡️ ➡️ ➡️ ➡️  \n ",
                {E(kBold, 3, 2), E(kItalic, 5, 1), E(kBold, 6, 2), E(kItalic, 8, 1), E(kBold, 9, 2),
                 E(kItalic, 11, 1), E(kBold, 12, 2)},
                {.find_entities = false}),
            "➡️ ➡️ ➡️ ➡️|bold(0,2) italic(2,1) bold(3,2) italic(5,1) bold(6,2) "
            "italic(8,1) "
            "bold(9,2)");
}

TEST(FixFormattedText, Invisible) {
  // The tags U+E0000-U+E007F count as blank (the spec's "U+E0080/U+E0081" is TDLib's byte test
  // F3 A0 80|81 xx misread).
  EXPECT_EQ(Fix("\u200b\u00a0\ufeff\u3000\U000e0041", {}), "error: Text must be non-empty");
  EXPECT_EQ(Fix("\U000e0080", {}), "\U000e0080|");
  EXPECT_EQ(Fix("\u200b\u00a0\ufeff", {}, {.allow_empty = true}), "\u200b\u00a0\ufeff|");
  EXPECT_EQ(Fix("\u200bx", {}), "\u200bx|");
  EXPECT_TRUE(IsInvisibleText("\u2800 \u2000\n"));
  EXPECT_FALSE(IsInvisibleText("\u2800 . "));
}

TEST(FixFormattedText, EntityErrors) {
  EXPECT_EQ(Fix("abc", {E(kBold, -1, 1)}), "error: Receive an entity with incorrect offset -1");
  EXPECT_EQ(Fix("abc", {E(kBold, 0, -1)}), "error: Receive an entity with incorrect length -1");
  EXPECT_EQ(Fix("abc", {E(kBold, 1000001, 1)}),
            "error: Receive an entity with incorrect offset 1000001");
  EXPECT_EQ(Fix("abc", {E(kBold, 4, 1)}),
            "error: Entity begins after the end of the text at UTF-16 offset 4");
  EXPECT_EQ(Fix("abc", {E(kBold, 1, 3)}),
            "error: Entity beginning at UTF-16 offset 1 ends after the end of the text at UTF-16 "
            "offset 4");
  EXPECT_EQ(Fix("😀", {E(kBold, 1, 1)}),
            "error: Entity begins in a middle of a UTF-16 symbol at byte offset 4");
  EXPECT_EQ(
      Fix("😀a", {E(kBold, 0, 1)}),
      "error: Entity beginning at UTF-16 offset 0 ends in a middle of a UTF-16 symbol at byte "
      "offset 4");
  // Length 0 is dropped before the checks.
  EXPECT_EQ(Fix("abc", {E(kBold, 9, 0)}), "abc|");
}

TEST(FixFormattedText, NestingRepair) {
  const FixOptions o = {.find_entities = false};
  // Continuous entities don't intersect: the first in sort order stays.
  EXPECT_EQ(
      Fix("abcdef", {E(kTextLink, 0, 4, "http://a.b/"), E(kTextLink, 2, 4, "http://c.d/")}, o),
      "abcdef|text_link(0,4,http://a.b/)");
  // Code contains nothing; bold is split around it and its part inside dropped.
  EXPECT_EQ(Fix("abcdef", {E(kBold, 0, 6), E(kCode, 2, 2)}, o),
            "abcdef|bold(0,2) code(2,2) bold(4,2)");
  // Pre inside bold: the bold is split.
  EXPECT_EQ(Fix("abcdef", {E(kPre, 1, 2, "c"), E(kBold, 0, 4)}, o),
            "abcdef|bold(0,1) pre(1,2,c) bold(3,1)");
  // Blockquotes don't nest.
  EXPECT_EQ(Fix("abcdef", {E(kBlockquote, 0, 6), E(EntityType::kExpandableBlockquote, 1, 2)}, o),
            "abcdef|blockquote(0,6)");
  // Touching and overlapping ones of a type merge.
  EXPECT_EQ(Fix("abc", {E(kItalic, 1, 1), E(kItalic, 0, 1)}, o), "abc|italic(0,2)");
  EXPECT_EQ(Fix("abcd", {E(kBold, 0, 2), E(kBold, 1, 3)}, o), "abcd|bold(0,4)");
  // Bold around a link is split at its borders.
  EXPECT_EQ(Fix("abcdef", {E(kBold, 0, 6), E(kTextLink, 2, 2, "http://t.me/")}, o),
            "abcdef|bold(0,2) text_link(2,2,http://t.me/) bold(2,2) bold(4,2)");
}

TEST(FixFormattedText, FoundEntitiesMerged) {
  const std::string text = "  /test @abaca #ORD $ABC  telegram.org ";
  EXPECT_EQ(Fix(text, {}),
            "/test @abaca #ORD $ABC  telegram.org|bot_command(0,5) mention(6,6) hashtag(13,4) "
            "cashtag(18,4) url(24,12)");
  EXPECT_EQ(Fix(text, {}, {.skip_bot_commands = true}),
            "/test @abaca #ORD $ABC  telegram.org|mention(6,6) hashtag(13,4) cashtag(18,4) "
            "url(24,12)");
  EXPECT_EQ(Fix(text, {}, {.skip_trim = true}),
            text + "|bot_command(2,5) mention(8,6) hashtag(15,4) cashtag(20,4) url(26,12)");
  // A found entity that a formatting entity cuts is not added; inside a blockquote it is.
  EXPECT_EQ(Fix("see telegram.org", {E(kCode, 0, 6)}), "see telegram.org|code(0,6)");
  EXPECT_EQ(Fix("see telegram.org", {E(kBlockquote, 0, 16)}),
            "see telegram.org|blockquote(0,16) url(4,12)");
  EXPECT_EQ(Fix("see telegram.org", {E(kBlockquote, 0, 6)}), "see telegram.org|blockquote(0,6)");
}

TEST(FixFormattedText, LongTextIsCut) {
  std::string text(35010, 'a');
  text.replace(34998, 4, "😀");
  auto result = FixFormattedText({text, {E(kBold, 34990, 18), E(kBold, 0, 5)}}, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->text.size(), 34998u);
  EXPECT_EQ(Describe(result->entities), "bold(0,5)");
}

TEST(PrepareInputEntities, Checks) {
  auto run = [](std::vector<Entity> entities) {
    auto result = PrepareInputEntities(std::move(entities));
    return result ? Describe(*result) : "error: " + result.error();
  };
  EXPECT_EQ(run({E(kTextLink, 0, 1, "https://example.com")}),
            "text_link(0,1,https://example.com/)");
  EXPECT_EQ(run({E(kTextLink, 0, 1, "tg://user?id=42")}), "text_mention(0,1,#42)");
  EXPECT_EQ(run({E(kTextLink, 0, 1, "abc")}), "error: Entity URL 'abc' is invalid: Wrong HTTP URL");
  EXPECT_EQ(run({E(kTextLink, 0, 1, "ftp://x.com")}),
            "error: Entity URL 'ftp://x.com' is invalid: Unsupported URL protocol");
  EXPECT_EQ(run({E(kTextLink, 0, 1, "a\xff")}),
            "error: MessageEntityTextUrl.url must be encoded in UTF-8");
  EXPECT_EQ(run({E(EntityType::kCustomEmoji, 0, 1, "0")}),
            "error: Invalid custom emoji identifier specified");
  EXPECT_EQ(run({E(EntityType::kDateTime, 0, 1, "")}), "error: Invalid date specified");
  EXPECT_EQ(run({E(EntityType::kMention, 0, 1), E(EntityType::kUrl, 0, 1), E(kBold, 0, 1)}),
            "bold(0,1)");
  EXPECT_EQ(run({E(kPre, 0, 1, "py\rthon")}), "pre(0,1,python)");
}

TEST(CapFormattingEntities, KeepsAHundred) {
  std::vector<Entity> entities;
  for (int i = 0; i < 60; ++i) entities.push_back(E(kCode, 2 * i, 1));
  for (int i = 0; i < 60; ++i) entities.push_back(E(kBold, 200 + 2 * i, 1));
  for (int i = 0; i < 5; ++i) entities.push_back(E(EntityType::kCustomEmoji, 400 + i, 1, "1"));
  entities.push_back(E(EntityType::kUrl, 500, 3));
  // Two pieces of one bold (split around a link) count once.
  entities.push_back(E(kBold, 330, 2));
  entities.push_back(E(kTextLink, 332, 2, "http://t.me/"));
  entities.push_back(E(kBold, 332, 2));
  SortEntities(entities);
  CapFormattingEntities(entities);
  int code = 0, bold = 0, other = 0;
  for (const Entity& e : entities) (e.type == kCode ? code : e.type == kBold ? bold : other)++;
  EXPECT_EQ(code, 60);
  EXPECT_EQ(bold, 39);  // 39 of the first 60, as the text_link is counted first
  EXPECT_EQ(other, 7);
}

TEST(CleanInputString, Strings) {
  std::string s = "a\tb\r\nc\u2029";
  EXPECT_TRUE(CleanInputString(s));
  EXPECT_EQ(s, "a b\nc");
  std::string bad = "\xc0\x80";
  EXPECT_FALSE(CleanInputString(bad));
}

}  // namespace
}  // namespace tgi::text
