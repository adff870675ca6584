#include "cli/args.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "common/ascii.h"

namespace tgi::cli {
namespace {

enum class Flag {
  kChat,
  kLink,
  kName,
  kExpireDate,
  kMemberLimit,
  kJoinRequest,
  kNoJoinRequest,
  kUser,
  // Global flags.
  kJson,
  kApiUrl,
  kTokenFile,
  kTimeout,
  kRetries,
  kFollowMigration,
  kHelp,
  kVersion,
  kCount,
};

struct FlagSpec {
  std::string_view name;  // with the leading "--"
  Flag flag;
  bool takes_value;
};

constexpr std::array<FlagSpec, 17> kFlags{{
    {"--chat", Flag::kChat, true},
    {"--link", Flag::kLink, true},
    {"--name", Flag::kName, true},
    {"--expire-date", Flag::kExpireDate, true},
    {"--member-limit", Flag::kMemberLimit, true},
    {"--join-request", Flag::kJoinRequest, false},
    {"--no-join-request", Flag::kNoJoinRequest, false},
    {"--user", Flag::kUser, true},
    {"--json", Flag::kJson, false},
    {"--api-url", Flag::kApiUrl, true},
    {"--token-file", Flag::kTokenFile, true},
    {"--timeout", Flag::kTimeout, true},
    {"--retries", Flag::kRetries, true},
    {"--follow-migration", Flag::kFollowMigration, false},
    {"--help", Flag::kHelp, false},
    {"-h", Flag::kHelp, false},
    {"--version", Flag::kVersion, false},
}};

constexpr unsigned Bit(Flag f) { return 1u << static_cast<unsigned>(f); }

constexpr unsigned kGlobalFlags =
    Bit(Flag::kJson) | Bit(Flag::kApiUrl) | Bit(Flag::kTokenFile) | Bit(Flag::kTimeout) |
    Bit(Flag::kRetries) | Bit(Flag::kFollowMigration) | Bit(Flag::kHelp) | Bit(Flag::kVersion);
constexpr unsigned kLinkFlags = Bit(Flag::kName) | Bit(Flag::kExpireDate) |
                                Bit(Flag::kMemberLimit) | Bit(Flag::kJoinRequest) |
                                Bit(Flag::kNoJoinRequest);

struct SubcommandSpec {
  Subcommand subcommand;
  std::string_view name;
  std::string_view method;
  unsigned allowed;   // besides the global flags
  unsigned required;  // checked unless --help or --version
  std::string_view synopsis;
  std::string_view summary;  // one line for the overview
  std::string_view details;  // the subcommand's --help, after the usage line
};

constexpr std::array<SubcommandSpec, 8> kSubcommands{{
    {Subcommand::kExport, "export", "exportChatInviteLink", Bit(Flag::kChat), Bit(Flag::kChat),
     "export --chat CHAT", "make a new primary link, revoking the previous one",
     "Calls exportChatInviteLink: makes a new primary invite link for the bot and revokes its\n"
     "previous primary link. Prints the new link.\n"},
    {Subcommand::kCreate, "create", "createChatInviteLink", Bit(Flag::kChat) | kLinkFlags,
     Bit(Flag::kChat), "create --chat CHAT [LINK FLAGS]", "make an additional link",
     "Calls createChatInviteLink: makes an additional invite link. Prints the link.\n"},
    {Subcommand::kEdit, "edit", "editChatInviteLink",
     Bit(Flag::kChat) | Bit(Flag::kLink) | kLinkFlags, Bit(Flag::kChat) | Bit(Flag::kLink),
     "edit --chat CHAT --link URL [LINK FLAGS]", "change a link the bot made",
     "Calls editChatInviteLink. The Bot API replaces all four properties with what is sent: a\n"
     "link flag left out clears that property (no name, no expiry, no limit, no join request).\n"
     "Prints the link.\n"},
    {Subcommand::kRevoke, "revoke", "revokeChatInviteLink", Bit(Flag::kChat) | Bit(Flag::kLink),
     Bit(Flag::kChat) | Bit(Flag::kLink), "revoke --chat CHAT --link URL", "revoke a link",
     "Calls revokeChatInviteLink. Prints the revoked link. Revoking the bot's primary link\n"
     "makes a new primary link (see get-chat's invite_link).\n"},
    {Subcommand::kApprove, "approve", "approveChatJoinRequest", Bit(Flag::kChat) | Bit(Flag::kUser),
     Bit(Flag::kChat) | Bit(Flag::kUser), "approve --chat CHAT --user ID",
     "approve a pending join request",
     "Calls approveChatJoinRequest. Prints nothing on success (`true` with --json).\n"},
    {Subcommand::kDecline, "decline", "declineChatJoinRequest", Bit(Flag::kChat) | Bit(Flag::kUser),
     Bit(Flag::kChat) | Bit(Flag::kUser), "decline --chat CHAT --user ID",
     "decline a pending join request",
     "Calls declineChatJoinRequest. Prints nothing on success (`true` with --json).\n"},
    {Subcommand::kGetChat, "get-chat", "getChat", Bit(Flag::kChat), Bit(Flag::kChat),
     "get-chat --chat CHAT", "show a chat",
     "Calls getChat. Prints `key: value` lines: id, type, then those of title, username,\n"
     "first_name, last_name, active_usernames (comma-separated), description and invite_link\n"
     "(the bot's primary link) that are not empty. Line breaks in values are shown as \\n.\n"},
    {Subcommand::kGetMe, "get-me", "getMe", 0, 0, "get-me", "show the bot",
     "Calls getMe. Prints `key: value` lines: id, is_bot, first_name, last_name and username\n"
     "(when not empty), can_join_groups, can_read_all_group_messages, supports_inline_queries.\n"},
}};

const SubcommandSpec* FindSubcommand(Subcommand s) {
  for (const auto& spec : kSubcommands) {
    if (spec.subcommand == s) return &spec;
  }
  return nullptr;
}

const SubcommandSpec* FindSubcommand(std::string_view name) {
  for (const auto& spec : kSubcommands) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const FlagSpec* FindFlag(std::string_view name) {
  for (const auto& spec : kFlags) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string_view FlagName(Flag f) {
  for (const auto& spec : kFlags) {
    if (spec.flag == f) return spec.name;
  }
  return "?";
}

// Concatenation by append (GCC 12 warns falsely on "literal" + std::string in -O3 builds).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

std::string Quoted(std::string_view text) {
  std::string out = "'";
  out.append(text);
  out.append("'");
  return out;
}

// Applies one flag and its value to `inv`; returns an error line or "".
std::string Apply(Flag flag, std::string_view name, std::string_view value, Invocation& inv) {
  auto bad = [&](std::string_view what) {
    return Cat({name, " must be ", what, ", not ", Quoted(value)});
  };
  switch (flag) {
    case Flag::kChat: {
      auto chat = ParseChat(value);
      if (!chat) return bad("a chat id (a 64-bit integer) or @username");
      inv.chat.emplace(std::move(*chat));
      return "";
    }
    case Flag::kLink:
      if (value.empty()) return bad("an invite link");
      inv.link.emplace(value);
      return "";
    case Flag::kName:
      inv.link_params.name.emplace(value);
      return "";
    case Flag::kExpireDate: {
      auto v = ascii::ParseDecimal<std::int64_t>(value);
      if (!v) return bad("a Unix time (a 64-bit integer; 0 = never)");
      inv.link_params.expire_date = *v;
      return "";
    }
    case Flag::kMemberLimit: {
      auto v = ascii::ParseDecimal<std::int32_t>(value);
      if (!v) return bad("a number of members (a 32-bit integer)");
      inv.link_params.member_limit = *v;
      return "";
    }
    case Flag::kJoinRequest:
      inv.link_params.creates_join_request = true;
      return "";
    case Flag::kNoJoinRequest:
      inv.link_params.creates_join_request = false;
      return "";
    case Flag::kUser: {
      auto v = ascii::ParseDecimal<std::int64_t>(value);
      if (!v) return bad("a user id (a 64-bit integer)");
      inv.user = *v;
      return "";
    }
    case Flag::kJson:
      inv.json = true;
      return "";
    case Flag::kApiUrl: {
      std::string_view rest;
      if (value.starts_with("http://")) {
        rest = value.substr(7);
      } else if (value.starts_with("https://")) {
        rest = value.substr(8);
      } else {
        return bad("an http:// or https:// URL");
      }
      if (rest.empty() || rest.front() == '/' || rest.front() == ':') {
        return bad("an http:// or https:// URL with a host");
      }
      inv.api_url.assign(value);
      return "";
    }
    case Flag::kTokenFile:
      if (value.empty()) return bad("a file name");
      inv.token_file.emplace(value);
      return "";
    case Flag::kTimeout: {
      auto v = ascii::ParseDecimal<std::int32_t>(value);
      if (!v || *v < 1 || *v > 86400) return bad("a number of seconds from 1 to 86400");
      inv.timeout_seconds = *v;
      return "";
    }
    case Flag::kRetries: {
      auto v = ascii::ParseDecimal<std::int32_t>(value);
      if (!v || *v < 0 || *v > 100) return bad("a number of retries from 0 to 100");
      inv.retries = *v;
      return "";
    }
    case Flag::kFollowMigration:
      inv.follow_migration = true;
      return "";
    case Flag::kHelp:
      inv.help = true;
      return "";
    case Flag::kVersion:
      inv.version = true;
      return "";
    case Flag::kCount:
      break;
  }
  return "internal error: unhandled flag";
}

}  // namespace

std::string_view SubcommandName(Subcommand s) {
  const SubcommandSpec* spec = FindSubcommand(s);
  return spec ? spec->name : std::string_view();
}

std::string_view MethodName(Subcommand s) {
  const SubcommandSpec* spec = FindSubcommand(s);
  return spec ? spec->method : std::string_view();
}

std::optional<tginvite::ChatId> ParseChat(std::string_view text) {
  // Built in place: GCC 12 warns falsely (maybe-uninitialized) on optional<variant> from a
  // temporary under -fsanitize.
  std::optional<tginvite::ChatId> chat;
  if (text.starts_with('@')) {
    if (text.size() >= 2) chat.emplace(std::string(text));
  } else if (auto id = ascii::ParseDecimal<std::int64_t>(text)) {
    chat.emplace(*id);
  }
  return chat;
}

ParseResult ParseArgs(std::span<const std::string_view> args) {
  ParseResult r;
  Invocation& inv = r.invocation;
  const SubcommandSpec* sub = nullptr;
  unsigned seen = 0;

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with('-') || arg == "-") {
      if (sub != nullptr) {
        r.error =
            Cat({"unexpected argument ", Quoted(arg), " (see tginvite ", sub->name, " --help)"});
        return r;
      }
      sub = FindSubcommand(arg);
      if (sub == nullptr) {
        r.error = Cat({"unknown subcommand ", Quoted(arg), " (see tginvite --help)"});
        return r;
      }
      inv.subcommand = sub->subcommand;
      continue;
    }

    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (auto eq = arg.find('='); eq != std::string_view::npos && arg.starts_with("--")) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    const FlagSpec* flag = FindFlag(name);
    if (flag == nullptr) {
      r.error = Cat({"unknown flag ", Quoted(name), " (see tginvite --help)"});
      return r;
    }
    if (seen & Bit(flag->flag)) {
      r.error = Cat({name, " is given twice"});
      return r;
    }
    seen |= Bit(flag->flag);

    std::string_view value;
    if (flag->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
        value = args[++i];
      } else {
        r.error = Cat({name, " needs a value"});
        return r;
      }
    } else if (inline_value) {
      r.error = Cat({name, " takes no value"});
      return r;
    }
    r.error = Apply(flag->flag, name, value, inv);
    if (!r.ok()) return r;
  }

