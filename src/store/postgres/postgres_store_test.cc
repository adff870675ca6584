// PostgresStore beyond the contract (store_contract_test.cc runs that on it): migrations under
// concurrent starts, durability across a reopen, the invariants held by the schema itself when
// two stores write one database, group commit, and secrets kept out of errors. Each test has a
// schema of its own on the server named by TGINVITE_TEST_POSTGRES, and is skipped without one
// (fails with TGINVITE_REQUIRE_POSTGRES=1).
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/pg_test_util.h"
#include "store/store_test_util.h"

namespace tgi::store {
namespace {

using testing::Dump;
using testing::LoadDump;
using testing::MakeChat;
using testing::MakePrimary;
using testing::MakeUpdate;
using testing::MakeUser;
using testing::Mut;
using testing::Revoked;
using testing::SubmitAndWait;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::TestPostgres().empty()) {
      if (testing::PostgresRequired()) GTEST_FAIL() << testing::NoTestPostgres();
      GTEST_SKIP() << testing::NoTestPostgres();
    }
    conninfo_ = testing::FreshPostgresSchema();
    ASSERT_FALSE(conninfo_.empty());
  }

  std::unique_ptr<PostgresStore> Open() {
    auto store = PostgresStore::Open({.conninfo = conninfo_});
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Runs `sql` on a connection of its own in the test's schema; returns the first value of the
  // first row ("" if none), or "ERROR <sqlstate>" if it failed.
  std::string Sql(const std::string& sql) {
    PGconn* c = PQconnectdb(conninfo_.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    std::string out;
    const ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      out = std::string("ERROR ") + (state != nullptr ? state : "?");
    } else if (s == PGRES_TUPLES_OK && PQntuples(r) > 0) {
      out = PQgetvalue(r, 0, 0);
    }
    PQclear(r);
    PQfinish(c);
    return out;
  }

  std::string conninfo_;
};

TEST_F(PostgresStoreTest, MigratesOnceWhenManyOpenAtOnce) {
  constexpr int kInstances = 6;
  std::vector<std::future<Result<std::unique_ptr<PostgresStore>>>> opens;
  for (int i = 0; i < kInstances; ++i) {
    opens.push_back(std::async(std::launch::async,
                               [this] { return PostgresStore::Open({.conninfo = conninfo_}); }));
  }
  std::vector<std::unique_ptr<PostgresStore>> stores;
  for (auto& f : opens) {
    auto store = f.get();
    ASSERT_TRUE(store.ok()) << store.error().message;
    stores.push_back(std::move(*store));
  }
  const int version = stores[0]->schema_version();
  EXPECT_GE(version, 1);
  for (const auto& s : stores) EXPECT_EQ(s->schema_version(), version);
  EXPECT_EQ(Sql("SELECT count(*) FROM schema_migrations"), std::to_string(version));
  EXPECT_EQ(Sql("SELECT max(version) FROM schema_migrations"), std::to_string(version));
}

TEST_F(PostgresStoreTest, RefusesASchemaNewerThanTheBinary) {
  ASSERT_NE(Open(), nullptr);
  ASSERT_EQ(Sql("INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future')"), "");
  auto store = PostgresStore::Open({.conninfo = conninfo_});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("newer than this binary knows"), std::string::npos)
      << store.error().message;
}

TEST_F(PostgresStoreTest, WhatWasAcknowledgedIsThereAfterAReopen) {
  std::string want;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(SubmitAndWait(*store, Mut({MakeUser(1), MakeChat(-5)})).ok());
    ASSERT_TRUE(SubmitAndWait(*store, Mut({MakePrimary("h000000000000001", -5, 1)})).ok());
    want = LoadDump(*store);
  }
  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(LoadDump(*reopened), want);
  EXPECT_NE(want.find("h000000000000001"), std::string::npos);
}

