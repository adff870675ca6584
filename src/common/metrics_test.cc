#include "common/metrics.h"

#include <gtest/gtest.h>

namespace tgi::metrics {
namespace {

TEST(HistogramTest, CountsIntoTheFirstBucketWhoseBoundHoldsTheValue) {
  Histogram h({1, 2, 4});
  h.Observe(0.5);
  h.Observe(1);  // le="1" holds 1: bounds are inclusive
  h.Observe(3);
  h.Observe(100);
  Histogram::Snapshot s = h.Read();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{2, 2, 3, 4}));
  EXPECT_EQ(s.count, 4u);
  EXPECT_DOUBLE_EQ(s.sum, 104.5);
}

TEST(StatusCounterTest, CountsEachCodeAndOutOfRangeAs599) {
  StatusCounter c;
  c.Add(200);
  c.Add(200);
  c.Add(404);
  c.Add(42);
  std::string seen;
  c.ForEach([&](int status, uint64_t n) {
    seen += std::to_string(status) + "=" + std::to_string(n) + " ";
  });
  EXPECT_EQ(seen, "200=2 404=1 599=1 ");
}

TEST(TextWriterTest, WritesFamiliesSamplesAndHistogramsInTheTextFormat) {
  TextWriter w;
  w.Family("x_total", "counter", "Things, with a \\ and\na line feed.");
  w.Sample("x_total", {{"method", "get\"Me\\\n"}, {"status", "200"}}, uint64_t{7});
  w.Family("y", "gauge", "A gauge.");
  w.Sample("y", {}, 0.25);
  Histogram h({0.0001, 1});
  h.Observe(0.5);
  w.Family("z_seconds", "histogram", "Times.");
  w.HistogramSamples("z_seconds", {{"method", "getMe"}}, h);
  EXPECT_EQ(w.text(),
            "# HELP x_total Things, with a \\\\ and\\na line feed.\n"
            "# TYPE x_total counter\n"
            "x_total{method=\"get\\\"Me\\\\\\n\",status=\"200\"} 7\n"
            "# HELP y A gauge.\n"
            "# TYPE y gauge\n"
            "y 0.25\n"
            "# HELP z_seconds Times.\n"
            "# TYPE z_seconds histogram\n"
            "z_seconds_bucket{method=\"getMe\",le=\"0.0001\"} 0\n"
            "z_seconds_bucket{method=\"getMe\",le=\"1\"} 1\n"
            "z_seconds_bucket{method=\"getMe\",le=\"+Inf\"} 1\n"
            "z_seconds_sum{method=\"getMe\"} 0.5\n"
            "z_seconds_count{method=\"getMe\"} 1\n");
}

}  // namespace
}  // namespace tgi::metrics