  if ((seen & Bit(Flag::kJoinRequest)) && (seen & Bit(Flag::kNoJoinRequest))) {
    r.error = "--join-request and --no-join-request exclude each other";
    return r;
  }
  // Flags of the wrong subcommand (or of a subcommand, with none given).
  const unsigned allowed = kGlobalFlags | (sub ? sub->allowed : 0u);
  for (unsigned f = 0; f < static_cast<unsigned>(Flag::kCount); ++f) {
    if ((seen & (1u << f)) && !(allowed & (1u << f))) {
      std::string_view flag_name = FlagName(static_cast<Flag>(f));
      if (sub == nullptr) {
        r.error = Cat({flag_name, " needs a subcommand (see tginvite --help)"});
      } else {
        r.error = Cat(
            {sub->name, " does not take ", flag_name, " (see tginvite ", sub->name, " --help)"});
      }
      return r;
    }
  }
  if (inv.help || inv.version) return r;
  if (sub == nullptr) {
    r.error = "no subcommand given (see tginvite --help)";
    return r;
  }
  for (unsigned f = 0; f < static_cast<unsigned>(Flag::kCount); ++f) {
    if ((sub->required & (1u << f)) && !(seen & (1u << f))) {
      r.error = Cat({sub->name, " needs ", FlagName(static_cast<Flag>(f)), " (see tginvite ",
                     sub->name, " --help)"});
      return r;
    }
  }
  return r;
}

