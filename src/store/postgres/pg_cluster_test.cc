// Several instances on one database: app::Engine in cluster mode on PostgresCluster, two (or
// more) engines sharing one schema, as two tginvited processes would. The invariants hold after
// concurrent requests on both: one active primary link per administrator, update and message
// ids without gaps or reuse, member_limit never exceeded, a join request decided once; and each
// instance sees what the other committed. Each test has a schema of its own on the server named
// by TGINVITE_TEST_POSTGRES, and is skipped without one (fails with TGINVITE_REQUIRE_POSTGRES=1).
#include "store/postgres/pg_cluster.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/cluster_metrics.h"
#include "app/engine.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "store/postgres/pg_test_util.h"

namespace tgi::store {
namespace {

using domain::Mutation;
using domain::World;

constexpr UserId kBot{7000000001};
constexpr UserId kCreator{100001};
constexpr ChatId kChat{-1001000000001};
constexpr int64_t kFirstUser = 200000;

// The bot's active primary link in the chat, as `w` knows it (nullptr if none).
const domain::InviteLink* ActivePrimaryOf(const World& w) {
  for (const domain::LinkView& v : w.ListLinks(kChat))
    if (v.link->creator == kBot && v.link->is_primary && !v.link->is_revoked) return v.link;
  return nullptr;
}

// One instance: its cluster store and its engine.
struct Instance {
  std::unique_ptr<PostgresCluster> cluster;
  std::unique_ptr<app::Engine> engine;
};

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::TestPostgres().empty()) {
      if (testing::PostgresRequired()) GTEST_FAIL() << testing::NoTestPostgres();
      GTEST_SKIP() << testing::NoTestPostgres();
    }
    conninfo_ = testing::FreshPostgresSchema();
    ASSERT_FALSE(conninfo_.empty());
  }

  // `before_start`: called with the engine before it starts (to register with it).
  Instance Start(std::function<void(const domain::SharedEntry&)> shared_hook = nullptr,
                 std::function<void(app::Engine&)> before_start = nullptr) {
    Instance i;
    auto cluster = PostgresCluster::Open(conninfo_);
    EXPECT_TRUE(cluster.ok()) << cluster.error().message;
    if (!cluster.ok()) return i;
    i.cluster = std::move(*cluster);
    i.engine = std::make_unique<app::Engine>(*i.cluster, clock_,
                                             [] { return crypto::RandomBase64Url(16); });
    if (shared_hook) {
      // Every key (the empty prefix), as one handler.
      i.engine->HandleShared(
          "", [hook = std::move(shared_hook)](std::string_view k, std::string_view v) {
            hook(domain::SharedEntry{std::string(k), std::string(v)});
            return true;
          });
    }
    if (before_start) before_start(*i.engine);
    Status st = i.engine->Start();
    EXPECT_TRUE(st.ok()) << st.error().message;
    return i;
  }

  // The world every test starts from: the bot administers a supergroup with every right, and
  // `users` people exist.
  void Seed(app::Engine& engine, int users) {
    domain::WorldFile f;
    f.bots.push_back({domain::Bot{.id = kBot, .can_read_all_group_messages = true},
                      domain::User{.id = kBot, .first_name = "Bot", .username = "the_bot"}});
    f.users.push_back(domain::User{.id = kCreator, .first_name = "Creator"});
    for (int u = 0; u < users; ++u)
      f.users.push_back(domain::User{.id = UserId(kFirstUser + u), .first_name = "U"});
    domain::Rights rights;
    for (int r = 0; r < static_cast<int>(domain::Right::kCount); ++r)
      rights.Set(static_cast<domain::Right>(r), true);
    f.chats.push_back(
        {domain::Chat{.id = kChat, .type = domain::ChatType::kSupergroup, .title = "S"},
         {domain::Member{.chat = kChat, .user = kCreator, .status = domain::MemberStatus::kCreator},
          domain::Member{.chat = kChat,
                         .user = kBot,
                         .status = domain::MemberStatus::kAdministrator,
                         .rights = rights}}});
    Status applied;
    Status st = engine.RunAndWait(
        [&](World& w, Mutation& m, UnixTime now) { applied = w.ApplyWorld(f, now, m); });
    ASSERT_TRUE(st.ok()) << st.error().message;
    ASSERT_TRUE(applied.ok()) << applied.error().message;
  }

  // Runs `work` on `engine` and waits; returns whether the work said it succeeded.
  static bool Do(app::Engine& engine, std::function<bool(World&, Mutation&, UnixTime)> work) {
    bool ok = false;
    Status st =
        engine.RunAndWait([&](World& w, Mutation& m, UnixTime now) { ok = work(w, m, now); });
    return st.ok() && ok;
  }

  // The first value of the first row of `sql`, on a connection of its own.
  std::string Sql(const std::string& sql) {
    PGconn* c = PQconnectdb(conninfo_.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    std::string out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0
                          ? PQgetvalue(r, 0, 0)
                          : std::string("ERROR ") + PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    return out;
  }

  ManualClock clock_{1767225600};
  std::string conninfo_;
};

