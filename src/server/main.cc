// tginvited: the composition root. Reads the command line (options.h), opens the store, loads the
// world, and serves the Bot API and the control plane on one listener until SIGTERM or SIGINT.
#include <malloc.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "app/engine.h"
#include "app/event_hub.h"
#include "app/long_poll_hub.h"
#include "botapi/bot_api.h"
#include "botapi/encode.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "console/assets.h"
#include "control/control_api.h"
#include "control/world_json.h"
#include "delivery/webhook_sender.h"
#include "http/server.h"
#include "http/tls.h"
#include "server/make_cert.h"
#include "server/operations.h"
#include "server/options.h"
#include "store/memory/memory_store.h"
#include "store/postgres/pg_cluster.h"
#include "store/sqlite/sqlite_store.h"

namespace tgi {
namespace {

constexpr size_t kLinkHashLength = 16;

[[noreturn]] void Die(const std::string& message) {
  log::Error("main", message);
  std::exit(2);
}

// What --db opened: a Store for one instance (SQLite, memory), or a ClusterStore for any number
// of instances on one PostgreSQL database (a single one is a cluster of one).
struct OpenedStore {
  std::unique_ptr<domain::Store> store;
  std::unique_ptr<domain::ClusterStore> cluster;
};

OpenedStore OpenStore(const std::string& spec) {
  if (spec == "memory") return {.store = std::make_unique<store::MemoryStore>()};
  if (spec.rfind("sqlite:", 0) == 0 && spec.size() > 7) {
    auto s = store::SqliteStore::Open(store::SqliteOptions{.path = spec.substr(7)});
    if (!s) Die("cannot open the database: " + s.error().message);
    return {.store = std::move(*s)};
  }
  // The whole URI goes to libpq; its errors name the host, never the password.
  if (spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0) {
    auto c = store::PostgresCluster::Open(spec);
    if (!c) Die("cannot open the database: " + c.error().message);
    return {.cluster = std::move(*c)};
  }
  Die("--db wants sqlite:PATH, postgresql://... or memory");
}

int Main(int argc, char** argv) {
  std::vector<std::string_view> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  server::ParsedOptions parsed = server::ParseOptions(args, std::getenv("TGINVITE_CONTROL_TOKEN"));
  switch (parsed.action) {
    case server::ParsedOptions::Action::kRun:
      break;
    case server::ParsedOptions::Action::kHelp:
      std::fwrite(server::HelpText().data(), 1, server::HelpText().size(), stdout);
      return 0;
    case server::ParsedOptions::Action::kVersion:
      std::printf("tginvited %.*s\n", static_cast<int>(server::Version().size()),
                  server::Version().data());
      return 0;
    case server::ParsedOptions::Action::kMakeCert: {
      auto report = server::MakeCertFiles(parsed.cert_dir, parsed.cert_names);
      if (!report) Die("make-cert: " + report.error().message);
      std::fwrite(report->data(), 1, report->size(), stdout);
      return 0;
    }
    case server::ParsedOptions::Action::kError:
      Die(parsed.error);
  }
  server::Options& options = parsed.options;
  log::SetMinLevel(options.log_level);
  log::SetFormat(options.log_format);
  // The TLS files are read before anything else is touched: a bad one stops the server at once.
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (!options.tls_cert.empty()) {
    auto loaded = http::LoadServerTls(options.tls_cert, options.tls_key);
    if (!loaded) Die(loaded.error().message);
    tls = std::move(*loaded);
  }
  auto webhook_tls = delivery::MakeWebhookTls(options.webhook_ca_file);
  if (!webhook_tls) Die(webhook_tls.error().message);
  // A fixed threshold (glibc raises its own up to 32 MiB as big blocks are freed): big answers
  // made for one request (a control-plane listing, a world export) are mapped and unmapped, so
  // what a burst of clients that do not read made the server hold goes back to the system
  // afterwards. (getUpdates answers refer to the queue's updates and allocate no big block.)
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  if (options.control_token.empty()) {
    options.control_token = crypto::RandomBase64Url(32);
    // Printed once, on stdout, never into the log.
    std::printf("control token: %s\n", options.control_token.c_str());
    std::fflush(stdout);
  }

  OpenedStore opened = OpenStore(options.db);
  SystemClock system_clock;
  // --frozen-clock: the time at start-up, moved only by the control plane's offset.
  ManualClock frozen_clock(system_clock.Now());
  const Clock& clock = options.frozen_clock ? static_cast<const Clock&>(frozen_clock)
                                            : static_cast<const Clock&>(system_clock);
  auto new_hash = [] { return crypto::RandomBase64Url(kLinkHashLength); };
  std::unique_ptr<app::Engine> engine_owner =
      opened.cluster ? std::make_unique<app::Engine>(*opened.cluster, clock, new_hash)
                     : std::make_unique<app::Engine>(*opened.store, clock, new_hash);
  app::Engine& engine = *engine_owner;
  // A failed write means acknowledged changes can no longer be promised: stop serving.
  std::atomic<http::Server*> running_server{nullptr};
  engine.SetFailureHook([&running_server] {
    if (http::Server* s = running_server.load()) s->Stop();
  });

  engine.SetUpdateEncoder(botapi::EncodeUpdate);
  engine.SetQuietJoinsAbove(options.quiet_joins_above);
  engine.SetMaxQueuedUpdates(options.max_queued_updates);
  // Updates wake waiting getUpdates calls and the webhook sender once they are durable.
  app::LongPollHub hub;
  delivery::WebhookOptions webhook_options;
  webhook_options.retry_base = std::chrono::milliseconds(options.webhook_retry_base_ms);
  webhook_options.retry_cap_min = 30 * webhook_options.retry_base;
  webhook_options.retry_cap_max = 60 * webhook_options.retry_base;
  webhook_options.tls = std::move(*webhook_tls);
  delivery::WebhookSender webhooks(engine, webhook_options);
  engine.SetUpdatesHook([&hub, &webhooks](const std::vector<UserId>& bots) {
    hub.Notify(bots);
    webhooks.Notify(bots);
  });
  // Cluster mode: a getUpdates parked here ends the one parked for the bot on another instance
  // (409, as a newer getUpdates does on one instance), and a webhook set or deleted on another
  // instance ends the poll here and starts or stops the sender, as it would on this one.
  if (engine.clustered()) {
    hub.SetParkHook(
        [&engine](UserId bot) { engine.Broadcast("poll " + std::to_string(bot.value)); });
    engine.SetClusterHooks(app::Engine::ClusterHooks{
        .message =
            [&hub](const std::string& message) {
              // "poll <bot>": a getUpdates parked there; "setwebhook <bot>": a setWebhook with
              // a URL ran there (it ends a waiting poll, even when refused). A webhook set,
              // changed or deleted there reaches the sender here once, when its change is
              // replayed (webhook_changed below), not by a message: a second reload could cut
              // off the delivery the first one started.
              const size_t space = message.find(' ');
              int64_t bot = 0;
              if (space == std::string::npos ||
                  std::from_chars(message.data() + space + 1, message.data() + message.size(), bot)
                          .ec != std::errc())
                return;
              const std::string_view kind(message.data(), space);
              if (kind == "poll") {
                hub.Cancel(UserId(bot), app::LongPollHub::Wake::kReplaced);
              } else if (kind == "setwebhook") {
                hub.Cancel(UserId(bot), app::LongPollHub::Wake::kWebhookSet);
              }
            },
        .webhook_changed =
            [&hub, &webhooks](UserId bot, bool set) {
              if (set) hub.Cancel(bot, app::LongPollHub::Wake::kWebhookSet);
              webhooks.WebhookChanged(bot);
            },
        // Webhooks go out from the holder of the delivery lease only (at least once: a
        // delivery in flight when the lease moves may be made again by the next holder).
        .delivery = [&webhooks](bool on) { webhooks.SetDelivering(on); }});
    webhooks.SetDelivering(false);
  }
  // The control plane's event stream; changes make events only while someone subscribes.
  app::EventHub events(static_cast<size_t>(options.event_queue));
  botapi::UpdateHooks hooks;
  hooks.strict_webhook_urls = options.strict_webhooks;
  // Cluster mode: the other instances reload the bot's webhook when they replay the change.
  hooks.webhook_changed = [&webhooks](UserId bot) { webhooks.WebhookChanged(bot); };
  // Cluster mode: the other instances end their poll for the bot too, even when nothing of the
  // settings changed (a refused setWebhook still ends the poll).
  hooks.set_webhook_ran = [&engine](UserId bot) {
    engine.Broadcast("setwebhook " + std::to_string(bot.value));
  };
  botapi::BotApi bot_api(engine, &hub, hooks);
  if (!options.guards) bot_api.DisableGuards();
  if (options.flood_control) bot_api.EnableFloodControl();
  // Cluster mode: this instance's id among the others. The state other instances share besides
  // the world: the Bot API's (guards, flood control, faults, parked polls: BotApi registers
  // them), the event streams' counts, and the figures of /metrics (server::Operations). This
  // instance's event stream counts are shared in a round each time they change.
  const std::string instance = crypto::RandomBase64Url(12);
  if (engine.clustered()) {
    engine.HandleShared(std::string(app::EventHub::kSharedPrefix),
                        [&events](std::string_view key, std::string_view value) {
                          return events.ApplyShared(key, value);
                        });
    events.SetStatsHook([&engine, &events, &instance] {
      engine.Run(
          [&events, &instance](domain::World&, domain::Mutation& m, UnixTime) {
            // What the hub counts when the round runs: the latest, whatever queued it.
            m.shared.push_back(events.SharedStats(instance));
          },
          [](Status) {});
    });
  }
  engine.SetEventHub(&events);
  server::Operations operations(
      server::OperationsSources{.engine = engine,
                                .store_metrics =
                                    [&opened](metrics::TextWriter& out) {
                                      if (opened.store) opened.store->WriteMetrics(out);
                                      if (opened.cluster) opened.cluster->WriteMetrics(out);
                                    },
                                .bot_api = bot_api,
                                .hub = hub,
                                .webhooks = webhooks,
                                .open_connections = [&running_server]() -> size_t {
                                  const http::Server* s = running_server.load();
                                  return s ? s->open_connections() : 0;
                                },
                                .instance = instance});
  if (options.frozen_clock) engine.SetClockStandsStill();
  if (auto st = engine.Start(); !st) Die(st.error().message);

  if (!options.world.empty()) {
    std::ifstream in(options.world, std::ios::binary);
    if (!in) Die("cannot read the world file " + options.world);
    std::stringstream text;
    text << in.rdbuf();
    auto file = control::ParseWorldFile(text.str());
    if (!file) Die("world file " + options.world + ": " + file.error().message);
    Status applied;
    Status st = engine.RunAndWait([&](domain::World& w, domain::Mutation& m, UnixTime now) {
      applied = w.ApplyWorld(*file, now, m);
    });
    if (!st) Die("storing the world: " + st.error().message);
    if (!applied) Die("world file " + options.world + ": " + applied.error().message);
    log::Info("main", "loaded the world file " + options.world);
  }

  // Delivers what is pending for every bot with a webhook, then what comes; answers may call the
  // Bot API.
  webhooks.Start(&bot_api);
  control::ControlApi control_api(engine, options.control_token, bot_api.faults(), &hub, &events);
  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.threads = options.threads;
  server_options.header_timeout = std::chrono::seconds(options.header_timeout);
  server_options.idle_timeout = std::chrono::seconds(options.idle_timeout);
  server_options.body_timeout = std::chrono::seconds(options.body_timeout);
  server_options.write_timeout = std::chrono::seconds(options.write_timeout);
  server_options.unsent_limit = static_cast<size_t>(options.unsent_limit_mb) << 20;
  server_options.max_connections = static_cast<size_t>(options.max_connections);
  server_options.extra_verbs = {{"PUT", "/control/"}, {"DELETE", "/control/"}};
  server_options.on_stop = [&hub, &events] {
    hub.Stop();
    // Every event stream ends with a last event, so readers know the server stopped.
    events.Stop(app::Event{"stop", R"({"kind":"stop"})"});
  };
  server_options.tls = tls;
  http::Server server(server_options, [&](http::Request&& req, http::Respond respond) {
    if (operations.Handle(req, respond)) return;
    if (req.path.rfind("/control/", 0) == 0 && !req.absolute_uri) {
      control_api.Handle(std::move(req), operations.CountControl(std::move(respond)));
    } else if (console::IsConsolePath(req.path) && !req.absolute_uri) {
      // The console's static files: no token, they hold no data of the world.
      respond(console::Serve(console::EmbeddedFiles(), req));
    } else {
      bot_api.Handle(std::move(req), std::move(respond));
    }
  });
  running_server = &server;
  if (auto st = server.Start(); !st)
    Die("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
        st.error().message);
  operations.SetReady();
  log::Info("main", "listening on " + options.host + ":" + std::to_string(server.port()) +
                        (tls ? " (HTTPS only)" : ""));
  server.Run();
  webhooks.Stop();    // aborts deliveries in flight: their updates stay pending
  operations.Stop();  // cluster mode: the others stop counting this instance's figures
  if (opened.store) opened.store->Flush();
  engine.Stop();  // cluster mode: runs what is queued, then stops its threads
  if (engine.failed()) {
    log::Error("main", "stopped after a storage failure");
    return 1;
  }
  log::Info("main", "stopped");
  return 0;
}

}  // namespace
}  // namespace tgi

int main(int argc, char** argv) { return tgi::Main(argc, argv); }
