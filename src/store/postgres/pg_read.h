// Internal to tginvite_store_postgres: reading the whole world back (PostgresStore::Load).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/store.h"

namespace tgi::store::pg {

// Statements sent in one pipeline (one round trip whatever their number), their results decoded
// in the order they were added. Statements without rows (BEGIN, COMMIT) may be among them: a
// round's lock and head go in the same round trip as its catch-up's selects (pg_cluster.cc).
class Reads {
 public:
  // Called for each row of a statement's result; returns an error for a row it cannot decode.
  using RowFn = std::function<Status(const PGresult* r, int row)>;
  // Adds `sql` (no parameters); `row` may be empty for a statement whose rows are not wanted.
  void Add(std::string_view sql, std::string_view what, RowFn row);
  // Adds one of the world's selects (each ends in ORDER BY, or has a WHERE); with `since`, it
  // keeps only the rows of the changes after it (change_seq).
  void AddSince(std::string_view sql, std::optional<int64_t> since, std::string_view what,
                RowFn row);
  // Sends every statement, then decodes every result; the first error is returned (and every
  // result is still read). Clears the statements. REQUIRES: `c` is not in pipeline mode.
  Status Run(PGconn* c);

 private:
  struct Item {
    std::string sql;
    std::string what;
    RowFn row;
  };
  std::vector<Item> items_;
};

// Adds to `reads` the selects of ReadWorld, decoding into `w` (and *clock_read), which must
// outlive reads.Run.
void AddWorldReads(Reads& reads, domain::WorldState& w, std::optional<int64_t> since = std::nullopt,
                   bool* clock_read = nullptr);

// Reads every table into `w`, in the order domain::Store::Load promises; with `since`, only the
// rows written by a change after *since (change_seq, migrations/0002_cluster.sql), in the same
// orders. REQUIRES: `c` is in a transaction that sees one snapshot (REPEATABLE READ), so the
// tables agree with each other. *clock_read (if given) says whether the clock's row was read.
Status ReadWorld(PGconn* c, domain::WorldState& w, std::optional<int64_t> since = std::nullopt,
                 bool* clock_read = nullptr);

}  // namespace tgi::store::pg
