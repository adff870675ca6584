// What only the SQLite store promises beyond the contract (store_contract_test.cc): the data is
// on disk, mutations are committed in groups, the WAL is synced before an answer and kept
// bounded, and an acknowledged mutation survives the process being killed. The schema and its
// migrations are tested in sqlite_schema_test.cc.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_test_util.h"
#include "store/store_test_util.h"

namespace tgi::store {
namespace {

using domain::BotUpdateSettings;
using domain::CallbackQuery;
using domain::ClockState;
using domain::DropUpdates;
using domain::InviteLink;
using domain::Join;
using domain::JoinRequest;
using domain::JoinRequestState;
using domain::Message;
using domain::MessageFlag;
using domain::MessageKind;
using domain::Mutation;
using domain::PrivateChat;
using domain::Update;
using domain::UpdateType;
using testing::Dump;
using testing::LoadDump;
using testing::MakeBotSettings;
using testing::MakeCallbackQuery;
using testing::MakeChat;
using testing::MakeJoin;
using testing::MakeJoinRequest;
using testing::MakeMessage;
using testing::MakePrimary;
using testing::MakePrivateChat;
using testing::MakeProfileEntry;
using testing::MakeUpdate;
using testing::MakeUser;
using testing::MustOpen;
using testing::Mut;
using testing::Query;
using testing::Revoked;
using testing::SubmitAndWait;
using testing::TempDir;
using testing::WriteLockHolder;
using text::Entity;
using text::EntityType;

TEST(SqliteStoreTest, DataSurvivesCloseAndReopen) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::string written;
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    domain::Chat chat = MakeChat(-100);
    chat.username = "kept";
    ASSERT_TRUE(
        SubmitAndWait(*store, Mut({MakeUser(1), chat, MakePrimary("keptkeptkeptkept", -100, 1)}))
            .ok());
    written = LoadDump(*store);
  }
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(LoadDump(*store), written);
  // The constraints came back with the data.
  EXPECT_FALSE(SubmitAndWait(*store, Mut({MakePrimary("another000000000", -100, 1)})).ok());
}

TEST(SqliteStoreTest, NewRecordTypesSurviveCloseAndReopen) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  JoinRequest pending = MakeJoinRequest(-100, 2, 1700000000, "requestsrequests");
  pending.bio = "bio ✓";
  JoinRequest declined = MakeJoinRequest(-100, 3);
  declined.state = JoinRequestState::kDeclined;
  declined.decided = 1700000050;
  Join approved = MakeJoin(-100, 4, "requestsrequests", 1700000060);
  approved.via_join_request = true;
  BotUpdateSettings settings = MakeBotSettings(1);
  settings.next_update_id = 4;
  settings.webhook_url = "https://example.com/hook";
  settings.webhook_secret = "secret";
  settings.max_connections = 100;
  settings.webhook_ip_address = "198.51.100.1";
  Update join_request = MakeUpdate(1, 3, -100);
  join_request.type = UpdateType::kChatJoinRequest;
  std::string written;
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(SubmitAndWait(
                    *store, Mut({pending, declined, approved, settings, ClockState{.offset = 7200},
                                 MakeUpdate(1, 1, -100), MakeUpdate(1, 2, -100), join_request}))
                    .ok());
    ASSERT_TRUE(SubmitAndWait(*store, Mut({DropUpdates{.bot = UserId(1), .below_id = 2}})).ok());
    written = LoadDump(*store);
  }
  EXPECT_EQ(written, Dump(approved) + Dump(pending) + Dump(declined) +
                         Dump(ClockState{.offset = 7200}) + Dump(settings) +
                         Dump(MakeUpdate(1, 2, -100)) + Dump(join_request));
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(LoadDump(*store), written);
  // The constraints came back with the data: the clock does not go back, ids are not reused.
  EXPECT_FALSE(SubmitAndWait(*store, Mut({ClockState{.offset = 7199}})).ok());
  EXPECT_FALSE(SubmitAndWait(*store, Mut({MakeUpdate(1, 3, -100)})).ok());
  EXPECT_EQ(LoadDump(*store), written);
}

void CommitOneByOne(SqliteStore& store, int n) {
  for (int i = 1; i <= n; ++i) ASSERT_TRUE(SubmitAndWait(store, Mut({MakeUser(i)})).ok());
}

TEST(SqliteStoreTest, TheCheckpointThreadCopiesTheWalIntoTheDatabase) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    // Only the checkpoint thread checkpoints (the writer's bound is out of reach).
    auto store = SqliteStore::Open(
        {.path = path, .checkpoint_frames = 20, .checkpoint_frames_max = 1'000'000});
    ASSERT_TRUE(store.ok()) << store.error().message;
    CommitOneByOne(**store, 300);
    EXPECT_GT((*store)->background_checkpoints_for_testing(), 0u);
    EXPECT_EQ((*store)->writer_checkpoints_for_testing(), 0u);
  }
  EXPECT_EQ(Query(path, "SELECT count(*) FROM users"), "300");
}

