#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <string_view>
#include <utility>

#include "common/log.h"
#include "common/thread_name.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_read.h"
#include "store/sqlite/sqlite_write.h"
#include "store/sqlite/wal_buffer_vfs.h"

namespace tgi::store {

using sqlite_internal::ApplyOp;
using sqlite_internal::ColumnText;
using sqlite_internal::DbPtr;
using sqlite_internal::DescribeOp;
using sqlite_internal::ErrorText;
using sqlite_internal::Exec;
using sqlite_internal::Prepare;
using sqlite_internal::ReadWorld;
using sqlite_internal::StepDone;
using sqlite_internal::StmtPtr;

namespace {

constexpr std::string_view kLogComponent = "sqlite_store";

// The WAL-gathering VFS must have written a commit's frames by the end of the commit, before the
// WAL index announces them. Checked on one small commit (user_version rewritten with its own
// value) while no other connection of ours is open.
bool CheckWalBuffering(sqlite3* db) {
  sqlite_internal::WalBufferStats before, after;
  if (!sqlite_internal::WalBufferStatsOf(db, &before)) return false;
  Result<int64_t> version = sqlite_internal::QueryInt(db, "PRAGMA user_version");
  if (!version.ok()) return false;
  const std::string sql = "PRAGMA user_version=" + std::to_string(*version);
  if (!Exec(db, sql.c_str(), "").ok()) return false;
  if (!sqlite_internal::WalBufferStatsOf(db, &after)) return false;
  return after.writes > before.writes && after.commit_flushes > before.commit_flushes &&
         after.pending_bytes == 0;
}

}  // namespace

// The writer connection's statements, prepared once: the transaction and savepoint control here,
// the writes of the ops in sqlite_write.cc.
struct SqliteStore::Statements {
  StmtPtr begin, commit, rollback, savepoint, release, rollback_to;
  sqlite_internal::OpStatements ops;

