#include "store/postgres/pg_cluster.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string_view>
#include <utility>
#include <variant>

#include "common/crypto.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_read.h"
#include "store/postgres/pg_write.h"
#include "store/sqlite/sqlite_write.h"

namespace tgi::store {
namespace {

// The cluster's write lock: "tgio" in ASCII, and the schema's hash.
constexpr std::string_view kLock =
    "SELECT pg_advisory_xact_lock(1952936303, hashtext(current_schema()))";
constexpr std::string_view kSelectHead =
    "SELECT last_change, last_now_ms FROM cluster_head WHERE id = 1";
constexpr std::string_view kBeginCatchUp = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

struct Statement {
  const char* name;
  std::string_view sql;
  std::vector<Oid> types;
};
const Statement kRoundStatements[] = {
    {"tgi_round_change_seq", "SELECT set_config('tgi.change_seq', $1::text, true)", {pg::kInt8Oid}},
    {"tgi_round_change",
     "INSERT INTO changes (seq, deletions, tables) VALUES ($1, $2, $3)",
     {pg::kInt8Oid, pg::kTextOid, pg::kInt8Oid}},
    {"tgi_round_head",
     "UPDATE cluster_head SET last_change = $1, last_now_ms = GREATEST(last_now_ms, $2) "
     "WHERE id = 1",
     {pg::kInt8Oid, pg::kInt8Oid}},
    {"tgi_round_notify", "SELECT pg_notify($1, 'c ' || $2::text)", {pg::kTextOid, pg::kInt8Oid}},
    {"tgi_round_shared",
     "INSERT INTO shared_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE "
     "SET value = EXCLUDED.value, change_seq = EXCLUDED.change_seq",
     {pg::kTextOid, pg::kByteaOid}},
};

// Every live instance holds the cluster's instance lock ("tgip" in ASCII, and the schema's hash)
// shared, on its rounds connection, while that connection lives.
constexpr std::string_view kTakeAlone =
    "SELECT pg_try_advisory_lock(1952936304, hashtext(current_schema()))";
constexpr std::string_view kHoldShared =
    "SELECT pg_advisory_lock_shared(1952936304, hashtext(current_schema()))";
constexpr std::string_view kLeaveAlone =
    "SELECT pg_advisory_unlock(1952936304, hashtext(current_schema()))";

// Named decision: the shared state (0003_shared_state.sql: guards, flood control, faults) lives
// as long as some instance of the cluster does, as one instance's memory lives as long as it
// does: an instance that starts while no other lives (it gets the instance lock alone) forgets
// it, so that faults are gone after a restart of the cluster as after one of a lone instance.
// An instance that starts while another lives, or reconnects, keeps it.
Status JoinCluster(PGconn* c, bool starting, bool* alone = nullptr) {
  if (alone != nullptr) *alone = false;
  if (starting) {
    Result<pg::ResultPtr> taken = pg::Query(c, kTakeAlone, "cannot take the instance lock");
    if (!taken.ok()) return Unexpected{taken.error()};
    if (pg::GetText(taken->get(), 0, 0) == "t") {
      if (alone != nullptr) *alone = true;
      // Alone: nobody shares anything now, and an instance that starts meanwhile waits in
      // kHoldShared below until the exclusive hold is let go.
      if (Status st = pg::Exec(c, "DELETE FROM shared_state", "cannot forget the shared state");
          !st.ok())
        return st;
      if (Status st = pg::Exec(c, kHoldShared, "cannot take the instance lock"); !st.ok())
        return st;
      return pg::Exec(c, kLeaveAlone, "cannot take the instance lock");
    }
  }
  return pg::Exec(c, kHoldShared, "cannot take the instance lock");
}

Status PrepareAll(PGconn* c) {
  if (Status st = pg::PrepareOpStatements(c); !st.ok()) return st;
  for (const Statement& s : kRoundStatements) {
    if (Status st = pg::Prepare(c, s.name, s.sql, s.types); !st.ok()) return st;
  }
  return {};
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

bool Unhex(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int v = 0;
    if (std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16).ptr != hex.data() + i + 2) {
      return false;
    }
    out->push_back(static_cast<char>(v));
  }
  return true;
}

// The ops of `m` that remove rows, one line each: "d <bot> <below_id>" (DropUpdates),
// "p <bot> <key in hex>" (a profile entry removed), "b <chat> <sender chat>" (a ban lifted).
std::string EncodeDeletions(const domain::Mutation& m) {
  std::string out;
  for (const domain::Op& op : m.ops) {
    if (const auto* d = std::get_if<domain::DropUpdates>(&op)) {
      out += "d " + std::to_string(d->bot.value) + " " + std::to_string(d->below_id) + "\n";
    } else if (const auto* p = std::get_if<domain::BotProfileEntry>(&op); p && p->value.empty()) {
      out += "p " + std::to_string(p->bot.value) + " " + Hex(p->key) + "\n";
    } else if (const auto* b = std::get_if<domain::SenderChatBan>(&op); b && !b->banned) {
      out +=
          "b " + std::to_string(b->chat.value) + " " + std::to_string(b->sender_chat.value) + "\n";
    }
  }
  return out;
}

Status DecodeDeletions(std::string_view text, domain::Mutation& out) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.size() < 2 || line[1] != ' ') return Fail("bad deletion line");
    const char kind = line[0];
    line.remove_prefix(2);
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) return Fail("bad deletion line");
    int64_t a = 0, b = 0;
    if (std::from_chars(line.data(), line.data() + space, a).ptr != line.data() + space) {
      return Fail("bad deletion line");
    }
    std::string_view rest = line.substr(space + 1);
    if (kind == 'p') {
      domain::BotProfileEntry e{.bot = UserId(a)};
      if (!Unhex(rest, &e.key)) return Fail("bad deletion line");
      out.ops.emplace_back(std::move(e));
      continue;
    }
    if (std::from_chars(rest.data(), rest.data() + rest.size(), b).ptr !=
        rest.data() + rest.size()) {
      return Fail("bad deletion line");
    }
    if (kind == 'd') {
      out.ops.emplace_back(domain::DropUpdates{.bot = UserId(a), .below_id = b});
    } else if (kind == 'b') {
      out.ops.emplace_back(
          domain::SenderChatBan{.chat = ChatId(a), .sender_chat = ChatId(b), .banned = false});
    } else {
      return Fail("bad deletion line");
    }
  }
  return {};
}

