// Internal to tginvite_store_postgres: the numbered schema migrations (migrations/NNNN_*.sql,
// compiled in by src/store/sqlite/embed_migrations.cmake) and the code that applies them. To
// change the schema, add the next NNNN_name.sql and never edit one that has shipped.
#pragma once

#include <libpq-fe.h>

#include <span>
#include <string_view>

#include "common/result.h"

namespace tgi::store::pg {

struct Migration {
  int version;            // 1, 2, 3, ... in order, without gaps
  std::string_view name;  // file name without ".sql", e.g. "0001_init"
  std::string_view sql;
};

// Every migration of migrations/, in order. Generated at build time.
std::span<const Migration> EmbeddedMigrations();

// Brings the current schema (the first of the connection's search_path) to the last version of
// `migrations`. Several instances may start at once: each takes a session advisory lock keyed by
// the schema's name first, so exactly one applies a missing migration and the others then find
// it applied. Each migration runs in its own transaction with its row in schema_migrations.
// Returns the schema version. Fails, changing nothing, if the schema records a version newer
// than the last of `migrations` (it was written by a newer binary), or if the search_path names
// no schema that exists.
// REQUIRES: migrations[i].version == i + 1.
Result<int> Migrate(PGconn* c, std::span<const Migration> migrations);

}  // namespace tgi::store::pg
