#include "server/options.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace tgi::server {
namespace {

using Action = ParsedOptions::Action;

// Parses `args` (without the program name); `env` stands for TGINVITE_CONTROL_TOKEN.
ParsedOptions Parse(const std::vector<std::string>& args, const char* env = nullptr) {
  std::vector<std::string_view> views(args.begin(), args.end());
  return ParseOptions(views, env);
}

// The same option as `--name VALUE` and as `--name=VALUE`.
std::vector<ParsedOptions> BothForms(const std::string& name, const std::string& value) {
  return {Parse({name, value}), Parse({name + "=" + value})};
}

// The error line, or a text saying there was none (so a failed comparison shows what happened).
std::string ErrorOf(const ParsedOptions& r) {
  if (r.action != Action::kError) return "<no error; action " + std::to_string(int(r.action)) + ">";
  return r.error;
}

constexpr std::string_view kListenError = "--listen wants HOST:PORT, e.g. 127.0.0.1:8081";

TEST(ServerOptions, DefaultsWithoutArguments) {
  const ParsedOptions r = Parse({});
  ASSERT_EQ(r.action, Action::kRun);
  EXPECT_EQ(r.error, "");
  const Options& o = r.options;
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 8081);
  EXPECT_EQ(o.db, "sqlite:tginvite.db");
  EXPECT_EQ(o.world, "");
  EXPECT_EQ(o.control_token, "");
  EXPECT_EQ(o.threads, 2);
  EXPECT_EQ(o.header_timeout, 30);
  EXPECT_EQ(o.idle_timeout, 500);
  EXPECT_EQ(o.body_timeout, 60);
  EXPECT_EQ(o.write_timeout, 60);
  EXPECT_EQ(o.unsent_limit_mb, 128);
  EXPECT_EQ(o.max_connections, 20000);
  EXPECT_FALSE(o.strict_webhooks);
  EXPECT_EQ(o.webhook_retry_base_ms, 2000);
  EXPECT_EQ(o.quiet_joins_above, 0);
  EXPECT_TRUE(o.guards);
  EXPECT_FALSE(o.flood_control);
  EXPECT_FALSE(o.frozen_clock);
  EXPECT_EQ(o.max_queued_updates, 100000);
  EXPECT_EQ(o.event_queue, 1024);
  EXPECT_EQ(o.log_level, log::Level::kInfo);
  EXPECT_EQ(o.log_format, log::Format::kText);
}

TEST(ServerOptions, ListenInBothForms) {
  struct Case {
    std::string value;
    std::string host;
    uint16_t port;
  } cases[] = {
      {"0.0.0.0:9000", "0.0.0.0", 9000},
      {"127.0.0.1:0", "127.0.0.1", 0},  // the system picks a port
      {"localhost:65535", "localhost", 65535},
      {"localhost:1", "localhost", 1},
      {"[::1]:8081", "[::1]", 8081},  // the port follows the last ':'
      {"h:0080", "h", 80},
  };
  for (const Case& c : cases) {
    for (const ParsedOptions& r : BothForms("--listen", c.value)) {
      ASSERT_EQ(r.action, Action::kRun) << c.value << ": " << r.error;
      EXPECT_EQ(r.options.host, c.host) << c.value;
      EXPECT_EQ(r.options.port, c.port) << c.value;
    }
  }
}

TEST(ServerOptions, ListenErrors) {
  for (const std::string value :
       {"", "8081", ":8081", "host", "host:", "host:65536", "host:99999999999", "host:-1",
        "host:-0", "host:+80", "host: 80", "host:80 ", "host:0x50", "host:http", "host:00"}) {
    for (const ParsedOptions& r : BothForms("--listen", value)) {
      EXPECT_EQ(ErrorOf(r), kListenError) << "'" << value << "'";
    }
  }
}

