// Internal to tginvite_store_sqlite: RAII handles and small helpers over the SQLite C API.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tgi::store::sqlite_internal {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// "<what>: <SQLite's message>". SQLite's messages name tables, columns and constraints, never
// bound values.
std::string ErrorText(sqlite3* db, std::string_view what);

// Opens `path` with `flags` (SQLITE_OPEN_*), with extended result codes and a busy timeout,
// through the VFS named `vfs` (nullptr: the default one).
Result<DbPtr> OpenDb(const std::string& path, int flags, const char* vfs = nullptr);

// Process-wide settings, applied once before SQLite initializes (later calls do nothing):
// memory statistics off. With them on, SQLite takes a global mutex around every allocation and
// free, which was ~5% of the writer thread's time. Called by SqliteStore::Open and OpenDb.
void ConfigureSqliteOnce();

// Runs one or more statements without bindings.
Status Exec(sqlite3* db, const char* sql, std::string_view what);

// Compiles one statement. `persistent`: kept for the connection's lifetime (a cached statement).
Result<StmtPtr> Prepare(sqlite3* db, std::string_view sql, bool persistent);

// The first column of the first row of `sql` (e.g. a PRAGMA), as an integer.
Result<int64_t> QueryInt(sqlite3* db, std::string_view sql);

// Steps a statement that returns no rows, then resets it and clears its bindings.
Status StepDone(sqlite3* db, sqlite3_stmt* stmt, std::string_view what);

}  // namespace tgi::store::sqlite_internal