// The records of `w` as ops, in the order a World loads them (its constructor's).
void AppendRecords(domain::WorldState& w, bool clock_read, domain::Mutation& out) {
  auto add = [&out](auto& records) {
    for (auto& r : records) out.ops.emplace_back(std::move(r));
  };
  add(w.users);
  add(w.bots);
  add(w.chats);
  add(w.members);
  add(w.links);
  add(w.joins);
  add(w.join_requests);
  if (clock_read) out.ops.emplace_back(w.clock);
  add(w.bot_settings);
  add(w.updates);
  add(w.messages);
  add(w.private_chats);
  add(w.callback_queries);
  add(w.bot_profile);
  for (auto& b : w.sender_chat_bans) {
    b.banned = true;
    out.ops.emplace_back(b);
  }
}

// Adds to `reads` the head's select, into *head and *now_ms; *rows counts its rows (one).
void AddHead(pg::Reads& reads, uint64_t* head, int64_t* now_ms, int* rows) {
  reads.Add(kSelectHead, "cannot read the cluster head",
            [head, now_ms, rows](const PGresult* r, int i) -> Status {
              ++*rows;
              *head = static_cast<uint64_t>(pg::GetInt(r, i, 0));
              *now_ms = pg::GetInt(r, i, 1);
              return {};
            });
}

}  // namespace

// What a catch-up reads: the deletions of the changes after a change, then the rows those
// changes wrote, of the tables they wrote.
struct CatchUp {
  int changes = 0;  // rows of `changes` read
  domain::Mutation deletions;
  uint32_t needed = 0;  // the tables the changes wrote (pg::Table)
  uint32_t read = 0;    // the tables whose rows were read
  domain::WorldState rows;
  bool clock_read = false;
};