TEST(ServerOptions, TextOptionsInBothForms) {
  for (const ParsedOptions& r : BothForms("--db", "sqlite:/tmp/a=b.db")) {
    ASSERT_EQ(r.action, Action::kRun) << r.error;
    EXPECT_EQ(r.options.db, "sqlite:/tmp/a=b.db");  // only the first '=' separates
  }
  for (const ParsedOptions& r : BothForms("--db", "memory")) EXPECT_EQ(r.options.db, "memory");
  for (const ParsedOptions& r : BothForms("--world", "examples/demo-world.json")) {
    ASSERT_EQ(r.action, Action::kRun) << r.error;
    EXPECT_EQ(r.options.world, "examples/demo-world.json");
  }
  for (const ParsedOptions& r : BothForms("--control-token", "s3cret")) {
    ASSERT_EQ(r.action, Action::kRun) << r.error;
    EXPECT_EQ(r.options.control_token, "s3cret");
  }
}

// The checks of --db's value are main.cc's, when it opens the store.
TEST(ServerOptions, EmptyValueAfterEquals) {
  ParsedOptions r = Parse({"--db="});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_EQ(r.options.db, "");
  r = Parse({"--world="});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_EQ(r.options.world, "");
  EXPECT_EQ(ErrorOf(Parse({"--listen="})), kListenError);
  EXPECT_EQ(ErrorOf(Parse({"--threads="})), "--threads wants 1 to 64");
  EXPECT_EQ(ErrorOf(Parse({"--header-timeout="})), "--header-timeout wants 1 to 3600");
  EXPECT_EQ(ErrorOf(Parse({"--idle-timeout="})), "--idle-timeout wants 1 to 86400");
  EXPECT_EQ(ErrorOf(Parse({"--body-timeout="})), "--body-timeout wants 1 to 3600");
  EXPECT_EQ(ErrorOf(Parse({"--write-timeout="})), "--write-timeout wants 1 to 3600");
  EXPECT_EQ(ErrorOf(Parse({"--unsent-limit-mb="})), "--unsent-limit-mb wants 1 to 1048576");
  EXPECT_EQ(ErrorOf(Parse({"--max-connections="})), "--max-connections wants 1 to 1000000");
  EXPECT_EQ(ErrorOf(Parse({"--webhook-retry-base-ms="})),
            "--webhook-retry-base-ms wants 1 to 3600000");
  EXPECT_EQ(ErrorOf(Parse({"--log-level="})), "--log-level wants debug, info, warn or error");
}

struct RangeOption {
  std::string name;
  int max;
  int Options::*field;
  std::string error;
};

const std::vector<RangeOption>& RangeOptions() {
  static const std::vector<RangeOption> options = {
      {"--threads", 64, &Options::threads, "--threads wants 1 to 64"},
      {"--header-timeout", 3600, &Options::header_timeout, "--header-timeout wants 1 to 3600"},
      {"--idle-timeout", 86400, &Options::idle_timeout, "--idle-timeout wants 1 to 86400"},
      {"--body-timeout", 3600, &Options::body_timeout, "--body-timeout wants 1 to 3600"},
      {"--write-timeout", 3600, &Options::write_timeout, "--write-timeout wants 1 to 3600"},
      {"--unsent-limit-mb", 1048576, &Options::unsent_limit_mb,
       "--unsent-limit-mb wants 1 to 1048576"},
      {"--max-connections", 1000000, &Options::max_connections,
       "--max-connections wants 1 to 1000000"},
      {"--webhook-retry-base-ms", 3600000, &Options::webhook_retry_base_ms,
       "--webhook-retry-base-ms wants 1 to 3600000"},
      {"--quiet-joins-above", 1000000000, &Options::quiet_joins_above,
       "--quiet-joins-above wants 1 to 1000000000"},
      {"--max-queued-updates", 100000, &Options::max_queued_updates,
       "--max-queued-updates wants 1 to 100000"},
      {"--event-queue", 1000000, &Options::event_queue, "--event-queue wants 1 to 1000000"},
  };
  return options;
}

