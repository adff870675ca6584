#include "store/postgres/pg_migrations.h"

#include <string>

#include "store/postgres/pg_conn.h"

namespace tgi::store::pg {
namespace {

// The advisory lock's first key: "tgin" in ASCII; the second is the schema's hash.
constexpr std::string_view kLock =
    "SELECT pg_advisory_lock(1952936302, hashtext(current_schema()))";
constexpr std::string_view kUnlock =
    "SELECT pg_advisory_unlock(1952936302, hashtext(current_schema()))";

Result<int> MigrateLocked(PGconn* c, std::span<const Migration> migrations) {
  if (Status st = Exec(c, R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
))sql",
                       "cannot create schema_migrations");
      !st.ok()) {
    return Unexpected{st.error()};
  }
  Result<ResultPtr> r = Query(c, "SELECT COALESCE(max(version), 0) FROM schema_migrations",
                              "cannot read the schema version");
  if (!r.ok()) return Unexpected{r.error()};
  int version = static_cast<int>(GetInt(r->get(), 0, 0));
  const int last = migrations.empty() ? 0 : migrations.back().version;
  if (version > last) {
    return Fail("the database's schema is at version " + std::to_string(version) +
                ", newer than this binary knows (" + std::to_string(last) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= version) continue;
    const std::string what = "cannot apply migration " + std::string(m.name);
    std::string sql = "BEGIN;\n";
    sql += m.sql;
    sql += ";\nINSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(m.version) +
           ", '" + std::string(m.name) + "');\nCOMMIT;";
    if (Status st = Exec(c, sql, what); !st.ok()) {
      (void)Exec(c, "ROLLBACK", "cannot roll back");
      return Unexpected{st.error()};
    }
    version = m.version;
  }
  return version;
}

}  // namespace

Result<int> Migrate(PGconn* c, std::span<const Migration> migrations) {
  Result<ResultPtr> schema =
      Query(c, "SELECT current_schema() IS NOT NULL", "cannot read the current schema");
  if (!schema.ok()) return Unexpected{schema.error()};
  if (!GetBool(schema->get(), 0, 0)) {
    return Fail("no schema to migrate: the search_path names no schema that exists");
  }
  if (Status st = Exec(c, kLock, "cannot take the migration lock"); !st.ok()) {
    return Unexpected{st.error()};
  }
  Result<int> out = MigrateLocked(c, migrations);
  (void)Exec(c, kUnlock, "cannot release the migration lock");
  return out;
}

}  // namespace tgi::store::pg