namespace {

// Adds to `reads` the selects of a catch-up after `after`: the changes, and the rows of
// `tables` (the tables the changes are expected to have written), decoding into `c`.
void AddCatchUp(pg::Reads& reads, uint64_t after, uint32_t tables, CatchUp& c) {
  // The number is in the text and the head bounds it, as in the world's selects (pg::Reads::
  // AddSince).
  reads.Add("SELECT seq, deletions, tables FROM changes WHERE seq > " + std::to_string(after) +
                " AND seq <= " + std::string(pg::kSinceHead) + " ORDER BY seq",
            "cannot read the changes", [&c](const PGresult* r, int i) -> Status {
              ++c.changes;
              // NULL: a change of an instance that did not record its tables.
              c.needed |= pg::IsNull(r, i, 2)
                              ? pg::kAllTables
                              : static_cast<uint32_t>(pg::GetInt(r, i, 2)) & pg::kAllTables;
              if (Status st = DecodeDeletions(pg::GetText(r, i, 1), c.deletions); !st.ok()) {
                return Fail("change " + pg::GetText(r, i, 0) + ": " + st.error().message);
              }
              return {};
            });
  pg::AddWorldReads(reads, c.rows, static_cast<int64_t>(after), &c.clock_read, tables);
  c.read |= tables;
}

// Adds to `reads` the rows of the tables the changes wrote that `c` has not read yet; false
// if there are none.
bool AddMissedTables(pg::Reads& reads, uint64_t after, CatchUp& c) {
  const uint32_t missed = c.needed & ~c.read;
  if (missed == 0) return false;
  pg::AddWorldReads(reads, c.rows, static_cast<int64_t>(after), &c.clock_read, missed);
  c.read |= missed;
  return true;
}

}  // namespace

Result<std::unique_ptr<PostgresCluster>> PostgresCluster::Open(const std::string& conninfo) {
  Result<pg::ConnPtr> conn = pg::Connect(conninfo);
  if (!conn.ok()) return Unexpected{conn.error()};
  Result<int> version = pg::Migrate(conn->get(), pg::EmbeddedMigrations());
  if (!version.ok()) return Unexpected{version.error()};
  if (Status st = PrepareAll(conn->get()); !st.ok()) return Unexpected{st.error()};
  bool alone = true;
  if (Status st = JoinCluster(conn->get(), true, &alone); !st.ok()) return Unexpected{st.error()};
  Result<pg::ResultPtr> schema =
      pg::Query(conn->get(), "SELECT current_schema()", "cannot read the schema");
  if (!schema.ok()) return Unexpected{schema.error()};
  std::string channel = "tgi_" + pg::GetText(schema->get(), 0, 0);
  auto cluster = std::unique_ptr<PostgresCluster>(
      new PostgresCluster(conninfo, conn->release(), std::move(channel)));
  cluster->started_alone_ = alone;
  {
    std::lock_guard lock(cluster->listen_mu_);
    if (!cluster->Listen()) return Fail("cannot listen for the cluster's notices");
  }
  return cluster;
}

PostgresCluster::PostgresCluster(std::string conninfo, pg_conn* rounds, std::string channel)
    : conninfo_(std::move(conninfo)),
      rounds_(rounds),
      channel_(std::move(channel)),
      instance_id_(crypto::RandomBase64Url(16)),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  rounds_pid_ = PQbackendPID(rounds_);
  recent_tables_.fill(pg::kAllTables);
}

