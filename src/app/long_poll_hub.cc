#include "app/long_poll_hub.h"

#include <utility>

namespace tgi::app {

LongPollHub::LongPollHub() : timer_([this] { TimerLoop(); }) {}

LongPollHub::~LongPollHub() {
  Stop();
  {
    std::lock_guard lock(mu_);
    exit_ = true;
  }
  cv_.notify_all();
  timer_.join();
}

size_t LongPollHub::waiting() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

uint64_t LongPollHub::Seq(UserId bot) const {
  std::lock_guard lock(mu_);
  auto it = seq_.find(bot);
  return it == seq_.end() ? 0 : it->second;
}

std::optional<LongPollHub::Window> LongPollHub::Parked(UserId bot) const {
  std::lock_guard lock(mu_);
  auto it = waiters_.find(bot);
  if (it != waiters_.end()) return it->second.window;
  auto remote = remote_.find(bot);
  if (remote == remote_.end() || remote->second.deadline <= std::chrono::steady_clock::now())
    return std::nullopt;
  return remote->second;
}

void LongPollHub::SetRemote(UserId bot, std::optional<Window> window) {
  std::lock_guard lock(mu_);
  if (window) {
    remote_[bot] = *window;
  } else {
    remote_.erase(bot);
  }
}

void LongPollHub::Wait(UserId bot, uint64_t seen_seq, Window window, Callback callback) {
  Callback replaced;
  Wake now_reason;
  bool wake_now = false;
  {
    std::lock_guard lock(mu_);
    auto s = seq_.find(bot);
    if (stopping_) {
      wake_now = true, now_reason = Wake::kStopping;
    } else if (s != seq_.end() && s->second != seen_seq) {
      wake_now = true, now_reason = Wake::kUpdates;
    } else {
      auto it = waiters_.find(bot);
      if (it != waiters_.end()) replaced = std::move(it->second.callback);
      waiters_[bot] = Waiter{next_ticket_++, window, std::move(callback)};
    }
  }
  if (wake_now) return callback(now_reason);
  cv_.notify_all();
  if (replaced) replaced(Wake::kReplaced);
  if (park_hook_) park_hook_(bot);
}

void LongPollHub::Notify(const std::vector<UserId>& bots) {
  std::vector<Callback> woken;
  {
    std::lock_guard lock(mu_);
    for (UserId bot : bots) {
      ++seq_[bot];
      auto it = waiters_.find(bot);
      if (it == waiters_.end()) continue;
      woken.push_back(std::move(it->second.callback));
      waiters_.erase(it);
    }
  }
  for (auto& cb : woken) cb(Wake::kUpdates);
}

void LongPollHub::Cancel(UserId bot, Wake reason) {
  Callback cb;
  {
    std::lock_guard lock(mu_);
    auto it = waiters_.find(bot);
    if (it == waiters_.end()) return;
    cb = std::move(it->second.callback);
    waiters_.erase(it);
  }
  cb(reason);
}

void LongPollHub::After(Deadline at, std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      delayed_.emplace(at, std::move(task));
      task = nullptr;
    }
  }
  if (task) return task();
  cv_.notify_all();
}

void LongPollHub::Stop() {
  std::vector<Callback> woken;
  std::multimap<Deadline, std::function<void()>> delayed;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [bot, w] : waiters_) woken.push_back(std::move(w.callback));
    waiters_.clear();
    delayed.swap(delayed_);
  }
  for (auto& cb : woken) cb(Wake::kStopping);
  for (auto& [at, task] : delayed) task();
}

void LongPollHub::TimerLoop() {
  std::unique_lock lock(mu_);
  while (!exit_) {
    auto now = std::chrono::steady_clock::now();
    Deadline next = Deadline::max();
    std::vector<Callback> expired;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.window.deadline <= now) {
        expired.push_back(std::move(it->second.callback));
        it = waiters_.erase(it);
      } else {
        if (it->second.window.deadline < next) next = it->second.window.deadline;
        ++it;
      }
    }
    std::vector<std::function<void()>> due;
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      due.push_back(std::move(delayed_.begin()->second));
      delayed_.erase(delayed_.begin());
    }
    if (!delayed_.empty() && delayed_.begin()->first < next) next = delayed_.begin()->first;
    if (!expired.empty() || !due.empty()) {
      lock.unlock();
      for (auto& cb : expired) cb(Wake::kTimeout);
      for (auto& task : due) task();
      lock.lock();
      continue;
    }
    if (next == Deadline::max()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, next);
    }
  }
}

}  // namespace tgi::app
