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
