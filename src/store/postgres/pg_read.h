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

// The newest change, as a catch-up's selects bound their change numbers above (AddSince).
inline constexpr std::string_view kSinceHead =
    "(SELECT last_change FROM cluster_head WHERE id = 1)";

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

// The world's tables as bits of a mask, in the order the world is read (and loaded). The values
// are stored (changes.tables, migrations/0004_change_tables.sql): never renumber them.
enum Table : uint32_t {
  kBotsTable = 1u << 0,
  kUsersTable = 1u << 1,
  kChatsTable = 1u << 2,
  kMembersTable = 1u << 3,
  kInviteLinksTable = 1u << 4,
  kJoinsTable = 1u << 5,
  kJoinRequestsTable = 1u << 6,
  kClockTable = 1u << 7,
  kBotUpdateSettingsTable = 1u << 8,
  kUpdatesTable = 1u << 9,
  kMessagesTable = 1u << 10,
  kPrivateChatsTable = 1u << 11,
  kCallbackQueriesTable = 1u << 12,
  kBotProfileTable = 1u << 13,
  kSenderChatBansTable = 1u << 14,
  // Not the world's: the state the instances share besides it (0003_shared_state.sql).
  kSharedStateTable = 1u << 15,
};
inline constexpr uint32_t kAllTables = (1u << 16) - 1;

// The table `op` writes (for a removal, the table it deletes from).
Table TableOf(const domain::Op& op);

// Adds to `reads` the selects of ReadWorld of the tables in `tables`, decoding into `w` (and
// *clock_read), which must outlive reads.Run. Records of tables not in `tables` are left as
// they are: a second call for other tables adds to the same `w`.
void AddWorldReads(Reads& reads, domain::WorldState& w, std::optional<int64_t> since = std::nullopt,
                   bool* clock_read = nullptr, uint32_t tables = kAllTables);

// Reads every table into `w`, in the order domain::Store::Load promises; with `since`, only the
// rows written by a change after *since (change_seq, migrations/0002_cluster.sql), in the same
// orders. REQUIRES: `c` is in a transaction that sees one snapshot (REPEATABLE READ), so the
// tables agree with each other. *clock_read (if given) says whether the clock's row was read.
Status ReadWorld(PGconn* c, domain::WorldState& w, std::optional<int64_t> since = std::nullopt,
                 bool* clock_read = nullptr);

}  // namespace tgi::store::pg
