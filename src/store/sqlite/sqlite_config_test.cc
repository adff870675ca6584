// A test binary of its own: SQLite's process-wide settings only take effect if nothing in the
// process initialized SQLite before, which other test binaries do in other tests.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite/sqlite_store.h"
#include "store/store_test_util.h"

namespace tgi::store {
namespace {

TEST(SqliteConfigTest, AStoreKeepsNoMemoryStatistics) {
  testing::TempDir dir;
  auto store = SqliteStore::Open({.path = dir.File("config.db")});
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(
      testing::SubmitAndWait(**store, testing::Mut({testing::MakePrimary("abc", -1, 1)})).ok());
  // With statistics on, SQLite counts the bytes it has allocated (the open connections' caches,
  // statements...); with them off the counter stays 0.
  EXPECT_EQ(sqlite3_memory_used(), 0);
  sqlite3_int64 current = -1, highwater = -1;
  ASSERT_EQ(sqlite3_status64(SQLITE_STATUS_MALLOC_COUNT, &current, &highwater, 0), SQLITE_OK);
  EXPECT_EQ(current, 0);
}

}  // namespace
}  // namespace tgi::store
