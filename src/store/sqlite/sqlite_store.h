// The SQLite Store: one database file in WAL mode, written by one writer thread that commits
// queued mutations in groups (group commit); a sync thread that makes committed groups durable
// (one fdatasync of the WAL for every group committed since the last) and only then runs their
// callbacks, while the writer already applies the next group; and a checkpoint thread that
// copies the WAL into the database off the commit path.
//
// Schema: migrations/NNNN_*.sql, compiled into the binary and applied by Open. The schema holds
// the store's invariants (see the comment of MemoryStore, which enforces the same ones).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "domain/store.h"

struct sqlite3;

namespace tgi::store {

struct SqliteOptions {
  // The database file; created if missing. The -wal and -shm files live beside it.
  std::string path;
  // The most mutations committed in one transaction. Default: 256.
  size_t max_batch = 256;
  // The writer commits whatever is queued when it is free, without waiting for more: a wait for
  // the rest of a wave of outstanding mutations, tried before, cost more than it gathered.
  // WAL checkpoints run off the commit path, on a thread with a connection of its own: once
  // commits have added `checkpoint_frames` frames (pages) to the WAL since what was last copied,
  // that thread copies them into the database (a PASSIVE checkpoint: commits go on meanwhile).
  // The WAL can only start over from its beginning when a checkpoint has copied every frame
  // before the next commit, which a steady stream of commits prevents; so once it holds
  // `checkpoint_frames_max` frames, the writer checkpoints the few frames left itself, right
  // after its commit. SQLite's own checkpoint (on the writer, every 1000 frames) is off.
  // The defaults are large because rarer checkpoints copy a page changed many times once, and
  // the writer's own checkpoint (a stall of tens of milliseconds, mostly the database's fsync)
  // slows a long run down. At 1 KiB pages the WAL stays under ~135 MiB. The measurements behind
  // these choices are in bench/README.md.
  int checkpoint_frames = 16000;
  int checkpoint_frames_max = 128000;
  // Where a commit is made durable. false (default): the writer commits with synchronous=NORMAL
  // (the WAL frames are written, not yet synced) and hands the batch to the sync thread, which
  // fdatasyncs the WAL once for all the batches committed since its last sync, then runs their
  // callbacks; the writer applies the next batch meanwhile, so the disk's flush and SQLite's
  // work overlap. true: each COMMIT syncs (synchronous=FULL) on the writer, as before the sync
  // thread; kept for sqlite_store_bench's comparison. Either way a callback's ok means synced to
  // disk.
  bool sync_in_commit = false;
  // With the sync thread: the writer writes each commit's WAL frames with one pwrite instead of
  // two per page (wal_buffer_vfs.h). false: SQLite's own writes, for comparison.
  bool gather_wal_writes = true;
  // Tests only: called instead of fdatasync on the WAL's descriptor; returns 0 or an errno.
  std::function<int(int fd)> sync_for_testing;
};

class SqliteStore final : public domain::Store {
 public:
  // Opens (creating if needed) the database at options.path, switches it to WAL, applies the
  // pending migrations and starts the writer, sync and checkpoint threads.
  // Fails if the file cannot be opened or migrated, or if its schema is newer than this binary
  // knows. Error messages name the path, never any stored value.
  static Result<std::unique_ptr<SqliteStore>> Open(SqliteOptions options);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Commits everything submitted so far and runs its callbacks, then stops the writer thread
  // and closes the database. REQUIRES: no Submit or Flush is running or will be called.
  ~SqliteStore() override;

  // Reads everything, in one read transaction on a connection of its own: bots, users and chats
  // by id, members and join requests by (chat, user), links and joins in the order they were
  // first recorded, bot update settings by bot, updates by (bot, id); the clock (offset 0 if it
  // was never set); messages in the order they were first stored, each in its latest state,
  // private chats by (user, bot), callback queries by id, bot profile entries by (bot, key)
  // (keys compared bytewise), sender chat bans by (chat, sender chat). Fails on a row it cannot
  // decode (e.g. a corrupt message blob), naming the record and the row. Thread-safe; may run while
  // mutations are being committed (it sees a committed snapshot).
  Result<domain::WorldState> Load() override;

  // Queues `m` for the writer thread and returns. The writer commits queued mutations in batches
  // of up to max_batch: BEGIN IMMEDIATE, each mutation in its own SAVEPOINT (a mutation that
  // fails, e.g. on a constraint, is rolled back alone and gets the error), COMMIT. The sync
  // thread then syncs the WAL and runs the callbacks in submission order. An ok Status means the
  // mutation is committed and synced to disk. If the COMMIT fails, every mutation of the batch
  // gets the error; if a sync fails, every mutation committed since the last good sync gets it,
  // and so does every later one (after a failed fsync nothing can be promised: the store stays
  // failed). Callbacks must be quick (they delay the next ones) and must not call Flush.
  // Thread-safe.
  void Submit(domain::Mutation m, Done done) override;

