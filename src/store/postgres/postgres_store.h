// The PostgreSQL Store: the world's records in a PostgreSQL (15) database, through libpq.
//
// One writer thread owns a connection and commits queued mutations in groups (group commit): a
// batch of mutations is sent as one pipeline of prepared statements closed by one sync, which
// PostgreSQL runs as one implicit transaction and commits with synchronous_commit on, so a
// callback's ok means the batch's commit record is flushed to PostgreSQL's WAL. One round trip
// and one WAL flush per batch; PostgreSQL's own group commit may merge the flushes of several
// connections too.
//
// Schema: migrations/NNNN_*.sql, compiled into the binary and applied by Open under an advisory
// lock (several instances may start at once). The schema holds the store's invariants, the same
// ones as SQLite's (see MemoryStore's comment). The tables live in the first schema of the
// connection's search_path (libpq's `options=-csearch_path=...` picks another than public).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "domain/store.h"

struct pg_conn;

namespace tgi::store {

struct PostgresOptions {
  // A libpq connection string: "postgresql://user@host/db" or "host=... dbname=...".
  std::string conninfo;
  // The most mutations committed in one transaction. Default: 256.
  size_t max_batch = 256;
};

class PostgresStore final : public domain::Store {
 public:
  // Connects, applies the pending migrations and starts the writer thread. Fails if PostgreSQL
  // cannot be reached, or the schema cannot be migrated or is newer than this binary knows.
  // Error messages never hold the connection string (it may carry a password).
  static Result<std::unique_ptr<PostgresStore>> Open(PostgresOptions options);

  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // Commits everything submitted so far and runs its callbacks, then stops the writer.
  // REQUIRES: no Submit or Flush is running or will be called.
  ~PostgresStore() override;

  // Reads everything on a connection of its own, in one REPEATABLE READ READ ONLY transaction
  // (one snapshot), in the orders domain::Store::Load promises. Thread-safe.
  Result<domain::WorldState> Load() override;

  // Queues `m` for the writer. The writer takes up to max_batch queued mutations and sends their
  // statements in one pipeline (one transaction). If a statement fails, nothing of the batch is
  // committed and the writer commits each of its mutations alone, so that only the mutation
  // that breaks an invariant fails (with PostgreSQL's message, e.g. the constraint's name).
  // Named decision: a lost connection fails the mutations in flight with its message (their
  // commit may or may not have happened: the error says so), and the writer reconnects for the
  // next batch. The engine stops on any failed write, so no caller goes on after one.
  // Callbacks run on the writer thread in submission order and must be quick. Thread-safe.
  void Submit(domain::Mutation m, Done done) override;

  // Blocks until every mutation submitted before the call has been committed (or failed) and
  // its callback has run. Called from a callback, it returns at once. Thread-safe.
  void Flush() override;

  // tginvited_store_commit_batch_size, tginvited_store_commit_seconds (one round trip and the
  // commit's WAL flush) and tginvited_store_queue_depth.
  void WriteMetrics(metrics::TextWriter& out) const override;

  int schema_version() const { return schema_version_; }
  // Transactions the writer committed or tried. Thread-safe.
  size_t commits_for_testing() const;

 private:
  struct Pending {
    domain::Mutation mutation;
    Done done;
  };

  PostgresStore(PostgresOptions options, pg_conn* conn, int schema_version);

  void WriterLoop();
  // Applies `batch` (one transaction, or one per mutation after a failure), filling `results`.
  void CommitBatch(std::vector<Pending>& batch, std::vector<Status>& results);
  // Sends the ops of `batch[begin, end)` in one pipeline; ok if all committed.
  Status Commit(const std::vector<Pending>& batch, size_t begin, size_t end, bool* lost);
  // Makes sure the writer's connection is up (reconnecting and preparing if it was lost).
  Status EnsureConnected();

  const PostgresOptions options_;
  pg_conn* conn_;  // the writer's connection; writer thread only after Open
  bool conn_ok_ = true;
  const int schema_version_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;      // queue_ not empty, or stopping_
  std::condition_variable finished_cv_;  // finished_ advanced
  std::deque<Pending> queue_;            // guarded by mu_
  uint64_t submitted_ = 0;               // guarded by mu_
  uint64_t finished_ = 0;                // guarded by mu_; callbacks run, in order
  bool stopping_ = false;                // guarded by mu_
  size_t commits_ = 0;                   // guarded by mu_

  metrics::Histogram batch_sizes_{metrics::BatchSizeBuckets()};   // writer thread
  metrics::Histogram commit_seconds_{metrics::LatencyBuckets()};  // writer thread

  std::thread writer_;  // last: starts once everything above is ready
};

}  // namespace tgi::store
