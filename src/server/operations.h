// The operations endpoints on the Bot API's listener, outside /bot... and /control/:
//   GET /metrics  Prometheus's text format (docs/operations.md lists the metrics);
//   GET /healthz  200 "ok" while the process serves (liveness);
//   GET /readyz   200 "ready" once the world is loaded and the store has made durable
//                 everything submitted before the check; else 503 with the reason (readiness).
// None needs the control token (named decision: the answers hold counts and method names, never
// a token, an id or a text, and probes and scrapers are simpler without one).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

#include "app/engine.h"
#include "app/long_poll_hub.h"
#include "botapi/bot_api.h"
#include "common/metrics.h"
#include "delivery/webhook_sender.h"
#include "domain/store.h"
#include "http/request.h"

namespace tgi::server {

// What the metrics are read from; all must outlive the Operations.
struct OperationsSources {
  app::Engine& engine;
  // The store's own metrics (domain::Store or ClusterStore WriteMetrics).
  std::function<void(metrics::TextWriter&)> store_metrics;
  botapi::BotApi& bot_api;
  app::LongPollHub& hub;
  delivery::WebhookSender& webhooks;
  std::function<size_t()> open_connections;  // the HTTP server's, 0 before it runs
};

class Operations {
 public:
  explicit Operations(OperationsSources sources) : sources_(std::move(sources)) {}

  // Answers `request` if its path is one of the endpoints above (GET only; other verbs 405) and
  // returns true; else returns false and leaves `respond` alone.
  bool Handle(const http::Request& request, http::Respond& respond);
  // Wraps the control plane's `respond` so that its answers are counted by status.
  http::Respond CountControl(http::Respond respond);
  // The world is loaded (and the --world file applied): /readyz may answer 200.
  void SetReady() { ready_.store(true); }

 private:
  void Metrics(http::Respond respond);
  void Ready(http::Respond respond);

  OperationsSources sources_;
  std::atomic<bool> ready_{false};
  metrics::StatusCounter control_statuses_;
};

}  // namespace tgi::server