TEST(ServerOptions, NumbersInBothFormsUpToTheirBounds) {
  for (const RangeOption& opt : RangeOptions()) {
    for (int value : {1, 7, opt.max}) {
      for (const ParsedOptions& r : BothForms(opt.name, std::to_string(value))) {
        ASSERT_EQ(r.action, Action::kRun) << opt.name << " " << value << ": " << r.error;
        EXPECT_EQ(r.options.*opt.field, value) << opt.name;
      }
    }
  }
}

TEST(ServerOptions, NumbersOutOfRangeOrNotPlainDigits) {
  for (const RangeOption& opt : RangeOptions()) {
    for (const std::string& value :
         {std::string("0"), std::to_string(opt.max + 1), std::string("-1"), std::string("-0"),
          std::string("+5"), std::string(" 5"), std::string("5 "), std::string("5s"),
          std::string("1e3"), std::string("0x10"), std::string("abc"), std::string(""),
          std::string("99999999999999999999")}) {
      for (const ParsedOptions& r : BothForms(opt.name, value)) {
        EXPECT_EQ(ErrorOf(r), opt.error) << "'" << value << "'";
      }
    }
  }
}

// common/ascii.h's rule: digits, any number of them, as long as the value fits.
TEST(ServerOptions, NumbersMayHaveLeadingZeros) {
  for (const ParsedOptions& r : BothForms("--threads", "0000000008")) {
    ASSERT_EQ(r.action, Action::kRun) << r.error;
    EXPECT_EQ(r.options.threads, 8);
  }
}

TEST(ServerOptions, LogLevelInBothForms) {
  struct Case {
    std::string value;
    log::Level level;
  } cases[] = {{"debug", log::Level::kDebug},
               {"info", log::Level::kInfo},
               {"warn", log::Level::kWarn},
               {"error", log::Level::kError}};
  for (const Case& c : cases) {
    for (const ParsedOptions& r : BothForms("--log-level", c.value)) {
      ASSERT_EQ(r.action, Action::kRun) << r.error;
      EXPECT_EQ(r.options.log_level, c.level) << c.value;
    }
  }
  for (const std::string value : {"", "DEBUG", "Info", "warning", "verbose", "0"}) {
    for (const ParsedOptions& r : BothForms("--log-level", value)) {
      EXPECT_EQ(ErrorOf(r), "--log-level wants debug, info, warn or error") << value;
    }
  }
}

TEST(ServerOptions, LogFormatInBothForms) {
  for (const ParsedOptions& r : BothForms("--log-format", "json")) {
    ASSERT_EQ(r.action, Action::kRun) << r.error;
    EXPECT_EQ(r.options.log_format, log::Format::kJson);
  }
  for (const ParsedOptions& r : BothForms("--log-format", "text")) {
    ASSERT_EQ(r.action, Action::kRun) << r.error;
    EXPECT_EQ(r.options.log_format, log::Format::kText);
  }
  for (const std::string value : {"", "JSON", "logfmt"}) {
    for (const ParsedOptions& r : BothForms("--log-format", value)) {
      EXPECT_EQ(ErrorOf(r), "--log-format wants text or json") << value;
    }
  }
}

TEST(ServerOptions, StrictWebhooksIsAFlagWithoutValue) {
  ParsedOptions r = Parse({"--strict-webhooks"});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_TRUE(r.options.strict_webhooks);
  for (const std::string arg :
       {"--strict-webhooks=", "--strict-webhooks=1", "--strict-webhooks=true"}) {
    EXPECT_EQ(ErrorOf(Parse({arg})), "--strict-webhooks takes no value (see --help)") << arg;
  }
  // The next argument is not its value.
  EXPECT_EQ(ErrorOf(Parse({"--strict-webhooks", "true"})), "unknown option true (see --help)");
}

