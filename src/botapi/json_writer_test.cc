#include "botapi/json_writer.h"

#include <gtest/gtest.h>

namespace tgi::botapi {
namespace {

TEST(JsonWriterTest, WritesCompactJsonInOrder) {
  JsonWriter w;
  w.BeginObject().Field("ok", true).Key("list").BeginArray().Int(1).Int(-2).EndArray();
  w.Key("o").BeginObject().EndObject().Field("s", "a/b").EndObject();
  EXPECT_EQ(w.str(), R"({"ok":true,"list":[1,-2],"o":{},"s":"a/b"})");
}

TEST(JsonStringTest, EscapesLikeTheReference) {
  std::string out;
  AppendJsonString(out, "q\"b\\\n\t\x01");
  EXPECT_EQ(out, R"("q\"b\\\n\t\u0001")");
  out.clear();
  AppendJsonString(out, "\xc3\xa9\xe2\x82\xac");  // é €
  EXPECT_EQ(out, R"("\u00e9\u20ac")");
  out.clear();
  AppendJsonString(out, "\xf0\x9f\x98\x80");  // U+1F600 as a surrogate pair, lowercase hex
  EXPECT_EQ(out, R"("\ud83d\ude00")");
  out.clear();
  AppendJsonString(out, "a\xffz");
  EXPECT_EQ(out, R"("a\ufffdz")");
}

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(JsonStringTest, EscapesEveryControlByteAndKeepsDel) {
  EXPECT_EQ(Json(std::string("\0\x1f\x7f", 3)), "\"\\u0000\\u001f\x7f\"");
}

TEST(JsonStringTest, BoundaryCodePoints) {
  EXPECT_EQ(Json("\xc2\x80"), R"("\u0080")");
  EXPECT_EQ(Json("\xdf\xbf"), R"("\u07ff")");
  EXPECT_EQ(Json("\xe0\xa0\x80"), R"("\u0800")");
  EXPECT_EQ(Json("\xed\x9f\xbf"), R"("\ud7ff")");
  EXPECT_EQ(Json("\xee\x80\x80"), R"("\ue000")");
  EXPECT_EQ(Json("\xef\xbf\xbf"), R"("\uffff")");
  EXPECT_EQ(Json("\xf0\x90\x80\x80"), R"("\ud800\udc00")");
  EXPECT_EQ(Json("\xf4\x8f\xbf\xbf"), R"("\udbff\udfff")");
}

// A byte that does not start a well-formed sequence becomes one \ufffd and decoding goes on at
// the next byte, so every byte of an ill-formed sequence gives its own \ufffd.
TEST(JsonStringTest, EachByteOfAnIllFormedSequenceBecomesOneReplacement) {
  const std::string r = R"(\ufffd)";
  struct Case {
    std::string in;
    std::string out;  // between the quotes
  } cases[] = {
      {"\x80", r},  // a lone continuation byte
      {"\xbf", r},
      {"\xc0\xaf", r + r},  // overlong '/', two bytes
      {"\xc1\xbf", r + r},
      {"\xe0\x80\xaf", r + r + r},  // overlong, three bytes
      {"\xe0\x9f\xbf", r + r + r},
      {"\xf0\x80\x80\xaf", r + r + r + r},  // overlong, four bytes
      {"\xf0\x8f\xbf\xbf", r + r + r + r},
      {"\xed\xa0\x80", r + r + r},          // U+D800
      {"\xed\xbf\xbf", r + r + r},          // U+DFFF
      {"\xf4\x90\x80\x80", r + r + r + r},  // U+110000
      {"\xf5\x80\x80\x80", r + r + r + r},
      {"\xf8\x88\x80\x80\x80", r + r + r + r + r},
      {"\xfe\xff", r + r},
      {"\xe2\x82", r + r},  // truncated at the end
      {"\xf0\x9f\x98", r + r + r},
      {"\xe2\x82z", r + r + "z"},             // cut by an ASCII byte
      {"\xe2\xe2\x82\xac", r + R"(\u20ac)"},  // cut by the next sequence
      {"\xf0\x9f\x98\xc3\xa9", r + r + r + R"(\u00e9)"},
      {"a\xc3", "a" + r},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Json(c.in), "\"" + c.out + "\"") << testing::PrintToString(c.in);
  }
}

}  // namespace
}  // namespace tgi::botapi
