// The Bot API's request metrics for GET /metrics: requests by method and status, and their
// latency, with a bounded label set (the method table's names, and "unknown" for the rest).
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "botapi/methods.h"
#include "common/metrics.h"

namespace tgi::botapi {

class RequestMetrics {
 public:
  RequestMetrics();
  // One answered request. `spec` null: no method of the table (an unknown name, or a request
  // refused before its name was read, e.g. a malformed token). Thread-safe, lock-free.
  void Record(const MethodSpec* spec, int status, std::chrono::steady_clock::duration took);
  // tginvited_bot_api_requests_total{method,status} and
  // tginvited_bot_api_request_duration_seconds{method}, for methods called at least once.
  void Write(metrics::TextWriter& out) const;

 private:
  struct PerMethod {
    metrics::StatusCounter statuses;
    metrics::Histogram latency{metrics::LatencyBuckets()};
  };
  // Methods() in order, then "unknown".
  std::vector<std::unique_ptr<PerMethod>> per_method_;
};

}  // namespace tgi::botapi
