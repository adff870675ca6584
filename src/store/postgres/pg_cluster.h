// The ClusterStore on PostgreSQL (domain/store.h; docs/postgresql-design.md): what lets several
// tginvited instances share one database.
//
// A round runs on one connection: BEGIN; pg_advisory_xact_lock (the cluster's write lock, keyed
// by the schema, so that one database can hold several clusters); the head (the newest change,
// cluster_head) and, if another instance moved it, the rows of the changes since (change_seq,
// migrations/0002_cluster.sql) and their deletions, in the same round trip when another
// instance is likely to have written (else in a second), of the tables the last catch-ups
// needed (each change records the tables it wrote, migrations/0004_change_tables.sql; a table
// missed is read in one more round trip); then one pipeline with the round's ops (a run of
// links as one statement), the change's row, the head's update, a NOTIFY, and COMMIT without
// waiting for the WAL flush
// (synchronous_commit off for that transaction), which lets the lock go at once; then a barrier
// (Barrier) that waits for the flush, outside the lock, before the round's answers leave. So one
// instance's flush overlaps the next round, another instance's included. Named decision: the
// same barrier is waited for by a round that only read, if it or a catch-up since the last
// barrier replayed another instance's change, since that change may not be flushed yet: no
// answer shows a change before it is durable. Notices come
// on a second connection (LISTEN), for WaitForNotice, which also sends the Broadcasts (NOTIFY
// on the same channel: "c <seq>" for a change, "m <message>" for a broadcast).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "common/metrics.h"
#include "common/result.h"
#include "domain/store.h"

struct pg_conn;

namespace tgi::store {

struct CatchUp;  // pg_cluster.cc: what a catch-up read

class PostgresCluster final : public domain::ClusterStore {
 public:
  // Connects (twice: rounds and notices), applies the pending migrations. Errors never hold the
  // connection string.
  static Result<std::unique_ptr<PostgresCluster>> Open(const std::string& conninfo);
  ~PostgresCluster() override;
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  Result<domain::WorldState> LoadAll(uint64_t* last, int64_t* cluster_now_ms = nullptr) override;
  Result<Changes> BeginRound(uint64_t after) override;
  Result<uint64_t> CommitRound(const domain::Mutation& m, int64_t now_ms) override;
  Result<Changes> ChangesAfter(uint64_t after) override;
  Notices WaitForNotice(std::chrono::milliseconds timeout) override;
  void Broadcast(std::string message) override;
  Result<bool> RenewDeliveryLease(std::chrono::seconds ttl) override;
  void ReleaseDeliveryLease() override;
  // This instance's random id (the lease's holder).
  const std::string& instance_id() const { return instance_id_; }

  // tginvited_store_round_seconds (lock to commit), tginvited_store_round_ops (ops a round
  // wrote), tginvited_store_replayed_changes (changes of other instances caught up on).
  void WriteMetrics(metrics::TextWriter& out) const override;

 private:
  PostgresCluster(std::string conninfo, pg_conn* rounds, std::string channel);
  // Reconnects the round connection if it was lost (and prepares its statements again).
  Status EnsureConnected();
  // Rolls back the round connection's open transaction (its error is not reported: the caller
  // has one already), and if the connection was lost, has it reset before its next use.
  void AbortRound();
  // The changes after `after` from what a catch-up read (if the head is past it; else none).
  Result<Changes> Caught(uint64_t after, CatchUp& c);
  // (Re)connects the notices' connection and LISTENs. Under listen_mu_.
  bool Listen();

  const std::string conninfo_;
  pg_conn* rounds_;  // round thread only
  bool rounds_ok_ = true;
  bool started_alone_ = true;  // no other instance lived when Open joined the cluster
  // Makes every change committed so far durable: a tiny transaction that writes WAL (a logical
  // message) and commits with synchronous_commit on, so it returns once the WAL is flushed past
  // its commit, which is after every commit before it.
  Status Barrier();
  // A commit or a replay since the last barrier: the next round's answers wait for one.
  bool barrier_needed_ = true;
  // The last round or catch-up found another instance's change: the next round's catch-up is
  // sent with its lock (BeginRound).
  bool others_wrote_ = false;
  // The tables the last catch-ups needed (pg::Table bits; at first every table): a round reads
  // those with the changes (BeginRound).
  std::array<uint32_t, 4> recent_tables_{};
  uint32_t Guess() const;  // their union
  size_t recent_next_ = 0;
  // A notice of another instance's change came since the last round began.
  std::atomic<bool> others_notified_{false};
  uint64_t head_ = 0;        // the head read by the open round
  int64_t head_now_ms_ = 0;  // and its time
  std::chrono::steady_clock::time_point round_start_;
  const std::string channel_;  // NOTIFY channel, quoted for LISTEN
  const std::string instance_id_;

  // The backend of the round connection: its NOTIFYs are this instance's own changes.
  std::atomic<int> rounds_pid_{0};

  std::mutex listen_mu_;
  pg_conn* notices_ = nullptr;  // guarded by listen_mu_

  std::mutex outbox_mu_;
  std::deque<std::string> outbox_;  // guarded by outbox_mu_: Broadcasts not sent yet
  int wake_fd_ = -1;                // an eventfd: Broadcast wakes WaitForNotice's poll

  metrics::Histogram round_seconds_{metrics::LatencyBuckets()};
  metrics::Histogram round_ops_{metrics::BatchSizeBuckets()};
  metrics::Histogram replayed_changes_{metrics::BatchSizeBuckets()};
};

}  // namespace tgi::store
