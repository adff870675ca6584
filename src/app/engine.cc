#include "app/engine.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <string>
#include <vector>

#include "app/event_hub.h"
#include "common/log.h"

namespace tgi::app {
namespace {

// Cluster mode: the most requests run in one round: enough to gather a burst, few enough that
// one round's pipeline stays small.
constexpr size_t kMaxRound = 512;

// The bots that `m` gives new updates, each once, in the order of their first update.
std::vector<UserId> BotsWithUpdates(const domain::Mutation& m) {
  std::vector<UserId> bots;
  for (const domain::Op& op : m.ops)
    if (const auto* u = std::get_if<domain::Update>(&op))
      if (std::find(bots.begin(), bots.end(), u->bot) == bots.end()) bots.push_back(u->bot);
  return bots;
}

}  // namespace

Engine::Engine(domain::Store& store, const Clock& clock, domain::World::HashSource hashes)
    : store_(&store), clock_(clock), hashes_(std::move(hashes)) {}

Engine::Engine(domain::ClusterStore& cluster, const Clock& clock, domain::World::HashSource hashes)
    : cluster_(&cluster), clock_(clock), hashes_(std::move(hashes)) {}

Engine::~Engine() { Stop(); }

void Engine::Stop() {
  if (!cluster_) return;
  {
    std::lock_guard lock(rounds_mu_);
    rounds_stopping_ = true;
  }
  rounds_cv_.notify_all();
  notices_stopping_ = true;
  if (round_thread_.joinable()) round_thread_.join();
  if (notice_thread_.joinable()) notice_thread_.join();
}

std::unique_ptr<domain::World> Engine::MakeWorld(domain::WorldState state) const {
  auto world = std::make_unique<domain::World>(std::move(state), hashes_);
  if (encoder_) world->SetUpdateEncoder(encoder_);
  world->SetQuietJoinsAbove(quiet_joins_above_);
  world->SetMaxQueuedUpdates(max_queued_updates_);
  world->SetSharesState(cluster_ != nullptr);
  return world;
}

Status Engine::Start() {
  if (cluster_) {
    uint64_t last = 0;
    int64_t cluster_now_ms = 0;
    auto state = cluster_->LoadAll(&last, &cluster_now_ms);
    if (!state) return Fail("loading the world: " + state.error().message);
    std::vector<domain::SharedEntry> shared = std::move(state->shared);
    {
      std::lock_guard lock(world_mu_);
      world_ = MakeWorld(std::move(*state));
      if (clock_stands_still_ && cluster_now_ms > 0) {
        clock_adjust_ms_ =
            cluster_now_ms - (clock_.NowMillis() + world_->clock_offset() * UnixMillis{1000});
      }
    }
    ApplyShared(shared);
    applied_ = last;
    round_thread_ = std::thread([this] { RoundLoop(); });
    notice_thread_ = std::thread([this] { NoticeLoop(); });
    return {};
  }
  auto state = store_->Load();
  if (!state) return Fail("loading the world: " + state.error().message);
  std::lock_guard lock(world_mu_);
  world_ = MakeWorld(std::move(*state));
  return {};
}

UnixTime Engine::NowLocked() {
  UnixMillis t = clock_.NowMillis() + clock_adjust_ms_ + world_->clock_offset() * 1000;
  if (t > last_now_ms_) last_now_ms_ = t;
  return last_now_ms_ / 1000;
}

UnixTime Engine::Now() {
  std::lock_guard lock(world_mu_);
  return NowLocked();
}

UnixMillis Engine::NowMillis() {
  std::lock_guard lock(world_mu_);
  NowLocked();
  return last_now_ms_;
}

Engine::Then Engine::WithHooks(const domain::Mutation& m, Then then) {
  if (updates_hook_) {
    // Wake whoever waits for these bots' updates once the updates are durable.
    std::vector<UserId> bots = BotsWithUpdates(m);
    if (!bots.empty())
      then = [then = std::move(then), bots = std::move(bots), this](Status st) {
        bool ok = st.ok();
        then(std::move(st));
        if (ok) updates_hook_(bots);
      };
  }
  if (events_ && !m.ops.empty() && events_->HasSubscribers()) {
    // Published once durable, in the order of the changes (OnDurable calls back in order), so
    // what a subscriber refetches on an event already shows the change.
    then = [then = std::move(then), events = EventsOf(m), hub = events_](Status st) {
      bool ok = st.ok();
      then(std::move(st));
      if (ok) hub->Publish(events);
    };
  }
  return then;
}

void Engine::Run(Work work, Then then) {
  if (cluster_) return RunInCluster(std::move(work), std::move(then));
  std::unique_lock lock(world_mu_);
  domain::Mutation m;
  const UnixTime now = NowLocked();
  // Restrictions end by themselves (spec bot-api-moderation.md 12.1): before anything reads them.
  world_->ExpireRestrictionsAndBans(now, m);
  work(*world_, m, now);
  then = WithHooks(m, std::move(then));
  uint64_t wait_for;
  if (!m.empty()) {
    wait_for = ++submitted_;
  } else {
    wait_for = submitted_;
  }
  {
    std::unique_lock dlock(durable_mu_);
    if (failed_) {
      dlock.unlock();
      lock.unlock();
      then(Fail(failure_.message));
      return;
    }
    if (m.empty() && durable_ >= wait_for) {
      dlock.unlock();
      lock.unlock();
      then(Status{});
      return;
    }
    // Registered before Submit: a store may call back before Submit returns.
    waiters_.emplace_back(wait_for, std::move(then));
  }
  if (!m.empty()) {
    // Submitted under the world lock, so the store sees mutations in the order they happened.
    store_->Submit(std::move(m),
                   [this, wait_for](Status st) { OnDurable(wait_for, std::move(st)); });
  }
}

void Engine::OnDurable(uint64_t seq, Status status) {
  std::vector<Then> ready;
  Status result;
  bool newly_failed = false;
  {
    std::lock_guard lock(durable_mu_);
    if (!status.ok() && !failed_) {
      failed_ = true;
      newly_failed = true;
      failure_ = status.error();
      log::Error("engine",
                 "store write failed, no longer accepting changes: " + status.error().message);
    }
    if (failed_) {
      // Nothing can be promised any more: fail everyone who waits.
      for (auto& [s, then] : waiters_) ready.push_back(std::move(then));
      waiters_.clear();
      result = Fail(failure_.message);
    } else {
      if (seq > durable_) durable_ = seq;
      while (!waiters_.empty() && waiters_.front().first <= durable_) {
        ready.push_back(std::move(waiters_.front().second));
        waiters_.pop_front();
      }
    }
  }
  for (auto& then : ready) then(result);
  if (newly_failed && failure_hook_) failure_hook_();
}

Status Engine::RunAndWait(Work work) {
  std::promise<Status> done;
  auto future = done.get_future();
  Run(std::move(work), [&done](Status st) { done.set_value(std::move(st)); });
  return future.get();
}

void Engine::RunInCluster(Work work, Then then) {
  {
    std::unique_lock lock(rounds_mu_);
    if (rounds_stopping_) {
      lock.unlock();
      return then(Fail("the server is stopping"));
    }
    round_queue_.push_back(Queued{std::move(work), std::move(then)});
  }
  rounds_cv_.notify_one();
}

void Engine::Broadcast(std::string message) {
  if (cluster_) cluster_->Broadcast(std::move(message));
}

void Engine::NoticeLoop() {
  // Another instance's change is caught up on when its notice comes, and in any case within a
  // second: a lost notice only delays.
  auto last_check = std::chrono::steady_clock::now();
  // The webhook delivery lease: renewed every third of its term.
  bool delivering = false;
  std::chrono::steady_clock::time_point lease_until{}, next_renewal{};
  while (!notices_stopping_) {
    if (const auto now = std::chrono::steady_clock::now(); now >= next_renewal) {
      next_renewal = now + kDeliveryLease / 3;
      auto held = cluster_->RenewDeliveryLease(kDeliveryLease);
      if (held.ok() && *held) lease_until = now + kDeliveryLease;
      // Not renewed (another holds it, or PostgreSQL cannot be reached): delivering goes on
      // only until the term this instance last got ends.
      const bool deliver = held.ok() ? *held : now < lease_until - kDeliveryLease / 3;
      if (deliver != delivering) {
        delivering = deliver;
        log::Info("engine", deliver ? "took the webhook delivery lease"
                                    : "no longer holds the webhook delivery lease");
        if (cluster_hooks_.delivery) cluster_hooks_.delivery(deliver);
      }
    }
    domain::ClusterStore::Notices notices = cluster_->WaitForNotice(std::chrono::milliseconds(200));
    if (cluster_hooks_.message)
      for (const std::string& m : notices.messages) cluster_hooks_.message(m);
    const auto now = std::chrono::steady_clock::now();
    if (!notices.changed && now - last_check < std::chrono::seconds(1)) continue;
    last_check = now;
    {
      std::lock_guard lock(rounds_mu_);
      catch_up_wanted_ = true;
    }
    rounds_cv_.notify_one();
  }
  if (delivering) cluster_->ReleaseDeliveryLease();
}

void Engine::RoundLoop() {
  for (;;) {
    std::vector<Queued> items;
    bool catch_up = false;
    {
      std::unique_lock lock(rounds_mu_);
      rounds_cv_.wait(
          lock, [&] { return !round_queue_.empty() || catch_up_wanted_ || rounds_stopping_; });
      if (round_queue_.empty() && rounds_stopping_) return;
      const size_t n = std::min(round_queue_.size(), kMaxRound);
      items.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        items.push_back(std::move(round_queue_.front()));
        round_queue_.pop_front();
      }
      catch_up = std::exchange(catch_up_wanted_, false);
    }
    if (!items.empty()) {
      RunRound(items);  // a round catches up first anyway
      continue;
    }
    if (!catch_up || !ReloadIfStale().ok()) continue;
    auto changes = cluster_->ChangesAfter(applied_);
    if (!changes.ok()) {
      log::Warn("engine", "cannot catch up with the cluster: " + changes.error().message);
      continue;
    }
    if (changes->last > applied_) Replay(std::move(changes->replay), changes->last)();
  }
}

