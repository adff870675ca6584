#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store_test_util.h"

namespace tgi::store::sqlite_internal {
namespace {

using store::testing::TempDir;

DbPtr MustOpen(const std::string& path) {
  auto db = OpenDb(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  EXPECT_TRUE(db.ok()) << db.error().message;
  return db.ok() ? std::move(*db) : nullptr;
}

bool TableExists(sqlite3* db, const std::string& name) {
  auto stmt = Prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", false);
  EXPECT_TRUE(stmt.ok());
  sqlite3_bind_text(stmt->get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
  return sqlite3_step(stmt->get()) == SQLITE_ROW;
}

TEST(MigrationsTest, EmbeddedMigrationsAreNumberedFromOne) {
  auto all = EmbeddedMigrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all[0].name, "0001_init");
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(all[1].name, "0002_updates_and_requests");
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
    EXPECT_FALSE(all[i].sql.empty());
  }
}

// 0005 adds the conversation tables to a database at 0004, and nothing before it has them.
TEST(MigrationsTest, Migration5AddsTheConversationTables) {
  auto all = EmbeddedMigrations();
  ASSERT_GE(all.size(), 5u);
  EXPECT_EQ(all[4].name, "0005_conversations");
  TempDir dir;
  DbPtr db = MustOpen(dir.File("m.db"));
  const char* tables[] = {"message_versions", "private_chats", "callback_queries", "bot_profile"};
  Result<int> version = Migrate(db.get(), all.first(4));
  ASSERT_TRUE(version.ok()) << version.error().message;
  for (const char* table : tables) EXPECT_FALSE(TableExists(db.get(), table)) << table;
  version = Migrate(db.get(), all.first(5));
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 5);
  for (const char* table : tables) EXPECT_TRUE(TableExists(db.get(), table)) << table;
}

// 0006 rebuilds message_versions with the kind of pinned-message service messages (3): the
// versions written before it keep their seq and columns, and kind 3 is accepted after it only.
TEST(MigrationsTest, Migration6AcceptsPinnedMessageServiceMessages) {
  auto all = EmbeddedMigrations();
  ASSERT_GE(all.size(), 6u);
  EXPECT_EQ(all[5].name, "0006_pinned_messages");
  TempDir dir;
  DbPtr db = MustOpen(dir.File("m.db"));
  ASSERT_TRUE(Migrate(db.get(), all.first(5)).ok());
  const char* insert_old =
      "INSERT INTO message_versions (seq, chat_id, bot_id, id, from_id, date, kind, text, flags) "
      "VALUES (7, -100, 0, 3, 42, 1000, 0, 'hello', 256)";
  const char* insert_pin =
      "INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind, reply_to) "
      "VALUES (-100, 0, 4, 42, 1001, 3, 3)";
  ASSERT_TRUE(Exec(db.get(), insert_old, "insert").ok());
  EXPECT_FALSE(Exec(db.get(), insert_pin, "insert").ok());  // 0005's check refuses kind 3
  Result<int> version = Migrate(db.get(), all.first(6));
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 6);
  EXPECT_TRUE(Exec(db.get(), insert_pin, "insert").ok());
  EXPECT_FALSE(Exec(db.get(),
                    "INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind) "
                    "VALUES (-100, 0, 5, 42, 1002, 4)",
                    "insert")
                   .ok());
  auto stmt =
      Prepare(db.get(),
              "SELECT group_concat(seq || ':' || id || ':' || kind || ':' || text || ':' || "
              "flags || ':' || reply_to, ' ') FROM (SELECT * FROM message_versions "
              "ORDER BY seq)",
              false);
  ASSERT_TRUE(stmt.ok());
  ASSERT_EQ(sqlite3_step(stmt->get()), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt->get(), 0))),
            "7:3:0:hello:256:0 8:4:3::0:3");
}

// 0008 rebuilds message_versions again for the upgrade service messages (kinds 4 and 5): rows
// written before it keep their seq, and kinds 4 and 5 are accepted after it only.
TEST(MigrationsTest, Migration8AcceptsUpgradeServiceMessages) {
  auto all = EmbeddedMigrations();
  ASSERT_GE(all.size(), 8u);
  EXPECT_EQ(all[7].name, "0008_upgrade_messages");
  TempDir dir;
  DbPtr db = MustOpen(dir.File("m.db"));
  ASSERT_TRUE(Migrate(db.get(), all.first(7)).ok());
  ASSERT_TRUE(Exec(db.get(),
                   "INSERT INTO message_versions (seq, chat_id, bot_id, id, from_id, date, kind, "
                   "reply_to) VALUES (9, -4001, 0, 2, 42, 1000, 3, 1)",
                   "insert")
                  .ok());
  const char* insert_to =
      "INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind) "
      "VALUES (-4001, 0, 3, 42, 1001, 4)";
  const char* insert_from =
      "INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind) "
      "VALUES (-1000000004001, 0, 1, 42, 1001, 5)";
  EXPECT_FALSE(Exec(db.get(), insert_to, "insert").ok());  // 0006's check refuses kind 4
  Result<int> version = Migrate(db.get(), all.first(8));
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 8);
  EXPECT_TRUE(Exec(db.get(), insert_to, "insert").ok());
  EXPECT_TRUE(Exec(db.get(), insert_from, "insert").ok());
  EXPECT_FALSE(Exec(db.get(),
                    "INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind) "
                    "VALUES (-4001, 0, 4, 42, 1002, 6)",
                    "insert")
                   .ok());
  auto stmt = Prepare(db.get(),
                      "SELECT group_concat(seq || ':' || id || ':' || kind, ' ') FROM (SELECT * "
                      "FROM message_versions ORDER BY seq)",
                      false);
  ASSERT_TRUE(stmt.ok());
  ASSERT_EQ(sqlite3_step(stmt->get()), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt->get(), 0))),
            "9:2:3 10:3:4 11:1:5");
}

