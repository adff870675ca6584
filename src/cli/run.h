// Running a parsed tginvite command line: finding the token, making the call with the client
// library, printing the answer or one error line, choosing the exit code.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "cli/args.h"
#include "tginvite/client.h"
#include "tginvite/types.h"

namespace tgi::cli {

struct TokenResult {
  std::string token;
  std::string error;  // empty on success; one line without "tginvite: " (exit code 2)
};

// The bot token: the first line of --token-file's file (surrounding blanks removed), else the
// environment variable TELEGRAM_BOT_TOKEN (`env_token`, may be null). Missing, empty, unreadable
// or several lines is an error.
TokenResult LoadToken(const Invocation& inv, const char* env_token);

// The client options the flags ask for (api_url, timeouts, retries, follow_migration).
tginvite::ClientOptions OptionsFor(const Invocation& inv);

// The JSON object sent with Client::Call for --json (chat_id, invite_link, user_id and the link
// properties given).
std::string ParamsJson(const Invocation& inv);

// One line for an error, without "tginvite: ":
//   "Bad Request: chat not found (error 400)"
//   "Bad Request: group chat was upgraded to a supergroup chat (error 400, migrate_to_chat_id
//   -100…)" the transport description, e.g. "cannot connect to 127.0.0.1:1: Connection refused".
std::string DescribeError(const tginvite::Error& e);

// 3 for a Bot API error, 4 for a transport error, 2 for an unusable --api-url.
int ExitCodeFor(const tginvite::Error& e);

// `text` with every occurrence of `secret` replaced by "<token>".
std::string Scrub(std::string text, std::string_view secret);

// Makes the invocation's call with `client` and prints the result on `out`, or one line
// "tginvite: ..." on `err` (scrubbed of `token`). Returns the exit code.
int RunCall(const Invocation& inv, tginvite::Client& client, std::ostream& out, std::ostream& err,
            std::string_view token);

}  // namespace tgi::cli
