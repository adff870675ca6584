// tginvited: the composition root. Reads the command line, opens the store, loads the world,
// and serves the Bot API and the control plane on one listener until SIGTERM or SIGINT.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "app/engine.h"
#include "app/long_poll_hub.h"
#include "botapi/bot_api.h"
#include "botapi/encode.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "control/control_api.h"
#include "control/world_json.h"
#include "delivery/webhook_sender.h"
#include "http/server.h"
#include "store/memory/memory_store.h"
#include "store/sqlite/sqlite_store.h"

namespace tgi {
namespace {

constexpr const char* kVersion = "0.1.0";
constexpr size_t kLinkHashLength = 16;

constexpr const char* kUsage = R"(Usage: tginvited [options]

A self-hosted server for the Telegram Bot API's invite-link methods, for running and testing bots
offline. Bot API at http://HOST:PORT/bot<token>/<method>; control plane at /control/v1/.

Options:
  --listen HOST:PORT      where to listen (default 127.0.0.1:8081; port 0 picks a free one)
  --db sqlite:PATH        the database file (default sqlite:tginvite.db); "memory" keeps
                          nothing across restarts
  --world FILE            load this world file (JSON, see docs/control-api.md) at start
  --control-token TOKEN   bearer token of the control plane (also TGINVITE_CONTROL_TOKEN);
                          without one, a random token is made and printed once on stdout
  --threads N             I/O threads (default 2)
  --header-timeout SEC    time allowed to send a request's headers (default 30)
  --idle-timeout SEC      keep-alive connections idle longer are closed (default 500)
  --strict-webhooks       setWebhook takes only what the cloud takes: HTTPS on ports 80, 88,
                          443 or 8443 (default: any http(s) URL, so tests can use loopback)
  --log-level LEVEL       debug, info, warn or error (default info)
  --webhook-retry-base-ms N
                          for tests: the wait before the second retry of a failed webhook
                          delivery, in milliseconds (default 2000); later waits double, up to a
                          cap of 30-60 times this (60-120 s by default)
  --help                  this text
  --version               the version
)";

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 8081;
  std::string db = "sqlite:tginvite.db";
  std::string world;
  std::string control_token;
  int threads = 2;
  int header_timeout = 30;
  int idle_timeout = 500;
  bool strict_webhooks = false;
  int webhook_retry_base_ms = 2000;
};

[[noreturn]] void Die(const std::string& message) {
  log::Error("main", message);
  std::exit(2);
}

bool ParsePositive(const std::string& s, int max, int* out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  int v = std::stoi(s);
  if (v < 1 || v > max) return false;
  *out = v;
  return true;
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  if (const char* env = std::getenv("TGINVITE_CONTROL_TOKEN")) o.control_token = env;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die(arg + " needs a value (see --help)");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (arg == "--version") {
      std::printf("tginvited %s\n", kVersion);
      std::exit(0);
    } else if (arg == "--listen") {
      std::string v = value();
      size_t colon = v.rfind(':');
      int port = 0;
      if (colon == std::string::npos || colon == 0 ||
          !(v.substr(colon + 1) == "0" || ParsePositive(v.substr(colon + 1), 65535, &port)))
        Die("--listen wants HOST:PORT, e.g. 127.0.0.1:8081");
      o.host = v.substr(0, colon);
      o.port = static_cast<uint16_t>(port);
    } else if (arg == "--db") {
      o.db = value();
    } else if (arg == "--world") {
      o.world = value();
    } else if (arg == "--control-token") {
      o.control_token = value();
    } else if (arg == "--threads") {
      if (!ParsePositive(value(), 64, &o.threads)) Die("--threads wants 1 to 64");
    } else if (arg == "--header-timeout") {
      if (!ParsePositive(value(), 3600, &o.header_timeout)) Die("--header-timeout wants 1 to 3600");
    } else if (arg == "--idle-timeout") {
      if (!ParsePositive(value(), 86400, &o.idle_timeout)) Die("--idle-timeout wants 1 to 86400");
    } else if (arg == "--strict-webhooks") {
      o.strict_webhooks = true;
    } else if (arg == "--webhook-retry-base-ms") {
      if (!ParsePositive(value(), 3600000, &o.webhook_retry_base_ms))
        Die("--webhook-retry-base-ms wants 1 to 3600000");
    } else if (arg == "--log-level") {
      std::string v = value();
      if (v == "debug") {
        log::SetMinLevel(log::Level::kDebug);
      } else if (v == "info") {
        log::SetMinLevel(log::Level::kInfo);
      } else if (v == "warn") {
        log::SetMinLevel(log::Level::kWarn);
      } else if (v == "error") {
        log::SetMinLevel(log::Level::kError);
      } else {
        Die("--log-level wants debug, info, warn or error");
      }
    } else {
      Die("unknown option " + arg + " (see --help)");
    }
  }
  return o;
}

