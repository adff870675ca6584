#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "common/log.h"
#include "common/thread_name.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_read.h"
#include "store/sqlite/wal_buffer_vfs.h"

namespace tgi::store {

using sqlite_internal::ColumnText;
using sqlite_internal::DbPtr;
using sqlite_internal::ErrorText;
using sqlite_internal::Exec;
using sqlite_internal::Prepare;
using sqlite_internal::ReadWorld;
using sqlite_internal::StepDone;
using sqlite_internal::StmtPtr;

namespace {

constexpr std::string_view kLogComponent = "sqlite_store";

// Writes. Every record op is an upsert on its key; joins and updates are inserted.
constexpr std::string_view kUpsertBot = R"sql(
INSERT INTO bots (id, token_sha256, can_join_groups, can_read_all_group_messages,
                  supports_inline_queries, supports_guest_queries, can_connect_to_business,
                  has_main_web_app, has_topics_enabled, allows_users_to_create_topics,
                  can_manage_bots, logged_out)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT (id) DO UPDATE SET
  token_sha256 = excluded.token_sha256,
  can_join_groups = excluded.can_join_groups,
  can_read_all_group_messages = excluded.can_read_all_group_messages,
  supports_inline_queries = excluded.supports_inline_queries,
  supports_guest_queries = excluded.supports_guest_queries,
  can_connect_to_business = excluded.can_connect_to_business,
  has_main_web_app = excluded.has_main_web_app,
  has_topics_enabled = excluded.has_topics_enabled,
  allows_users_to_create_topics = excluded.allows_users_to_create_topics,
  can_manage_bots = excluded.can_manage_bots,
  logged_out = excluded.logged_out)sql";

constexpr std::string_view kUpsertUser = R"sql(
INSERT INTO users (id, is_bot, first_name, last_name, username, language_code, is_premium)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (id) DO UPDATE SET
  is_bot = excluded.is_bot,
  first_name = excluded.first_name,
  last_name = excluded.last_name,
  username = excluded.username,
  language_code = excluded.language_code,
  is_premium = excluded.is_premium)sql";

constexpr std::string_view kUpsertChat = R"sql(
INSERT INTO chats (id, type, title, username, description, migrated_to, created)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (id) DO UPDATE SET
  type = excluded.type,
  title = excluded.title,
  username = excluded.username,
  description = excluded.description,
  migrated_to = excluded.migrated_to,
  created = excluded.created)sql";

constexpr std::string_view kUpsertMember = R"sql(
INSERT INTO members (chat_id, user_id, status, rights, custom_title, until_date, joined,
                     joined_via)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (chat_id, user_id) DO UPDATE SET
  status = excluded.status,
  rights = excluded.rights,
  custom_title = excluded.custom_title,
  until_date = excluded.until_date,
  joined = excluded.joined,
  joined_via = excluded.joined_via)sql";

// A link's new state is appended as its latest version (migrations/0004_invite_link_versions.sql).
constexpr std::string_view kUpsertLink = R"sql(
INSERT INTO invite_link_versions (hash, chat_id, creator_id, is_primary, is_revoked, name,
                                  expire_date, member_limit, creates_join_request,
                                  subscription_period, subscription_price, created)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12))sql";

constexpr std::string_view kInsertJoin = R"sql(
INSERT INTO joins (chat_id, user_id, link_hash, date, via_join_request)
VALUES (?1, ?2, ?3, ?4, ?5))sql";

constexpr std::string_view kUpsertJoinRequest = R"sql(
INSERT INTO join_requests (chat_id, user_id, link_hash, date, bio, state, decided)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (chat_id, user_id) DO UPDATE SET
  link_hash = excluded.link_hash,
  date = excluded.date,
  bio = excluded.bio,
  state = excluded.state,
  decided = excluded.decided)sql";

// The trigger clock_never_goes_back refuses a smaller offset.
constexpr std::string_view kUpsertClock = R"sql(
INSERT INTO clock (id, offset) VALUES (1, ?1)
ON CONFLICT (id) DO UPDATE SET offset = excluded.offset)sql";

constexpr std::string_view kUpsertBotSettings = R"sql(
INSERT INTO bot_update_settings (bot_id, allowed_updates, next_update_id, webhook_url,
                                 webhook_secret, max_connections, webhook_ip_address)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (bot_id) DO UPDATE SET
  allowed_updates = excluded.allowed_updates,
  next_update_id = excluded.next_update_id,
  webhook_url = excluded.webhook_url,
  webhook_secret = excluded.webhook_secret,
  max_connections = excluded.max_connections,
  webhook_ip_address = excluded.webhook_ip_address)sql";

// A plain insert: an update id is never reused, so a duplicate fails the mutation.
constexpr std::string_view kInsertUpdate = R"sql(
INSERT INTO updates (bot_id, update_id, date, type, chat_id, json)
VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql";