TEST(ServerOptions, GuardsFloodControlAndFrozenClockAreFlags) {
  ParsedOptions r = Parse({"--no-guards", "--flood-control", "--frozen-clock"});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_FALSE(r.options.guards);
  EXPECT_TRUE(r.options.flood_control);
  EXPECT_TRUE(r.options.frozen_clock);
  for (const char* flag : {"--no-guards", "--flood-control", "--frozen-clock"}) {
    EXPECT_EQ(ErrorOf(Parse({std::string(flag) + "=1"})),
              std::string(flag) + " takes no value (see --help)");
  }
}

TEST(ServerOptions, AValueAtTheEndIsMissing) {
  for (const std::string name :
       {"--listen", "--db", "--world", "--control-token", "--threads", "--header-timeout",
        "--idle-timeout", "--body-timeout", "--write-timeout", "--unsent-limit-mb",
        "--max-connections", "--log-level", "--log-format", "--webhook-retry-base-ms"}) {
    EXPECT_EQ(ErrorOf(Parse({name})), name + " needs a value (see --help)");
    EXPECT_EQ(ErrorOf(Parse({"--threads", "4", name})), name + " needs a value (see --help)");
  }
}

// `--name VALUE` takes the next argument whatever it looks like.
TEST(ServerOptions, TheNextArgumentIsTheValueEvenIfItLooksLikeAnOption) {
  ParsedOptions r = Parse({"--db", "--threads", "--world", "-h"});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_EQ(r.options.db, "--threads");
  EXPECT_EQ(r.options.world, "-h");
  r = Parse({"--control-token", "--help"});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_EQ(r.options.control_token, "--help");
  EXPECT_EQ(ErrorOf(Parse({"--threads", "--help"})), "--threads wants 1 to 64");
}

TEST(ServerOptions, UnknownOptionsAreNamedAsGiven) {
  struct Case {
    std::vector<std::string> args;
    std::string error;
  } cases[] = {
      {{"--bogus"}, "unknown option --bogus (see --help)"},
      {{"--bogus=1"}, "unknown option --bogus=1 (see --help)"},
      {{"--thread", "4"}, "unknown option --thread (see --help)"},
      {{"--LISTEN", "127.0.0.1:1"}, "unknown option --LISTEN (see --help)"},
      {{"listen"}, "unknown option listen (see --help)"},
      {{"-x"}, "unknown option -x (see --help)"},
      {{"-h=1"}, "unknown option -h=1 (see --help)"},
      {{"-"}, "unknown option - (see --help)"},
      {{"--"}, "unknown option -- (see --help)"},
      {{"--=x"}, "unknown option --=x (see --help)"},
      {{""}, "unknown option  (see --help)"},
      {{"--threads", "4", "extra"}, "unknown option extra (see --help)"},
  };
  for (const Case& c : cases) EXPECT_EQ(ErrorOf(Parse(c.args)), c.error) << c.args[0];
}

TEST(ServerOptions, HelpStopsTheParsing) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--help"},
           {"-h"},
           {"--threads", "4", "--help"},
           {"--help", "--bogus"},
           {"--help", "--threads", "0"},
           {"-h", "--version"},
       }) {
    EXPECT_EQ(Parse(args).action, Action::kHelp) << args[0];
  }
  // What comes before it is checked first.
  EXPECT_EQ(ErrorOf(Parse({"--bogus", "--help"})), "unknown option --bogus (see --help)");
  EXPECT_EQ(ErrorOf(Parse({"--threads", "0", "-h"})), "--threads wants 1 to 64");
  EXPECT_EQ(ErrorOf(Parse({"--help="})), "--help takes no value (see --help)");
  EXPECT_EQ(ErrorOf(Parse({"--help=1"})), "--help takes no value (see --help)");
}

