// Cluster mode: GET /metrics answers for the whole cluster, as one instance answers for itself
// (docs/operations.md, "Several instances"). The instance asked sums its own figures with every
// other live instance's, taken after the question arrived, so a scrape counts every request
// answered before it, whichever instance answered it.
//
// How, through the shared state (domain::SharedEntry, app::Engine::HandleShared):
//   scrape/<id>   = "<n>": instance <id> asks for the figures of its n-th scrape;
//   metrics/<id>  = "<asker>=<n> <asker>=<n> ...\n<text>": instance <id>'s figures (a metrics
//                   text, metrics::TextWriter's) taken after it saw each asker's n-th question.
// The asker writes its question in a round; after that round it knows every instance that had
// written an entry before (an instance writes its entry when it starts, and removes it when it
// stops), and waits for each to answer: the others take the question in when they catch up
// (within milliseconds, on the cluster's notice) and answer in a round of their own.
//
// Named decision: an instance that has not answered within the answer timeout (killed, or cut
// off from PostgreSQL) is left out of the sum and its entry is removed, so that later scrapes do
// not wait for it; if it lives, it answers the next question and is counted again. While this
// instance cannot reach PostgreSQL, a scrape answers with its own figures only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "app/engine.h"

namespace tgi::app {

class ClusterMetrics {
 public:
  static constexpr std::string_view kScrapePrefix = "scrape/";
  static constexpr std::string_view kMetricsPrefix = "metrics/";
  static constexpr std::chrono::milliseconds kAnswerTimeout{3000};

  // `instance`: this instance's id (base64url, unique in the cluster). `own`: this instance's
  // figures, a metrics text; called on any thread, must not block or call into the Engine.
  // Registers with `engine` (cluster mode), so construct it before the engine starts.
  ClusterMetrics(Engine& engine, std::string instance, std::function<std::string()> own,
                 std::chrono::milliseconds answer_timeout = kAnswerTimeout);
  // Stop() if not yet stopped.
  ~ClusterMetrics();

  // Writes this instance's entry, so that the others wait for its figures. Once the engine has
  // started.
  void Announce();
  // Removes this instance's entry and waits for that; answers scrapes still waiting with what
  // they have. Before the engine stops; Collect must not be called after it.
  void Stop();

  // Calls `done` once with the sum (metrics::SumTexts) of this instance's figures and every
  // other live instance's; on any thread. Thread-safe.
  void Collect(std::function<void(std::string text)> done);

 private:
  struct Remote {
    std::map<std::string, uint64_t, std::less<>> answered;  // asker -> the n it answered
    std::string text;
  };
  struct Pending {
    uint64_t n = 0;
    bool asked = false;  // the round that wrote the question has committed (or failed)
    bool failed = false;
    std::chrono::steady_clock::time_point deadline;
    std::function<void(std::string)> done;
  };

  bool ApplyScrape(std::string_view key, std::string_view value);
  bool ApplyMetrics(std::string_view key, std::string_view value);
  // Queues a round that writes this instance's entry (one at a time; it reads the latest
  // questions when it runs).
  void Publish();
  // The timer thread: finishes scrapes that have every answer or ran out of time.
  void Loop();

  Engine& engine_;
  const std::string instance_;
  const std::function<std::string()> own_;
  const std::chrono::milliseconds answer_timeout_;

  std::mutex mu_;  // guards the fields below
  std::condition_variable cv_;
  std::map<std::string, Remote, std::less<>> remotes_;
  std::map<std::string, uint64_t, std::less<>> questions_;  // asker -> its latest n
  std::deque<Pending> pending_;
  uint64_t next_n_ = 0;
  bool publish_queued_ = false;
  bool announced_ = false;
  bool stopping_ = false;
  std::thread timer_;
};

}  // namespace tgi::app
