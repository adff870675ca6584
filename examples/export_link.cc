// export_link: makes a new primary invite link for each chat named on the command line, with the
// tginvite client library. The C++ counterpart of the usual few-line PHP or Python bot script.
//
//   export TELEGRAM_BOT_TOKEN=123456:ABC...             # the bot's token (keep it out of argv)
//   export TELEGRAM_API_URL=http://127.0.0.1:8081       # optional: a tginvited instead of Telegram
//   export_link -1001234567890 @my_channel
//
// Prints "CHAT LINK" for each chat on stdout, or "CHAT error: DESCRIPTION" on stderr. Exit code: 0
// when every link was made, 1 when some call failed, 2 for bad usage (no chat given, no token, a
// bad chat).
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "tginvite/client.h"

namespace {

// "@username" as it is; anything else must be a whole integer such as -1001234567890.
std::optional<tginvite::ChatId> ParseChat(std::string_view arg) {
  std::optional<tginvite::ChatId> chat;
  std::int64_t id = 0;
  if (arg.size() > 1 && arg.front() == '@') {
    chat.emplace(std::string(arg));
  } else if (auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
             ec == std::errc() && end == arg.data() + arg.size() && !arg.empty()) {
    chat.emplace(id);
  }
  return chat;
}

}  // namespace

int main(int argc, char** argv) {
  const char* token = std::getenv("TELEGRAM_BOT_TOKEN");
  if (argc < 2 || token == nullptr || *token == '\0') {
    std::cerr << "usage: TELEGRAM_BOT_TOKEN=... [TELEGRAM_API_URL=...] export_link CHAT...\n"
                 "  CHAT: a chat id (-1001234567890) or @channel_username\n";
    return 2;
  }

  // Real Telegram by default; TELEGRAM_API_URL points the same program at a tginvited.
  tginvite::ClientOptions options;
  if (const char* url = std::getenv("TELEGRAM_API_URL"); url != nullptr && *url != '\0') {
    options.api_url = url;
  }
  tginvite::Client bot(token, options);

  int exit_code = 0;
  for (int i = 1; i < argc; ++i) {
    std::optional<tginvite::ChatId> chat = ParseChat(argv[i]);
    if (!chat) {
      std::cerr << argv[i] << ": not a chat id or @username\n";
      return 2;
    }
    // One HTTPS (or HTTP) request: exportChatInviteLink. The bot's previous primary link for the
    // chat stops working.
    tginvite::Result<std::string> link = bot.ExportChatInviteLink(*chat);
    if (link) {
      std::cout << argv[i] << " " << *link << "\n";
    } else {
      // An Error is a value: the Bot API's error_code and description, or why no answer came.
      const tginvite::Error& e = link.error();
      std::cerr << argv[i] << " error: " << e.ToString() << "\n";
      exit_code = 1;
    }
  }
  return exit_code;
}
