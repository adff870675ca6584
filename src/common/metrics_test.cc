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

// Two instances' texts (cluster mode's /metrics): each sample summed, one the first text lacks
// added at the end of its family, a new family at the end, integers kept integers.
TEST(SumTextsTest, SumsEverySampleByNameAndLabels) {
  TextWriter a;
  a.Family("x_total", "counter", "Things.");
  a.Sample("x_total", {{"method", "getMe"}, {"status", "200"}}, uint64_t{3});
  a.Sample("x_total", {{"method", "a b"}}, uint64_t{1});
  a.Family("z_seconds", "histogram", "Times.");
  Histogram ha({1});
  ha.Observe(0.25);
  a.HistogramSamples("z_seconds", {{"method", "getMe"}}, ha);
  TextWriter b;
  b.Family("x_total", "counter", "Things.");
  b.Sample("x_total", {{"method", "getMe"}, {"status", "200"}}, uint64_t{4});
  b.Sample("x_total", {{"method", "getMe"}, {"status", "401"}}, uint64_t{1});
  b.Family("z_seconds", "histogram", "Times.");
  Histogram hb({1});
  hb.Observe(2);
  hb.Observe(0.5);
  b.HistogramSamples("z_seconds", {{"method", "getMe"}}, hb);
  b.Family("w", "gauge", "Only in b.");
  b.Sample("w", {}, uint64_t{2});
  EXPECT_EQ(SumTexts({a.text(), b.text()}),
            "# HELP x_total Things.\n"
            "# TYPE x_total counter\n"
            "x_total{method=\"getMe\",status=\"200\"} 7\n"
            "x_total{method=\"a b\"} 1\n"
            "x_total{method=\"getMe\",status=\"401\"} 1\n"
            "# HELP z_seconds Times.\n"
            "# TYPE z_seconds histogram\n"
            "z_seconds_bucket{method=\"getMe\",le=\"1\"} 2\n"
            "z_seconds_bucket{method=\"getMe\",le=\"+Inf\"} 3\n"
            "z_seconds_sum{method=\"getMe\"} 2.75\n"
            "z_seconds_count{method=\"getMe\"} 3\n"
            "# HELP w Only in b.\n"
            "# TYPE w gauge\n"
            "w 2\n");
  // One text is itself; none is nothing; what is not a sample of a family is left out.
  EXPECT_EQ(SumTexts({a.text()}), a.text());
  EXPECT_EQ(SumTexts({}), "");
  EXPECT_EQ(
      SumTexts({"orphan 1\n# TYPE q gauge\nq x\nq\n# comment\nq 1.5\n", "# TYPE q gauge\nq 1\n"}),
      "# TYPE q gauge\nq 2.5\n");
}

}  // namespace
}  // namespace tgi::metrics
