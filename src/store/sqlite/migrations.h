// Internal to tginvite_store_sqlite: the numbered schema migrations and the code that applies
// them. The .sql files in migrations/ are compiled in (embed_migrations.cmake); to change the
// schema, add the next NNNN_name.sql and never edit one that has shipped.
#pragma once

#include <sqlite3.h>

#include <span>
#include <string_view>

#include "common/result.h"

namespace tgi::store::sqlite_internal {

struct Migration {
  int version;            // 1, 2, 3, ... in order, without gaps
  std::string_view name;  // file name without ".sql", e.g. "0001_init"
  std::string_view sql;
};

// Every migration of migrations/, in order. Generated at build time.
std::span<const Migration> EmbeddedMigrations();

// Brings `db` to the last version of `migrations`: creates schema_migrations if needed, then
// applies each migration newer than the recorded version in its own IMMEDIATE transaction,
// recording it in the same transaction. Running it again changes nothing. Returns the schema
// version. Fails, changing nothing, if the database records a version newer than the last of
// `migrations` (it was written by a newer binary).
// REQUIRES: migrations[i].version == i + 1.
Result<int> Migrate(sqlite3* db, std::span<const Migration> migrations);

}  // namespace tgi::store::sqlite_internal
