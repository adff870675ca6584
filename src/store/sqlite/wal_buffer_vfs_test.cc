// The WAL-gathering VFS: a commit's frames reach the file in one write by the end of the commit,
// other connections (and a checkpoint) always read what was committed, a write error fails the
// commit, and a process that dies right after a commit loses nothing of it.
#include "store/sqlite/wal_buffer_vfs.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <random>
#include <string>

#include "store/store_test_util.h"

namespace tgi::store::sqlite_internal {
namespace {

using testing::TempDir;

sqlite3* OpenConnection(const std::string& path, const char* vfs) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) !=
      SQLITE_OK) {
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

int Exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

std::string One(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  std::string out = "<error: " + std::string(sqlite3_errmsg(db)) + ">";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text ? reinterpret_cast<const char*>(text) : "NULL";
    } else {
      out = "<error: " + std::string(sqlite3_errmsg(db)) + ">";
    }
  }
  sqlite3_finalize(stmt);
  return out;
}

// A WAL database written through the gathering VFS, with 1 KiB pages as the store makes them.
sqlite3* OpenWriter(const std::string& path) {
  const char* vfs = WalBufferVfs();
  EXPECT_NE(vfs, nullptr);
  sqlite3* db = OpenConnection(path, vfs);
  EXPECT_NE(db, nullptr);
  if (db == nullptr) return nullptr;
  EXPECT_EQ(Exec(db,
                 "PRAGMA page_size=1024; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                 "PRAGMA wal_autocheckpoint=0; "
                 "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, v BLOB)"),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  return db;
}

// Inserts `rows` rows with random keys (so that the index changes pages all over) in one
// transaction, starting at id `first`.
int InsertRows(sqlite3* db, int first, int rows, std::mt19937_64& rng) {
  std::string sql = "BEGIN;";
  for (int i = 0; i < rows; ++i) {
    sql += "INSERT INTO t VALUES (" + std::to_string(first + i) + ", '" + std::to_string(rng()) +
           "', randomblob(" + std::to_string(50 + rng() % 200) + "));";
  }
  sql += "COMMIT;";
  return Exec(db, sql);
}

// Runs `body` in a forked child that exits with what it returns; returns that exit code (-1 if
// the child did not exit normally).
template <typename F>
int ExitCodeOfChild(F body) {
  const pid_t child = fork();
  if (child == 0) _exit(body());
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(WalBufferVfsTest, GathersACommitIntoOneWriteThatIsDoneWhenTheCommitReturns) {
  TempDir dir;
  sqlite3* db = OpenWriter(dir.File("w.db"));
  ASSERT_NE(db, nullptr);
  std::mt19937_64 rng(1);
  WalBufferStats before{}, after{};
  ASSERT_TRUE(WalBufferStatsOf(db, &before));
  // Under 64 KiB of frames: one piece.
  ASSERT_EQ(InsertRows(db, 1, 100, rng), SQLITE_OK) << sqlite3_errmsg(db);
  ASSERT_TRUE(WalBufferStatsOf(db, &after));
  const uint64_t writes = after.writes - before.writes;
  const uint64_t flushes = after.flushes - before.flushes;
  EXPECT_GT(writes, 30u);  // two per page: the frame header, then the page
  EXPECT_LT(writes * (1024 + 24) / 2, 64u << 10);
  EXPECT_EQ(flushes, 1u) << writes << " writes";
  EXPECT_EQ(after.commit_flushes - before.commit_flushes, 1u);
  EXPECT_EQ(after.pending_bytes, 0u);
  std::cout << "[ info ] one commit: " << writes << " WAL writes, " << flushes << " pwrite\n";
  sqlite3_close(db);
}

// A commit far larger than one write of the unix VFS (128 KiB) and than the buffer (1 MiB).
TEST(WalBufferVfsTest, ALargeCommitIsWrittenWhole) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  sqlite3* db = OpenWriter(path);
  ASSERT_NE(db, nullptr);
  std::mt19937_64 rng(6);
  WalBufferStats before{}, after{};
  ASSERT_TRUE(WalBufferStatsOf(db, &before));
  ASSERT_EQ(InsertRows(db, 1, 8000, rng), SQLITE_OK) << sqlite3_errmsg(db);
  ASSERT_TRUE(WalBufferStatsOf(db, &after));
  EXPECT_EQ(after.pending_bytes, 0u);
  EXPECT_GT(after.flushes - before.flushes, 16u);  // > 1 MiB in pieces of 64 KiB
  sqlite3* reader = OpenConnection(path, nullptr);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(One(reader, "SELECT count(*) || ':' || sum(id) FROM t"), "8000:32004000");
  EXPECT_EQ(One(reader, "PRAGMA integrity_check"), "ok");
  sqlite3_close(reader);
  sqlite3_close(db);
}

// A second connection (the default VFS, as the store's checkpoint and load connections use)
// reads every commit right after it, and checkpoints between commits: had a frame still been
// in the buffer, it would read stale bytes (a wrong sum or a malformed database).
TEST(WalBufferVfsTest, OtherConnectionsAndCheckpointsSeeEveryCommit) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  sqlite3* writer = OpenWriter(path);
  ASSERT_NE(writer, nullptr);
  sqlite3* reader = OpenConnection(path, nullptr);
  ASSERT_NE(reader, nullptr);
  std::mt19937_64 rng(2);
  int next = 1;
  for (int commit = 0; commit < 300; ++commit) {
    const int rows = 1 + static_cast<int>(rng() % 40);
    ASSERT_EQ(InsertRows(writer, next, rows, rng), SQLITE_OK) << sqlite3_errmsg(writer);
    next += rows;
    ASSERT_EQ(One(reader, "SELECT count(*) || ':' || sum(id) || ':' || sum(length(v) > 0) FROM t"),
              std::to_string(next - 1) + ":" + std::to_string(int64_t{next - 1} * next / 2) + ":" +
                  std::to_string(next - 1))
        << "after commit " << commit;
    if (commit % 7 == 0) {
      ASSERT_EQ(
          sqlite3_wal_checkpoint_v2(reader, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr),
          SQLITE_OK);
    }
  }
  EXPECT_EQ(One(reader, "PRAGMA integrity_check"), "ok");
  sqlite3_close(reader);
  sqlite3_close(writer);
}

