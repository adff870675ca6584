#include "common/shared_text.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace tgi {
namespace {

TEST(SharedTextTest, CopiesShareOneBuffer) {
  SharedText a(std::string(5000, 'x'));
  SharedText b = a;
  EXPECT_EQ(a.data(), b.data());
  EXPECT_EQ(b.size(), 5000u);
  a = SharedText("other");
  EXPECT_EQ(b.view(), std::string(5000, 'x'));  // the copy keeps the text alive
  EXPECT_EQ(a, "other");
}

TEST(SharedTextTest, ComparesAndPrintsByText) {
  SharedText a("{\"update_id\":1}");
  SharedText b(std::string("{\"update_id\":1}"));
  EXPECT_NE(a.data(), b.data());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, std::string_view("{\"update_id\":1}"));
  EXPECT_FALSE(a == SharedText("{\"update_id\":2}"));
  std::ostringstream out;
  out << a;
  EXPECT_EQ(out.str(), a.str());
}

TEST(SharedTextTest, EmptyTextHasNoBuffer) {
  SharedText none;
  SharedText empty("");
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none, empty);
  EXPECT_EQ(none.view(), "");
  EXPECT_EQ(none.str(), "");
}

}  // namespace
}  // namespace tgi