namespace {

constexpr std::string_view kChatFlagHelp =
    "  --chat CHAT            a chat id (-1001234567890, -4001) or the @username of a public\n"
    "                         supergroup or channel\n";
constexpr std::string_view kLinkFlagHelp =
    "  --link URL             the invite link (https://t.me/+...)\n";
constexpr std::string_view kUserFlagHelp = "  --user ID              the user who asked to join\n";
constexpr std::string_view kLinkFlagsHelp =
    "Link flags (create, edit):\n"
    "  --name TEXT            the link's name (0-32 characters)\n"
    "  --expire-date UNIX     when the link expires, as a Unix time (0 = never)\n"
    "  --member-limit N       how many members may be in the chat through it at once (1-99999)\n"
    "  --join-request         users who use it ask to join; a bot approves or declines\n"
    "  --no-join-request      users who use it join at once\n";

constexpr std::string_view kGlobalHelp =
    "Global flags (before or after the subcommand):\n"
    "  --json                 print the Bot API's whole `result` as JSON, on one line\n"
    "  --api-url URL          the Bot API server (default https://api.telegram.org), e.g.\n"
    "                         http://127.0.0.1:8081 for a tginvited\n"
    "  --token-file FILE      read the bot token from FILE (one line); else the\n"
    "                         environment variable TELEGRAM_BOT_TOKEN is used. There is no\n"
    "                         --token flag on purpose: a token in the arguments can be read by\n"
    "                         every user of the machine (ps, /proc)\n"
    "  --timeout SECONDS      the connect timeout and the request timeout (default 10 and 30)\n"
    "  --retries N            after 429 Too Many Requests, wait retry_after seconds and try\n"
    "                         again, at most N times (default 3; 0 = never; waits over 60 s\n"
    "                         are not made: the 429 is the answer)\n"
    "  --follow-migration     when a basic group was upgraded to a supergroup, send the call\n"
    "                         again to the new chat id (migrate_to_chat_id)\n"
    "  --help, -h             this text; tginvite SUBCOMMAND --help for one subcommand\n"
    "  --version              print the version\n";

constexpr std::string_view kExitHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  any other failure\n"
    "  2  bad usage: unknown subcommand or flag, a missing or invalid value, no token\n"
    "  3  the Bot API answered with an error (printed with its error code)\n"
    "  4  no Bot API answer: DNS, connect, TLS, timeout, broken or non-Bot-API reply\n"
    "Errors are printed on stderr as one line starting with \"tginvite: \"; the token is never\n"
    "printed. Flags take their value as --flag VALUE or --flag=VALUE. Integers are checked\n"
    "strictly: digits with an optional leading '-', nothing else, within 64 bits (32 bits for\n"
    "--member-limit).\n";

}  // namespace

