// Internal to tginvite_store_sqlite: loading the stored world.
#pragma once

#include <sqlite3.h>

#include <string>

#include "common/result.h"
#include "domain/store.h"

namespace tgi::store::sqlite_internal {

// Reads every table into `w`, in the order WorldState documents. Runs in the caller's
// transaction (SqliteStore::Load opens a read transaction for a consistent snapshot).
Status ReadWorld(sqlite3* db, domain::WorldState& w);

// Column `i` of the current row as text ("" for NULL).
std::string ColumnText(sqlite3_stmt* s, int i);

}  // namespace tgi::store::sqlite_internal
