// Metrics for GET /metrics: counters and histograms cheap enough for the hot path (relaxed
// atomics, no lock, no allocation when counting), and a writer of Prometheus's text exposition
// format (version 0.0.4). A metric is read only when /metrics is scraped; a scrape may see one
// counter a little ahead of another, never a torn value.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tgi::metrics {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A histogram over fixed upper bounds (the +Inf bucket is implicit).
class Histogram {
 public:
  // REQUIRES: `bounds` is strictly increasing and finite.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  // Bucket counts read once each, made cumulative: `count` always equals the +Inf bucket.
  Snapshot Read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Seconds, from 100 µs to 60 s: request latencies and fsync times.
std::vector<double> LatencyBuckets();
// 1, 2, 4, ... 256: how many mutations one commit holds (SqliteOptions::max_batch is 256).
std::vector<double> BatchSizeBuckets();

// Counts by HTTP status code: one counter per code from 100 to 599 (anything else counts as
// 599), so that a status never needs a lock or an allocation.
class StatusCounter {
 public:
  void Add(int status);
  // Calls fn(status, count) for every code counted at least once, in increasing order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (int i = 0; i < kCodes; ++i) {
      const uint64_t n = counts_[i].load(std::memory_order_relaxed);
      if (n != 0) fn(kFirst + i, n);
    }
  }

 private:
  static constexpr int kFirst = 100;
  static constexpr int kCodes = 500;
  std::atomic<uint64_t> counts_[kCodes] = {};
};

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Builds the text of a scrape. Each family is declared once with Family(), then its samples
// follow. Names must match [a-zA-Z_:][a-zA-Z0-9_:]*; label values are escaped here.
class TextWriter {
 public:
  // "# HELP name help" and "# TYPE name type" (type: counter, gauge or histogram).
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, Labels labels, uint64_t value);
  void Sample(std::string_view name, Labels labels, double value);
  // name_bucket{...,le="..."} for every bound and +Inf, name_sum, name_count.
  void HistogramSamples(std::string_view name, Labels labels, const Histogram& histogram);
  // The text so far.
  const std::string& text() const { return out_; }

 private:
  void Start(std::string_view name, Labels labels, std::string_view le = {});
  std::string out_;
};

// Sums texts made by TextWriter (of instances of one build, so with the same families): every
// sample's value is the sum of its values in all of them, a sample missing from one counts as 0
// there. Families and samples keep the order of their first appearance; a sample stays under
// its family. A value that is an integer in every text is summed as an integer. A line that is
// not of TextWriter's making is left out.
std::string SumTexts(const std::vector<std::string_view>& texts);

// The Content-Type of the text format.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace tgi::metrics
