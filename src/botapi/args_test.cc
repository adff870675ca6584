#include "botapi/args.h"

#include <gtest/gtest.h>

namespace tgi::botapi {
namespace {

TEST(LenientIntTest, ReadsDigitsUpToTheFirstNonDigit) {
  struct Case {
    const char* in;
    int64_t out;
  } cases[] = {{"12abc", 12},
               {"abc", 0},
               {"1.9", 1},
               {"1e9", 1},
               {"+5", 0},
               {" 5", 0},
               {"-42", -42},
               {"", 0},
               {"-", 0},
               {"--1", 0},
               {"-1001234567890", -1001234567890},
               {"9223372036854775807", INT64_MAX}};
  for (const auto& c : cases) EXPECT_EQ(ParseLenientInt64(c.in), c.out) << c.in;
}

TEST(LenientIntTest, WrapsOnOverflowLikeTheReference) {
  // 2^64 + 5 wraps to 5.
  EXPECT_EQ(ParseLenientInt64("18446744073709551621"), 5);
  EXPECT_EQ(ParseLenientInt32("4294967297"), 1);
  EXPECT_EQ(ParseLenientInt32("-1"), -1);
}

TEST(LenientBoolTest, TrueOnlyForTrueYesAndOne) {
  for (const char* t : {"true", "True", "TRUE", " true ", "yes", "YES", "1"})
    EXPECT_TRUE(ParseLenientBool(t)) << t;
  for (const char* f : {"false", "0", "on", "2", "", "truee", "y", "10"})
    EXPECT_FALSE(ParseLenientBool(f)) << f;
}

TEST(ExactIntTest, AcceptsOnlyWholeInt64s) {
  int64_t v = 0;
  EXPECT_TRUE(ParseExactInt64("123", &v));
  EXPECT_EQ(v, 123);
  EXPECT_TRUE(ParseExactInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  for (const char* bad : {"", "-", "abc", "12a", "+1", "9223372036854775808", " 1"})
    EXPECT_FALSE(ParseExactInt64(bad, &v)) << bad;
}

TEST(ArgsTest, ChatIdForms) {
  http::ParamList p;
  p.Add("chat_id", "@demo_group");
  auto r = Args(p).ChatRef();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->id.has_value());
  EXPECT_EQ(r->username, "demo_group");

  http::ParamList n;
  n.Add("chat_id", "-1001000000001xyz");
  EXPECT_EQ(*Args(n).ChatRef()->id, -1001000000001);

  http::ParamList empty;
  auto e = Args(empty).ChatRef();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().description, "Bad Request: chat_id is empty");
}

TEST(ArgsTest, FirstOccurrenceWins) {
  http::ParamList p;
  p.Add("chat_id", "-1");
  p.Add("chat_id", "-2");
  EXPECT_EQ(*Args(p).ChatRef()->id, -1);
}

TEST(ArgsTest, UserIdMustBePositive) {
  for (const char* bad : {"", "0", "-5", "abc"}) {
    http::ParamList p;
    p.Add("user_id", bad);
    auto r = Args(p).PositiveUserId();
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().description, "Bad Request: invalid user_id specified");
  }
}

TEST(ArgsTest, IntegersAreClampedNotRejected) {
  http::ParamList p;
  p.Add("member_limit", "-5");
  p.Add("big", "200000");
  Args a(p);
  EXPECT_EQ(a.Int32("member_limit", 0, 0, 100000), 0);
  EXPECT_EQ(a.Int32("big", 0, 0, 100000), 100000);
  EXPECT_EQ(a.Int32("absent", 40, 1, 100), 40);
}

}  // namespace
}  // namespace tgi::botapi
