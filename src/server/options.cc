#include "server/options.h"

#include <array>
#include <initializer_list>
#include <optional>

#include "common/ascii.h"

#ifndef TGINVITE_VERSION
#define TGINVITE_VERSION "unknown"
#endif

namespace tgi::server {
namespace {

constexpr std::string_view kUsage = R"(Usage: tginvited [options]

A self-hosted server for the Telegram Bot API's invite-link methods, for running and testing bots
offline. Bot API at http://HOST:PORT/bot<token>/<method>; control plane at /control/v1/.

Options (a value may also be given as --name=VALUE):
  --listen HOST:PORT      where to listen (default 127.0.0.1:8081; port 0 picks a free one)
  --db sqlite:PATH        the database file (default sqlite:tginvite.db); "memory" keeps
                          nothing across restarts; postgresql://USER@HOST/DB (a libpq URI)
                          uses PostgreSQL (a password is better in PGPASSWORD or ~/.pgpass)
  --world FILE            load this world file (JSON, see docs/control-api.md) at start
  --control-token TOKEN   bearer token of the control plane (also TGINVITE_CONTROL_TOKEN);
                          without one, a random token is made and printed once on stdout
  --threads N             I/O threads (default 2)
  --header-timeout SEC    time allowed to send a request's headers (default 30)
  --idle-timeout SEC      keep-alive connections idle longer are closed (default 500)
  --body-timeout SEC      time allowed to send a request's body, from the end of its headers
                          (default 60)
  --write-timeout SEC     time allowed to a client to read one response, from its first byte
                          (default 60); a client slower than that is reset
  --unsent-limit-mb N     responses that clients have not yet read may hold at most N MiB in
                          all (default 128; the updates of getUpdates answers, shared with the
                          queue, do not count); past it, the connections whose response has
                          waited longest are reset
  --max-connections N     open connections at most (default 20000, lowered below the fd limit);
                          past it, the connection waiting longest for a request is closed
  --strict-webhooks       setWebhook takes only what the cloud takes: HTTPS on ports 80, 88,
                          443 or 8443 (default: any http(s) URL, so tests can use loopback)
  --log-level LEVEL       debug, info, warn or error (default info)
  --log-format FORMAT     text (default) or json: one JSON object per line with time, level,
                          component, message and, for a request's lines, request_id
  --webhook-retry-base-ms N
                          for tests: the wait before the second retry of a failed webhook
                          delivery, in milliseconds (default 2000); later waits double, up to a
                          cap of 30-60 times this (60-120 s by default)
  --quiet-joins-above N   in groups with more than N members, users joining or leaving post no
                          service message, as on Telegram above about 10000 members (default:
                          always post them)
  --no-guards             for tests of other things: turn off the reference's guards against
                          busy loops (a repeated getUpdates stretched to 3 s or cut to 1
                          update, setWebhook once a second, 409s held back 3 s)
  --flood-control         refuse messages over Telegram's flood limits (1 a second in a chat,
                          20 a minute in a group, 30 a second in all) with 429 retry after N
  --frozen-clock          for tests: the server's clock stands still and moves only through
                          the control plane (POST /control/v1/clock)
  --max-queued-updates N  for tests: updates kept per bot before newer ones are dropped
                          (default 100000, as the reference)
  --event-queue N         events a subscriber of /control/v1/events may have waiting before it
                          is dropped (default 1024)
  --tls-cert FILE         serve HTTPS only (no plain HTTP) with this PEM certificate chain...
  --tls-key FILE          ...and this PEM private key (unencrypted); both or neither
  --webhook-ca-file FILE  also trust the CA certificates in this PEM file for https://
                          webhooks (default: the system's CAs only)
  --help                  this text
  --version               the version

Usage: tginvited make-cert DIR [NAME...]

Makes a local certificate authority (DIR/ca.pem, DIR/ca-key.pem; kept if DIR already has
them) and a certificate it signs for the NAMEs (DIR/cert.pem, DIR/key.pem), by default
api.telegram.org localhost 127.0.0.1 ::1. Trust ca.pem in a bot and run tginvited with
--tls-cert DIR/cert.pem --tls-key DIR/key.pem: see README, "Drop-in for api.telegram.org".
)";

enum class Option {
  kHelp,
  kVersion,
  kListen,
  kDb,
  kWorld,
  kControlToken,
  kThreads,
  kHeaderTimeout,
  kIdleTimeout,
  kBodyTimeout,
  kWriteTimeout,
  kUnsentLimitMb,
  kMaxConnections,
  kStrictWebhooks,
  kLogLevel,
  kLogFormat,
  kWebhookRetryBaseMs,
  kQuietJoinsAbove,
  kNoGuards,
  kFloodControl,
  kFrozenClock,
  kMaxQueuedUpdates,
  kEventQueue,
  kTlsCert,
  kTlsKey,
  kWebhookCaFile,
};

struct OptionSpec {
  std::string_view name;
  Option option;
  bool takes_value;
};

constexpr std::array<OptionSpec, 27> kOptions{{
    {"--help", Option::kHelp, false},
    {"-h", Option::kHelp, false},
    {"--version", Option::kVersion, false},
    {"--listen", Option::kListen, true},
    {"--db", Option::kDb, true},
    {"--world", Option::kWorld, true},
    {"--control-token", Option::kControlToken, true},
    {"--threads", Option::kThreads, true},
    {"--header-timeout", Option::kHeaderTimeout, true},
    {"--idle-timeout", Option::kIdleTimeout, true},
    {"--body-timeout", Option::kBodyTimeout, true},
    {"--write-timeout", Option::kWriteTimeout, true},
    {"--unsent-limit-mb", Option::kUnsentLimitMb, true},
    {"--max-connections", Option::kMaxConnections, true},
    {"--strict-webhooks", Option::kStrictWebhooks, false},
    {"--log-level", Option::kLogLevel, true},
    {"--log-format", Option::kLogFormat, true},
    {"--webhook-retry-base-ms", Option::kWebhookRetryBaseMs, true},
    {"--quiet-joins-above", Option::kQuietJoinsAbove, true},
    {"--no-guards", Option::kNoGuards, false},
    {"--flood-control", Option::kFloodControl, false},
    {"--frozen-clock", Option::kFrozenClock, false},
    {"--max-queued-updates", Option::kMaxQueuedUpdates, true},
    {"--event-queue", Option::kEventQueue, true},
    {"--tls-cert", Option::kTlsCert, true},
    {"--tls-key", Option::kTlsKey, true},
    {"--webhook-ca-file", Option::kWebhookCaFile, true},
}};

const OptionSpec* FindOption(std::string_view name) {
  for (const OptionSpec& spec : kOptions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// Concatenation by append (GCC 12 warns falsely on "literal" + std::string in -O3 builds).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

// Digits only (common/ascii.h's strict rule), within [min, max].
bool ParseInRange(std::string_view text, int min, int max, int* out) {
  std::optional<int> v = ascii::ParseDecimal<int>(text);
  if (!v || *v < min || *v > max) return false;
  *out = *v;
  return true;
}

// Applies one option's value to `o`; returns the error line, or "".
std::string Apply(Option option, std::string_view value, Options& o) {
  switch (option) {
    case Option::kListen: {
      // The port is the text after the last ':', so an IPv6 host in brackets keeps its colons.
      const size_t colon = value.rfind(':');
      int port = 0;
      if (colon == std::string_view::npos || colon == 0 ||
          !(value.substr(colon + 1) == "0" ||
            ParseInRange(value.substr(colon + 1), 1, 65535, &port))) {
        return "--listen wants HOST:PORT, e.g. 127.0.0.1:8081";
      }
      o.host.assign(value.substr(0, colon));
      o.port = static_cast<uint16_t>(port);
      return "";
    }
    case Option::kDb:
      o.db.assign(value);
      return "";
    case Option::kWorld:
      o.world.assign(value);
      return "";
    case Option::kControlToken:
      o.control_token.assign(value);
      return "";
    case Option::kThreads:
      if (!ParseInRange(value, 1, 64, &o.threads)) return "--threads wants 1 to 64";
      return "";
    case Option::kHeaderTimeout:
      if (!ParseInRange(value, 1, 3600, &o.header_timeout)) {
        return "--header-timeout wants 1 to 3600";
      }
      return "";
    case Option::kIdleTimeout:
      if (!ParseInRange(value, 1, 86400, &o.idle_timeout)) return "--idle-timeout wants 1 to 86400";
      return "";
    case Option::kBodyTimeout:
      if (!ParseInRange(value, 1, 3600, &o.body_timeout)) return "--body-timeout wants 1 to 3600";
      return "";
    case Option::kWriteTimeout:
      if (!ParseInRange(value, 1, 3600, &o.write_timeout)) {
        return "--write-timeout wants 1 to 3600";
      }
      return "";
    case Option::kUnsentLimitMb:
      if (!ParseInRange(value, 1, 1048576, &o.unsent_limit_mb)) {
        return "--unsent-limit-mb wants 1 to 1048576";
      }
      return "";
    case Option::kMaxConnections:
      if (!ParseInRange(value, 1, 1000000, &o.max_connections)) {
        return "--max-connections wants 1 to 1000000";
      }
      return "";
    case Option::kStrictWebhooks:
      o.strict_webhooks = true;
      return "";
    case Option::kLogLevel:
      if (value == "debug") {
        o.log_level = log::Level::kDebug;
      } else if (value == "info") {
        o.log_level = log::Level::kInfo;
      } else if (value == "warn") {
        o.log_level = log::Level::kWarn;
      } else if (value == "error") {
        o.log_level = log::Level::kError;
      } else {
        return "--log-level wants debug, info, warn or error";
      }
      return "";
    case Option::kLogFormat:
      if (value == "text") {
        o.log_format = log::Format::kText;
      } else if (value == "json") {
        o.log_format = log::Format::kJson;
      } else {
        return "--log-format wants text or json";
      }
      return "";
    case Option::kWebhookRetryBaseMs:
      if (!ParseInRange(value, 1, 3600000, &o.webhook_retry_base_ms)) {
        return "--webhook-retry-base-ms wants 1 to 3600000";
      }
      return "";
    case Option::kQuietJoinsAbove:
      if (!ParseInRange(value, 1, 1000000000, &o.quiet_joins_above)) {
        return "--quiet-joins-above wants 1 to 1000000000";
      }
      return "";
    case Option::kNoGuards:
      o.guards = false;
      return "";
    case Option::kFloodControl:
      o.flood_control = true;
      return "";
    case Option::kFrozenClock:
      o.frozen_clock = true;
      return "";
    case Option::kMaxQueuedUpdates:
      if (!ParseInRange(value, 1, 100000, &o.max_queued_updates)) {
        return "--max-queued-updates wants 1 to 100000";
      }
      return "";
    case Option::kEventQueue:
      if (!ParseInRange(value, 1, 1000000, &o.event_queue)) {
        return "--event-queue wants 1 to 1000000";
      }
      return "";
    case Option::kTlsCert:
      o.tls_cert.assign(value);
      return "";
    case Option::kTlsKey:
      o.tls_key.assign(value);
      return "";
    case Option::kWebhookCaFile:
      o.webhook_ca_file.assign(value);
      return "";
    case Option::kHelp:
    case Option::kVersion:
      break;  // handled by ParseOptions
  }
  return "internal error: unhandled option";
}

ParsedOptions Failed(std::string error) {
  ParsedOptions r;
  r.action = ParsedOptions::Action::kError;
  r.error = std::move(error);
  return r;
}

// `make-cert DIR [NAME...]`: `args` are those after the command. The names are checked when the
// certificate is made.
ParsedOptions ParseMakeCert(std::span<const std::string_view> args) {
  if (args.empty() || args.front().empty() || args.front().starts_with("-")) {
    return Failed("make-cert wants a folder: tginvited make-cert DIR [NAME...]");
  }
  ParsedOptions r;
  r.action = ParsedOptions::Action::kMakeCert;
  r.cert_dir.assign(args.front());
  for (std::string_view name : args.subspan(1)) r.cert_names.emplace_back(name);
  if (r.cert_names.empty()) r.cert_names = kDefaultCertNames;
  return r;
}

}  // namespace

ParsedOptions ParseOptions(std::span<const std::string_view> args, const char* env_control_token) {
  if (!args.empty() && args.front() == "make-cert") return ParseMakeCert(args.subspan(1));
  ParsedOptions r;
  if (env_control_token != nullptr) r.options.control_token = env_control_token;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (const size_t eq = arg.find('='); eq != std::string_view::npos && arg.starts_with("--")) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    const OptionSpec* spec = FindOption(name);
    // The whole argument, as before --name=VALUE was accepted: "unknown option --x=1".
    if (spec == nullptr) return Failed(Cat({"unknown option ", arg, " (see --help)"}));

    std::string_view value;
    if (spec->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return Failed(Cat({arg, " needs a value (see --help)"}));
      }
    } else if (inline_value) {
      return Failed(Cat({name, " takes no value (see --help)"}));
    }

    if (spec->option == Option::kHelp || spec->option == Option::kVersion) {
      ParsedOptions done;
      done.action = spec->option == Option::kHelp ? ParsedOptions::Action::kHelp
                                                  : ParsedOptions::Action::kVersion;
      return done;
    }
    if (std::string error = Apply(spec->option, value, r.options); !error.empty()) {
      return Failed(std::move(error));
    }
  }
  if (r.options.tls_cert.empty() != r.options.tls_key.empty()) {
    return Failed("--tls-cert and --tls-key go together: a certificate and its key");
  }
  return r;
}

std::string_view HelpText() { return kUsage; }

std::string_view Version() { return TGINVITE_VERSION; }

}  // namespace tgi::server