Status Engine::ReloadIfStale() {
  if (!world_stale_) return {};
  uint64_t last = 0;
  auto state = cluster_->LoadAll(&last);
  if (!state.ok()) return Fail("reloading the world: " + state.error().message);
  std::vector<domain::SharedEntry> shared = std::move(state->shared);
  auto world = MakeWorld(std::move(*state));
  {
    std::lock_guard lock(world_mu_);
    world_ = std::move(world);
  }
  ApplyShared(shared);
  applied_ = last;
  world_stale_ = false;
  log::Info("engine", "reloaded the world from the database at change " + std::to_string(last));
  return {};
}

std::function<void()> Engine::Replay(domain::Mutation replay, uint64_t last) {
  // Bots whose webhook another instance set, changed or deleted, and whether it is set now; and
  // bots with a webhook whose pending updates it dropped (drop_pending_updates with the same
  // settings; or the deliveries another instance confirmed, which concern the sender only while
  // the delivery lease moves), with false: their sender reloads, no poll ends.
  std::vector<std::pair<UserId, bool>> webhooks;
  {
    std::lock_guard lock(world_mu_);
    auto listed = [&webhooks](UserId bot) {
      for (const auto& [b, set] : webhooks)
        if (b == bot) return true;
      return false;
    };
    for (const domain::Op& op : replay.ops) {
      if (const auto* s = std::get_if<domain::BotUpdateSettings>(&op)) {
        const domain::BotUpdateSettings before = world_->UpdateSettings(s->bot);
        if (before.webhook_url != s->webhook_url || before.webhook_secret != s->webhook_secret ||
            before.max_connections != s->max_connections ||
            before.webhook_ip_address != s->webhook_ip_address)
          webhooks.emplace_back(s->bot, !s->webhook_url.empty());
      }
    }
    for (const domain::Op& op : replay.ops) {
      if (const auto* d = std::get_if<domain::DropUpdates>(&op)) {
        if (!world_->UpdateSettings(d->bot).webhook_url.empty() && !listed(d->bot))
          webhooks.emplace_back(d->bot, false);
      }
    }
    world_->Replay(replay);
  }
  ApplyShared(replay.shared);
  applied_ = last;
  // What the other instances' changes wake here: long polls of bots with new updates, the
  // webhooks that changed, and the control plane's event stream.
  return [this, replay = std::move(replay), webhooks = std::move(webhooks)] {
    if (cluster_hooks_.webhook_changed)
      for (const auto& [bot, set] : webhooks) cluster_hooks_.webhook_changed(bot, set);
    if (updates_hook_) {
      if (std::vector<UserId> bots = BotsWithUpdates(replay); !bots.empty()) updates_hook_(bots);
    }
    if (events_ && !replay.ops.empty() && events_->HasSubscribers())
      events_->Publish(EventsOf(replay));
  };
}