PostgresCluster::~PostgresCluster() {
  PQfinish(rounds_);
  std::lock_guard lock(listen_mu_);
  if (notices_ != nullptr) PQfinish(notices_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

void PostgresCluster::AbortRound() {
  (void)pg::Exec(rounds_, "ROLLBACK", "cannot roll back");
  if (PQstatus(rounds_) != CONNECTION_OK) rounds_ok_ = false;
}

Status PostgresCluster::EnsureConnected() {
  if (rounds_ok_ && PQstatus(rounds_) == CONNECTION_OK) return {};
  PQreset(rounds_);
  if (PQstatus(rounds_) != CONNECTION_OK) {
    return Fail(pg::ConnErrorText(rounds_, "cannot reconnect to PostgreSQL"));
  }
  if (Status st = PrepareAll(rounds_); !st.ok()) return st;
  if (Status st = JoinCluster(rounds_, false); !st.ok()) return st;
  rounds_ok_ = true;
  rounds_pid_ = PQbackendPID(rounds_);
  return {};
}

Result<domain::WorldState> PostgresCluster::LoadAll(uint64_t* last, int64_t* cluster_now_ms) {
  if (Status st = EnsureConnected(); !st.ok()) return Unexpected{st.error()};
  // One snapshot (REPEATABLE READ) for the head and every table, in one round trip.
  pg::Reads reads;
  reads.Add(kBeginCatchUp, "cannot begin the load", {});
  uint64_t head = 0;
  int64_t now_ms = 0;
  int heads = 0;
  AddHead(reads, &head, &now_ms, &heads);
  domain::WorldState w;
  pg::AddWorldReads(reads, w);
  reads.Add("COMMIT", "cannot end the load", {});
  Status st = reads.Run(rounds_);
  if (st.ok() && heads != 1) st = Fail("cannot begin the load: no cluster head");
  if (!st.ok()) {
    AbortRound();
    return Unexpected{st.error()};
  }
  *last = head;
  if (cluster_now_ms != nullptr) *cluster_now_ms = started_alone_ ? 0 : now_ms;
  return w;
}

Result<domain::ClusterStore::Changes> PostgresCluster::Caught(uint64_t after, CatchUp& c) {
  Changes out;
  out.last = head_;
  others_wrote_ = head_ > after;
  if (head_ <= after) return out;  // what a speculative catch-up read is empty, or not needed
  barrier_needed_ = true;          // what is replayed may not be flushed yet
  replayed_changes_.Observe(static_cast<double>(c.changes));
  recent_tables_[recent_next_++ % recent_tables_.size()] = c.needed;
  out.replay = std::move(c.deletions);
  AppendRecords(c.rows, c.clock_read, out.replay);
  out.replay.shared = std::move(c.rows.shared);
  return out;
}

uint32_t PostgresCluster::Guess() const {
  uint32_t tables = 0;
  for (uint32_t t : recent_tables_) tables |= t;
  return tables;
}

Result<domain::ClusterStore::Changes> PostgresCluster::BeginRound(uint64_t after) {
  if (Status st = EnsureConnected(); !st.ok()) return Unexpected{st.error()};
  round_start_ = std::chrono::steady_clock::now();
  // Named decision: the catch-up's selects go in the same round trip as the lock and the head,
  // before the head is known, when another instance is likely to have written since this one's
  // last look (its last round or catch-up found another's change, or a notice of one came).
  // Two busy instances then each catch up on the other's last round at every round, and a round
  // costs two round trips under the lock (this one and the commit), not three. When no other
  // instance writes (a cluster of one), the selects are not sent: they would find nothing and
  // cost PostgreSQL a parse and plan each; a change missed by the guess is read after the head,
  // in a second round trip.
  const bool speculate = others_wrote_ || others_notified_.exchange(false);
  // Named decision: the tables read with the changes are those the last few catch-ups needed
  // (each change records the tables it wrote): a cluster busy with one kind of request reads one
  // or two tables, not fifteen (each a statement to parse, plan and run under the lock). A table
  // a change wrote that was not guessed is read in one more round trip, still under the lock.
  const uint32_t guess = Guess();
  pg::Reads reads;
  reads.Add("BEGIN", "cannot begin a round", {});
  reads.Add(kLock, "cannot take the cluster's lock", {});
  int heads = 0;
  AddHead(reads, &head_, &head_now_ms_, &heads);
  // Read after the lock is taken (the pipeline's statements run in order, each in a snapshot
  // of its own taken when it starts): so they see every change committed before, and no other
  // instance can commit one until this round ends.
  CatchUp c;
  if (speculate) AddCatchUp(reads, after, guess, c);
  Status st = reads.Run(rounds_);
  if (st.ok() && heads != 1) st = Fail("cannot begin a round: no cluster head");
  if (st.ok() && head_ > after && !speculate) {
    AddCatchUp(reads, after, guess, c);
    st = reads.Run(rounds_);
  }
  if (st.ok() && head_ > after && AddMissedTables(reads, after, c)) st = reads.Run(rounds_);
  if (!st.ok()) {
    AbortRound();
    return Unexpected{st.error()};
  }
  Result<Changes> changes = Caught(after, c);
  if (changes.ok()) changes->last_now_ms = head_now_ms_;
  return changes;
}

Result<uint64_t> PostgresCluster::CommitRound(const domain::Mutation& m, int64_t now_ms) {
  auto end_round = [this](size_t ops) {
    round_ops_.Observe(static_cast<double>(ops));
    round_seconds_.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - round_start_).count());
  };
  if (m.empty()) {
    // Nothing written: the lock goes with the transaction, and no WAL is flushed, unless what
    // the round read may not be durable yet.
    Status st = pg::Exec(rounds_, "COMMIT", "cannot end a round");
    if (st.ok() && barrier_needed_) st = Barrier();
    end_round(0);
    if (!st.ok()) {
      if (PQstatus(rounds_) != CONNECTION_OK) rounds_ok_ = false;
      return Unexpected{st.error()};
    }
    return head_;
  }
  for (const domain::Op& op : m.ops) {
    if (Status st = pg::CheckOp(op); !st.ok()) {
      AbortRound();
      return Fail(st.error().message + " (" + sqlite_internal::DescribeOp(op) + ")");
    }
  }
  const uint64_t seq = head_ + 1;
  const std::string deletions = EncodeDeletions(m);
  pg::Pipeline pipeline(rounds_);
  pg::SendBuffers buffers;
  pg::Params& set_seq = buffers.params.emplace_back();
  set_seq.Int(static_cast<int64_t>(seq));
  // The commit does not wait for the flush (the barrier below does, outside the lock).
  bool queued = pipeline.SendSql("SET LOCAL synchronous_commit TO off") &&
                pipeline.SendPrepared("tgi_round_change_seq", set_seq);
  // The statement of each op, but a run of links goes as one (pg::QueueOps).
  std::vector<size_t> first_ops;
  queued = queued && pg::QueueOps(pipeline, m.ops, buffers, &first_ops).ok();
  uint32_t tables = 0;
  for (const domain::Op& op : m.ops) tables |= pg::TableOf(op);
  for (const domain::SharedEntry& e : m.shared) {
    if (!queued) break;
    pg::Params& p = buffers.params.emplace_back();
    p.Text(e.key);
    p.Bytes(e.value);
    queued = pipeline.SendPrepared("tgi_round_shared", p);
  }
  if (!m.shared.empty()) tables |= pg::kSharedStateTable;
  pg::Params& change = buffers.params.emplace_back();
  change.Int(static_cast<int64_t>(seq));
  change.Text(deletions);
  change.Int(tables);
  pg::Params& head = buffers.params.emplace_back();
  head.Int(static_cast<int64_t>(seq));
  head.Int(now_ms);
  pg::Params& notify = buffers.params.emplace_back();
  notify.Text(channel_);
  notify.Int(static_cast<int64_t>(seq));
  queued = queued && pipeline.SendPrepared("tgi_round_change", change) &&
           pipeline.SendPrepared("tgi_round_head", head) &&
           pipeline.SendPrepared("tgi_round_notify", notify) && pipeline.SendSql("COMMIT");
  if (!queued) {
    // Without COMMIT nothing is committed; the connection is reset before its next use.
    rounds_ok_ = false;
    end_round(m.ops.size());
    return Fail(pg::ConnErrorText(rounds_, "cannot queue a round's statements"));
  }
  pg::Pipeline::Outcome out = pipeline.Run("cannot commit a round");
  end_round(m.ops.size());
  if (out.connection_lost) {
    rounds_ok_ = false;
    return Fail(out.error + " (the connection was lost: the commit may or may not have happened)");
  }
  if (out.failed_index >= 0) {
    AbortRound();
    std::string what = out.error;
    // Statements 0 and 1 set the commit's mode and the change's number; then the ops'.
    const size_t statement = static_cast<size_t>(out.failed_index);
    if (statement >= 2 && statement - 2 < first_ops.size()) {
      const size_t first = first_ops[statement - 2];
      const size_t last =
          statement - 2 + 1 < first_ops.size() ? first_ops[statement - 1] - 1 : m.ops.size() - 1;
      what += " (" + sqlite_internal::DescribeOp(m.ops[first]);
      if (last > first) what += " or one of the " + std::to_string(last - first) + " after it";
      what += ")";
    }
    return Fail(what);
  }
  head_ = seq;
  // Named decision: a round that wrote shared state only (domain::SharedEntry: guards, flood
  // control, faults) does not wait for the flush, unless what it read may not be durable yet;
  // that state may be lost in a crash, as one instance's memory is.
  if (m.ops.empty() && !barrier_needed_) return seq;
  barrier_needed_ = true;
  if (Status st = Barrier(); !st.ok()) {
    return Fail(st.error().message + " (the round was committed; it may or may not be durable)");
  }
  return seq;
}

