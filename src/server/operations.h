// The operations endpoints on the Bot API's listener, outside /bot... and /control/:
//   GET /metrics  Prometheus's text format (docs/operations.md lists the metrics);
//   GET /healthz  200 "ok" while the process serves (liveness);
//   GET /readyz   200 "ready" once the world is loaded and the store has made durable
//                 everything submitted before the check; else 503 with the reason (readiness).
// Cluster mode: /metrics answers for the whole cluster (app::ClusterMetrics), each instance's
// figures summed; "/metrics?scope=instance" answers for this instance alone (for a Prometheus that
// scrapes each instance).
// None needs the control token (named decision: the answers hold counts and method names, never
// a token, an id or a text, and probes and scrapers are simpler without one).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "app/cluster_metrics.h"
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
  // Cluster mode: this instance's id in the cluster.
  std::string instance;
};

class Operations {
 public:
  // Cluster mode: construct it before the engine starts (it takes in the other instances'
  // figures, app::ClusterMetrics).
  explicit Operations(OperationsSources sources);
  ~Operations();

  // Answers `request` if its path is one of the endpoints above (GET only; other verbs 405) and
  // returns true; else returns false and leaves `respond` alone.
  bool Handle(const http::Request& request, http::Respond& respond);
  // Wraps the control plane's `respond` so that its answers are counted by status.
  http::Respond CountControl(http::Respond respond);
  // The world is loaded (and the --world file applied): /readyz may answer 200.
  // Cluster mode: the other instances count this one's figures from now on.
  void SetReady();
  // Cluster mode: the other instances stop counting this one's figures. Before the engine stops.
  void Stop();

 private:
  void Metrics(bool instance_only, http::Respond respond);
  // This instance's figures that a cluster sums: all but the build and the world's.
  std::string InstanceText() const;
  void Ready(http::Respond respond);

  OperationsSources sources_;
  std::atomic<bool> ready_{false};
  metrics::StatusCounter control_statuses_;
  std::unique_ptr<app::ClusterMetrics> cluster_;  // cluster mode
};

}  // namespace tgi::server
