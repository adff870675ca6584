#include "common/shared_codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace tgi::shared_codec {
namespace {

using Ints64 = std::vector<int64_t>;

TEST(SharedCodecTest, WritesIntegersSeparatedBySpaces) {
  EXPECT_EQ(Ints({}), "");
  EXPECT_EQ(Ints({7}), "7");
  EXPECT_EQ(Ints({1, -2, 30}), "1 -2 30");
}

TEST(SharedCodecTest, ReadsWhatItWrites) {
  EXPECT_EQ(ParseInts(""), Ints64{});
  EXPECT_EQ(ParseInts("7"), Ints64{7});
  EXPECT_EQ(ParseInts(Ints({1, -2, INT64_MAX})), (Ints64{1, -2, INT64_MAX}));
}

TEST(SharedCodecTest, RefusesWhatIsNotIntegersSeparatedBySingleSpaces) {
  for (const char* text : {"x", "1 x", "1  2", " 1", "1 ", "+1", "1.5", "9223372036854775808"}) {
    EXPECT_EQ(ParseInts(text), std::nullopt) << text;
  }
}

TEST(SharedCodecTest, ReadsAndWritesUnsignedCounts) {
  EXPECT_EQ(Uints({0, UINT64_MAX}), "0 18446744073709551615");
  EXPECT_EQ(ParseUints("0 18446744073709551615"), (std::vector<uint64_t>{0, UINT64_MAX}));
  EXPECT_EQ(ParseUints("-1"), std::nullopt);
  EXPECT_EQ(ParseUints("1 x"), std::nullopt);
}

TEST(SharedCodecTest, SplitsKeysAtSlashes) {
  EXPECT_EQ(ParseKeyIds("42"), Ints64{42});
  EXPECT_EQ(ParseKeyIds("-100/7"), (Ints64{-100, 7}));
  EXPECT_EQ(ParseKeyIds("1//2"), std::nullopt);
  EXPECT_EQ(ParseKeyIds("1/x"), std::nullopt);
  EXPECT_EQ(ParseKeyIds("1 2"), std::nullopt);
}

}  // namespace
}  // namespace tgi::shared_codec