  static Result<std::unique_ptr<Statements>> Prepare(sqlite3* db) {
    auto s = std::make_unique<Statements>();
    struct Item {
      StmtPtr* slot;
      std::string_view sql;
    } items[] = {
        {&s->begin, "BEGIN IMMEDIATE"},  // a batch's transaction
        {&s->commit, "COMMIT"},
        {&s->rollback, "ROLLBACK"},
        {&s->savepoint, "SAVEPOINT mutation"},  // one per mutation, when a batch isolates them
        {&s->release, "RELEASE mutation"},
        {&s->rollback_to, "ROLLBACK TO mutation"},
    };
    for (Item& item : items) {
      auto stmt = sqlite_internal::Prepare(db, item.sql, /*persistent=*/true);
      if (!stmt.ok()) return Unexpected{stmt.error()};
      *item.slot = std::move(*stmt);
    }
    auto ops = sqlite_internal::PrepareOpStatements(db);
    if (!ops.ok()) return Unexpected{ops.error()};
    s->ops = std::move(*ops);
    return s;
  }
};

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(SqliteOptions options) {
  const std::string prefix = "sqlite store " + options.path + ": ";
  if (options.path.empty()) return Fail("sqlite store: no database path");
  if (options.max_batch == 0) options.max_batch = 1;
  sqlite_internal::ConfigureSqliteOnce();

  // With the sync thread, the writer's WAL writes go through the write-gathering VFS
  // (wal_buffer_vfs.h): one pwrite per commit instead of two per page.
  const char* vfs = options.sync_in_commit || !options.gather_wal_writes
                        ? nullptr
                        : sqlite_internal::WalBufferVfs();
  auto db = sqlite_internal::OpenDb(
      options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
  if (!db.ok()) return Fail(prefix + db.error().message);
  sqlite3* raw = db->get();

  // 1 KiB pages for a new database (an existing one keeps its page size). Each commit appends
  // every page it changed to the WAL, and a link rotation changes pages at random places (the
  // hash key, the (chat, creator) index, the old link's row): smaller pages mean fewer bytes
  // written, synced and later copied per commit (sqlite_store_bench: about +10% on its own).
  if (Status st = Exec(raw, "PRAGMA page_size=1024", "cannot set the page size"); !st.ok()) {
    return Fail(prefix + st.error().message);
  }
  // journal_mode answers with the mode now in force; a database that cannot use WAL (e.g.
  // ":memory:") answers something else.
  {
    auto stmt = Prepare(raw, "PRAGMA journal_mode=WAL", false);
    if (!stmt.ok()) return Fail(prefix + stmt.error().message);
    if (sqlite3_step(stmt->get()) != SQLITE_ROW) {
      return Fail(prefix + ErrorText(raw, "cannot switch to WAL"));
    }
    if (ColumnText(stmt->get(), 0) != "wal") return Fail(prefix + "cannot switch to WAL mode");
  }
  if (Status st =
          Exec(raw, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF", "cannot set pragmas");
      !st.ok()) {
    return Fail(prefix + st.error().message);
  }
  Result<int> version = sqlite_internal::Migrate(raw, sqlite_internal::EmbeddedMigrations());
  if (!version.ok()) return Fail(prefix + version.error().message);

  // Commits: synced by the COMMIT itself (FULL), or written only (NORMAL) and synced by the sync
  // thread below. In WAL mode NORMAL keeps the database consistent: SQLite still syncs the WAL
  // before each checkpoint and the WAL header when the WAL starts over.
  const bool full = options.sync_in_commit;
  if (Status st = Exec(raw, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
                       "cannot set pragmas");
      !st.ok()) {
    return Fail(prefix + st.error().message);
  }
  if (Result<int64_t> level = sqlite_internal::QueryInt(raw, "PRAGMA synchronous");
      !level.ok() || *level != (full ? 2 : 1)) {
    return Fail(prefix + "cannot set the synchronous pragma");
  }
  if (vfs != nullptr && !CheckWalBuffering(raw)) {
    log::Warn(kLogComponent, "sqlite store " + options.path +
                                 ": this SQLite's WAL writes cannot be gathered safely; "
                                 "writing them one by one");
    if (!sqlite_internal::DisableWalBuffering(raw)) {
      return Fail(prefix + "cannot write the write-ahead log");
    }
  }
  // SQLite's default page cache (2 MiB) is kept on purpose: with 64 MiB, each COMMIT spent
  // longer in SQLite's page-cache truncation (a walk over the cache's hash table) than the
  // larger cache saved in reads (bench/run.sh export: -10% to -20%).

  // The WAL exists by now (migrating read the database through it). fdatasync on a descriptor
  // of our own flushes every write to the file, SQLite's included.
  int wal_fd = -1;
  if (!full) {
    const char* wal = sqlite3_filename_wal(sqlite3_db_filename(raw, "main"));
    wal_fd = wal != nullptr ? ::open(wal, O_RDWR | O_CLOEXEC) : -1;
    if (wal_fd < 0) {
      return Fail(prefix + "cannot open the write-ahead log: " + std::strerror(errno));
    }
  }

  auto stmts = Statements::Prepare(raw);
  if (!stmts.ok()) {
    if (wal_fd >= 0) ::close(wal_fd);
    return Fail(prefix + stmts.error().message);
  }

  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(options), db->release(), *version));
  store->wal_fd_ = wal_fd;
  store->stmts_ = std::move(*stmts);
  // The checkpoint thread's connection, synchronous=FULL too: a checkpoint syncs the WAL before
  // it copies frames and the database after.
  {
    auto ckpt =
        sqlite_internal::OpenDb(store->options_.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    if (!ckpt.ok()) return Fail(prefix + ckpt.error().message);
    if (Status st = Exec(ckpt->get(), "PRAGMA synchronous=FULL", "cannot set pragmas"); !st.ok()) {
      return Fail(prefix + st.error().message);
    }
    store->checkpoint_db_ = ckpt->release();
  }
  // Replaces SQLite's automatic checkpoint on the writer's connection.
  sqlite3_wal_hook(store->db_, &SqliteStore::OnWalCommit, store.get());
  store->checkpointer_ = std::thread([s = store.get()] {
    SetThreadName("tgi-checkpoint");
    s->CheckpointLoop();
  });
  store->syncer_ = std::thread([s = store.get()] {
    SetThreadName("tgi-sync");
    s->SyncLoop();
  });
  store->writer_ = std::thread([s = store.get()] {
    SetThreadName("tgi-writer");
    s->WriterLoop();
  });
  return store;
}

SqliteStore::SqliteStore(SqliteOptions options, sqlite3* db, int schema_version)
    : options_(std::move(options)), db_(db), schema_version_(schema_version) {}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard lock(sync_mu_);
    sync_stopping_ = true;
  }
  sync_cv_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
  {
    std::lock_guard lock(checkpoint_mu_);
    checkpoint_stopping_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  sqlite3_close_v2(checkpoint_db_);
  size_t commits = commits_.load();
  if (commits > 0)
    log::Info(kLogComponent, "committed " + std::to_string(finished_) + " mutations in " +
                                 std::to_string(commits) + " transactions");
  stmts_.reset();  // statements before their connection
  sqlite3_close_v2(db_);
}

Result<domain::WorldState> SqliteStore::Load() {
  const std::string prefix = "sqlite store " + options_.path + ": ";
  auto db = sqlite_internal::OpenDb(options_.path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  if (!db.ok()) return Fail(prefix + db.error().message);
  // One read transaction: a consistent snapshot even while the writer commits.
  if (Status st = Exec(db->get(), "BEGIN", "cannot begin a read"); !st.ok()) {
    return Fail(prefix + st.error().message);
  }
  domain::WorldState w;
  Status st = ReadWorld(db->get(), w);
  sqlite3_exec(db->get(), "COMMIT", nullptr, nullptr, nullptr);
  if (!st.ok()) return Fail(prefix + st.error().message);
  return w;
}

uint64_t SqliteStore::wal_writes_for_testing() const {
  sqlite_internal::WalBufferStats stats;
  return sqlite_internal::WalBufferStatsOf(db_, &stats) ? stats.writes : 0;
}

uint64_t SqliteStore::wal_pwrites_for_testing() const {
  sqlite_internal::WalBufferStats stats;
  return sqlite_internal::WalBufferStatsOf(db_, &stats) ? stats.flushes : 0;
}

void SqliteStore::Submit(domain::Mutation m, Done done) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Pending{std::move(m), std::move(done)});
    ++submitted_;
  }
  work_cv_.notify_one();
}