TEST(SqliteStoreTest, TheWriterBoundsTheWalWhenTheCheckpointThreadDoesNot) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    // The checkpoint thread is never woken; SQLite's own checkpoint is off: only the writer's
    // bound keeps the WAL from growing with every commit.
    auto store = SqliteStore::Open(
        {.path = path, .checkpoint_frames = 1'000'000, .checkpoint_frames_max = 100});
    ASSERT_TRUE(store.ok()) << store.error().message;
    CommitOneByOne(**store, 600);
    EXPECT_EQ((*store)->background_checkpoints_for_testing(), 0u);
    EXPECT_GT((*store)->writer_checkpoints_for_testing(), 0u);
    // 600 commits write well over 1,000 frames of 1 KiB; the WAL is reused from its start after
    // each writer checkpoint, so it stays near 100 frames (plus one commit's).
    const auto wal_bytes = std::filesystem::file_size(path + "-wal");
    EXPECT_LT(wal_bytes, 300u * 1024u) << wal_bytes;
  }
  EXPECT_EQ(Query(path, "SELECT count(*) FROM users"), "600");
}

TEST(SqliteStoreTest, GroupCommitBatchesConcurrentSubmits) {
  TempDir dir;
  auto store = MustOpen(dir.File("store.db"));
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 125;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  const size_t commits_before = store->commits_for_testing();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int64_t chat = -1 - (t * kPerThread + i);
        store->Submit(Mut({MakePrimary("link" + std::to_string(-chat), chat, 1)}),
                      [&](Status st) { (st.ok() ? ok : failed).fetch_add(1); });
      }
    });
  }
  for (auto& t : threads) t.join();
  store->Flush();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(failed.load(), 0);
  const size_t commits = store->commits_for_testing() - commits_before;
  EXPECT_GE(commits, 1u);
  EXPECT_LE(commits, size_t{kThreads * kPerThread / 4}) << "group commit did not batch";
  std::cout << "[ info ] " << kThreads * kPerThread << " mutations in " << commits << " commits\n";
  Result<domain::WorldState> w = store->Load();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->links.size(), size_t{kThreads * kPerThread});
}

TEST(SqliteStoreTest, MaxBatchBoundsATransaction) {
  TempDir dir;
  auto store = MustOpen(dir.File("store.db"), /*max_batch=*/1);
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 20; ++i) store->Submit(Mut({MakeUser(1 + i)}), nullptr);
  store->Flush();
  EXPECT_EQ(store->commits_for_testing(), 20u);
}

TEST(SqliteStoreTest, FailingMutationInABatchFailsAlone) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::vector<Status> results(9);
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(SubmitAndWait(*store, Mut({MakePrimary("existing00000000", -1, 1)})).ok());
    // Hold the writer: another connection takes the write lock, so the writer's next BEGIN
    // waits (busy timeout) with the first mutation, and the nine queue up behind it.
    WriteLockHolder holder(path);
    ASSERT_TRUE(holder.locked());
    const size_t commits_before = store->commits_for_testing();
    store->Submit(Mut({MakeUser(9)}), nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int i = 0; i < 9; ++i) {
      Mutation m = Mut({MakeUser(10 + i)});
      if (i == 4) m.ops.push_back(MakePrimary("duplicate0000000", -1, 1));  // breaks the index
      store->Submit(std::move(m), [&results, i](Status st) { results[i] = st; });
    }
    holder.Release();
    store->Flush();
    // The first mutation alone, then the nine together (or all ten at once).
    EXPECT_LE(store->commits_for_testing() - commits_before, 2u);
  }
  for (int i = 0; i < 9; ++i) EXPECT_EQ(results[i].ok(), i != 4) << i;
  EXPECT_NE(results[4].error().message.find("UNIQUE"), std::string::npos)
      << results[4].error().message;
  // The error names ids only.
  EXPECT_EQ(results[4].error().message.find("duplicate0000000"), std::string::npos);

  auto store = MustOpen(path);  // reopened: what was acknowledged is on disk
  ASSERT_NE(store, nullptr);
  std::string want;
  want += Dump(MakeUser(9));
  for (int i = 0; i < 9; ++i) {
    if (i != 4) want += Dump(MakeUser(10 + i));
  }
  want += Dump(MakePrimary("existing00000000", -1, 1));
  EXPECT_EQ(LoadDump(*store), want);
}