std::string HelpText(Subcommand s) {
  std::string out;
  const SubcommandSpec* spec = FindSubcommand(s);
  if (spec != nullptr) {
    out.append("Usage: tginvite ").append(spec->synopsis).append(" [GLOBAL FLAGS]\n\n");
    out.append(spec->details);
    if (spec->allowed != 0) out.append("\nFlags:\n");
    if (spec->allowed & Bit(Flag::kChat)) out.append(kChatFlagHelp);
    if (spec->allowed & Bit(Flag::kLink)) out.append(kLinkFlagHelp);
    if (spec->allowed & Bit(Flag::kUser)) out.append(kUserFlagHelp);
    if (spec->allowed & kLinkFlags) out.append("\n").append(kLinkFlagsHelp);
    out.append("\n").append(kGlobalHelp).append("\n").append(kExitHelp);
    return out;
  }
  out.append(
      "Usage: tginvite [GLOBAL FLAGS] SUBCOMMAND [FLAGS]\n"
      "\n"
      "Calls the Telegram Bot API's invite-link methods on api.telegram.org or on a tginvited.\n"
      "export, create, edit and revoke print the invite link; approve and decline print nothing;\n"
      "get-chat and get-me print `key: value` lines.\n"
      "\n"
      "Subcommands:\n");
  for (const auto& sc : kSubcommands) {
    std::string line = "  ";
    line.append(sc.synopsis);
    if (line.size() < 44) line.resize(44, ' ');
    out.append(line).append(sc.summary).append("\n");
  }
  out.append("\nFlags of the subcommands:\n").append(kChatFlagHelp).append(kLinkFlagHelp);
  out.append(kUserFlagHelp).append("\n").append(kLinkFlagsHelp);
  out.append("\n").append(kGlobalHelp).append("\n").append(kExitHelp);
  return out;
}

}  // namespace tgi::cli