void SqliteStore::Flush() {
  if (std::this_thread::get_id() == syncer_.get_id()) return;  // from a callback
  std::unique_lock lock(mu_);
  const uint64_t target = submitted_;
  finished_cv_.wait(lock, [&] { return finished_ >= target; });
}

void SqliteStore::WriterLoop() {
  for (;;) {
    Committed c;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything is done
      const size_t n = std::min(queue_.size(), options_.max_batch);
      c.batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        c.batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    c.results.assign(c.batch.size(), Status());
    batch_sizes_.Observe(static_cast<double>(c.batch.size()));
    CommitBatch(c.batch, c.results);
    {
      std::lock_guard lock(sync_mu_);
      committed_.push_back(std::move(c));
    }
    sync_cv_.notify_one();
  }
}

void SqliteStore::SyncLoop() {
  std::deque<Committed> work;
  for (;;) {
    {
      std::unique_lock lock(sync_mu_);
      sync_cv_.wait(lock, [&] { return !committed_.empty() || sync_stopping_; });
      if (committed_.empty()) return;  // stopping, and everything is done
      work.swap(committed_);
    }
    const Status synced = SyncWal(work);
    size_t n = 0;
    for (Committed& c : work) {
      n += c.batch.size();
      for (size_t i = 0; i < c.batch.size(); ++i) {
        if (!c.batch[i].done) continue;
        try {
          c.batch[i].done(c.results[i].ok() ? synced : std::move(c.results[i]));
        } catch (const std::exception& e) {
          log::Error(kLogComponent, std::string("a store callback threw: ") + e.what());
        } catch (...) {
          log::Error(kLogComponent, "a store callback threw");
        }
      }
    }
    work.clear();
    {
      std::lock_guard lock(mu_);
      finished_ += n;
    }
    finished_cv_.notify_all();
  }
}