constexpr std::string_view kDropUpdates = R"sql(
DELETE FROM updates WHERE bot_id = ?1 AND update_id < ?2)sql";

// Binding helpers. Strings and blobs are bound SQLITE_STATIC: the op outlives the step.
void BindText(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
void BindInt(sqlite3_stmt* s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }
void BindBool(sqlite3_stmt* s, int i, bool v) { sqlite3_bind_int(s, i, v ? 1 : 0); }

// What an op is about, for error messages: ids only.
std::string Describe(const domain::Op& op) {
  return std::visit(
      [](const auto& r) -> std::string {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, domain::Bot>) {
          return "bot " + std::to_string(r.id.value);
        } else if constexpr (std::is_same_v<T, domain::User>) {
          return "user " + std::to_string(r.id.value);
        } else if constexpr (std::is_same_v<T, domain::Chat>) {
          return "chat " + std::to_string(r.id.value);
        } else if constexpr (std::is_same_v<T, domain::Member>) {
          return "member " + std::to_string(r.user.value) + " of chat " +
                 std::to_string(r.chat.value);
        } else if constexpr (std::is_same_v<T, domain::InviteLink>) {
          return "invite link of chat " + std::to_string(r.chat.value) + " by user " +
                 std::to_string(r.creator.value);
        } else if constexpr (std::is_same_v<T, domain::Join>) {
          return "join of user " + std::to_string(r.user.value) + " to chat " +
                 std::to_string(r.chat.value);
        } else if constexpr (std::is_same_v<T, domain::JoinRequest>) {
          return "join request of user " + std::to_string(r.user.value) + " to chat " +
                 std::to_string(r.chat.value);
        } else if constexpr (std::is_same_v<T, domain::ClockState>) {
          return "clock";
        } else if constexpr (std::is_same_v<T, domain::BotUpdateSettings>) {
          return "update settings of bot " + std::to_string(r.bot.value);
        } else if constexpr (std::is_same_v<T, domain::Update>) {
          return "update " + std::to_string(r.id) + " of bot " + std::to_string(r.bot.value);
        } else {
          static_assert(std::is_same_v<T, domain::DropUpdates>);
          return "updates of bot " + std::to_string(r.bot.value) + " below " +
                 std::to_string(r.below_id);
        }
      },
      op);
}

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

// The writer connection's cached statements.
struct SqliteStore::Statements {
  StmtPtr begin, commit, rollback, savepoint, release, rollback_to;
  StmtPtr bot, user, chat, member, link, join;
  StmtPtr join_request, clock, bot_settings, update, drop_updates;

