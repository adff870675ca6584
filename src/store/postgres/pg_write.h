// Internal to tginvite_store_postgres: the SQL of each kind of op, prepared once per connection,
// and the binding of a record's fields to its statement.
#pragma once

#include <libpq-fe.h>

#include <deque>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/store.h"
#include "store/postgres/pg_conn.h"

namespace tgi::store::pg {

// Prepares every op's statement on `c` (names tgi_op_*).
Status PrepareOpStatements(PGconn* c);

// What the queued statements refer to until the pipeline has run: their parameters, and the
// encoded lists of messages. The ops themselves must live as long.
struct SendBuffers {
  std::deque<Params> params;
  std::deque<std::string> blobs;
  void Clear() {
    params.clear();
    blobs.clear();
  }
};

// Fails on an op that a table could not hold but no CHECK would catch: an entity type the blob
// format cannot encode, a lifted sender chat ban with a positive id, a removed profile entry
// without a bot or key. Checked for every op of a transaction before any is queued, since a
// queued statement cannot be taken back.
Status CheckOp(const domain::Op& op);

// Queues the statement of `op` on `pipeline`. REQUIRES: CheckOp(op) is ok. Fails only if libpq
// refuses the statement (the connection is then unusable).
Status QueueOp(Pipeline& pipeline, const domain::Op& op, SendBuffers& buffers);

// Queues the statements of `ops`, in order: as QueueOp does, except that a run of two or more
// links with distinct hashes goes as one statement (tgi_op_links): one statement's start, plan
// and checks instead of one per link (most of a link upsert's cost on the server). Appends to
// *first_ops the index of the first op of each statement queued. REQUIRES: CheckOp of each op
// is ok.
Status QueueOps(Pipeline& pipeline, const std::vector<domain::Op>& ops, SendBuffers& buffers,
                std::vector<size_t>* first_ops);

}  // namespace tgi::store::pg