Status SqliteStore::SyncWal(const std::deque<Committed>& work) {
  if (sync_error_) return Unexpected{*sync_error_};
  if (options_.sync_in_commit) return {};  // COMMIT synced
  bool any_committed = false;
  for (const Committed& c : work)
    for (const Status& r : c.results) any_committed = any_committed || r.ok();
  if (!any_committed) return {};
  const auto started = std::chrono::steady_clock::now();
  const int err = options_.sync_for_testing   ? options_.sync_for_testing(wal_fd_)
                  : ::fdatasync(wal_fd_) == 0 ? 0
                                              : errno;
  sync_seconds_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (err != 0) {
    // Linux may drop the dirty pages a failed fsync could not write: a later sync succeeding
    // would not mean they reached the disk. So the store fails for good.
    sync_error_ = Error{"sqlite store " + options_.path +
                        ": cannot sync the write-ahead log: " + std::strerror(err)};
    log::Error(kLogComponent, sync_error_->message);
    return Unexpected{*sync_error_};
  }
  syncs_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

void SqliteStore::WriteMetrics(metrics::TextWriter& out) const {
  size_t queued = 0;
  size_t syncing = 0;
  {
    std::lock_guard lock(mu_);
    queued = queue_.size();
  }
  {
    std::lock_guard lock(sync_mu_);
    for (const Committed& c : committed_) syncing += c.batch.size();
  }
  out.Family("tginvited_store_commit_batch_size", "histogram",
             "Mutations committed together in one SQLite transaction (group commit).");
  out.HistogramSamples("tginvited_store_commit_batch_size", {}, batch_sizes_);
  out.Family("tginvited_store_fsync_seconds", "histogram",
             "Time of each fdatasync of the write-ahead log (one per group of commits).");
  out.HistogramSamples("tginvited_store_fsync_seconds", {}, sync_seconds_);
  out.Family("tginvited_store_queue_depth", "gauge",
             "Mutations submitted and not yet taken by the writer thread.");
  out.Sample("tginvited_store_queue_depth", {}, uint64_t{queued});
  out.Family("tginvited_store_sync_queue_depth", "gauge",
             "Mutations committed and waiting for the sync thread's fdatasync.");
  out.Sample("tginvited_store_sync_queue_depth", {}, uint64_t{syncing});
}

int SqliteStore::OnWalCommit(void* self, sqlite3* db, const char* db_name, int frames) {
  auto* s = static_cast<SqliteStore*>(self);
  if (frames >= s->options_.checkpoint_frames_max) {
    // The checkpoint thread has copied most frames already; copying the rest here, before the
    // next commit, lets that commit start the WAL over. Waits for a checkpoint in progress.
    std::lock_guard run(s->checkpoint_run_mu_);
    int rc = sqlite3_wal_checkpoint_v2(db, db_name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc == SQLITE_OK) {
      s->writer_checkpoints_.fetch_add(1, std::memory_order_relaxed);
    } else if (rc != SQLITE_BUSY) {
      log::Warn(kLogComponent, ErrorText(db, "checkpoint failed"));
    }
  } else if (frames - s->BackfilledOf(frames) >= s->options_.checkpoint_frames) {
    {
      std::lock_guard lock(s->checkpoint_mu_);
      s->checkpoint_wanted_ = true;
    }
    s->checkpoint_cv_.notify_one();
  }
  return SQLITE_OK;  // a failed checkpoint does not undo the commit
}

void SqliteStore::CheckpointLoop() {
  std::unique_lock lock(checkpoint_mu_);
  for (;;) {
    checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || checkpoint_stopping_; });
    if (checkpoint_stopping_) return;
    checkpoint_wanted_ = false;
    lock.unlock();
    int rc;
    int wal_frames = 0, copied = 0;
    {
      std::lock_guard run(checkpoint_run_mu_);
      rc = sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                     &wal_frames, &copied);
    }
    if (rc == SQLITE_OK) {
      backfilled_.store(copied, std::memory_order_relaxed);
      background_checkpoints_.fetch_add(1, std::memory_order_relaxed);
    } else if (rc != SQLITE_BUSY) {
      log::Warn(kLogComponent, ErrorText(checkpoint_db_, "checkpoint failed"));
    }
    lock.lock();
  }
}