  static Result<std::unique_ptr<Statements>> Prepare(sqlite3* db) {
    auto s = std::make_unique<Statements>();
    struct Item {
      StmtPtr* slot;
      std::string_view sql;
    } items[] = {
        {&s->begin, "BEGIN IMMEDIATE"},
        {&s->commit, "COMMIT"},
        {&s->rollback, "ROLLBACK"},
        {&s->savepoint, "SAVEPOINT mutation"},
        {&s->release, "RELEASE mutation"},
        {&s->rollback_to, "ROLLBACK TO mutation"},
        {&s->bot, kUpsertBot},
        {&s->user, kUpsertUser},
        {&s->chat, kUpsertChat},
        {&s->member, kUpsertMember},
        {&s->link, kUpsertLink},
        {&s->join, kInsertJoin},
        {&s->join_request, kUpsertJoinRequest},
        {&s->clock, kUpsertClock},
        {&s->bot_settings, kUpsertBotSettings},
        {&s->update, kInsertUpdate},
        {&s->drop_updates, kDropUpdates},
    };
    for (Item& item : items) {
      auto stmt = sqlite_internal::Prepare(db, item.sql, /*persistent=*/true);
      if (!stmt.ok()) return Unexpected{stmt.error()};
      *item.slot = std::move(*stmt);
    }
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
  const int err = options_.sync_for_testing   ? options_.sync_for_testing(wal_fd_)
                  : ::fdatasync(wal_fd_) == 0 ? 0
                                              : errno;
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
      if (!ApplyOp(op).ok()) return give_up();
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
    if (Status st = ApplyOp(m.ops[i]); !st.ok()) {
      Status result =
          Fail("op " + std::to_string(i) + " (" + Describe(m.ops[i]) + "): " + st.error().message);
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

Status SqliteStore::ApplyOp(const domain::Op& op) {
  return std::visit(
      [&](const auto& r) -> Status {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, domain::Bot>) {
          sqlite3_stmt* s = stmts_->bot.get();
          BindInt(s, 1, r.id.value);
          sqlite3_bind_blob(s, 2, r.token_sha256.data(), static_cast<int>(r.token_sha256.size()),
                            SQLITE_STATIC);
          BindBool(s, 3, r.can_join_groups);
          BindBool(s, 4, r.can_read_all_group_messages);
          BindBool(s, 5, r.supports_inline_queries);
          BindBool(s, 6, r.supports_guest_queries);
          BindBool(s, 7, r.can_connect_to_business);
          BindBool(s, 8, r.has_main_web_app);
          BindBool(s, 9, r.has_topics_enabled);
          BindBool(s, 10, r.allows_users_to_create_topics);
          BindBool(s, 11, r.can_manage_bots);
          BindBool(s, 12, r.logged_out);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::User>) {
          sqlite3_stmt* s = stmts_->user.get();
          BindInt(s, 1, r.id.value);
          BindBool(s, 2, r.is_bot);
          BindText(s, 3, r.first_name);
          BindText(s, 4, r.last_name);
          BindText(s, 5, r.username);
          BindText(s, 6, r.language_code);
          BindBool(s, 7, r.is_premium);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Chat>) {
          sqlite3_stmt* s = stmts_->chat.get();
          BindInt(s, 1, r.id.value);
          sqlite3_bind_text(s, 2, domain::ChatTypeName(r.type), -1, SQLITE_STATIC);
          BindText(s, 3, r.title);
          BindText(s, 4, r.username);
          BindText(s, 5, r.description);
          if (r.migrated_to) {
            BindInt(s, 6, r.migrated_to->value);
          } else {
            sqlite3_bind_null(s, 6);
          }
          BindInt(s, 7, r.created);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Member>) {
          sqlite3_stmt* s = stmts_->member.get();
          BindInt(s, 1, r.chat.value);
          BindInt(s, 2, r.user.value);
          sqlite3_bind_text(s, 3, domain::MemberStatusName(r.status), -1, SQLITE_STATIC);
          BindInt(s, 4, static_cast<int64_t>(r.rights.bits));
          BindText(s, 5, r.custom_title);
          BindInt(s, 6, r.until_date);
          BindInt(s, 7, r.joined);
          BindText(s, 8, r.joined_via);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::InviteLink>) {
          sqlite3_stmt* s = stmts_->link.get();
          BindText(s, 1, r.hash);
          BindInt(s, 2, r.chat.value);
          BindInt(s, 3, r.creator.value);
          BindBool(s, 4, r.is_primary);
          BindBool(s, 5, r.is_revoked);
          BindText(s, 6, r.name);
          BindInt(s, 7, r.expire_date);
          BindInt(s, 8, r.member_limit);
          BindBool(s, 9, r.creates_join_request);
          BindInt(s, 10, r.subscription_period);
          BindInt(s, 11, r.subscription_price);
          BindInt(s, 12, r.created);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Join>) {
          sqlite3_stmt* s = stmts_->join.get();
          BindInt(s, 1, r.chat.value);
          BindInt(s, 2, r.user.value);
          BindText(s, 3, r.link_hash);
          BindInt(s, 4, r.date);
          BindBool(s, 5, r.via_join_request);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::JoinRequest>) {
          sqlite3_stmt* s = stmts_->join_request.get();
          BindInt(s, 1, r.chat.value);
          BindInt(s, 2, r.user.value);
          BindText(s, 3, r.link_hash);
          BindInt(s, 4, r.date);
          BindText(s, 5, r.bio);
          sqlite3_bind_text(s, 6, domain::JoinRequestStateName(r.state), -1, SQLITE_STATIC);
          BindInt(s, 7, r.decided);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::ClockState>) {
          sqlite3_stmt* s = stmts_->clock.get();
          BindInt(s, 1, r.offset);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::BotUpdateSettings>) {
          sqlite3_stmt* s = stmts_->bot_settings.get();
          BindInt(s, 1, r.bot.value);
          BindInt(s, 2, static_cast<int64_t>(r.allowed_updates));
          BindInt(s, 3, r.next_update_id);
          BindText(s, 4, r.webhook_url);
          BindText(s, 5, r.webhook_secret);
          BindInt(s, 6, r.max_connections);
          BindText(s, 7, r.webhook_ip_address);
          return StepDone(db_, s, "cannot write");
        } else if constexpr (std::is_same_v<T, domain::Update>) {
          sqlite3_stmt* s = stmts_->update.get();
          BindInt(s, 1, r.bot.value);
          BindInt(s, 2, r.id);
          BindInt(s, 3, r.date);
          BindInt(s, 4, static_cast<int64_t>(r.type));
          BindInt(s, 5, r.chat.value);
          BindText(s, 6, r.json);
          return StepDone(db_, s, "cannot write");
        } else {
          static_assert(std::is_same_v<T, domain::DropUpdates>);
          sqlite3_stmt* s = stmts_->drop_updates.get();
          BindInt(s, 1, r.bot.value);
          BindInt(s, 2, r.below_id);
          return StepDone(db_, s, "cannot write");
        }
      },
      op);
}

}  // namespace tgi::store
