#include "common/metrics.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

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

namespace {

// One sample of SumTexts: its value so far, summed as an integer while every one was one.
struct Summed {
  uint64_t integer = 0;
  double real = 0;
  bool integral = true;
};

struct SummedFamily {
  std::string head;                // its "# HELP" and "# TYPE" lines
  std::vector<std::string> order;  // its samples' "name{labels}", as first seen
  std::map<std::string, Summed, std::less<>> samples;
};

bool AddValue(std::string_view text, Summed* to) {
  uint64_t n = 0;
  const char* end = text.data() + text.size();
  if (auto [p, ec] = std::from_chars(text.data(), end, n); ec == std::errc() && p == end) {
    to->integer += n;
    to->real += static_cast<double>(n);
    return true;
  }
  double v = 0;
  if (text == "+Inf") {
    v = HUGE_VAL;
  } else if (text == "-Inf") {
    v = -HUGE_VAL;
  } else if (auto [p, ec] = std::from_chars(text.data(), end, v); ec != std::errc() || p != end) {
    return false;
  }
  to->integral = false;
  to->real += v;
  return true;
}

}  // namespace

std::string SumTexts(const std::vector<std::string_view>& texts) {
  std::vector<std::string> order;  // family names, as first seen
  std::map<std::string, SummedFamily, std::less<>> families;
  for (std::string_view text : texts) {
    SummedFamily* family = nullptr;
    bool new_family = false;
    while (!text.empty()) {
      const size_t eol = text.find('\n');
      const std::string_view line = text.substr(0, eol);
      text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
      if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
        std::string_view name = line.substr(7);
        name = name.substr(0, name.find(' '));
        auto it = families.find(name);
        if (it == families.end()) {
          order.emplace_back(name);
          it = families.emplace(std::string(name), SummedFamily{}).first;
          new_family = true;
        } else if (family != &it->second) {
          new_family = false;
        }
        family = &it->second;
        if (new_family) family->head.append(line).append("\n");
        continue;
      }
      const size_t space = line.rfind(' ');
      if (family == nullptr || line.empty() || line[0] == '#' || space == std::string_view::npos)
        continue;
      const std::string_view key = line.substr(0, space);
      auto it = family->samples.find(key);
      if (it == family->samples.end()) {
        Summed s;
        if (!AddValue(line.substr(space + 1), &s)) continue;
        family->order.emplace_back(key);
        family->samples.emplace(std::string(key), s);
      } else {
        AddValue(line.substr(space + 1), &it->second);
      }
    }
  }
  std::string out;
  for (const std::string& name : order) {
    const SummedFamily& f = families.find(name)->second;
    out += f.head;
    for (const std::string& key : f.order) {
      const Summed& s = f.samples.find(key)->second;
      out.append(key).append(" ").append(s.integral ? std::to_string(s.integer)
                                                    : FormatDouble(s.real));
      out += '\n';
    }
  }
  return out;
}

}  // namespace tgi::metrics
