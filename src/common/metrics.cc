#include "common/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tgi::metrics {
namespace {

// Prometheus's float syntax: Go's, which reads C's %g, and "+Inf", "-Inf", "NaN".
std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // The shortest text that reads back as the same value ("0.0001", not
  // "0.00010000000000000000479").
  char buf[32];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

// The text format's label value escapes: backslash, double quote and line feed.
void AppendEscaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.cumulative.reserve(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    s.count += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(s.count);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> LatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,    0.5,    1,     2.5,    5,     10,   60};
}

std::vector<double> BatchSizeBuckets() { return {1, 2, 4, 8, 16, 32, 64, 128, 256}; }

void StatusCounter::Add(int status) {
  const int i = status >= kFirst && status < kFirst + kCodes ? status - kFirst : kCodes - 1;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
}

void TextWriter::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  // HELP's escapes: backslash and line feed.
  for (char c : help) {
    if (c == '\\') {
      out_ += "\\\\";
    } else if (c == '\n') {
      out_ += "\\n";
    } else {
      out_ += c;
    }
  }
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void TextWriter::Start(std::string_view name, Labels labels, std::string_view le) {
  out_ += name;
  if (labels.size() == 0 && le.empty()) {
    out_ += ' ';
    return;
  }
  out_ += '{';
  bool first = true;
  auto label = [&](std::string_view key, std::string_view value) {
    if (!first) out_ += ',';
    first = false;
    out_ += key;
    out_ += "=\"";
    AppendEscaped(out_, value);
    out_ += '"';
  };
  for (const auto& [key, value] : labels) label(key, value);
  if (!le.empty()) label("le", le);
  out_ += "} ";
}

void TextWriter::Sample(std::string_view name, Labels labels, uint64_t value) {
  Start(name, labels);
  out_ += std::to_string(value);
  out_ += '\n';
}

void TextWriter::Sample(std::string_view name, Labels labels, double value) {
  Start(name, labels);
  out_ += FormatDouble(value);
  out_ += '\n';
}

void TextWriter::HistogramSamples(std::string_view name, Labels labels,
                                  const Histogram& histogram) {
  const Histogram::Snapshot s = histogram.Read();
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i <= histogram.bounds().size(); ++i) {
    const std::string le =
        i < histogram.bounds().size() ? FormatDouble(histogram.bounds()[i]) : "+Inf";
    Start(bucket, labels, le);
    out_ += std::to_string(s.cumulative[i]);
    out_ += '\n';
  }
  Sample(std::string(name) + "_sum", labels, s.sum);
  Sample(std::string(name) + "_count", labels, s.count);
}

}  // namespace tgi::metrics
