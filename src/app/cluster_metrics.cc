#include "app/cluster_metrics.h"

#include <utility>
#include <vector>

#include "common/metrics.h"
#include "common/shared_codec.h"

namespace tgi::app {
namespace {

// One count (shared_codec::ParseUints of exactly one).
std::optional<uint64_t> ParseNumber(std::string_view text) {
  auto n = shared_codec::ParseUints(text);
  if (!n || n->size() != 1) return std::nullopt;
  return (*n)[0];
}

}  // namespace

ClusterMetrics::ClusterMetrics(Engine& engine, std::string instance,
                               std::function<std::string()> own,
                               std::chrono::milliseconds answer_timeout)
    : engine_(engine),
      instance_(std::move(instance)),
      own_(std::move(own)),
      answer_timeout_(answer_timeout) {
  engine_.HandleShared(std::string(kScrapePrefix), [this](std::string_view k, std::string_view v) {
    return ApplyScrape(k, v);
  });
  engine_.HandleShared(std::string(kMetricsPrefix), [this](std::string_view k, std::string_view v) {
    return ApplyMetrics(k, v);
  });
  timer_ = std::thread([this] { Loop(); });
}

ClusterMetrics::~ClusterMetrics() { Stop(); }

void ClusterMetrics::Announce() {
  {
    std::lock_guard lock(mu_);
    announced_ = true;
  }
  Publish();
}

void ClusterMetrics::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  timer_.join();
  {
    std::lock_guard lock(mu_);
    if (!announced_) return;  // the engine may not have started
  }
  // Gone: the others stop waiting for this instance's figures, and forget its questions.
  (void)engine_.RunAndWait([this](domain::World&, domain::Mutation& m, UnixTime) {
    m.shared.push_back({std::string(kMetricsPrefix) + instance_, ""});
    m.shared.push_back({std::string(kScrapePrefix) + instance_, ""});
  });
}

void ClusterMetrics::Collect(std::function<void(std::string text)> done) {
  uint64_t n = 0;
  {
    std::unique_lock lock(mu_);
    if (stopping_) {
      lock.unlock();
      return done(metrics::SumTexts({own_()}));
    }
    n = ++next_n_;
    pending_.push_back(Pending{.n = n,
                               .deadline = std::chrono::steady_clock::now() + answer_timeout_,
                               .done = std::move(done)});
  }
  engine_.Run(
      [this, n](domain::World&, domain::Mutation& m, UnixTime) {
        m.shared.push_back({std::string(kScrapePrefix) + instance_, std::to_string(n)});
      },
      [this, n](Status st) {
        {
          std::lock_guard lock(mu_);
          for (Pending& p : pending_) {
            if (p.n != n) continue;
            p.asked = true;
            p.failed = !st.ok();
          }
        }
        cv_.notify_all();
      });
}

bool ClusterMetrics::ApplyScrape(std::string_view key, std::string_view value) {
  const std::string_view asker = key.substr(kScrapePrefix.size());
  if (asker.empty()) return false;
  if (asker == instance_) return true;
  std::optional<uint64_t> n;
  if (!value.empty() && !(n = ParseNumber(value))) return false;
  {
    std::lock_guard lock(mu_);
    if (!n) {
      questions_.erase(std::string(asker));
      return true;
    }
    questions_[std::string(asker)] = *n;
  }
  Publish();
  return true;
}

