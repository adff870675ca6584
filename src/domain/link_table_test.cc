#include "domain/link_table.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace tgi::domain {
namespace {

InviteLink Link(std::string hash, int64_t chat) {
  InviteLink l;
  l.hash = std::move(hash);
  l.chat = ChatId(chat);
  l.creator = UserId(1);
  return l;
}

TEST(LinkTableTest, FindsLinksByHashAndKeepsTheirOrder) {
  LinkTable t;
  EXPECT_EQ(t.Put(Link("aaaaaaaaaaaaaaaa", -1)), std::make_pair(LinkTable::Index{0}, true));
  EXPECT_EQ(t.Put(Link("short", -2)), std::make_pair(LinkTable::Index{1}, true));
  EXPECT_EQ(t.size(), 2u);
  ASSERT_NE(t.Find("short"), nullptr);
  EXPECT_EQ(t.Find("short")->chat, ChatId(-2));
  EXPECT_EQ(t.at(0).hash, "aaaaaaaaaaaaaaaa");
  // Looked up by a view into a longer text, not by a string of its own.
  std::string_view text = "shortcut";
  EXPECT_EQ(t.IndexOf(text.substr(0, 5)), LinkTable::Index{1});
  EXPECT_EQ(t.Find(text), nullptr);
  EXPECT_EQ(t.Find(""), nullptr);
  EXPECT_FALSE(t.contains("aaaaaaaaaaaaaaab"));
}

TEST(LinkTableTest, PuttingAKnownHashReplacesTheLinkInPlace) {
  LinkTable t;
  t.Put(Link("first", -1));
  t.Put(Link("second", -1));
  InviteLink revoked = Link("first", -1);
  revoked.is_revoked = true;
  EXPECT_EQ(t.Put(revoked), std::make_pair(LinkTable::Index{0}, false));
  EXPECT_EQ(t.size(), 2u);
  EXPECT_TRUE(t.Find("first")->is_revoked);
  EXPECT_EQ(t.IndexOf("second"), LinkTable::Index{1});
}

TEST(LinkTableTest, ACopyIsIndependentAndAMoveKeepsTheIndex) {
  LinkTable original;
  for (int i = 0; i < 100; ++i) original.Put(Link("link" + std::to_string(i), -i));
  LinkTable copy = original;
  copy.Put(Link("only-in-copy", -500));
  InviteLink changed = Link("link7", -7);
  changed.name = "changed";
  copy.Put(changed);
  EXPECT_EQ(original.Find("only-in-copy"), nullptr);
  EXPECT_EQ(original.Find("link7")->name, "");
  EXPECT_EQ(copy.Find("link7")->name, "changed");
  for (int i = 0; i < 100; ++i) {
    ASSERT_NE(copy.Find("link" + std::to_string(i)), nullptr) << i;
    EXPECT_EQ(copy.Find("link" + std::to_string(i))->chat, ChatId(-i));
  }

  LinkTable moved = std::move(copy);
  EXPECT_EQ(moved.size(), 101u);
  EXPECT_EQ(moved.IndexOf("only-in-copy"), LinkTable::Index{100});
  moved.Put(Link("after-the-move", -600));
  EXPECT_EQ(moved.Find("after-the-move")->chat, ChatId(-600));

  LinkTable assigned;
  assigned.Put(Link("replaced", -1));
  assigned = original;
  EXPECT_EQ(assigned.Find("replaced"), nullptr);
  EXPECT_EQ(assigned.size(), 100u);
  EXPECT_EQ(assigned.Find("link99")->chat, ChatId(-99));
}

}  // namespace
}  // namespace tgi::domain
