// Internal to tginvite_store_postgres: reading the whole world back (PostgresStore::Load).
#pragma once

#include <libpq-fe.h>

#include "common/result.h"
#include "domain/store.h"

namespace tgi::store::pg {

// Reads every table into `w`, in the order domain::Store::Load promises. REQUIRES: `c` is in a
// transaction that sees one snapshot (REPEATABLE READ), so the tables agree with each other.
Status ReadWorld(PGconn* c, domain::WorldState& w);

}  // namespace tgi::store::pg
