#include "botapi/request_metrics.h"

#include <string>
#include <string_view>

namespace tgi::botapi {
namespace {

constexpr std::string_view kUnknown = "unknown";

}  // namespace

RequestMetrics::RequestMetrics() {
  per_method_.reserve(Methods().size() + 1);
  for (size_t i = 0; i <= Methods().size(); ++i)
    per_method_.push_back(std::make_unique<PerMethod>());
}

void RequestMetrics::Record(const MethodSpec* spec, int status,
                            std::chrono::steady_clock::duration took) {
  // The table is one array: a method's index is its place in it.
  const size_t i = spec ? static_cast<size_t>(spec - Methods().data()) : Methods().size();
  PerMethod& m = *per_method_[i];
  m.statuses.Add(status);
  m.latency.Observe(std::chrono::duration<double>(took).count());
}

void RequestMetrics::Write(metrics::TextWriter& out) const {
  auto name_of = [](size_t i) { return i < Methods().size() ? Methods()[i].name : kUnknown; };
  out.Family("tginvited_bot_api_requests_total", "counter",
             "Bot API requests answered, by method (\"unknown\": not a method of the server) "
             "and HTTP status.");
  for (size_t i = 0; i < per_method_.size(); ++i) {
    per_method_[i]->statuses.ForEach([&](int status, uint64_t n) {
      const std::string code = std::to_string(status);
      out.Sample("tginvited_bot_api_requests_total", {{"method", name_of(i)}, {"status", code}}, n);
    });
  }
  out.Family("tginvited_bot_api_request_duration_seconds", "histogram",
             "Time from a Bot API request's arrival to its answer (getUpdates: with its long "
             "poll).");
  for (size_t i = 0; i < per_method_.size(); ++i) {
    if (per_method_[i]->latency.Read().count == 0) continue;
    out.HistogramSamples("tginvited_bot_api_request_duration_seconds", {{"method", name_of(i)}},
                         per_method_[i]->latency);
  }
}

}  // namespace tgi::botapi