void Engine::RunRound(std::vector<Queued>& items) {
  auto fail_all = [&items](const std::string& message) {
    for (Queued& q : items) q.then(Fail(message));
  };
  if (Status st = ReloadIfStale(); !st.ok()) return fail_all(st.error().message);
  auto begun = cluster_->BeginRound(applied_);
  if (!begun.ok()) return fail_all(begun.error().message);
  {
    // What came while this instance waited for the lock (another instance's round) joins this
    // round: each round then carries every request waiting here, not half of them.
    std::lock_guard lock(rounds_mu_);
    while (!round_queue_.empty() && items.size() < kMaxRound) {
      items.push_back(std::move(round_queue_.front()));
      round_queue_.pop_front();
    }
  }
  std::function<void()> after_replay;
  if (begun->last > applied_) after_replay = Replay(std::move(begun->replay), begun->last);

  std::vector<domain::Mutation> changes(items.size());
  domain::Mutation all;
  int64_t round_now_ms = 0;
  {
    std::lock_guard lock(world_mu_);
    // No earlier time than any round committed so far, on any instance.
    if (begun->last_now_ms > last_now_ms_) last_now_ms_ = begun->last_now_ms;
    const UnixTime now = NowLocked();
    round_now_ms = last_now_ms_;
    for (size_t i = 0; i < items.size(); ++i) {
      // Restrictions end by themselves (spec bot-api-moderation.md 12.1), as in Run.
      world_->ExpireRestrictionsAndBans(now, changes[i]);
      items[i].work(*world_, changes[i], now);
      all.ops.insert(all.ops.end(), changes[i].ops.begin(), changes[i].ops.end());
      for (domain::SharedEntry& e : changes[i].shared) all.shared.push_back(std::move(e));
    }
  }
  auto committed = cluster_->CommitRound(all, round_now_ms);
  if (after_replay) after_replay();
  if (!committed.ok()) {
    // The world holds what was not committed: it is reloaded before the next round.
    if (!all.ops.empty()) world_stale_ = true;
    log::Error("engine", "a round failed: " + committed.error().message);
    return fail_all(committed.error().message);
  }
  applied_ = *committed;
  for (size_t i = 0; i < items.size(); ++i) {
    WithHooks(changes[i], std::move(items[i].then))(Status{});
  }
}

void Engine::HandleShared(std::string prefix, SharedHandler handler) {
  std::lock_guard lock(shared_mu_);
  shared_handlers_.emplace_back(std::move(prefix), std::move(handler));
}

void Engine::ApplyShared(const std::vector<domain::SharedEntry>& entries) {
  for (const domain::SharedEntry& e : entries) {
    bool read = false;
    if (e.key.starts_with(domain::World::kSharedWebhookPrefix)) {
      std::lock_guard lock(world_mu_);
      read = world_->ApplyShared(e.key, e.value);
    } else {
      std::lock_guard lock(shared_mu_);
      for (const auto& [prefix, handler] : shared_handlers_) {
        if (!e.key.starts_with(prefix)) continue;
        read = handler(e.key, e.value);
        break;
      }
    }
    if (!read) log::Warn("engine", "unreadable shared state: " + e.key);
  }
}

bool Engine::failed() const {
  std::lock_guard lock(durable_mu_);
  return failed_;
}

}  // namespace tgi::app
