// Internal to tginvite_store_sqlite: a VFS that gathers a commit's writes to the write-ahead log
// into one pwrite.
//
// SQLite writes each WAL frame with two pwrite calls (the 24-byte frame header, then the page),
// so a commit of a few dozen pages makes a hundred system calls; they were about a fifth of the
// writer thread's time (perf, bench/run.sh export). This VFS wraps the default one and passes
// everything through, except that writes to a WAL file are kept in a buffer while they follow
// each other, and the buffer is written out as one pwrite:
//   - right after the page of a commit frame (its header carries the database size, which only
//     a commit frame does), so that the error of that write reaches SQLite's commit, which then
//     fails and publishes nothing; the frames are in the file before the WAL index announces
//     them to other connections;
//   - before any read, sync, size query, truncation, lock, file control or close of the file,
//     and before a write that does not follow the buffer, so the connection itself always sees
//     its writes.
// Nothing is synced that would not have been: the file's contents at each sync are the same.
//
// Open checks on its own connection that commits are flushed this way (CheckWalBuffering);
// a SQLite that wrote frames differently would get an unbuffered connection instead.
#pragma once

#include <sqlite3.h>

#include <cstdint>

namespace tgi::store::sqlite_internal {

// The VFS's name, registered on first use (not as the default). Pass it to sqlite3_open_v2.
const char* WalBufferVfs();

struct WalBufferStats {
  uint64_t writes = 0;          // xWrite calls SQLite made to the WAL
  uint64_t flushes = 0;         // pwrite calls made for them
  uint64_t commit_flushes = 0;  // flushes right after a commit frame
  uint64_t pending_bytes = 0;   // in the buffer now
};

// The WAL file of `db`'s main database, if it is open through WalBufferVfs. Returns false if
// the connection has no WAL open or does not use this VFS.
bool WalBufferStatsOf(sqlite3* db, WalBufferStats* out);

// Turns the buffering of `db`'s WAL off (writes then go straight through). Returns false if the
// connection has no WAL open through this VFS.
bool DisableWalBuffering(sqlite3* db);

}  // namespace tgi::store::sqlite_internal
