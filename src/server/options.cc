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
                          nothing across restarts
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
                          all (default 128); past it, the connections whose response has waited
                          longest are reset
  --max-connections N     open connections at most (default 20000, lowered below the fd limit);
                          past it, the connection waiting longest for a request is closed
  --strict-webhooks       setWebhook takes only what the cloud takes: HTTPS on ports 80, 88,
                          443 or 8443 (default: any http(s) URL, so tests can use loopback)
  --log-level LEVEL       debug, info, warn or error (default info)
  --webhook-retry-base-ms N
                          for tests: the wait before the second retry of a failed webhook
                          delivery, in milliseconds (default 2000); later waits double, up to a
                          cap of 30-60 times this (60-120 s by default)
  --quiet-joins-above N   in groups with more than N members, users joining or leaving post no
                          service message, as on Telegram above about 10000 members (default:
                          always post them)
  --help                  this text
  --version               the version
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
  kWebhookRetryBaseMs,
  kQuietJoinsAbove,
};

struct OptionSpec {
  std::string_view name;
  Option option;
  bool takes_value;
};

constexpr std::array<OptionSpec, 18> kOptions{{
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
    {"--webhook-retry-base-ms", Option::kWebhookRetryBaseMs, true},
    {"--quiet-joins-above", Option::kQuietJoinsAbove, true},
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

}  // namespace

ParsedOptions ParseOptions(std::span<const std::string_view> args, const char* env_control_token) {
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
  return r;
}

std::string_view HelpText() { return kUsage; }

std::string_view Version() { return TGINVITE_VERSION; }

}  // namespace tgi::server
