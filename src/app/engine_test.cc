#include "app/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>

#include "store/memory/memory_store.h"

namespace tgi::app {
namespace {

// A store that holds submissions until the test releases them, to observe when continuations run.
class HeldStore final : public domain::Store {
 public:
  Result<domain::WorldState> Load() override { return domain::WorldState{}; }
  void Submit(domain::Mutation m, Done done) override {
    std::lock_guard lock(mu_);
    pending_.emplace_back(std::move(m), std::move(done));
  }
  void Flush() override {}
  void Release(Status st = {}) {
    std::deque<std::pair<domain::Mutation, Done>> batch;
    {
      std::lock_guard lock(mu_);
      batch.swap(pending_);
    }
    for (auto& [m, done] : batch) done(st);
  }
  size_t pending() {
    std::lock_guard lock(mu_);
    return pending_.size();
  }

 private:
  std::mutex mu_;
  std::deque<std::pair<domain::Mutation, Done>> pending_;
};

domain::User Person(int64_t id) { return domain::User{.id = UserId(id), .first_name = "P"}; }

TEST(EngineTest, AnswersAWriteOnlyOnceItIsDurable) {
  HeldStore store;
  ManualClock clock(1000);
  Engine engine(store, clock, [] { return std::string("abcdefghijklmnop"); });
  ASSERT_TRUE(engine.Start().ok());
  std::atomic<int> answered{0};
  engine.Run([](domain::World& w, domain::Mutation& m, UnixTime) { (void)w.PutUser(Person(1), m); },
             [&](Status st) { answered += st.ok() ? 1 : 100; });
  EXPECT_EQ(answered, 0);
  EXPECT_EQ(store.pending(), 1u);
  store.Release();
  EXPECT_EQ(answered, 1);
}

TEST(EngineTest, AReadWaitsForWritesItCouldHaveSeen) {
  HeldStore store;
  ManualClock clock(1000);
  Engine engine(store, clock, [] { return std::string("abcdefghijklmnop"); });
  ASSERT_TRUE(engine.Start().ok());
  int order = 0, write_at = 0, read_at = 0;
  engine.Run([](domain::World& w, domain::Mutation& m, UnixTime) { (void)w.PutUser(Person(1), m); },
             [&](Status) { write_at = ++order; });
  bool saw_user = false;
  engine.Run([&](domain::World& w, domain::Mutation&,
                 UnixTime) { saw_user = w.FindUser(UserId(1)) != nullptr; },
             [&](Status) { read_at = ++order; });
  EXPECT_TRUE(saw_user);
  EXPECT_EQ(read_at, 0) << "the read must not be answered before the write it saw is durable";
  store.Release();
  EXPECT_EQ(write_at, 1);
  EXPECT_EQ(read_at, 2);
  // With nothing pending, a read is answered at once.
  bool immediate = false;
  engine.Run([](domain::World&, domain::Mutation&, UnixTime) {}, [&](Status) { immediate = true; });
  EXPECT_TRUE(immediate);
}

TEST(EngineTest, AStoreFailureFailsEveryoneAndLaterRequests) {
  HeldStore store;
  ManualClock clock(1000);
  Engine engine(store, clock, [] { return std::string("abcdefghijklmnop"); });
  bool hook = false;
  engine.SetFailureHook([&] { hook = true; });
  ASSERT_TRUE(engine.Start().ok());
  Status first, later;
  engine.Run([](domain::World& w, domain::Mutation& m, UnixTime) { (void)w.PutUser(Person(1), m); },
             [&](Status st) { first = st; });
  store.Release(Fail("disk full"));
  EXPECT_FALSE(first.ok());
  EXPECT_TRUE(hook);
  EXPECT_TRUE(engine.failed());
  engine.Run([](domain::World&, domain::Mutation&, UnixTime) {}, [&](Status st) { later = st; });
  EXPECT_FALSE(later.ok());
}

TEST(EngineTest, RunAndWaitWorksWithASynchronousStore) {
  store::MemoryStore store;
  ManualClock clock(1000);
  Engine engine(store, clock, [] { return std::string("abcdefghijklmnop"); });
  ASSERT_TRUE(engine.Start().ok());
  Status st = engine.RunAndWait(
      [](domain::World& w, domain::Mutation& m, UnixTime) { (void)w.PutUser(Person(7), m); });
  EXPECT_TRUE(st.ok());
  auto state = store.Load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->users.size(), 1u);
}

}  // namespace
}  // namespace tgi::app
