// Group-commit throughput of SqliteStore: N submitter threads rotate the primary invite link of
// random chats (revoke the active one, insert a new one: one mutation of two upserts), each
// keeping up to `window` rotations in flight, as a server with many concurrent requests would.
// Prints rotations/s and commits/s.
//
//   sqlite_store_bench [--dir DIR] [--threads N] [--seconds S] [--window W] [--max-batch B]
//                      [--chats C] [--sync-in-commit 0|1] [--gather-wal-writes 0|1]
// --sync-in-commit 1 makes each COMMIT sync on the writer (synchronous=FULL) instead of the
// store's sync thread; --gather-wal-writes 0 lets SQLite write each WAL frame itself (two
// pwrite calls per page) instead of one pwrite per commit. Both for comparison.
// The database is created in DIR (default /tmp; use a directory on the disk you care about) and
// deleted at the end.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using tgi::ChatId;
using tgi::Status;
using tgi::UserId;
using tgi::domain::InviteLink;
using tgi::domain::Mutation;
using tgi::store::SqliteStore;

struct Config {
  std::string dir = "/tmp";
  int threads = 4;
  double seconds = 5;
  int window = 64;
  size_t max_batch = 256;
  int chats = 10000;
  bool sync_in_commit = false;
  bool gather_wal_writes = true;
};

constexpr int64_t kFirstChat = -1000000000001;
constexpr int64_t kCreator = 1;

InviteLink PrimaryLink(int chat_index) {
  InviteLink l;
  l.hash = tgi::crypto::RandomBase64Url(16);
  l.chat = ChatId(kFirstChat - chat_index);
  l.creator = UserId(kCreator);
  l.is_primary = true;
  l.created = 1700000000;
  return l;
}

bool ParseArgs(int argc, char** argv, Config& c) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* v = argv[i + 1];
    if (flag == "--dir") {
      c.dir = v;
    } else if (flag == "--threads") {
      c.threads = std::atoi(v);
    } else if (flag == "--seconds") {
      c.seconds = std::atof(v);
    } else if (flag == "--window") {
      c.window = std::atoi(v);
    } else if (flag == "--max-batch") {
      c.max_batch = static_cast<size_t>(std::atol(v));
    } else if (flag == "--chats") {
      c.chats = std::atoi(v);
    } else if (flag == "--sync-in-commit") {
      c.sync_in_commit = std::atoi(v) != 0;
    } else if (flag == "--gather-wal-writes") {
      c.gather_wal_writes = std::atoi(v) != 0;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && c.threads > 0 && c.window > 0 && c.chats >= c.threads && c.seconds > 0 &&
         c.max_batch > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  if (!ParseArgs(argc, argv, cfg)) {
    std::fprintf(stderr,
                 "usage: %s [--dir DIR] [--threads N] [--seconds S] [--window W] "
                 "[--max-batch B] [--chats C] [--sync-in-commit 0|1] [--gather-wal-writes 0|1]\n",
                 argv[0]);
    return 2;
  }
  const std::string path = cfg.dir + "/sqlite_store_bench." + std::to_string(getpid()) + ".db";
  auto remove_files = [&path] {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  };
  remove_files();
  auto opened = SqliteStore::Open({.path = path,
                                   .max_batch = cfg.max_batch,
                                   .sync_in_commit = cfg.sync_in_commit,
                                   .gather_wal_writes = cfg.gather_wal_writes});
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  std::unique_ptr<SqliteStore> store = std::move(*opened);

  // Seed: every chat gets an active primary link.
  std::vector<InviteLink> current;
  current.reserve(cfg.chats);
  std::atomic<int> seed_failed{0};
  for (int i = 0; i < cfg.chats; ++i) {
    current.push_back(PrimaryLink(i));
    store->Submit(Mutation{.ops = {current.back()}},
                  [&seed_failed](Status st) { seed_failed.fetch_add(st.ok() ? 0 : 1); });
  }
  store->Flush();
  if (seed_failed.load() != 0) {
    std::fprintf(stderr, "seeding failed\n");
    return 1;
  }

  // Thread t rotates chats t, t+N, t+2N, ...: a chat's rotations come from one thread, in order.
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> rotated{0};
  std::atomic<uint64_t> failed{0};
  std::vector<std::unique_ptr<std::counting_semaphore<>>> slots;
  for (int t = 0; t < cfg.threads; ++t) {
    slots.push_back(std::make_unique<std::counting_semaphore<>>(cfg.window));
  }
  const size_t commits_before = store->commits_for_testing();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < cfg.threads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(12345 + t);
      const int mine = (cfg.chats - t + cfg.threads - 1) / cfg.threads;
      std::uniform_int_distribution<int> pick(0, mine - 1);
      std::counting_semaphore<>& slot = *slots[t];
      while (!stop.load(std::memory_order_relaxed)) {
        slot.acquire();
        const int chat = t + pick(rng) * cfg.threads;
        InviteLink old_link = current[chat];
        old_link.is_revoked = true;
        current[chat] = PrimaryLink(chat);
        store->Submit(Mutation{.ops = {old_link, current[chat]}},
                      [&rotated, &failed, &slot](Status st) {
                        (st.ok() ? rotated : failed).fetch_add(1, std::memory_order_relaxed);
                        slot.release();
                      });
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(cfg.seconds));
  stop.store(true);
  for (auto& th : threads) th.join();
  store->Flush();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const size_t commits = store->commits_for_testing() - commits_before;
  store.reset();
  remove_files();

  const uint64_t ok = rotated.load();
  std::printf(
      "sync=%s gather=%d threads=%d window=%d max_batch=%zu chats=%d seconds=%.2f rotations=%llu "
      "failed=%llu rotations/s=%.0f commits/s=%.0f rotations/commit=%.1f\n",
      cfg.sync_in_commit ? "in-commit" : "thread", cfg.gather_wal_writes ? 1 : 0, cfg.threads,
      cfg.window, cfg.max_batch, cfg.chats, elapsed, static_cast<unsigned long long>(ok),
      static_cast<unsigned long long>(failed.load()), ok / elapsed, commits / elapsed,
      commits ? static_cast<double>(ok) / commits : 0.0);
  return failed.load() == 0 ? 0 : 1;
}
