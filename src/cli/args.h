// The tginvite command's command line: subcommands, flags, strict integer parsing and the help
// texts. Pure functions of argv; nothing here talks to the network or reads files.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tginvite/client.h"
#include "tginvite/types.h"

namespace tgi::cli {

// Exit codes (also in the --help text and docs/client.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitOther = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitApi = 3;
inline constexpr int kExitTransport = 4;

enum class Subcommand {
  kNone,
  kExport,
  kCreate,
  kEdit,
  kRevoke,
  kApprove,
  kDecline,
  kGetChat,
  kGetMe
};

// The subcommand's name on the command line ("get-chat") and the Bot API method it calls
// ("getChat"); "" for kNone.
std::string_view SubcommandName(Subcommand s);
std::string_view MethodName(Subcommand s);

// What the command line asks for, after parsing and checking.
struct Invocation {
  Subcommand subcommand = Subcommand::kNone;
  bool help = false;     // --help: print HelpText(subcommand) and exit 0
  bool version = false;  // --version
  bool json = false;
  bool follow_migration = false;
  std::string api_url = "https://api.telegram.org";
  std::optional<std::string> token_file;
  std::optional<int> timeout_seconds;
  std::optional<int> retries;

  std::optional<tginvite::ChatId> chat;
  std::optional<std::string> link;
  std::optional<std::int64_t> user;
  tginvite::CreateLinkParams link_params;  // create and edit
};

struct ParseResult {
  Invocation invocation;
  std::string error;  // empty when the command line is good; else one line without "tginvite: "
  bool ok() const { return error.empty(); }
};

// Parses the arguments after the program name. Flags may come before or after the subcommand, as
// `--flag VALUE` or `--flag=VALUE`. With --help or --version, a missing subcommand or required
// flag is not an error (an unknown flag or a bad value still is).
ParseResult ParseArgs(std::span<const std::string_view> args);

// A chat id (a strict int64) or "@username" (at least one character after '@').
std::optional<tginvite::ChatId> ParseChat(std::string_view text);

// The --help text: the whole command's for kNone, else the subcommand's.
std::string HelpText(Subcommand s);

}  // namespace tgi::cli
