#include "store/sqlite/sqlite_db.h"

namespace tgi::store::sqlite_internal {
namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

std::string ErrorText(sqlite3* db, std::string_view what) {
  std::string text(what);
  text += ": ";
  text += db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  return text;
}

void ConfigureSqliteOnce() {
  static const bool configured = [] {
    // SQLITE_MISUSE if SQLite was initialized already (by a caller of ours): then it keeps its
    // defaults, which are only slower.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

Result<DbPtr> OpenDb(const std::string& path, int flags, const char* vfs) {
  ConfigureSqliteOnce();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, vfs);
  DbPtr db(raw);
  if (rc != SQLITE_OK) return Fail(ErrorText(db.get(), "cannot open"));
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

Status Exec(sqlite3* db, const char* sql, std::string_view what) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail(ErrorText(db, what));
  }
  return {};
}

Result<StmtPtr> Prepare(sqlite3* db, std::string_view sql, bool persistent) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) return Fail(ErrorText(db, "cannot prepare a statement"));
  return stmt;
}

Result<int64_t> QueryInt(sqlite3* db, std::string_view sql) {
  auto stmt = Prepare(db, sql, false);
  if (!stmt.ok()) return Unexpected{stmt.error()};
  if (sqlite3_step(stmt->get()) != SQLITE_ROW) return Fail(ErrorText(db, "no row"));
  return int64_t{sqlite3_column_int64(stmt->get(), 0)};
}

Status StepDone(sqlite3* db, sqlite3_stmt* stmt, std::string_view what) {
  int rc = sqlite3_step(stmt);
  Status result;
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) result = Fail(ErrorText(db, what));
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return result;
}

}  // namespace tgi::store::sqlite_internal
