// tginvited's command line: the options, their defaults and checks, and the --help text. A pure
// function of the arguments and of the environment's control token; main.cc prints and exits.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"

namespace tgi::server {

// What tginvited runs with. The defaults are those of the --help text.
struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 8081;                   // 0: the system picks a free port
  std::string db = "sqlite:tginvite.db";  // as given; main.cc checks it when it opens the store
  std::string world;                      // a world file to load at start; "" for none
  std::string control_token;              // "": main.cc makes a random one and prints it
  int threads = 2;                        // 1 to 64
  int header_timeout = 30;                // seconds, 1 to 3600
  int idle_timeout = 500;                 // seconds, 1 to 86400
  int body_timeout = 60;                  // seconds, 1 to 3600
  int write_timeout = 60;                 // seconds, 1 to 3600
  int unsent_limit_mb = 128;              // MiB, 1 to 1048576
  int max_connections = 20000;            // 1 to 1000000
  bool strict_webhooks = false;
  int webhook_retry_base_ms = 2000;  // 1 to 3600000
  // In groups with more than this many members, users' joins and departures post no service
  // message (Telegram's large-group rule, spec bot-api-moderation.md 9.2); 0: never.
  int quiet_joins_above = 0;  // 0, or 1 to 1000000000
  // The reference's guards against busy loops (botapi/guards.h); on by default.
  bool guards = true;
  // Telegram's message flood limits (botapi/flood.h); off by default.
  bool flood_control = false;
  // For tests: the world's clock moves only through the control plane (POST /control/v1/clock).
  bool frozen_clock = false;
  // Updates kept per bot; newer ones are dropped while the queue is full (TDLib's TQueue).
  int max_queued_updates = 100000;  // 1 to 100000
  // Events an event-stream subscriber may have waiting before it is dropped.
  int event_queue = 1024;  // 1 to 1000000
  // PEM files: with both, the listener speaks HTTPS only (main.cc loads and checks them); both
  // empty: plain HTTP. One without the other is an error.
  std::string tls_cert;
  std::string tls_key;
  // A PEM file of CA certificates trusted for https:// webhooks beside the system's; "": the
  // system's only.
  std::string webhook_ca_file;
  log::Level log_level = log::Level::kInfo;
  log::Format log_format = log::Format::kText;
};

struct ParsedOptions {
  enum class Action {
    kRun,       // run with `options`
    kHelp,      // print HelpText() on stdout, exit 0
    kVersion,   // print "tginvited " + Version() on stdout, exit 0
    kMakeCert,  // `tginvited make-cert DIR [NAME...]`: write a CA and a server certificate
    kError,     // print `error`, exit 2
  };
  Action action = Action::kRun;
  Options options;    // kRun only
  std::string error;  // kError only: one line without a prefix, e.g. "--threads wants 1 to 64"
  // kMakeCert only: the folder, and the names the certificate is for (kDefaultCertNames when
  // none are given).
  std::string cert_dir;
  std::vector<std::string> cert_names;
};

// The names `make-cert` puts in the certificate by default: the drop-in host and the loopback
// ones.
inline const std::vector<std::string> kDefaultCertNames = {"api.telegram.org", "localhost",
                                                           "127.0.0.1", "::1"};

// Parses the arguments after the program name, left to right: the first --help (or -h),
// --version or error found decides, and later arguments are not looked at. An option's value is
// given as `--name VALUE` (the next argument, whatever it is) or `--name=VALUE` (possibly empty);
// a flag (--strict-webhooks, --help, --version) takes no value. An option given twice counts
// once, with its last value. `env_control_token` is TGINVITE_CONTROL_TOKEN (nullptr if unset);
// --control-token takes precedence over it. --tls-cert and --tls-key come together or not at
// all. A first argument `make-cert` is the command: a folder, then any names (no options).
ParsedOptions ParseOptions(std::span<const std::string_view> args, const char* env_control_token);

// The --help text, ending with a newline.
std::string_view HelpText();

// The project's version (CMake's PROJECT_VERSION), e.g. "0.1.0".
std::string_view Version();

}  // namespace tgi::server
