#include "botapi/json_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace tgi::botapi {
namespace {

using namespace std::string_literals;

JsonValue Decode(std::string_view text) {
  auto v = DecodeJson(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v ? std::move(*v) : JsonValue();
}

TEST(DecodeJsonTest, AcceptsWhatTdAccepts) {
  for (const char* ok :
       {"{}", "[]", "null", "true", "false", "0", "\"\"", " \t\r\n{ \"a\" : [ 1 , 2 ] }\n",
        "{\"a\":{\"b\":[null,true,\"x\"]}}", "+5", ".5", "1-2", "-", "1e5e5", "[1,-.e+]"})
    EXPECT_TRUE(DecodeJson(ok).has_value()) << ok;
}

TEST(DecodeJsonTest, RefusesWhatTdRefuses) {
  for (std::string bad : {""s,
                          " "s,
                          "["s,
                          "[1,]"s,
                          "[1 2]"s,
                          "{\"a\" 1}"s,
                          "{\"a\":1,}"s,
                          "{a:1}"s,
                          "{1:2}"s,
                          "tru"s,
                          "nul"s,
                          "nulll"s,
                          "falsey"s,
                          "1 2"s,
                          "\"abc"s,
                          "\"\\"s,
                          "\"\\u12\""s,
                          "\"\\uzzzz\""s,
                          "\"\\ud800\\uzzzz\""s,
                          "'a'"s,
                          "e5"s,
                          "\x01"s,
                          "\v1"s,
                          "1\f"s,
                          "[\"a\"\0]"s,
                          "\0"s,
                          "{\"a\":1}}"s,
                          "[]]"s})
    EXPECT_FALSE(DecodeJson(bad).has_value()) << bad;
}

TEST(DecodeJsonTest, NumbersKeepTheirText) {
  for (const char* n :
       {"1.50", "+5", ".5", "1-2", "007", "-0", "1E3", "123456789012345678901234"}) {
    JsonValue v = Decode(n);
    EXPECT_EQ(v.type(), JsonType::kNumber) << n;
    EXPECT_EQ(v.text(), n);
  }
}

TEST(DecodeJsonTest, StringsAreDecodedAsTdDoes) {
  struct Case {
    std::string json;
    std::string want;
  } cases[] = {
      {R"("a\"b\\c\/d")", "a\"b\\c/d"},
      {R"("\b\f\n\r\t")", "\b\f\n\r\t"},
      {R"("\a\q\'")", "aq'"},                                // any other escaped byte is itself
      {R"("\u0041\u00e9\u20ac")", "A\xC3\xA9\xE2\x82\xAC"},  // 1, 2 and 3 bytes
      {R"("\ud83d\ude00")", "\xF0\x9F\x98\x80"},             // a surrogate pair
      // td joins two surrogates in either order, taking the bits as they come: U+9003D.
      {R"("\uDE00\uD83D")", "\xF2\x90\x80\xBD"},
      {R"("\ud800x")", "\xED\xA0\x80x"},  // a lone surrogate: its 3-byte form
      {R"("\ud800\u0041")",
       "\xED\xA0\x80"
       "A"},  // the second escape is not a surrogate
      {R"("\u0000")", "\0"s},
      {"\"raw\ttab\x01 and \xFF\xFE bytes\"", "raw\ttab\x01 and \xFF\xFE bytes"},
  };
  for (const auto& c : cases) {
    JsonValue v = Decode(c.json);
    EXPECT_EQ(v.type(), JsonType::kString) << c.json;
    EXPECT_EQ(v.text(), c.want) << c.json;
  }
}

TEST(DecodeJsonTest, NestsAtMost100LevelsBelowTheTop) {
  auto nested = [](int n) { return std::string(n, '[') + std::string(n, ']'); };
  EXPECT_TRUE(DecodeJson(nested(101)).has_value());
  EXPECT_FALSE(DecodeJson(nested(102)).has_value());
  EXPECT_TRUE(DecodeJson(std::string(100, '[') + "1" + std::string(100, ']')).has_value());
  EXPECT_FALSE(DecodeJson(std::string(101, '[') + "1" + std::string(101, ']')).has_value());
  // Hostile: a megabyte of '[' or '{"a":' fails quickly, without deep recursion.
  EXPECT_FALSE(DecodeJson(std::string(1 << 20, '[')).has_value());
  std::string objects;
  for (int i = 0; i < 200000; ++i) objects += "{\"a\":";
  EXPECT_FALSE(DecodeJson(objects).has_value());
}

TEST(DecodeJsonTest, LargeArraysAreFine) {
  std::string big = "[";
  for (int i = 0; i < 200000; ++i) big += i ? ",1" : "1";
  big += "]";
  EXPECT_EQ(Decode(big).array().size(), 200000u);
}

TEST(DecodeJsonTest, ObjectsKeepDuplicatesAndFindTheFirst) {
  JsonValue v = Decode(R"({"a":1,"b":2,"a":3})");
  ASSERT_EQ(v.type(), JsonType::kObject);
  EXPECT_EQ(v.object().size(), 3u);
  EXPECT_EQ(v.object().Find("a")->text(), "1");
  EXPECT_EQ(v.object().Find("c"), nullptr);
  EXPECT_TRUE(v.object().Has("b"));
}

TEST(CanonicalIntTest, OnlyTheExactDecimalForm) {
  EXPECT_EQ(ParseCanonicalInt32("0"), 0);
  EXPECT_EQ(ParseCanonicalInt32("-1"), -1);
  EXPECT_EQ(ParseCanonicalInt32("2147483647"), INT32_MAX);
  EXPECT_EQ(ParseCanonicalInt32("-2147483648"), INT32_MIN);
  EXPECT_EQ(ParseCanonicalInt64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseCanonicalInt64("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(ParseCanonicalInt64("2147483648"), 2147483648);
  for (const char* bad : {"", "-", "-0", "007", "+1", " 1", "1 ", "1.0", "1e3", "0x10",
                          "2147483648", "-2147483649", "4294967296", "abc"})
    EXPECT_FALSE(ParseCanonicalInt32(bad).has_value()) << bad;
  for (const char* bad : {"9223372036854775808", "-9223372036854775809", "18446744073709551616"})
    EXPECT_FALSE(ParseCanonicalInt64(bad).has_value()) << bad;
}

// Each getter on each kind of value, with td's texts.
TEST(JsonObjectTest, GettersAndTheirTexts) {
  JsonValue v = Decode(R"({"s":"x","n":1.50,"i":"42","big":3000000000,"neg":-7,"b":true,
      "nul":null,"arr":[],"obj":{},"f":false,"zero":"007"})");
  const JsonObject& o = v.object();

  EXPECT_EQ(*o.OptionalString("s"), "x");
  EXPECT_EQ(*o.OptionalString("n"), "1.50");  // a number is read as its text
  EXPECT_EQ(*o.OptionalString("absent"), "");
  EXPECT_EQ(o.OptionalString("b").error(), R"(Field "b" must be of type String)");
  EXPECT_EQ(o.OptionalString("nul").error(), R"(Field "nul" must be of type String)");
  EXPECT_EQ(o.RequiredString("arr").error(), R"(Field "arr" must be of type String)");
  EXPECT_EQ(o.RequiredString("absent").error(), R"(Can't find field "absent")");

  EXPECT_TRUE(*o.OptionalBool("b"));
  EXPECT_FALSE(*o.OptionalBool("f"));
  EXPECT_FALSE(*o.OptionalBool("absent"));
  EXPECT_EQ(o.OptionalBool("s").error(), R"(Field "s" must be of type Boolean)");
  EXPECT_EQ(o.OptionalBool("nul").error(), R"(Field "nul" must be of type Boolean)");

  EXPECT_EQ(*o.OptionalInt("i"), 42);  // a string holding the number
  EXPECT_EQ(*o.OptionalInt("neg"), -7);
  EXPECT_EQ(*o.OptionalInt("absent", 5), 5);
  EXPECT_EQ(o.OptionalInt("n").error(), R"(Field "n" must be a valid Number)");
  EXPECT_EQ(o.OptionalInt("big").error(), R"(Field "big" must be a valid Number)");
  EXPECT_EQ(o.OptionalInt("zero").error(), R"(Field "zero" must be a valid Number)");
  EXPECT_EQ(o.OptionalInt("s").error(), R"(Field "s" must be a valid Number)");
  EXPECT_EQ(o.OptionalInt("b").error(), R"(Field "b" must be a Number)");
  EXPECT_EQ(o.OptionalInt("nul").error(), R"(Field "nul" must be a Number)");
  EXPECT_EQ(o.RequiredInt("obj").error(), R"(Field "obj" must be a Number)");
  EXPECT_EQ(o.RequiredInt("absent").error(), R"(Can't find field "absent")");

  EXPECT_EQ(*o.OptionalLong("big"), 3000000000);
  EXPECT_EQ(*o.OptionalLong("absent"), 0);
  EXPECT_EQ(*o.RequiredLong("i"), 42);
  EXPECT_EQ(o.RequiredLong("arr").error(), R"(Field "arr" must be a Number)");
  EXPECT_EQ(o.RequiredLong("absent").error(), R"(Can't find field "absent")");

  EXPECT_EQ(*o.OptionalField("absent", JsonType::kObject), nullptr);
  EXPECT_EQ((*o.OptionalField("obj", JsonType::kObject))->type(), JsonType::kObject);
  EXPECT_EQ(o.OptionalField("arr", JsonType::kObject).error(),
            R"(Field "arr" must be of type Object)");
  EXPECT_EQ(o.OptionalField("nul", JsonType::kArray).error(),
            R"(Field "nul" must be of type Array)");
  EXPECT_EQ(o.RequiredField("absent", JsonType::kArray).error(), R"(Can't find field "absent")");
  EXPECT_EQ(o.RequiredField("s", JsonType::kNumber).error(), R"(Field "s" must be of type Number)");
}

}  // namespace
}  // namespace tgi::botapi
