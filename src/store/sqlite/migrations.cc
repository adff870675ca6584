#include "store/sqlite/migrations.h"

#include <string>

#include "store/sqlite/sqlite_db.h"

namespace tgi::store::sqlite_internal {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, applied_at INTEGER)";
constexpr char kCurrentVersion[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
constexpr char kRecord[] =
    "INSERT INTO schema_migrations (version, applied_at) "
    "VALUES (?1, CAST(strftime('%s', 'now') AS INTEGER))";

Result<int> CurrentVersion(sqlite3* db) {
  auto stmt = Prepare(db, kCurrentVersion, false);
  if (!stmt.ok()) return Unexpected{stmt.error()};
  if (sqlite3_step(stmt->get()) != SQLITE_ROW) {
    return Fail(ErrorText(db, "cannot read the schema version"));
  }
  return sqlite3_column_int(stmt->get(), 0);
}

Status Apply(sqlite3* db, const Migration& m) {
  const std::string what = "migration " + std::string(m.name);
  if (Status st = Exec(db, "BEGIN IMMEDIATE", what); !st.ok()) return st;
  auto rollback = [db](Status st) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return st;
  };
  // Another process may have applied it since we looked.
  Result<int> current = CurrentVersion(db);
  if (!current.ok()) return rollback(Unexpected{current.error()});
  if (*current >= m.version) return Exec(db, "COMMIT", what);

  const std::string sql(m.sql);
  if (Status st = Exec(db, sql.c_str(), what); !st.ok()) return rollback(st);
  auto record = Prepare(db, kRecord, false);
  if (!record.ok()) return rollback(Unexpected{record.error()});
  sqlite3_bind_int(record->get(), 1, m.version);
  if (Status st = StepDone(db, record->get(), what); !st.ok()) return rollback(st);
  if (Status st = Exec(db, "COMMIT", what); !st.ok()) return rollback(st);
  return {};
}

}  // namespace

Result<int> Migrate(sqlite3* db, std::span<const Migration> migrations) {
  if (Status st = Exec(db, kCreateTable, "cannot create schema_migrations"); !st.ok()) {
    return Unexpected{st.error()};
  }
  const int known = static_cast<int>(migrations.size());
  Result<int> current = CurrentVersion(db);
  if (!current.ok()) return current;
  if (*current > known) {
    return Fail("the database has schema version " + std::to_string(*current) +
                ", newer than this binary knows (" + std::to_string(known) +
                "); it was written by a newer tginvite");
  }
  for (const Migration& m : migrations) {
    if (m.version <= *current) continue;
    if (Status st = Apply(db, m); !st.ok()) return Unexpected{st.error()};
  }
  current = CurrentVersion(db);
  if (current.ok() && *current > known) {
    return Fail("the database was migrated to schema version " + std::to_string(*current) +
                " by a newer tginvite while this one opened it");
  }
  return current;
}

}  // namespace tgi::store::sqlite_internal
