#include "text/utf16.h"

#include <gtest/gtest.h>

namespace tgi::text {
namespace {

TEST(Utf16, Lengths) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("é日"), 2u);
  EXPECT_EQ(Utf16Length("👋🏟"), 4u);
  EXPECT_EQ(CodePointLength("👋🏟a"), 3u);
}

TEST(Utf16, Offsets) {
  const std::string text = "a👋b";  // bytes: a(0) 👋(1-4) b(5); UTF-16: a(0) 👋(1-2) b(3)
  EXPECT_EQ(Utf16ToByteOffset(text, 0), 0u);
  EXPECT_EQ(Utf16ToByteOffset(text, 1), 1u);
  EXPECT_EQ(Utf16ToByteOffset(text, 2), std::nullopt);  // the middle of the pair
  EXPECT_EQ(Utf16ToByteOffset(text, 3), 5u);
  EXPECT_EQ(Utf16ToByteOffset(text, 4), 6u);
  EXPECT_EQ(Utf16ToByteOffset(text, 5), std::nullopt);
  EXPECT_EQ(ByteToUtf16Offset(text, 5), 3u);
  EXPECT_EQ(Utf16Substr(text, 1, 2), "👋");
  EXPECT_EQ(Utf16Substr(text, 3, 10), "b");
  EXPECT_EQ(Utf16Substr(text, 0, 2), "a👋");
}

}  // namespace
}  // namespace tgi::text