TEST(ServerOptions, VersionStopsTheParsing) {
  EXPECT_EQ(Parse({"--version"}).action, Action::kVersion);
  EXPECT_EQ(Parse({"--log-level", "warn", "--version", "--bogus"}).action, Action::kVersion);
  EXPECT_EQ(Parse({"--version", "--help"}).action, Action::kVersion);
  EXPECT_EQ(ErrorOf(Parse({"--idle-timeout", "0", "--version"})),
            "--idle-timeout wants 1 to 86400");
  EXPECT_EQ(ErrorOf(Parse({"--version=1"})), "--version takes no value (see --help)");
}

TEST(ServerOptions, VersionIsTheProjects) {
  EXPECT_EQ(Version(), TGINVITE_VERSION);
  EXPECT_FALSE(Version().empty());
}

TEST(ServerOptions, ControlTokenFromTheEnvironmentOrTheFlag) {
  ParsedOptions r = Parse({}, "from-env");
  ASSERT_EQ(r.action, Action::kRun);
  EXPECT_EQ(r.options.control_token, "from-env");
  // The flag wins, wherever it is.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--control-token", "from-flag"},
           {"--control-token=from-flag"},
           {"--control-token", "from-flag", "--threads", "3"},
       }) {
    r = Parse(args, "from-env");
    ASSERT_EQ(r.action, Action::kRun) << r.error;
    EXPECT_EQ(r.options.control_token, "from-flag");
  }
  // An empty one too: main.cc then makes a random token.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--control-token", ""}, {"--control-token="}}) {
    r = Parse(args, "from-env");
    ASSERT_EQ(r.action, Action::kRun) << r.error;
    EXPECT_EQ(r.options.control_token, "");
  }
  r = Parse({}, "");
  EXPECT_EQ(r.options.control_token, "");
}

TEST(ServerOptions, TheLastOfARepeatedOptionCounts) {
  const ParsedOptions r =
      Parse({"--threads", "3", "--threads=5", "--log-level=debug", "--log-level", "error",
             "--listen", "a:1", "--listen=b:2", "--strict-webhooks", "--strict-webhooks"});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_EQ(r.options.threads, 5);
  EXPECT_EQ(r.options.log_level, log::Level::kError);
  EXPECT_EQ(r.options.host, "b");
  EXPECT_EQ(r.options.port, 2);
  EXPECT_TRUE(r.options.strict_webhooks);
}

TEST(ServerOptions, EveryOptionAtOnceInMixedForms) {
  const ParsedOptions r = Parse({"--listen=0.0.0.0:0",
                                 "--db",
                                 "memory",
                                 "--world=w.json",
                                 "--control-token",
                                 "t",
                                 "--threads=8",
                                 "--header-timeout",
                                 "5",
                                 "--idle-timeout=60",
                                 "--body-timeout",
                                 "7",
                                 "--write-timeout=9",
                                 "--unsent-limit-mb",
                                 "3",
                                 "--max-connections=11",
                                 "--strict-webhooks",
                                 "--log-level=warn",
                                 "--webhook-retry-base-ms",
                                 "50"});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  const Options& o = r.options;
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.port, 0);
  EXPECT_EQ(o.db, "memory");
  EXPECT_EQ(o.world, "w.json");
  EXPECT_EQ(o.control_token, "t");
  EXPECT_EQ(o.threads, 8);
  EXPECT_EQ(o.header_timeout, 5);
  EXPECT_EQ(o.idle_timeout, 60);
  EXPECT_EQ(o.body_timeout, 7);
  EXPECT_EQ(o.write_timeout, 9);
  EXPECT_EQ(o.unsent_limit_mb, 3);
  EXPECT_EQ(o.max_connections, 11);
  EXPECT_TRUE(o.strict_webhooks);
  EXPECT_EQ(o.log_level, log::Level::kWarn);
  EXPECT_EQ(o.webhook_retry_base_ms, 50);
}