  // Blocks until every mutation submitted before the call is committed (or failed) and its
  // callback has run. Thread-safe. Called from a callback it returns at once (it cannot wait
  // for the batch it is part of).
  void Flush() override;
  // tginvited_store_commit_batch_size (mutations per transaction), tginvited_store_fsync_seconds,
  // tginvited_store_queue_depth (submitted, not yet taken by the writer) and
  // tginvited_store_sync_queue_depth (committed, waiting for the fsync).
  void WriteMetrics(metrics::TextWriter& out) const override;

  // The schema version the database is at (the number of the last migration applied).
  int schema_version() const { return schema_version_; }

  // Transactions committed by the writer so far. Thread-safe.
  size_t commits_for_testing() const { return commits_.load(std::memory_order_relaxed); }
  // The writer's WAL writes as SQLite made them, and the pwrite calls made for them (fewer when
  // they are gathered, wal_buffer_vfs.h). Only while nothing is being committed (after Flush).
  uint64_t wal_writes_for_testing() const;
  uint64_t wal_pwrites_for_testing() const;
  // fdatasync calls of the sync thread so far. Thread-safe.
  size_t syncs_for_testing() const { return syncs_.load(std::memory_order_relaxed); }
  // Checkpoints run by the checkpoint thread, and by the writer (WAL at checkpoint_frames_max).
  size_t background_checkpoints_for_testing() const { return background_checkpoints_.load(); }
  size_t writer_checkpoints_for_testing() const { return writer_checkpoints_.load(); }

 private:
  struct Statements;
  struct Pending {
    domain::Mutation mutation;
    Done done;
  };
  // A batch the writer has finished with: committed (results ok) or failed, not yet synced.
  struct Committed {
    std::vector<Pending> batch;
    std::vector<Status> results;  // one per mutation of batch
  };

  SqliteStore(SqliteOptions options, sqlite3* db, int schema_version);

  void WriterLoop();
  void SyncLoop();
  void CheckpointLoop();
  // Makes every batch in `work` durable: one fdatasync of the WAL if any mutation committed.
  // Returns the sync's failure, or the earlier one that left the store failed.
  Status SyncWal(const std::deque<Committed>& work);
  // sqlite3_wal_hook: called on the writer thread after each commit with the WAL's size.
  static int OnWalCommit(void* self, sqlite3* db, const char* db_name, int frames);
  // Applies `batch`, storing each mutation's outcome in `results` (same size).
  void CommitBatch(std::vector<Pending>& batch, std::vector<Status>& results);
  // The common case first: the whole batch in one transaction without per-mutation savepoints.
  // Returns false, with nothing applied, if any mutation fails (CommitBatch then isolates it).
  bool CommitBatchOptimistically(std::vector<Pending>& batch);
  // Applies one mutation inside a SAVEPOINT of the open transaction.
  Status ApplyMutation(const domain::Mutation& m);

  const SqliteOptions options_;
  sqlite3* const db_;  // the write connection; used by the writer thread only after Open
  const int schema_version_;
  std::unique_ptr<Statements> stmts_;  // prepared once on db_ by Open; writer thread only

  mutable std::mutex mu_;
  std::condition_variable work_cv_;      // queue_ not empty, or stopping_
  std::condition_variable finished_cv_;  // finished_ advanced
  std::deque<Pending> queue_;            // guarded by mu_
  uint64_t submitted_ = 0;               // guarded by mu_
  uint64_t finished_ = 0;                // guarded by mu_; callbacks run, in order
  bool stopping_ = false;                // guarded by mu_

  std::atomic<size_t> commits_{0};

  // The sync thread: batches the writer committed, in order, waiting for their fdatasync.
  int wal_fd_ = -1;  // the WAL file, opened by us: fdatasync syncs the file, whoever wrote it
  mutable std::mutex sync_mu_;
  std::condition_variable sync_cv_;  // committed_ not empty, or sync_stopping_
  std::deque<Committed> committed_;  // guarded by sync_mu_
  bool sync_stopping_ = false;       // guarded by sync_mu_
  std::optional<Error> sync_error_;  // sync thread only: the first failed sync
  std::atomic<size_t> syncs_{0};
  metrics::Histogram batch_sizes_{metrics::BatchSizeBuckets()};  // writer thread
  metrics::Histogram sync_seconds_{metrics::LatencyBuckets()};   // sync thread
  std::thread syncer_;

  // The checkpoint thread and its connection.
  sqlite3* checkpoint_db_ = nullptr;
  std::mutex checkpoint_run_mu_;  // held while either thread runs a checkpoint
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;    // guarded by checkpoint_mu_
  bool checkpoint_stopping_ = false;  // guarded by checkpoint_mu_
  // Frames of the WAL the last background checkpoint copied into the database. Once the WAL
  // starts over, a commit reports fewer frames than that: none of them is copied yet.
  std::atomic<int> backfilled_{0};
  int BackfilledOf(int frames) const {
    const int copied = backfilled_.load(std::memory_order_relaxed);
    return frames >= copied ? copied : 0;
  }
  std::atomic<size_t> background_checkpoints_{0};
  std::atomic<size_t> writer_checkpoints_{0};
  std::thread checkpointer_;

  std::thread writer_;  // last: starts once everything above is ready
};

}  // namespace tgi::store