TEST_F(ClusterTest, ConcurrentExportsOnTwoInstancesLeaveOneActivePrimaryLink) {
  Instance a = Start();
  Instance b = Start();
  ASSERT_TRUE(a.engine && b.engine);
  Seed(*a.engine, 0);
  constexpr int kThreads = 4, kPerThread = 40;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    app::Engine* engine = t % 2 == 0 ? a.engine.get() : b.engine.get();
    threads.emplace_back([engine, &ok] {
      for (int i = 0; i < kPerThread; ++i) {
        if (Do(*engine, [](World& w, Mutation& m, UnixTime now) {
              return w.ExportPrimaryLink(kBot, domain::ChatRef{.id = kChat.value}, now, m).ok();
            }))
          ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(Sql("SELECT count(*) FROM invite_links WHERE is_primary AND NOT is_revoked"), "1");
  EXPECT_EQ(Sql("SELECT count(*) FROM invite_links"), std::to_string(kThreads * kPerThread));
  // Both instances name the same active link (a round catches up first).
  std::string seen_a, seen_b;
  auto active = [](std::string* out) {
    return [out](World& w, Mutation&, UnixTime) {
      const domain::InviteLink* l = ActivePrimaryOf(w);
      if (l != nullptr) *out = l->hash;
      return l != nullptr;
    };
  };
  ASSERT_TRUE(Do(*a.engine, active(&seen_a)));
  ASSERT_TRUE(Do(*b.engine, active(&seen_b)));
  EXPECT_EQ(seen_a, seen_b);
  EXPECT_EQ(Sql("SELECT hash FROM invite_links WHERE is_primary AND NOT is_revoked"), seen_a);
}

TEST_F(ClusterTest, UpdateAndMessageIdsHaveNoGapsOrRepeatsAcrossInstances) {
  Instance a = Start();
  Instance b = Start();
  ASSERT_TRUE(a.engine && b.engine);
  constexpr int kUsers = 4, kPerUser = 30;
  Seed(*a.engine, kUsers);
  // The users join through the bot's link first (on instance b, which catches up on the seed).
  std::string hash;
  ASSERT_TRUE(Do(*b.engine, [&hash](World& w, Mutation& m, UnixTime now) {
    auto h = w.ExportPrimaryLink(kBot, domain::ChatRef{.id = kChat.value}, now, m);
    if (h.ok()) hash = *h;
    return h.ok();
  }));
  for (int u = 0; u < kUsers; ++u) {
    ASSERT_TRUE(Do(*a.engine, [&hash, u](World& w, Mutation& m, UnixTime now) {
      return w.JoinByLink(UserId(kFirstUser + u), hash, now, m).ok();
    }));
  }
  std::vector<std::thread> threads;
  std::atomic<int> sent{0};
  for (int u = 0; u < kUsers; ++u) {
    app::Engine* engine = u % 2 == 0 ? a.engine.get() : b.engine.get();
    threads.emplace_back([engine, u, &sent] {
      for (int i = 0; i < kPerUser; ++i) {
        if (Do(*engine, [u](World& w, Mutation& m, UnixTime now) {
              return w.SendUserMessage(UserId(kFirstUser + u), kChat, {.text = "hi"}, 0, now, m)
                  .ok();
            }))
          ++sent;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(sent.load(), kUsers * kPerUser);
  // Every update id of the bot from 1 up, once each: no gap, no repeat.
  const std::string updates =
      Sql("SELECT count(*) || ' ' || count(DISTINCT update_id) || ' ' || min(update_id) || ' ' || "
          "max(update_id) FROM updates WHERE bot_id = " +
          std::to_string(kBot.value));
  const std::string total = Sql("SELECT count(*) FROM updates");
  EXPECT_EQ(updates, total + " " + total + " 1 " + total);
  // Message ids in the chat: the same.
  const std::string messages =
      Sql("SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || min(id) || ' ' || max(id) "
          "FROM messages WHERE chat_id = " +
          std::to_string(kChat.value));
  const std::string count =
      Sql("SELECT count(*) FROM messages WHERE chat_id = " + std::to_string(kChat.value));
  EXPECT_EQ(messages, count + " " + count + " 1 " + count);
  EXPECT_GE(std::stoi(count), kUsers * kPerUser);
}

TEST_F(ClusterTest, ConcurrentJoinsOnTwoInstancesNeverPassAMemberLimit) {
  Instance a = Start();
  Instance b = Start();
  ASSERT_TRUE(a.engine && b.engine);
  constexpr int kUsers = 24, kLimit = 5;
  Seed(*a.engine, kUsers);
  std::string hash;
  ASSERT_TRUE(Do(*a.engine, [&hash](World& w, Mutation& m, UnixTime now) {
    auto l = w.CreateLink(kBot, domain::ChatRef{.id = kChat.value},
                          domain::LinkSpec{.member_limit = kLimit}, now, m);
    if (l.ok()) hash = l->hash;
    return l.ok();
  }));
  std::atomic<int> joined{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    app::Engine* engine = t % 2 == 0 ? a.engine.get() : b.engine.get();
    threads.emplace_back([engine, t, &hash, &joined] {
      for (int u = t; u < kUsers; u += 4) {
        if (Do(*engine, [&hash, u](World& w, Mutation& m, UnixTime now) {
              return w.JoinByLink(UserId(kFirstUser + u), hash, now, m).ok();
            }))
          ++joined;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(joined.load(), kLimit);
  EXPECT_EQ(Sql("SELECT count(*) FROM members WHERE joined_via = '" + hash + "'"),
            std::to_string(kLimit));
  EXPECT_EQ(Sql("SELECT count(*) FROM joins WHERE link_hash = '" + hash + "'"),
            std::to_string(kLimit));
}

TEST_F(ClusterTest, AJoinRequestIsDecidedOnceWhenTwoInstancesRace) {
  Instance a = Start();
  Instance b = Start();
  ASSERT_TRUE(a.engine && b.engine);
  constexpr int kUsers = 10;
  Seed(*a.engine, kUsers);
  std::string hash;
  ASSERT_TRUE(Do(*a.engine, [&hash](World& w, Mutation& m, UnixTime now) {
    auto l = w.CreateLink(kBot, domain::ChatRef{.id = kChat.value},
                          domain::LinkSpec{.creates_join_request = true}, now, m);
    if (l.ok()) hash = l->hash;
    return l.ok();
  }));
  for (int u = 0; u < kUsers; ++u) {
    ASSERT_TRUE(Do(*b.engine, [&hash, u](World& w, Mutation& m, UnixTime now) {
      auto out = w.JoinByLink(UserId(kFirstUser + u), hash, now, m);
      return out.ok() && out->pending;
    }));
  }
  // For each request, a approves while b declines, at once: exactly one of them wins.
  for (int u = 0; u < kUsers; ++u) {
    auto decide = [u](app::Engine* engine, domain::JoinDecision d) {
      return std::async(std::launch::async, [engine, u, d] {
        return Do(*engine, [u, d](World& w, Mutation& m, UnixTime now) {
          return w
              .DecideJoinRequest(kBot, domain::ChatRef{.id = kChat.value}, UserId(kFirstUser + u),
                                 d, now, m)
              .ok();
        });
      });
    };
    auto approve = decide(a.engine.get(), domain::JoinDecision::kApprove);
    auto decline = decide(b.engine.get(), domain::JoinDecision::kDecline);
    const bool approved = approve.get(), declined = decline.get();
    EXPECT_NE(approved, declined) << "user " << u;
    const std::string state =
        Sql("SELECT state FROM join_requests WHERE user_id = " + std::to_string(kFirstUser + u));
    EXPECT_EQ(state, approved ? "approved" : "declined") << "user " << u;
    const std::string member =
        Sql("SELECT count(*) FROM members WHERE status = 'member' AND "
            "user_id = " +
            std::to_string(kFirstUser + u));
    EXPECT_EQ(member, approved ? "1" : "0") << "user " << u;
  }
}

TEST_F(ClusterTest, ARoundReadsEveryTableTheChangesWroteWhateverItGuessed) {
  // The stores alone (no engine, so no catch-up on notices between rounds): a round reads with
  // the changes only the tables the last few catch-ups needed (here users); a change that wrote
  // another table (chats) is read all the same, by a round or between rounds, and so is one
  // that does not record its tables (an instance without changes.tables): every table is read
  // then.
  auto a = PostgresCluster::Open(conninfo_);
  auto b = PostgresCluster::Open(conninfo_);
  ASSERT_TRUE(a.ok() && b.ok());
  uint64_t a_at = 0, b_at = 0;
  auto write = [&](Mutation m) {
    auto begun = (*a)->BeginRound(a_at);
    ASSERT_TRUE(begun.ok()) << begun.error().message;
    auto seq = (*a)->CommitRound(m, 1767225600000);
    ASSERT_TRUE(seq.ok()) << seq.error().message;
    a_at = *seq;
  };
  // b's next round: the ops it replays.
  auto catch_up = [&]() -> std::vector<domain::Op> {
    auto begun = (*b)->BeginRound(b_at);
    EXPECT_TRUE(begun.ok()) << begun.error().message;
    if (!begun.ok()) return {};
    auto seq = (*b)->CommitRound(Mutation{}, 1767225600000);
    EXPECT_TRUE(seq.ok()) << seq.error().message;
    EXPECT_EQ(begun->last, a_at);
    b_at = begun->last;
    return begun->replay.ops;
  };
  for (int i = 0; i < 6; ++i) {
    write(Mutation{{domain::User{.id = UserId(kFirstUser + i), .first_name = "U"}}});
    ASSERT_EQ(catch_up().size(), 1u) << "user " << i;
  }
  EXPECT_EQ(Sql("SELECT tables FROM changes ORDER BY seq DESC LIMIT 1"), "2");  // users
  write(Mutation{{domain::Chat{.id = kChat, .type = domain::ChatType::kSupergroup, .title = "S"}}});
  std::vector<domain::Op> ops = catch_up();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<domain::Chat>(ops[0]));
  // Between rounds too (ChangesAfter, after a notice), once the guess is users and chats.
  for (int i = 0; i < 3; ++i) {
    write(Mutation{{domain::User{.id = UserId(kFirstUser + i), .first_name = "V"}}});
    ASSERT_EQ(catch_up().size(), 1u);
  }
  write(Mutation{{domain::PrivateChat{.user = UserId(kFirstUser), .bot = kBot, .started = true}}});
  auto changes = (*b)->ChangesAfter(b_at);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  EXPECT_EQ(changes->last, a_at);
  ASSERT_EQ(changes->replay.ops.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<domain::PrivateChat>(changes->replay.ops[0]));
  b_at = changes->last;
  write(Mutation{{domain::ClockState{.offset = 60}}});
  ASSERT_EQ(Sql("UPDATE changes SET tables = NULL WHERE seq = " + std::to_string(a_at) +
                " RETURNING 'done'"),
            "done");
  ops = catch_up();
  ASSERT_EQ(ops.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<domain::ClockState>(ops[0]));
  EXPECT_EQ(std::get<domain::ClockState>(ops[0]).offset, 60);
}

TEST_F(ClusterTest, ARunOfLinksIsWrittenInOrderAsOneStatementEachHashOnce) {
  // A round's links go as one statement (pg::QueueOps), the rows in order: a link revoked after
  // it was made in the same round is split into a second statement (one statement cannot upsert
  // a row twice), and the revoke is written before the next primary link (the partial unique
  // index of active primary links checks each row as it is written).
  auto a = PostgresCluster::Open(conninfo_);
  ASSERT_TRUE(a.ok());
  auto link = [](std::string hash, bool revoked) {
    return domain::InviteLink{.hash = std::move(hash),
                              .chat = kChat,
                              .creator = kBot,
                              .is_primary = true,
                              .is_revoked = revoked,
                              .name = "",
                              .created = 1767225600};
  };
  auto begun = (*a)->BeginRound(0);
  ASSERT_TRUE(begun.ok()) << begun.error().message;
  auto seq = (*a)->CommitRound(Mutation{{link("one", false), link("one", true), link("two", false),
                                         link("two", true), link("three", false)}},
                               1767225600000);
  ASSERT_TRUE(seq.ok()) << seq.error().message;
  EXPECT_EQ(
      Sql("SELECT string_agg(hash || ' ' || is_revoked, ', ' ORDER BY seq) FROM invite_links"),
      "one true, two true, three false");
  // A second active primary link fails the round, named by its first op.
  begun = (*a)->BeginRound(*seq);
  ASSERT_TRUE(begun.ok()) << begun.error().message;
  seq = (*a)->CommitRound(Mutation{{link("four", true), link("five", false)}}, 1767225600000);
  ASSERT_FALSE(seq.ok());
  EXPECT_NE(seq.error().message.find("or one of the 1 after it"), std::string::npos)
      << seq.error().message;
  EXPECT_EQ(Sql("SELECT count(*) FROM invite_links"), "3");
}

TEST_F(ClusterTest, AnInstanceStartedLaterLoadsEverythingAndGoesOnFromTheHead) {
  std::string hash;
  {
    Instance a = Start();
    ASSERT_TRUE(a.engine);
    Seed(*a.engine, 1);
    ASSERT_TRUE(Do(*a.engine, [&hash](World& w, Mutation& m, UnixTime now) {
      auto h = w.ExportPrimaryLink(kBot, domain::ChatRef{.id = kChat.value}, now, m);
      if (h.ok()) hash = *h;
      return h.ok();
    }));
  }
  Instance late = Start();
  ASSERT_TRUE(late.engine);
  ASSERT_TRUE(Do(*late.engine, [&hash](World& w, Mutation& m, UnixTime now) {
    const domain::InviteLink* l = ActivePrimaryOf(w);
    return l != nullptr && l->hash == hash && w.JoinByLink(UserId(kFirstUser), hash, now, m).ok();
  }));
  EXPECT_EQ(Sql("SELECT last_change FROM cluster_head"), "3");  // seed, export, join
  EXPECT_EQ(Sql("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM changes"), "1,2,3");
}

// Shared state (domain::SharedEntry: the guards, flood control, faults): what one instance's
// round shares, another gets when it loads and when it catches up; a round that shares only
// that is a change like any other, but is not waited for at the disk.
TEST_F(ClusterTest, SharedStateReachesTheOtherInstances) {
  Instance a = Start();
  ASSERT_TRUE(a.engine);
  auto share = [](std::vector<domain::SharedEntry> entries) {
    return [entries](World&, Mutation& m, UnixTime) {
      m.shared = entries;
      return true;
    };
  };
  ASSERT_TRUE(Do(*a.engine, share({{"guards/1", "a"}, {"faults/1/getme", std::string("\0x", 2)}})));

  std::mutex mu;
  std::vector<domain::SharedEntry> seen;
  auto taken = [&] {
    std::lock_guard lock(mu);
    return std::exchange(seen, {});
  };
  Instance b = Start([&](const domain::SharedEntry& e) {
    std::lock_guard lock(mu);
    seen.push_back(e);
  });
  ASSERT_TRUE(b.engine);
  // Loaded, in the order of the keys.
  EXPECT_EQ(taken(), (std::vector<domain::SharedEntry>{{"faults/1/getme", std::string("\0x", 2)},
                                                       {"guards/1", "a"}}));
  ASSERT_TRUE(Do(*a.engine, share({{"guards/1", "b"}, {"guards/2", ""}})));
  // b's next round catches up first: the hook has run before its work does.
  std::vector<domain::SharedEntry> before_work;
  ASSERT_TRUE(Do(*b.engine, [&](World&, Mutation&, UnixTime) {
    before_work = taken();
    return true;
  }));
  EXPECT_EQ(before_work, (std::vector<domain::SharedEntry>{{"guards/1", "b"}, {"guards/2", ""}}));
  EXPECT_EQ(Sql("SELECT last_change FROM cluster_head"), "2");
  EXPECT_EQ(Sql("SELECT string_agg(key || '=' || encode(value, 'escape'), ',' ORDER BY key) "
                "FROM shared_state"),
            "faults/1/getme=\\000x,guards/1=b,guards/2=");

  // It lives as long as some instance does: one that starts alone forgets it.
  for (Instance* i : {&a, &b}) {
    i->engine.reset();
    i->cluster.reset();
  }
  bool any = false;
  Instance c = Start([&any](const domain::SharedEntry&) { any = true; });
  ASSERT_TRUE(c.engine);
  EXPECT_FALSE(any);
  EXPECT_EQ(Sql("SELECT count(*) FROM shared_state"), "0");
}

// --frozen-clock: an instance that starts while another lives takes the cluster's time as its
// own (Engine::SetClockStandsStill), so both stand at the same time; one that does not ask keeps
// its own start-up time.
TEST_F(ClusterTest, AFrozenClockStartedLaterTakesTheClusterTime) {
  ManualClock early(1'700'000'000);
  ManualClock late(1'700'000'007);
  auto open = [this](const Clock& clock, bool stands_still) {
    Instance i;
    auto cluster = PostgresCluster::Open(conninfo_);
    EXPECT_TRUE(cluster.ok()) << cluster.error().message;
    if (!cluster.ok()) return i;
    i.cluster = std::move(*cluster);
    i.engine = std::make_unique<app::Engine>(*i.cluster, clock,
                                             [] { return crypto::RandomBase64Url(16); });
    if (stands_still) i.engine->SetClockStandsStill();
    Status st = i.engine->Start();
    EXPECT_TRUE(st.ok()) << st.error().message;
    return i;
  };
  Instance a = open(early, true);
  ASSERT_TRUE(a.engine);
  Seed(*a.engine, 1);  // a round that writes: the head holds a's time
  EXPECT_EQ(a.engine->Now(), 1'700'000'000);
  Instance b = open(late, true);
  ASSERT_TRUE(b.engine);
  EXPECT_EQ(b.engine->Now(), 1'700'000'000);
  Instance c = open(late, false);
  ASSERT_TRUE(c.engine);
  EXPECT_EQ(c.engine->Now(), 1'700'000'007);
}

// /metrics in cluster mode (app::ClusterMetrics): a scrape on one instance sums every live
// instance's figures as they are after the scrape was asked; an instance that stops takes its
// figures away at once; one that stops answering (its engine gone, as a killed process) is left
// out after the answer timeout, and its entry removed.
TEST_F(ClusterTest, AScrapeSumsTheFiguresOfEveryLiveInstance) {
  std::atomic<int> a_count{1};
  std::atomic<int> b_count{10};
  auto text = [](const std::atomic<int>& n) {
    return [&n] { return "# TYPE x_total counter\nx_total " + std::to_string(n.load()) + "\n"; };
  };
  constexpr auto kTimeout = std::chrono::milliseconds(300);
  // Starts an instance with its ClusterMetrics `m` (id `id`, figure `n`), announced, and waits
  // for its entry to be written (a round runs what was queued before it first).
  auto start = [&](const char* id, const std::atomic<int>& n,
                   std::unique_ptr<app::ClusterMetrics>& m) {
    Instance i = Start(nullptr, [&](app::Engine& e) {
      m = std::make_unique<app::ClusterMetrics>(e, id, text(n), kTimeout);
    });
    if (!i.engine) return i;
    m->Announce();
    EXPECT_TRUE(Do(*i.engine, [](World&, Mutation&, UnixTime) { return true; }));
    return i;
  };
  auto collect = [](app::ClusterMetrics& m) {
    std::promise<std::string> got;
    m.Collect([&got](std::string t) { got.set_value(std::move(t)); });
    return got.get_future().get();
  };
  auto entries = [this] {
    return Sql(
        "SELECT string_agg(key, ',' ORDER BY key) FROM shared_state WHERE key LIKE "
        "'metrics/%' AND value <> ''");
  };
  std::unique_ptr<app::ClusterMetrics> am;
  std::unique_ptr<app::ClusterMetrics> bm;
  Instance a = start("a", a_count, am);
  ASSERT_TRUE(a.engine);
  EXPECT_EQ(collect(*am), "# TYPE x_total counter\nx_total 1\n");

  Instance b = start("b", b_count, bm);
  ASSERT_TRUE(b.engine);
  EXPECT_EQ(collect(*am), "# TYPE x_total counter\nx_total 11\n");
  // Counted after the question: b's figure as it is now, on either instance.
  b_count = 20;
  EXPECT_EQ(collect(*am), "# TYPE x_total counter\nx_total 21\n");
  a_count = 2;
  EXPECT_EQ(collect(*bm), "# TYPE x_total counter\nx_total 22\n");

  // b stops: its entry goes with it, and a answers with its own at once.
  bm->Stop();
  EXPECT_EQ(collect(*am), "# TYPE x_total counter\nx_total 2\n");
  EXPECT_EQ(entries(), "metrics/a");

  // c stops answering without leaving (its engine gone first, as a killed instance's): left out
  // after the timeout, its entry removed.
  std::atomic<int> c_count{100};
  std::unique_ptr<app::ClusterMetrics> cm;
  Instance c = start("c", c_count, cm);
  ASSERT_TRUE(c.engine);
  EXPECT_EQ(collect(*am), "# TYPE x_total counter\nx_total 102\n");
  c.engine->Stop();
  EXPECT_EQ(collect(*am), "# TYPE x_total counter\nx_total 2\n");
  cm.reset();
  // The removal is a round of a's: done once a's next round has run.
  ASSERT_TRUE(Do(*a.engine, [](World&, Mutation&, UnixTime) { return true; }));
  EXPECT_EQ(entries(), "metrics/a");
  am->Stop();
  // The instances go first (declared later), while the handlers they call still exist.
}

// What another instance does to a bot's webhook reaches this one's sender once, when the change
// is replayed (Engine::ClusterHooks::webhook_changed): set (true: it ends a poll), dropped pending
// updates of a bot with a webhook (false), deleted (false); dropped updates of a bot without one
// report nothing.
TEST_F(ClusterTest, WebhookChangesAreReportedOnceWhenReplayed) {
  std::mutex mu;
  std::vector<std::pair<int64_t, bool>> reported;
  auto taken = [&] {
    std::lock_guard lock(mu);
    return std::exchange(reported, {});
  };
  Instance a = Start();
  ASSERT_TRUE(a.engine);
  Seed(*a.engine, 2);
  Instance b = Start(nullptr, [&](app::Engine& e) {
    e.SetClusterHooks(app::Engine::ClusterHooks{.webhook_changed = [&](UserId bot, bool set) {
      std::lock_guard lock(mu);
      reported.emplace_back(bot.value, set);
    }});
  });
  ASSERT_TRUE(b.engine);
  auto on_b = [&] {  // b's next round catches up first
    EXPECT_TRUE(Do(*b.engine, [](World&, Mutation&, UnixTime) { return true; }));
    return taken();
  };
  // An update for the bot: a user joins through its link.
  ASSERT_TRUE(Do(*a.engine, [](World& w, Mutation& m, UnixTime now) {
    auto h = w.ExportPrimaryLink(kBot, domain::ChatRef{.id = kChat.value}, now, m);
    return h.ok() && w.JoinByLink(UserId(kFirstUser), *h, now, m).ok();
  }));
  EXPECT_EQ(on_b(), (std::vector<std::pair<int64_t, bool>>{}));
  const domain::BotUpdateSettings hook{
      .webhook_url = "https://example.com/hook", .webhook_secret = "s", .max_connections = 40};
  ASSERT_TRUE(Do(*a.engine, [&hook](World& w, Mutation& m, UnixTime) {
    return w.SetWebhook(kBot, hook, domain::QueuedUpdates::kKeep, m);
  }));
  EXPECT_EQ(on_b(), (std::vector<std::pair<int64_t, bool>>{{kBot.value, true}}));
  // The same settings again, with the queue dropped: only the drop tells.
  ASSERT_TRUE(Do(*a.engine, [&hook](World& w, Mutation& m, UnixTime) {
    w.DeleteWebhook(kBot, domain::QueuedUpdates::kDrop, m);
    return w.SetWebhook(kBot, hook, domain::QueuedUpdates::kKeep, m);
  }));
  EXPECT_EQ(on_b(), (std::vector<std::pair<int64_t, bool>>{{kBot.value, false}}));
  ASSERT_TRUE(Do(*a.engine, [](World& w, Mutation& m, UnixTime) {
    return w.DeleteWebhook(kBot, domain::QueuedUpdates::kKeep, m);
  }));
  EXPECT_EQ(on_b(), (std::vector<std::pair<int64_t, bool>>{{kBot.value, false}}));
  // Without a webhook, dropped updates (getUpdates' confirmations) are none of the sender's.
  ASSERT_TRUE(Do(*a.engine, [](World& w, Mutation& m, UnixTime now) {
    const domain::InviteLink* l = ActivePrimaryOf(w);
    return l != nullptr && w.JoinByLink(UserId(kFirstUser + 1), l->hash, now, m).ok();
  }));
  ASSERT_TRUE(Do(*a.engine, [](World& w, Mutation& m, UnixTime) {
    w.DropUpdatesBelow(kBot, 1000, m);
    return !m.ops.empty();
  }));
  EXPECT_EQ(on_b(), (std::vector<std::pair<int64_t, bool>>{}));
}

}  // namespace
}  // namespace tgi::store
