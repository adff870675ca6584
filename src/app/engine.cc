#include "app/engine.h"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <vector>

#include "app/event_hub.h"
#include "common/log.h"

namespace tgi::app {

Engine::Engine(domain::Store& store, const Clock& clock, domain::World::HashSource hashes)
    : store_(store), clock_(clock), hashes_(std::move(hashes)) {}

Status Engine::Start() {
  auto state = store_.Load();
  if (!state) return Fail("loading the world: " + state.error().message);
  std::lock_guard lock(world_mu_);
  world_ = std::make_unique<domain::World>(std::move(*state), hashes_);
  if (encoder_) world_->SetUpdateEncoder(encoder_);
  world_->SetQuietJoinsAbove(quiet_joins_above_);
  world_->SetMaxQueuedUpdates(max_queued_updates_);
  return {};
}

UnixTime Engine::NowLocked() {
  UnixMillis t = clock_.NowMillis() + world_->clock_offset() * 1000;
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

void Engine::Run(Work work, Then then) {
  std::unique_lock lock(world_mu_);
  domain::Mutation m;
  const UnixTime now = NowLocked();
  // Restrictions end by themselves (spec bot-api-moderation.md 12.1): before anything reads them.
  world_->ExpireRestrictionsAndBans(now, m);
  work(*world_, m, now);
  if (updates_hook_) {
    // Wake whoever waits for these bots' updates once the updates are durable.
    std::vector<UserId> bots;
    for (const domain::Op& op : m.ops)
      if (const auto* u = std::get_if<domain::Update>(&op))
        if (std::find(bots.begin(), bots.end(), u->bot) == bots.end()) bots.push_back(u->bot);
    if (!bots.empty())
      then = [then = std::move(then), bots = std::move(bots), this](Status st) {
        bool ok = st.ok();
        then(std::move(st));
        if (ok) updates_hook_(bots);
      };
  }
  if (events_ && !m.empty() && events_->HasSubscribers()) {
    // Published once durable, in the order of the changes (OnDurable calls back in order), so
    // what a subscriber refetches on an event already shows the change.
    then = [then = std::move(then), events = EventsOf(m), hub = events_](Status st) {
      bool ok = st.ok();
      then(std::move(st));
      if (ok) hub->Publish(events);
    };
  }
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
    store_.Submit(std::move(m),
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

bool Engine::failed() const {
  std::lock_guard lock(durable_mu_);
  return failed_;
}

}  // namespace tgi::app
