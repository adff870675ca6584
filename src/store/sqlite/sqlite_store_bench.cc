// Group-commit throughput of SqliteStore: N submitter threads each keep up to `window`
// mutations in flight, as a server with many concurrent requests would, on random chats of
// `chats`. Two kinds of mutation (--op):
//   link     (default) rotate a chat's primary invite link: revoke the active one, insert a new
//            one (one mutation of two upserts). Prints rotations/s and commits/s.
//   message  send a new text message to a chat: about 100 bytes of text with two entities (bold,
//            text_link), an inline keyboard of about 120 bytes and its two callback_data (one
//            mutation of one message version). Prints messages/s and commits/s.
//
//   sqlite_store_bench [--op link|message] [--dir DIR] [--threads N] [--seconds S] [--window W]
//                      [--max-batch B] [--chats C] [--sync-in-commit 0|1]
//                      [--gather-wal-writes 0|1]
// --sync-in-commit 1 makes each COMMIT sync on the writer (synchronous=FULL) instead of the
// store's sync thread; --gather-wal-writes 0 lets SQLite write each WAL frame itself (two
// pwrite calls per page) instead of one pwrite per commit. Both for comparison.
// The database is created in DIR (default /tmp; use a directory on the disk you care about) and
// deleted at the end. To compare the two ops, alternate runs of each in one session, e.g.
//   for i in 1 2 3; do for op in link message; do sqlite_store_bench --op $op; done; done
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
using tgi::domain::Message;
using tgi::domain::Mutation;
using tgi::store::SqliteStore;

enum class Op { kLink, kMessage };

struct Config {
  Op op = Op::kLink;
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

// What a bot's sendMessage with an inline keyboard stores: a new message of a group, numbered by
// the chat's counter. The fields that change per message are set by NewMessage.
Message MessageTemplate() {
  Message m;
  m.from = UserId(7000000001);
  m.text.text =
      "Order #12345 is ready: pick it up at the front desk before 18:00 today, or reply here to "
      "reschedule.";
  m.text.entities = {
      tgi::text::Entity{.type = tgi::text::EntityType::kBold, .offset = 0, .length = 12},
      tgi::text::Entity{.type = tgi::text::EntityType::kTextLink,
                        .offset = 41,
                        .length = 10,
                        .argument = "https://example.com/desk"},
  };
  m.inline_keyboard = R"({"inline_keyboard":[[{"text":"Confirm","callback_data":"confirm:12345"},)"
                      R"({"text":"Reschedule","callback_data":"resched:12345"}]]})";
  m.callback_data = {"confirm:12345", "resched:12345"};
  return m;
}

Message NewMessage(const Message& tmpl, int chat_index, int64_t id) {
  Message m = tmpl;
  m.chat = ChatId(kFirstChat - chat_index);
  m.id = id;
  m.date = 1700000000 + id;
  return m;
}

bool ParseArgs(int argc, char** argv, Config& c) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* v = argv[i + 1];
    if (flag == "--op") {
      if (std::strcmp(v, "link") == 0) {
        c.op = Op::kLink;
      } else if (std::strcmp(v, "message") == 0) {
        c.op = Op::kMessage;
      } else {
        return false;
      }
    } else if (flag == "--dir") {
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
    std::fprintf(
        stderr,
        "usage: %s [--op link|message] [--dir DIR] [--threads N] [--seconds S] [--window W] "
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

  // Seed: for rotations, every chat gets an active primary link; messages need nothing (no
  // chat record is read), their ids start at 1 in every chat.
  std::vector<InviteLink> current;
  std::vector<int64_t> last_message_id(cfg.chats, 0);
  std::atomic<int> seed_failed{0};
  if (cfg.op == Op::kLink) {
    current.reserve(cfg.chats);
    for (int i = 0; i < cfg.chats; ++i) {
      current.push_back(PrimaryLink(i));
      store->Submit(Mutation{.ops = {current.back()}},
                    [&seed_failed](Status st) { seed_failed.fetch_add(st.ok() ? 0 : 1); });
    }
  }
  const Message message_template = MessageTemplate();
  store->Flush();
  if (seed_failed.load() != 0) {
    std::fprintf(stderr, "seeding failed\n");
    return 1;
  }

  // Thread t writes to chats t, t+N, t+2N, ...: a chat's mutations come from one thread, in
  // order (a chat's link rotations, or its message ids).
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> rotated{0};  // rotations or messages
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
        Mutation m;
        if (cfg.op == Op::kLink) {
          InviteLink old_link = current[chat];
          old_link.is_revoked = true;
          current[chat] = PrimaryLink(chat);
          m.ops = {old_link, current[chat]};
        } else {
          m.ops = {NewMessage(message_template, chat, ++last_message_id[chat])};
        }
        store->Submit(std::move(m), [&rotated, &failed, &slot](Status st) {
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
  const char* what = cfg.op == Op::kLink ? "rotations" : "messages";
  std::printf(
      "op=%s sync=%s gather=%d threads=%d window=%d max_batch=%zu chats=%d seconds=%.2f %s=%llu "
      "failed=%llu %s/s=%.0f commits/s=%.0f %s/commit=%.1f\n",
      cfg.op == Op::kLink ? "link" : "message", cfg.sync_in_commit ? "in-commit" : "thread",
      cfg.gather_wal_writes ? 1 : 0, cfg.threads, cfg.window, cfg.max_batch, cfg.chats, elapsed,
      what, static_cast<unsigned long long>(ok), static_cast<unsigned long long>(failed.load()),
      what, ok / elapsed, commits / elapsed, what,
      commits ? static_cast<double>(ok) / commits : 0.0);
  return failed.load() == 0 ? 0 : 1;
}