Status PostgresCluster::Barrier() {
  Status st =
      pg::Exec(rounds_, "BEGIN; SELECT pg_logical_emit_message(true, 'tginvite', ''); COMMIT",
               "cannot wait for the WAL flush");
  if (!st.ok()) {
    AbortRound();
    return st;
  }
  barrier_needed_ = false;
  return {};
}

Result<domain::ClusterStore::Changes> PostgresCluster::ChangesAfter(uint64_t after) {
  if (Status st = EnsureConnected(); !st.ok()) return Unexpected{st.error()};
  // One snapshot (REPEATABLE READ) for the head and the rows, in one round trip: the selects go
  // with the head's, as a caller asks when a change is likely (a notice came). The tables are
  // those the last catch-ups needed, as in a round (BeginRound); the snapshot ends with the
  // round trip, so if the changes wrote another, it is all read again, every table (rare: this
  // is not under the lock, and a round catches up anyway).
  CatchUp c;
  for (uint32_t tables : {Guess(), pg::kAllTables}) {
    c = CatchUp{};
    pg::Reads reads;
    reads.Add(kBeginCatchUp, "cannot begin a catch-up", {});
    int heads = 0;
    AddHead(reads, &head_, &head_now_ms_, &heads);
    AddCatchUp(reads, after, tables, c);
    reads.Add("COMMIT", "cannot end a catch-up", {});
    Status st = reads.Run(rounds_);
    if (st.ok() && heads != 1) st = Fail("cannot read the cluster head: no cluster head");
    if (!st.ok()) {
      AbortRound();
      return Unexpected{st.error()};
    }
    if ((c.needed & ~c.read) == 0) break;
  }
  return Caught(after, c);
}