// The partial unique index, not the domain, keeps one active primary link per (chat, creator):
// written by SQL that no store checked, and by two stores that each believe they rotate it.
TEST_F(PostgresStoreTest, TheSchemaHoldsOneActivePrimaryLinkAcrossStores) {
  auto a = Open();
  auto b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const auto old_link = MakePrimary("old0000000000000", -1, 7);
  ASSERT_TRUE(SubmitAndWait(*a, Mut({MakeChat(-1), old_link})).ok());
  // Both saw `old_link` active and rotate it at once, each to a new hash.
  std::atomic<int> ok{0};
  auto rotate = [&](PostgresStore* s, const char* hash) {
    if (SubmitAndWait(*s, Mut({Revoked(old_link), MakePrimary(hash, -1, 7)})).ok()) ++ok;
  };
  std::thread t1(rotate, a.get(), "newA000000000000");
  std::thread t2(rotate, b.get(), "newB000000000000");
  t1.join();
  t2.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(Sql("SELECT count(*) FROM invite_links WHERE chat_id = -1 AND creator_id = 7 AND "
                "is_primary AND NOT is_revoked"),
            "1");
  EXPECT_EQ(Sql("INSERT INTO invite_links (hash, chat_id, creator_id, is_primary, is_revoked, "
                "creates_join_request, created) VALUES ('x000000000000000', -1, 7, true, false, "
                "false, 0)"),
            "ERROR 23505");                                   // unique_violation
  EXPECT_EQ(Sql("UPDATE clock SET offset_seconds = 0"), "");  // no row yet: nothing to check
  ASSERT_TRUE(SubmitAndWait(*a, Mut({domain::ClockState{.offset = 50}})).ok());
  EXPECT_EQ(Sql("UPDATE clock SET offset_seconds = 10"), "ERROR P0001");  // raised by the trigger
}

TEST_F(PostgresStoreTest, UpdateIdsOfABotNeverRepeatAcrossStores) {
  auto a = Open();
  auto b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(SubmitAndWait(*a, Mut({MakeUpdate(9, 1), MakeUpdate(9, 2)})).ok());
  EXPECT_FALSE(SubmitAndWait(*b, Mut({MakeUpdate(9, 2)})).ok());
  EXPECT_TRUE(SubmitAndWait(*b, Mut({MakeUpdate(9, 3)})).ok());
  EXPECT_EQ(Sql("SELECT string_agg(update_id::text, ',' ORDER BY update_id) FROM updates"),
            "1,2,3");
}

TEST_F(PostgresStoreTest, ConcurrentMutationsAreCommittedInGroups) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kMutations = 400;
  std::atomic<int> ok{0};
  for (int i = 0; i < kMutations; ++i) {
    store->Submit(Mut({MakeUser(1 + i)}), [&ok](Status st) { ok += st.ok() ? 1 : 0; });
  }
  store->Flush();
  EXPECT_EQ(ok.load(), kMutations);
  EXPECT_LT(store->commits_for_testing(), static_cast<size_t>(kMutations));
  EXPECT_EQ(Sql("SELECT count(*) FROM users"), std::to_string(kMutations));
}

TEST_F(PostgresStoreTest, AFailingMutationInABatchFailsAloneWithTheConstraintsName) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<std::future<Status>> results;
  for (int i = 0; i < 50; ++i) {
    auto promise = std::make_shared<std::promise<Status>>();
    results.push_back(promise->get_future());
    domain::Mutation m = Mut({MakeUser(1 + i)});
    if (i == 25) m.ops.push_back(MakeChat(5));  // a positive chat id breaks chats_id_check
    store->Submit(std::move(m), [promise](Status st) { promise->set_value(std::move(st)); });
  }
  for (int i = 0; i < 50; ++i) {
    Status st = results[i].get();
    EXPECT_EQ(st.ok(), i != 25) << i;
    if (i == 25) {
      EXPECT_NE(st.error().message.find("chats_id_check"), std::string::npos) << st.error().message;
      EXPECT_NE(st.error().message.find("chat 5"), std::string::npos) << st.error().message;
    }
  }
  EXPECT_EQ(Sql("SELECT count(*) FROM users"), "49");
}

TEST(PostgresStoreOpen, ErrorsNeverHoldThePassword) {
  auto store = PostgresStore::Open(
      {.conninfo = "host=/nonexistent/tginvite user=nobody password=s3cr3t-pw connect_timeout=2"});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message.find("s3cr3t-pw"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("cannot connect to PostgreSQL"), std::string::npos);
}

}  // namespace
}  // namespace tgi::store