// 0009 adds sender_chat_bans (banChatSenderChat): one row per (chat, sender chat), both negative.
TEST(MigrationsTest, Migration9AddsSenderChatBans) {
  auto all = EmbeddedMigrations();
  ASSERT_GE(all.size(), 9u);
  EXPECT_EQ(all[8].name, "0009_sender_chat_bans");
  TempDir dir;
  DbPtr db = MustOpen(dir.File("m.db"));
  ASSERT_TRUE(Migrate(db.get(), all.first(8)).ok());
  EXPECT_FALSE(TableExists(db.get(), "sender_chat_bans"));
  Result<int> version = Migrate(db.get(), all.first(9));
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 9);
  EXPECT_TRUE(TableExists(db.get(), "sender_chat_bans"));
  auto insert = [&](const char* values) {
    const std::string sql = std::string("INSERT INTO sender_chat_bans VALUES ") + values;
    return Exec(db.get(), sql.c_str(), "insert").ok();
  };
  EXPECT_TRUE(insert("(-1001, -1002)"));
  EXPECT_TRUE(insert("(-1001, -1003)"));
  EXPECT_FALSE(insert("(-1001, -1002)"));  // the key
  EXPECT_FALSE(insert("(-1001, 5)"));
  EXPECT_FALSE(insert("(0, -1002)"));
}

// 0010 adds message_versions.reply_keyboard: rows written before it read '' (no reply keyboard).
TEST(MigrationsTest, Migration10AddsReplyKeyboards) {
  auto all = EmbeddedMigrations();
  ASSERT_GE(all.size(), 10u);
  EXPECT_EQ(all[9].name, "0010_reply_keyboards");
  TempDir dir;
  DbPtr db = MustOpen(dir.File("m.db"));
  ASSERT_TRUE(Migrate(db.get(), all.first(9)).ok());
  ASSERT_TRUE(Exec(db.get(),
                   "INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind) "
                   "VALUES (5, 7, 1, 7, 1000, 0)",
                   "insert")
                  .ok());
  Result<int> version = Migrate(db.get(), all.first(10));
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 10);
  ASSERT_TRUE(Exec(db.get(),
                   "INSERT INTO message_versions (chat_id, bot_id, id, from_id, date, kind, "
                   "reply_keyboard) VALUES (5, 7, 2, 7, 1001, 0, '{\"remove_keyboard\":true}')",
                   "insert")
                  .ok());
  auto stmt = Prepare(db.get(),
                      "SELECT group_concat(id || '=' || reply_keyboard, ' ') FROM (SELECT * FROM "
                      "message_versions ORDER BY seq)",
                      false);
  ASSERT_TRUE(stmt.ok());
  ASSERT_EQ(sqlite3_step(stmt->get()), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt->get(), 0))),
            "1= 2={\"remove_keyboard\":true}");
}

TEST(MigrationsTest, AppliesInOrderOnceEach) {
  TempDir dir;
  DbPtr db = MustOpen(dir.File("m.db"));
  const std::vector<Migration> v1 = {{1, "0001_a", "CREATE TABLE a (x INTEGER);"}};
  const std::vector<Migration> v2 = {
      v1[0], {2, "0002_b", "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1);"}};

  Result<int> version = Migrate(db.get(), v1);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 1);
  EXPECT_TRUE(TableExists(db.get(), "a"));
  EXPECT_FALSE(TableExists(db.get(), "b"));

  version = Migrate(db.get(), v2);  // only 0002 runs: 0001 would fail on "table a exists"
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 2);
  EXPECT_TRUE(TableExists(db.get(), "b"));

  version = Migrate(db.get(), v2);  // nothing to do
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 2);
}

TEST(MigrationsTest, RefusesNewerDatabase) {
  TempDir dir;
  DbPtr db = MustOpen(dir.File("m.db"));
  const std::vector<Migration> v2 = {{1, "0001_a", "CREATE TABLE a (x INTEGER);"},
                                     {2, "0002_b", "CREATE TABLE b (y INTEGER);"}};
  ASSERT_TRUE(Migrate(db.get(), v2).ok());
  Result<int> version = Migrate(db.get(), std::span(v2).first(1));
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.error().message.find("schema version 2"), std::string::npos)
      << version.error().message;
}

TEST(MigrationsTest, FailedMigrationLeavesNoTrace) {
  TempDir dir;
  DbPtr db = MustOpen(dir.File("m.db"));
  const std::vector<Migration> broken = {
      {1, "0001_a", "CREATE TABLE a (x INTEGER);"},
      {2, "0002_broken", "CREATE TABLE half (z INTEGER); THIS IS NOT SQL;"}};
  Result<int> version = Migrate(db.get(), broken);
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.error().message.find("0002_broken"), std::string::npos)
      << version.error().message;
  EXPECT_TRUE(TableExists(db.get(), "a"));      // 0001 committed on its own
  EXPECT_FALSE(TableExists(db.get(), "half"));  // 0002 rolled back whole
  const std::vector<Migration> fixed = {broken[0], {2, "0002_fixed", "CREATE TABLE c (z);"}};
  version = Migrate(db.get(), fixed);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 2);
}

}  // namespace
}  // namespace tgi::store::sqlite_internal