bool PostgresCluster::Listen() {
  if (notices_ != nullptr) PQfinish(notices_);
  notices_ = nullptr;
  Result<pg::ConnPtr> conn = pg::Connect(conninfo_, "tginvited notices");
  if (!conn.ok()) return false;
  std::string quoted = "\"";
  for (char c : channel_) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  quoted += "\"";
  if (!pg::Exec(conn->get(), "LISTEN " + quoted, "cannot listen").ok()) return false;
  notices_ = conn->release();
  return true;
}

void PostgresCluster::Broadcast(std::string message) {
  {
    std::lock_guard lock(outbox_mu_);
    outbox_.push_back(std::move(message));
  }
  const uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
}

domain::ClusterStore::Notices PostgresCluster::WaitForNotice(std::chrono::milliseconds timeout) {
  Notices out;
  std::lock_guard lock(listen_mu_);
  if (notices_ == nullptr || PQstatus(notices_) != CONNECTION_OK) {
    // Whatever came while there was no connection is lost: say so, so that the caller checks.
    if (!Listen()) {
      poll(nullptr, 0, static_cast<int>(timeout.count()));
      return out;
    }
    out.changed = true;
    return out;
  }
  std::deque<std::string> outbox;
  {
    std::lock_guard olock(outbox_mu_);
    outbox.swap(outbox_);
  }
  for (const std::string& m : outbox) {
    const std::string payload = "m " + m;
    const char* values[] = {channel_.c_str(), payload.c_str()};
    pg::ResultPtr r(PQexecParams(notices_, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr,
                                 nullptr, 0));
    if (r == nullptr || PQresultStatus(r.get()) != PGRES_TUPLES_OK) break;  // best effort
  }
  pollfd fds[2] = {{.fd = PQsocket(notices_), .events = POLLIN, .revents = 0},
                   {.fd = wake_fd_, .events = POLLIN, .revents = 0}};
  const int ready = poll(fds, wake_fd_ >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return out;
  if (fds[1].revents & POLLIN) {
    uint64_t n = 0;
    (void)!read(wake_fd_, &n, sizeof n);
  }
  if (PQconsumeInput(notices_) != 1) {
    PQfinish(notices_);
    notices_ = nullptr;
    out.changed = true;
    return out;
  }
  const int self = PQbackendPID(notices_);
  const int own_rounds = rounds_pid_.load();
  while (PGnotify* n = PQnotifies(notices_)) {
    std::string_view payload = n->extra != nullptr ? n->extra : "";
    if (payload.size() >= 2 && payload[0] == 'm' && n->be_pid != self) {
      out.messages.emplace_back(payload.substr(2));
    } else if (payload.size() >= 2 && payload[0] == 'c' && n->be_pid != own_rounds) {
      out.changed = true;
      others_notified_ = true;
    }
    PQfreemem(n);
  }
  return out;
}

Result<bool> PostgresCluster::RenewDeliveryLease(std::chrono::seconds ttl) {
  std::lock_guard lock(listen_mu_);
  if ((notices_ == nullptr || PQstatus(notices_) != CONNECTION_OK) && !Listen()) {
    return Fail("cannot reach PostgreSQL for the delivery lease");
  }
  const std::string seconds = std::to_string(ttl.count());
  const char* values[] = {instance_id_.c_str(), seconds.c_str()};
  pg::ResultPtr r(PQexecParams(notices_, R"sql(
UPDATE delivery_lease SET
  epoch = CASE WHEN holder = $1 THEN epoch ELSE epoch + 1 END,
  holder = $1,
  expires_at = clock_timestamp() + make_interval(secs => $2::int)
WHERE id = 1 AND (holder = $1 OR expires_at < clock_timestamp())
RETURNING epoch)sql",
                               2, nullptr, values, nullptr, nullptr, 0));
  if (r == nullptr || PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    return Fail(r == nullptr ? pg::ConnErrorText(notices_, "cannot renew the delivery lease")
                             : pg::ErrorText(r.get(), "cannot renew the delivery lease"));
  }
  return PQntuples(r.get()) == 1;
}

void PostgresCluster::ReleaseDeliveryLease() {
  std::lock_guard lock(listen_mu_);
  if (notices_ == nullptr || PQstatus(notices_) != CONNECTION_OK) return;
  const char* values[] = {instance_id_.c_str()};
  pg::ResultPtr r(PQexecParams(
      notices_, "UPDATE delivery_lease SET expires_at = '-infinity' WHERE id = 1 AND holder = $1",
      1, nullptr, values, nullptr, nullptr, 0));
}

void PostgresCluster::WriteMetrics(metrics::TextWriter& out) const {
  out.Family("tginvited_store_round_seconds", "histogram",
             "Time of each round: the cluster's write lock taken to the commit, WAL flush "
             "included.");
  out.HistogramSamples("tginvited_store_round_seconds", {}, round_seconds_);
  out.Family("tginvited_store_round_ops", "histogram", "Ops a round wrote (0: a read-only round).");
  out.HistogramSamples("tginvited_store_round_ops", {}, round_ops_);
  out.Family("tginvited_store_replayed_changes", "histogram",
             "Changes of other instances an instance caught up on at once.");
  out.HistogramSamples("tginvited_store_replayed_changes", {}, replayed_changes_);
}

}  // namespace tgi::store
