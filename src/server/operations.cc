#include "server/operations.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "server/options.h"

namespace tgi::server {
namespace {

http::Response Text(int status, std::string body) {
  return http::Response{.status = status, .body = std::move(body), .content_type = "text/plain"};
}

// "scope=instance" among the target's query parameters.
bool AsksForInstanceOnly(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return false;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    if (query.substr(0, amp) == "scope=instance") return true;
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return false;
}

}  // namespace

Operations::Operations(OperationsSources sources) : sources_(std::move(sources)) {
  if (sources_.engine.clustered()) {
    cluster_ = std::make_unique<app::ClusterMetrics>(sources_.engine, sources_.instance,
                                                     [this] { return InstanceText(); });
  }
}

Operations::~Operations() { Stop(); }

void Operations::SetReady() {
  ready_.store(true);
  if (cluster_) cluster_->Announce();
}

void Operations::Stop() {
  if (cluster_) cluster_->Stop();
}

bool Operations::Handle(const http::Request& request, http::Respond& respond) {
  const std::string_view path = request.path;
  if (request.absolute_uri || (path != "/metrics" && path != "/healthz" && path != "/readyz"))
    return false;
  if (request.method != "GET") {
    http::Response r = Text(405, "GET only\n");
    r.extra_headers.push_back({"Allow", "GET"});
    respond(std::move(r));
  } else if (path == "/metrics") {
    Metrics(AsksForInstanceOnly(request.target), std::move(respond));
  } else if (path == "/healthz") {
    respond(Text(200, "ok\n"));
  } else {
    Ready(std::move(respond));
  }
  return true;
}

http::Respond Operations::CountControl(http::Respond respond) {
  return [this, respond = std::move(respond)](http::Response response) {
    control_statuses_.Add(response.status);
    respond(std::move(response));
  };
}

void Operations::Ready(http::Respond respond) {
  if (!ready_.load()) return respond(Text(503, "not ready: loading the world\n"));
  if (sources_.engine.failed()) return respond(Text(503, "not ready: the store failed\n"));
  // A read through the engine: answered once everything submitted before it is durable, so a
  // store that cannot write (or whose writer is stuck) keeps the probe from answering ready.
  // Named decision: the probe itself writes nothing, so probing never grows the database.
  sources_.engine.Run(
      [](domain::World&, domain::Mutation&, UnixTime) {},
      [respond = std::move(respond)](Status st) {
        respond(st.ok() ? Text(200, "ready\n") : Text(503, "not ready: the store failed\n"));
      });
}

void Operations::Metrics(bool instance_only, http::Respond respond) {
  // The world's figures are read under its lock, as any request reads it; the rest are atomics
  // (and the store's queue lengths, under the store's own locks). Cluster mode: the other
  // instances' figures are added (app::ClusterMetrics) after the world's are read.
  auto queued = std::make_shared<size_t>(0);
  sources_.engine.Run(
      [queued](domain::World& world, domain::Mutation&, UnixTime) {
        *queued = world.queued_update_count();
      },
      [this, queued, instance_only, respond = std::move(respond)](Status) mutable {
        auto answer = [queued, respond = std::move(respond)](std::string summed) {
          metrics::TextWriter out;
          out.Family("tginvited_build_info", "gauge", "The running version (value 1).");
          out.Sample("tginvited_build_info", {{"version", Version()}}, uint64_t{1});
          out.Family("tginvited_updates_pending", "gauge",
                     "Updates queued for bots, not yet confirmed (getUpdates' offset) or "
                     "delivered (webhook).");
          out.Sample("tginvited_updates_pending", {}, uint64_t{*queued});
          http::Response r = Text(200, out.text() + summed);
          r.content_type = metrics::kContentType;
          respond(std::move(r));
        };
        if (cluster_ && !instance_only) return cluster_->Collect(std::move(answer));
        answer(InstanceText());
      });
}

std::string Operations::InstanceText() const {
  metrics::TextWriter out;
  sources_.bot_api.request_metrics().Write(out);
  out.Family("tginvited_control_requests_total", "counter",
             "Control-plane requests answered, by HTTP status.");
  control_statuses_.ForEach([&](int status, uint64_t n) {
    out.Sample("tginvited_control_requests_total", {{"status", std::to_string(status)}}, n);
  });
  out.Family("tginvited_open_connections", "gauge", "HTTP connections open now.");
  out.Sample("tginvited_open_connections", {}, uint64_t{sources_.open_connections()});
  out.Family("tginvited_long_polls_waiting", "gauge", "getUpdates calls waiting now.");
  out.Sample("tginvited_long_polls_waiting", {}, uint64_t{sources_.hub.waiting()});
  out.Family("tginvited_updates_sent_total", "counter",
             "Updates handed to bots: in getUpdates answers (again if not confirmed), or "
             "accepted by a webhook.");
  out.Sample("tginvited_updates_sent_total", {{"via", "getUpdates"}},
             sources_.bot_api.updates_sent());
  out.Sample("tginvited_updates_sent_total", {{"via", "webhook"}}, sources_.webhooks.delivered());
  out.Family("tginvited_webhook_failures_total", "counter",
             "Webhook delivery attempts that failed (each is retried).");
  out.Sample("tginvited_webhook_failures_total", {}, sources_.webhooks.failures());
  out.Family("tginvited_webhook_updates_expired_total", "counter",
             "Updates a webhook never got: past their lifetime before delivery.");
  out.Sample("tginvited_webhook_updates_expired_total", {}, sources_.webhooks.expired());
  sources_.store_metrics(out);
  return out.text();
}

}  // namespace tgi::server