bool SqliteStore::CommitBatchOptimistically(std::vector<Pending>& batch) {
  if (!StepDone(db_, stmts_->begin.get(), "").ok()) return false;
  auto give_up = [&] {
    if (!sqlite3_get_autocommit(db_)) (void)StepDone(db_, stmts_->rollback.get(), "");
    return false;
  };
  for (const Pending& p : batch)
    for (const domain::Op& op : p.mutation.ops)
      if (!ApplyOp(db_, stmts_->ops, op).ok()) return give_up();
  if (!StepDone(db_, stmts_->commit.get(), "").ok()) return give_up();
  commits_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void SqliteStore::CommitBatch(std::vector<Pending>& batch, std::vector<Status>& results) {
  // Savepoints cost two statements per mutation; they are only needed when one fails.
  if (batch.size() > 1 && CommitBatchOptimistically(batch)) return;
  const size_t n = batch.size();
  size_t i = 0;
  while (i < n) {
    const size_t first = i;
    if (Status st = StepDone(db_, stmts_->begin.get(), "cannot begin a transaction"); !st.ok()) {
      for (; i < n; ++i) results[i] = st;
      return;
    }
    bool transaction_lost = false;
    for (; i < n && !transaction_lost; ++i) {
      const domain::Mutation& m = batch[i].mutation;
      if (m.empty()) continue;
      results[i] = ApplyMutation(m);
      // Some errors (I/O, disk full, out of memory) make SQLite roll back the whole
      // transaction: the mutations before this one in it are lost as well.
      if (!results[i].ok() && sqlite3_get_autocommit(db_)) {
        transaction_lost = true;
        for (size_t j = first; j < i; ++j) {
          if (results[j].ok()) {
            results[j] = Fail("rolled back with its batch: " + results[i].error().message);
          }
        }
      }
    }
    if (transaction_lost) continue;  // the rest go into a new transaction
    if (Status st = StepDone(db_, stmts_->commit.get(), "commit failed"); !st.ok()) {
      if (!sqlite3_get_autocommit(db_)) {
        (void)StepDone(db_, stmts_->rollback.get(), "rollback failed");
      }
      for (size_t j = first; j < i; ++j) {
        if (results[j].ok()) results[j] = st;
      }
      log::Error(kLogComponent, "sqlite store " + options_.path + ": " + st.error().message);
      continue;
    }
    commits_.fetch_add(1, std::memory_order_relaxed);
  }
}

Status SqliteStore::ApplyMutation(const domain::Mutation& m) {
  if (Status st = StepDone(db_, stmts_->savepoint.get(), "cannot open a savepoint"); !st.ok()) {
    return st;
  }
  for (size_t i = 0; i < m.ops.size(); ++i) {
    if (Status st = ApplyOp(db_, stmts_->ops, m.ops[i]); !st.ok()) {
      Status result = Fail("op " + std::to_string(i) + " (" + DescribeOp(m.ops[i]) +
                           "): " + st.error().message);
      if (!sqlite3_get_autocommit(db_)) {
        // Undo this mutation only; the batch's transaction stays open. If even that fails,
        // give up the whole transaction (the caller sees autocommit and fails the batch).
        if (!StepDone(db_, stmts_->rollback_to.get(), "").ok() ||
            !StepDone(db_, stmts_->release.get(), "").ok()) {
          (void)StepDone(db_, stmts_->rollback.get(), "");
        }
      }
      return result;
    }
  }
  Status st = StepDone(db_, stmts_->release.get(), "cannot release a savepoint");
  if (!st.ok() && !sqlite3_get_autocommit(db_)) {
    (void)StepDone(db_, stmts_->rollback.get(), "");
  }
  return st;
}

}  // namespace tgi::store