std::unique_ptr<domain::Store> OpenStore(const std::string& spec) {
  if (spec == "memory") return std::make_unique<store::MemoryStore>();
  if (spec.rfind("sqlite:", 0) == 0 && spec.size() > 7) {
    auto s = store::SqliteStore::Open(store::SqliteOptions{.path = spec.substr(7)});
    if (!s) Die("cannot open the database: " + s.error().message);
    return std::move(*s);
  }
  Die("--db wants sqlite:PATH or memory");
}

int Main(int argc, char** argv) {
  Options options = ParseArgs(argc, argv);
  if (options.control_token.empty()) {
    options.control_token = crypto::RandomBase64Url(32);
    // Printed once, on stdout, never into the log.
    std::printf("control token: %s\n", options.control_token.c_str());
    std::fflush(stdout);
  }

  std::unique_ptr<domain::Store> store = OpenStore(options.db);
  SystemClock clock;
  app::Engine engine(*store, clock, [] { return crypto::RandomBase64Url(kLinkHashLength); });
  // A failed write means acknowledged changes can no longer be promised: stop serving.
  std::atomic<http::Server*> running_server{nullptr};
  engine.SetFailureHook([&running_server] {
    if (http::Server* s = running_server.load()) s->Stop();
  });

  engine.SetUpdateEncoder(botapi::EncodeUpdate);
  // Updates wake waiting getUpdates calls and the webhook sender once they are durable.
  app::LongPollHub hub;
  delivery::WebhookOptions webhook_options;
  webhook_options.retry_base = std::chrono::milliseconds(options.webhook_retry_base_ms);
  webhook_options.retry_cap_min = 30 * webhook_options.retry_base;
  webhook_options.retry_cap_max = 60 * webhook_options.retry_base;
  delivery::WebhookSender webhooks(engine, webhook_options);
  engine.SetUpdatesHook([&hub, &webhooks](const std::vector<UserId>& bots) {
    hub.Notify(bots);
    webhooks.Notify(bots);
  });
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

  botapi::UpdateHooks hooks;
  hooks.strict_webhook_urls = options.strict_webhooks;
  hooks.webhook_changed = [&webhooks](UserId bot) { webhooks.WebhookChanged(bot); };
  botapi::BotApi bot_api(engine, &hub, hooks);
  // Delivers what is pending for every bot with a webhook, then what comes; answers may call the
  // Bot API.
  webhooks.Start(&bot_api);
  control::ControlApi control_api(engine, options.control_token, bot_api.faults());
  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.threads = options.threads;
  server_options.header_timeout = std::chrono::seconds(options.header_timeout);
  server_options.idle_timeout = std::chrono::seconds(options.idle_timeout);
  server_options.extra_verbs = {{"PUT", "/control/"}, {"DELETE", "/control/"}};
  server_options.on_stop = [&hub] { hub.Stop(); };
  http::Server server(server_options, [&](http::Request&& req, http::Respond respond) {
    if (req.path.rfind("/control/", 0) == 0 && !req.absolute_uri) {
      control_api.Handle(std::move(req), std::move(respond));
    } else {
      bot_api.Handle(std::move(req), std::move(respond));
    }
  });
  running_server = &server;
  if (auto st = server.Start(); !st)
    Die("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
        st.error().message);
  log::Info("main", "listening on " + options.host + ":" + std::to_string(server.port()));
  server.Run();
  webhooks.Stop();  // aborts deliveries in flight: their updates stay pending
  store->Flush();
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