TEST(ServerOptions, TlsFilesComeTogether) {
  ParsedOptions r =
      Parse({"--tls-cert", "c.pem", "--tls-key=k.pem", "--webhook-ca-file", "ca.pem"});
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_EQ(r.options.tls_cert, "c.pem");
  EXPECT_EQ(r.options.tls_key, "k.pem");
  EXPECT_EQ(r.options.webhook_ca_file, "ca.pem");
  const std::string together = "--tls-cert and --tls-key go together: a certificate and its key";
  EXPECT_EQ(ErrorOf(Parse({"--tls-cert", "c.pem"})), together);
  EXPECT_EQ(ErrorOf(Parse({"--tls-key=k.pem"})), together);
  EXPECT_EQ(ErrorOf(Parse({"--tls-cert=c.pem", "--tls-key="})), together);
  r = Parse({"--tls-cert=", "--tls-key="});  // both empty: plain HTTP
  ASSERT_EQ(r.action, Action::kRun) << r.error;
  EXPECT_EQ(r.options.tls_cert, "");
  EXPECT_EQ(Parse({}).options.webhook_ca_file, "");
}

TEST(ServerOptions, MakeCertTakesAFolderAndNames) {
  ParsedOptions r = Parse({"make-cert", "certs"});
  ASSERT_EQ(r.action, Action::kMakeCert) << r.error;
  EXPECT_EQ(r.cert_dir, "certs");
  EXPECT_EQ(r.cert_names, kDefaultCertNames);
  EXPECT_EQ(r.cert_names,
            (std::vector<std::string>{"api.telegram.org", "localhost", "127.0.0.1", "::1"}));
  r = Parse({"make-cert", "/tmp/c", "example.test", "10.0.0.1"});
  ASSERT_EQ(r.action, Action::kMakeCert) << r.error;
  EXPECT_EQ(r.cert_dir, "/tmp/c");
  EXPECT_EQ(r.cert_names, (std::vector<std::string>{"example.test", "10.0.0.1"}));
  const std::string usage = "make-cert wants a folder: tginvited make-cert DIR [NAME...]";
  EXPECT_EQ(ErrorOf(Parse({"make-cert"})), usage);
  EXPECT_EQ(ErrorOf(Parse({"make-cert", "--listen"})), usage);
  // Only as the first argument: elsewhere it is an unknown option... or a value.
  EXPECT_EQ(ErrorOf(Parse({"--threads", "2", "make-cert", "d"})),
            "unknown option make-cert (see --help)");
}

TEST(ServerOptions, HelpTextNamesEveryOption) {
  const std::string help(HelpText());
  EXPECT_TRUE(help.starts_with("Usage: tginvited [options]\n"));
  EXPECT_TRUE(help.ends_with("\n"));
  for (const char* option : {"--listen HOST:PORT",
                             "--db sqlite:PATH",
                             "--world FILE",
                             "--control-token TOKEN",
                             "TGINVITE_CONTROL_TOKEN",
                             "--threads N",
                             "--header-timeout SEC",
                             "--idle-timeout SEC",
                             "--body-timeout SEC",
                             "--write-timeout SEC",
                             "--unsent-limit-mb N",
                             "--max-connections N",
                             "--strict-webhooks",
                             "--log-level LEVEL",
                             "--log-format FORMAT",
                             "--webhook-retry-base-ms N",
                             "--no-guards",
                             "--flood-control",
                             "--frozen-clock",
                             "--max-queued-updates N",
                             "--help",
                             "--version",
                             "--name=VALUE",
                             "--tls-cert FILE",
                             "--tls-key FILE",
                             "--webhook-ca-file FILE",
                             "tginvited make-cert DIR [NAME...]"}) {
    EXPECT_NE(help.find(option), std::string::npos) << option;
  }
  // tests/e2e/http.test.mjs reads the unit of --header-timeout from its line: seconds.
  const size_t at = help.find("--header-timeout");
  const std::string line = help.substr(at, help.find('\n', at) - at);
  EXPECT_EQ(line.find("ms"), std::string::npos) << line;
  EXPECT_EQ(line.find("milli"), std::string::npos) << line;
}

}  // namespace
}  // namespace tgi::server
