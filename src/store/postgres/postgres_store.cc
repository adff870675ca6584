#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_read.h"
#include "store/postgres/pg_write.h"
#include "store/sqlite/sqlite_write.h"

namespace tgi::store {

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(PostgresOptions options) {
  if (options.max_batch == 0) options.max_batch = 1;
  Result<pg::ConnPtr> conn = pg::Connect(options.conninfo);
  if (!conn.ok()) return Unexpected{conn.error()};
  Result<int> version = pg::Migrate(conn->get(), pg::EmbeddedMigrations());
  if (!version.ok()) return Unexpected{version.error()};
  if (Status st = pg::PrepareOpStatements(conn->get()); !st.ok()) return Unexpected{st.error()};
  return std::unique_ptr<PostgresStore>(
      new PostgresStore(std::move(options), conn->release(), *version));
}

PostgresStore::PostgresStore(PostgresOptions options, pg_conn* conn, int schema_version)
    : options_(std::move(options)),
      conn_(conn),
      schema_version_(schema_version),
      writer_([this] { WriterLoop(); }) {}

PostgresStore::~PostgresStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  writer_.join();
  PQfinish(conn_);
}

Result<domain::WorldState> PostgresStore::Load() {
  Result<pg::ConnPtr> conn = pg::Connect(options_.conninfo);
  if (!conn.ok()) return Unexpected{conn.error()};
  if (Status st = pg::Exec(conn->get(), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                           "cannot begin the load");
      !st.ok()) {
    return Unexpected{st.error()};
  }
  domain::WorldState w;
  if (Status st = pg::ReadWorld(conn->get(), w); !st.ok()) return Unexpected{st.error()};
  if (Status st = pg::Exec(conn->get(), "COMMIT", "cannot end the load"); !st.ok()) {
    return Unexpected{st.error()};
  }
  return w;
}

void PostgresStore::Submit(domain::Mutation m, Done done) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Pending{std::move(m), std::move(done)});
    ++submitted_;
  }
  work_cv_.notify_one();
}

void PostgresStore::Flush() {
  if (std::this_thread::get_id() == writer_.get_id()) return;  // from a callback
  std::unique_lock lock(mu_);
  const uint64_t target = submitted_;
  finished_cv_.wait(lock, [&] { return finished_ >= target; });
}

size_t PostgresStore::commits_for_testing() const {
  std::lock_guard lock(mu_);
  return commits_;
}

void PostgresStore::WriteMetrics(metrics::TextWriter& out) const {
  size_t queued = 0;
  {
    std::lock_guard lock(mu_);
    queued = queue_.size();
  }
  out.Family("tginvited_store_commit_batch_size", "histogram",
             "Mutations committed together in one PostgreSQL transaction (group commit).");
  out.HistogramSamples("tginvited_store_commit_batch_size", {}, batch_sizes_);
  out.Family("tginvited_store_commit_seconds", "histogram",
             "Time of each batch's pipeline and commit, the WAL flush included.");
  out.HistogramSamples("tginvited_store_commit_seconds", {}, commit_seconds_);
  out.Family("tginvited_store_queue_depth", "gauge",
             "Mutations submitted and not yet taken by the writer thread.");
  out.Sample("tginvited_store_queue_depth", {}, uint64_t{queued});
}

void PostgresStore::WriterLoop() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything is done
      const size_t n = std::min(queue_.size(), options_.max_batch);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Status> results(batch.size(), Status());
    batch_sizes_.Observe(static_cast<double>(batch.size()));
    CommitBatch(batch, results);
    for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
    {
      std::lock_guard lock(mu_);
      finished_ += batch.size();
    }
    finished_cv_.notify_all();
  }
}

Status PostgresStore::EnsureConnected() {
  if (conn_ok_ && PQstatus(conn_) == CONNECTION_OK) return {};
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Fail(pg::ConnErrorText(conn_, "cannot reconnect to PostgreSQL"));
  }
  if (Status st = pg::PrepareOpStatements(conn_); !st.ok()) return st;
  conn_ok_ = true;
  return {};
}

Status PostgresStore::Commit(const std::vector<Pending>& batch, size_t begin, size_t end,
                             bool* lost) {
  *lost = false;
  if (Status st = EnsureConnected(); !st.ok()) return st;
  // Every op is checked before any is queued: a queued statement cannot be taken back.
  std::vector<const domain::Op*> ops;  // in the order queued, to name the op that failed
  for (size_t i = begin; i < end; ++i) {
    for (const domain::Op& op : batch[i].mutation.ops) {
      if (Status st = pg::CheckOp(op); !st.ok()) {
        return Fail(st.error().message + " (" + sqlite_internal::DescribeOp(op) + ")");
      }
      ops.push_back(&op);
    }
  }
  if (ops.empty()) return {};  // nothing to write: an empty mutation succeeds
  pg::Pipeline pipeline(conn_);
  pg::SendBuffers buffers;
  for (const domain::Op* op : ops) {
    if (Status st = pg::QueueOp(pipeline, *op, buffers); !st.ok()) {
      // Statements may be sent already; without their sync they are never committed, and the
      // connection is reset before its next use.
      conn_ok_ = false;
      *lost = true;
      return Fail(pg::ConnErrorText(conn_, st.error().message));
    }
  }
  const auto start = std::chrono::steady_clock::now();
  pg::Pipeline::Outcome out = pipeline.Run("cannot write");
  commit_seconds_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  {
    std::lock_guard lock(mu_);
    ++commits_;
  }
  if (out.connection_lost) {
    conn_ok_ = false;
    *lost = true;
    return Fail(out.error + " (the connection was lost: the commit may or may not have happened)");
  }
  if (out.failed_index >= 0) {
    std::string what = out.error;
    if (static_cast<size_t>(out.failed_index) < ops.size()) {
      what += " (" + sqlite_internal::DescribeOp(*ops[out.failed_index]) + ")";
    }
    return Fail(what);
  }
  return {};
}

void PostgresStore::CommitBatch(std::vector<Pending>& batch, std::vector<Status>& results) {
  bool lost = false;
  Status all = Commit(batch, 0, batch.size(), &lost);
  if (all.ok()) return;
  if (lost || batch.size() == 1) {
    for (Status& r : results) r = all;
    return;
  }
  // Nothing of the batch is committed: each mutation alone, so only the bad ones fail.
  for (size_t i = 0; i < batch.size(); ++i) {
    results[i] = Commit(batch, i, i + 1, &lost);
    if (lost) {
      for (size_t j = i + 1; j < batch.size(); ++j) results[j] = results[i];
      return;
    }
  }
}

}  // namespace tgi::store