bool ClusterMetrics::ApplyMetrics(std::string_view key, std::string_view value) {
  const std::string_view id = key.substr(kMetricsPrefix.size());
  if (id.empty()) return false;
  if (id == instance_) {
    // Another instance gave up waiting for this one and removed its entry: write it again.
    if (value.empty()) Publish();
    return true;
  }
  if (value.empty()) {
    std::lock_guard lock(mu_);
    remotes_.erase(std::string(id));
    cv_.notify_all();
    return true;
  }
  const size_t eol = value.find('\n');
  if (eol == std::string_view::npos) return false;
  Remote r;
  std::string_view answers = value.substr(0, eol);
  while (!answers.empty()) {
    const size_t space = answers.find(' ');
    const std::string_view one = answers.substr(0, space);
    answers = space == std::string_view::npos ? std::string_view() : answers.substr(space + 1);
    const size_t eq = one.find('=');
    if (eq == 0 || eq == std::string_view::npos) return false;
    std::optional<uint64_t> n = ParseNumber(one.substr(eq + 1));
    if (!n) return false;
    r.answered[std::string(one.substr(0, eq))] = *n;
  }
  r.text = std::string(value.substr(eol + 1));
  {
    std::lock_guard lock(mu_);
    remotes_[std::string(id)] = std::move(r);
  }
  cv_.notify_all();
  return true;
}

void ClusterMetrics::Publish() {
  {
    std::lock_guard lock(mu_);
    if (publish_queued_ || stopping_) return;
    publish_queued_ = true;
  }
  engine_.Run(
      [this](domain::World&, domain::Mutation& m, UnixTime) {
        std::string answers;
        {
          std::lock_guard lock(mu_);
          // A question taken in from now on queues another round.
          publish_queued_ = false;
          for (const auto& [asker, n] : questions_) {
            if (!answers.empty()) answers += ' ';
            answers += asker + "=" + std::to_string(n);
          }
        }
        // The figures now: after every question above was seen.
        m.shared.push_back({std::string(kMetricsPrefix) + instance_, answers + "\n" + own_()});
      },
      [this](Status st) {
        if (st.ok()) return;
        // Not written (PostgreSQL unreachable, or stopping): the next question writes it.
        std::lock_guard lock(mu_);
        publish_queued_ = false;
      });
}

void ClusterMetrics::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    // Scrapes to answer now: every known instance answered, or the time ran out.
    std::vector<std::function<void(std::string)>> done;
    std::vector<std::vector<std::string>> texts;
    std::vector<std::string> silent;  // instances that did not answer in time
    const auto now = std::chrono::steady_clock::now();
    for (auto it = pending_.begin(); it != pending_.end();) {
      bool all = true;
      for (const auto& [id, r] : remotes_) {
        auto a = r.answered.find(instance_);
        if (a == r.answered.end() || a->second < it->n) all = false;
      }
      const bool late = now >= it->deadline;
      if (!stopping_ && !it->failed && (!it->asked || (!all && !late))) {
        ++it;
        continue;
      }
      std::vector<std::string> t;
      for (const auto& [id, r] : remotes_) {
        auto a = r.answered.find(instance_);
        if (a != r.answered.end() && a->second >= it->n) {
          t.push_back(r.text);
        } else if (late && it->asked && !it->failed) {
          silent.push_back(id);
        }
      }
      texts.push_back(std::move(t));
      done.push_back(std::move(it->done));
      it = pending_.erase(it);
    }
    for (const std::string& id : silent) remotes_.erase(id);
    if (!done.empty() || !silent.empty()) {
      lock.unlock();
      if (!silent.empty()) {
        engine_.Run(
            [silent](domain::World&, domain::Mutation& m, UnixTime) {
              for (const std::string& id : silent)
                m.shared.push_back({std::string(kMetricsPrefix) + id, ""});
            },
            [](Status) {});
      }
      for (size_t i = 0; i < done.size(); ++i) {
        std::vector<std::string_view> all;
        std::string own = own_();
        all.push_back(own);
        for (const std::string& t : texts[i]) all.push_back(t);
        done[i](metrics::SumTexts(all));
      }
      lock.lock();
      continue;
    }
    if (stopping_ && pending_.empty()) return;
    if (pending_.empty()) {
      cv_.wait(lock);
    } else {
      auto first = pending_.front().deadline;
      for (const Pending& p : pending_) first = std::min(first, p.deadline);
      cv_.wait_until(lock, first);
    }
  }
}

}  // namespace tgi::app
