// Internal to tginvite_store_postgres: reading the whole world back (PostgresStore::Load).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <optional>

#include "common/result.h"
#include "domain/store.h"

namespace tgi::store::pg {

// Reads every table into `w`, in the order domain::Store::Load promises; with `since`, only the
// rows written by a change after *since (change_seq, migrations/0002_cluster.sql), in the same
// orders. REQUIRES: `c` is in a transaction that sees one snapshot (REPEATABLE READ), so the
// tables agree with each other. *clock_read (if given) says whether the clock's row was read.
Status ReadWorld(PGconn* c, domain::WorldState& w, std::optional<int64_t> since = std::nullopt,
                 bool* clock_read = nullptr);

}  // namespace tgi::store::pg
