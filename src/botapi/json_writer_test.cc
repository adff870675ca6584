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

}  // namespace
}  // namespace tgi::botapi