TEST(SqliteStoreTest, DestructorDrainsTheQueue) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::atomic<int> ok{0};
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 500; ++i) {
      store->Submit(Mut({MakeUser(1 + i)}), [&ok](Status st) { ok.fetch_add(st.ok() ? 1 : 0); });
    }
  }
  EXPECT_EQ(ok.load(), 500);
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  Result<domain::WorldState> w = store->Load();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->users.size(), 500u);
}

TEST(SqliteStoreTest, LoadSeesCommittedDataWhileWriting) {
  TempDir dir;
  auto store = MustOpen(dir.File("store.db"));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(SubmitAndWait(*store, Mut({MakeUser(1)})).ok());
  for (int i = 0; i < 200; ++i) store->Submit(Mut({MakeUser(2 + i)}), nullptr);
  Result<domain::WorldState> w = store->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_GE(w->users.size(), 1u);
  store->Flush();
}

// Waits (up to 10 s) for `done` to hold; returns whether it did.
template <typename F>
bool WaitUntil(F done) {
  for (int i = 0; i < 10000 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return done();
}

int RealSync(int fd) { return fdatasync(fd) == 0 ? 0 : errno; }

// The sync thread: a callback runs only after an fdatasync of the WAL that started after its
// commit; while one sync runs, the writer goes on committing, and the next sync covers every
// batch committed meanwhile.
TEST(SqliteStoreTest, CallbacksWaitForTheWalSyncWhileTheWriterGoesOn) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::mutex mu;
  std::condition_variable cv;
  bool gate_open = false;
  int sync_calls = 0;
  ino_t synced_inode = 0;
  SqliteOptions options{.path = path};
  options.sync_for_testing = [&](int fd) {
    struct stat st {};
    EXPECT_EQ(fstat(fd, &st), 0);
    std::unique_lock lock(mu);
    synced_inode = st.st_ino;
    ++sync_calls;
    cv.notify_all();
    cv.wait(lock, [&] { return gate_open; });
    return RealSync(fd);
  };
  auto opened = SqliteStore::Open(std::move(options));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  SqliteStore& store = **opened;

  std::vector<int64_t> acknowledged;  // written by the sync thread only until Flush
  auto record = [&acknowledged](int64_t id) {
    return [&acknowledged, id](Status st) {
      EXPECT_TRUE(st.ok()) << st.error().message;
      acknowledged.push_back(id);
    };
  };
  const size_t commits_before = store.commits_for_testing();
  store.Submit(Mut({MakeUser(1)}), record(1));
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return sync_calls == 1; }));
  }
  // The first sync is held. Three more mutations are committed one by one meanwhile.
  for (int i = 0; i < 3; ++i) {
    store.Submit(Mut({MakeUser(2 + i)}), record(2 + i));
    ASSERT_TRUE(WaitUntil([&] { return store.commits_for_testing() == commits_before + 2 + i; }));
  }
  EXPECT_EQ(Query(path, "SELECT count(*) FROM users"), "4");  // committed: visible to others
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(sync_calls, 1);
    gate_open = true;
  }
  cv.notify_all();
  store.Flush();
  EXPECT_EQ(acknowledged, (std::vector<int64_t>{1, 2, 3, 4}));
  // One sync for the first batch, one for the three committed while it ran.
  EXPECT_EQ(store.syncs_for_testing(), 2u);
  EXPECT_EQ(sync_calls, 2);
  struct stat wal {};
  ASSERT_EQ(stat((path + "-wal").c_str(), &wal), 0);
  EXPECT_EQ(synced_inode, wal.st_ino) << "the descriptor synced is not the WAL";
}

TEST(SqliteStoreTest, AFailedSyncFailsItsMutationsAndEveryLaterOne) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::atomic<int> calls{0};
  SqliteOptions options{.path = path};
  options.sync_for_testing = [&calls](int fd) { return ++calls == 2 ? EIO : RealSync(fd); };
  auto opened = SqliteStore::Open(std::move(options));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  SqliteStore& store = **opened;

  EXPECT_TRUE(SubmitAndWait(store, Mut({MakeUser(1)})).ok());
  Status failed = SubmitAndWait(store, Mut({MakeUser(2)}));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("cannot sync the write-ahead log"), std::string::npos)
      << failed.error().message;
  EXPECT_NE(failed.error().message.find(std::strerror(EIO)), std::string::npos);
  // The next sync would work, but nothing can be promised any more: not even tried.
  Status later = SubmitAndWait(store, Mut({MakeUser(3)}));
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().message, failed.error().message);
  EXPECT_EQ(calls.load(), 2);
  // A mutation that fails on its own still gets its own error.
  Status duplicate = SubmitAndWait(
      store, Mut({MakePrimary("aaaaaaaaaaaaaaaa", -1, 1), MakePrimary("bbbbbbbbbbbbbbbb", -1, 1)}));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.error().message.find("UNIQUE"), std::string::npos)
      << duplicate.error().message;
}