// A process that dies right after its commits returned (no close, no sync) leaves them all in
// the file: none is left behind in a buffer.
TEST(WalBufferVfsTest, CommitsAreInTheFileWhenTheProcessDiesRightAfter) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  const int code = ExitCodeOfChild([&path] {
    sqlite3* db = OpenWriter(path);
    if (db == nullptr) return 2;
    std::mt19937_64 rng(3);
    for (int commit = 0; commit < 50; ++commit) {
      if (InsertRows(db, 1 + commit * 10, 10, rng) != SQLITE_OK) return 3;
    }
    return 0;  // _exit, no sqlite3_close: the WAL stays as the last commit left it
  });
  ASSERT_EQ(code, 0);
  sqlite3* db = OpenConnection(path, nullptr);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(One(db, "SELECT count(*) FROM t"), "500");
  EXPECT_EQ(One(db, "PRAGMA integrity_check"), "ok");
  sqlite3_close(db);
}

// A write the disk refuses (here: past the file size limit) fails the commit that made it, and
// the database keeps the commits before it.
TEST(WalBufferVfsTest, AFailedWriteFailsTheCommit) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  const int code = ExitCodeOfChild([&path] {
    signal(SIGXFSZ, SIG_IGN);  // a write past the limit then fails with EFBIG
    sqlite3* db = OpenWriter(path);
    if (db == nullptr) return 2;
    std::mt19937_64 rng(4);
    if (InsertRows(db, 1, 20, rng) != SQLITE_OK) return 3;
    // Within the limit, a commit of several hundred KiB works.
    if (InsertRows(db, 21, 1000, rng) != SQLITE_OK) return 6;
    sqlite3_int64 wal_size = 0;
    {
      sqlite3_file* wal = nullptr;
      if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
          wal == nullptr || wal->pMethods->xFileSize(wal, &wal_size) != SQLITE_OK) {
        return 7;
      }
    }
    rlimit limit{.rlim_cur = static_cast<rlim_t>(wal_size) + 128 * 1024, .rlim_max = RLIM_INFINITY};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return 4;
    // About 400 KiB of frames in one transaction, all in the buffer until the commit (they fit
    // SQLite's page cache: nothing is written or read back before): the commit's flush fails.
    const int rc = InsertRows(db, 2000, 1500, rng);
    if (rc == SQLITE_OK) return 5;
    if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY) return 8;
    if (sqlite3_get_autocommit(db) == 0) Exec(db, "ROLLBACK");
    return 0;
  });
  ASSERT_EQ(code, 0) << "5: the oversized commit succeeded";
  sqlite3* db = OpenConnection(path, nullptr);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(One(db, "SELECT count(*) FROM t"), "1020");
  EXPECT_EQ(One(db, "PRAGMA integrity_check"), "ok");
  sqlite3_close(db);
}

TEST(WalBufferVfsTest, DisabledBufferingWritesStraightThrough) {
  TempDir dir;
  sqlite3* db = OpenWriter(dir.File("w.db"));
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(DisableWalBuffering(db));
  std::mt19937_64 rng(5);
  WalBufferStats before{}, after{};
  ASSERT_TRUE(WalBufferStatsOf(db, &before));
  ASSERT_EQ(InsertRows(db, 1, 100, rng), SQLITE_OK);
  ASSERT_TRUE(WalBufferStatsOf(db, &after));
  EXPECT_EQ(after.writes, before.writes);  // not counted: not buffered
  EXPECT_EQ(after.flushes, before.flushes);
  EXPECT_EQ(after.pending_bytes, 0u);
  sqlite3* reader = OpenConnection(dir.File("w.db"), nullptr);
  EXPECT_EQ(One(reader, "SELECT count(*) FROM t"), "100");
  sqlite3_close(reader);
  sqlite3_close(db);
}

TEST(WalBufferVfsTest, AConnectionOfTheDefaultVfsHasNoStats) {
  TempDir dir;
  sqlite3* db = OpenConnection(dir.File("d.db"), nullptr);
  ASSERT_NE(db, nullptr);
  ASSERT_EQ(Exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t (x)"), SQLITE_OK);
  WalBufferStats stats{};
  EXPECT_FALSE(WalBufferStatsOf(db, &stats));
  EXPECT_FALSE(DisableWalBuffering(db));
  sqlite3_close(db);
}

}  // namespace
}  // namespace tgi::store::sqlite_internal
