// tginvite: the Bot API's invite-link methods from the shell.
//
//   TELEGRAM_BOT_TOKEN=... tginvite export --chat @my_channel
//
// The command line is parsed in args.cc, the call made and printed in run.cc; this file puts them
// together. See docs/client.md or `tginvite --help`.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.h"
#include "cli/run.h"
#include "tginvite/client.h"

#ifndef TGINVITE_VERSION
#define TGINVITE_VERSION "unknown"
#endif

namespace {

int Main(int argc, char** argv) {
  using namespace tgi::cli;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  ParseResult parsed = ParseArgs(args);
  if (!parsed.ok()) {
    std::cerr << "tginvite: " << parsed.error << "\n";
    return kExitUsage;
  }
  const Invocation& inv = parsed.invocation;
  if (inv.help || inv.version) {
    if (inv.help) {
      std::cout << HelpText(inv.subcommand) << std::flush;
    } else {
      std::cout << "tginvite " << TGINVITE_VERSION << std::endl;
    }
    if (!std::cout) {
      std::cerr << "tginvite: cannot write the output\n";
      return kExitOther;
    }
    return kExitOk;
  }

  TokenResult token = LoadToken(inv, std::getenv("TELEGRAM_BOT_TOKEN"));
  if (!token.error.empty()) {
    std::cerr << "tginvite: " << token.error << "\n";
    return kExitUsage;
  }

  tginvite::ClientOptions options = OptionsFor(inv);
  // A 429 with a retry_after is waited out by the library; say so, as waits can be long.
  options.on_retry = [&token](const tginvite::Error& e, std::chrono::seconds wait) {
    std::cerr << "tginvite: " << Scrub(DescribeError(e), token.token) << "; trying again in "
              << wait.count() << " s" << std::endl;
  };
  try {
    tginvite::Client client(token.token, std::move(options));
    return RunCall(inv, client, std::cout, std::cerr, token.token);
  } catch (const std::exception& e) {
    // The library returns errors as values; this is for the unexpected (e.g. out of memory).
    std::cerr << "tginvite: unexpected error: " << Scrub(e.what(), token.token) << "\n";
    return kExitOther;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    // The library returns errors as values; this is for the unexpected (e.g. out of memory).
    std::cerr << "tginvite: unexpected error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "tginvite: unexpected error\n";
  }
  return tgi::cli::kExitOther;
}