TEST(SqliteStoreTest, TheWriterGathersEachCommitsWalWrites) {
  TempDir dir;
  auto store = MustOpen(dir.File("store.db"));
  ASSERT_NE(store, nullptr);
  const uint64_t writes_before = store->wal_writes_for_testing();
  const uint64_t pwrites_before = store->wal_pwrites_for_testing();
  const size_t commits_before = store->commits_for_testing();
  for (int i = 0; i < 200; ++i) {
    const int64_t chat = -1 - i;
    // Appended rather than "g" + std::to_string(i): GCC 12 at -O3 warns falsely (-Wrestrict) on
    // operator+ of a literal and a temporary string here.
    std::string hash = "g";
    hash += std::to_string(i);
    store->Submit(Mut({MakeChat(chat), MakePrimary(hash, chat, 1)}), nullptr);
  }
  store->Flush();
  const uint64_t writes = store->wal_writes_for_testing() - writes_before;
  const uint64_t pwrites = store->wal_pwrites_for_testing() - pwrites_before;
  const size_t commits = store->commits_for_testing() - commits_before;
  EXPECT_GT(writes, 4 * commits);  // at least two pages of two writes each per commit
  // One pwrite per commit, or one per 64 KiB of it (about 62 pages).
  EXPECT_GE(pwrites, commits);
  EXPECT_LE(pwrites, commits + writes / 2 / 62) << writes << " writes";
  EXPECT_LT(pwrites * 10, writes);
  Result<domain::WorldState> w = store->Load();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->links.size(), 200u);
}

TEST(SqliteStoreTest, SyncInCommitSyncsOnTheWriter) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  std::atomic<int> calls{0};
  {
    SqliteOptions options{.path = path, .sync_in_commit = true};
    options.sync_for_testing = [&calls](int fd) { return ++calls, RealSync(fd); };
    auto opened = SqliteStore::Open(std::move(options));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    for (int i = 0; i < 50; ++i) (*opened)->Submit(Mut({MakeUser(1 + i)}), nullptr);
    EXPECT_TRUE(SubmitAndWait(**opened, Mut({MakeUser(100)})).ok());
    EXPECT_EQ((*opened)->syncs_for_testing(), 0u);
  }
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM users"), "51");
}

// A child process opens the store, submits, waits for the callbacks, reports "done" and goes on
// submitting; the parent kills it with SIGKILL and checks that every acknowledged row is there.
TEST(SqliteStoreTest, AcknowledgedMutationsSurviveSigkill) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  constexpr int kAcknowledged = 300;
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    auto opened = SqliteStore::Open({.path = path});
    if (!opened.ok()) _exit(2);
    SqliteStore& store = **opened;
    std::atomic<int> ok{0};
    for (int i = 0; i < kAcknowledged; ++i) {
      const int64_t chat = -1 - i;
      store.Submit(Mut({MakeUser(1 + i), MakeChat(chat),
                        MakePrimary(std::string(1, 'p').append(std::to_string(i)), chat, 1 + i)}),
                   [&ok](Status st) { ok.fetch_add(st.ok() ? 1 : 0); });
    }
    store.Flush();
    if (ok.load() != kAcknowledged) _exit(3);
    if (write(pipe_fds[1], "done", 4) != 4) _exit(4);
    // Keep the writer busy so that the kill lands mid-transaction.
    for (int i = kAcknowledged;; ++i) {
      store.Submit(Mut({MakeUser(1 + i)}), nullptr);
      if (i % 64 == 0) store.Flush();
    }
  }
  close(pipe_fds[1]);
  char buf[4] = {};
  ssize_t got = read(pipe_fds[0], buf, sizeof buf);
  close(pipe_fds[0]);
  kill(child, SIGKILL);
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_EQ(got, 4) << "child exited with " << WEXITSTATUS(wstatus);
  ASSERT_TRUE(WIFSIGNALED(wstatus));

  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok");
  Result<domain::WorldState> w = store->Load();
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_GE(w->users.size(), size_t{kAcknowledged});
  // Committed in submission order: the users present are exactly 1..N.
  for (size_t i = 0; i < w->users.size(); ++i) {
    ASSERT_EQ(w->users[i].id.value, static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(w->chats.size(), size_t{kAcknowledged});
  EXPECT_EQ(w->links.size(), size_t{kAcknowledged});
}

}  // namespace
}  // namespace tgi::store
