// tginvite::Client: calls the Bot API's invite-link methods on the real Telegram
// (https://api.telegram.org, certificate verified) or on a tginvited (plain http://).
//
//   tginvite::Client bot(std::getenv("TELEGRAM_BOT_TOKEN"));
//   auto link = bot.ExportChatInviteLink("@my_channel");
//   if (link) std::cout << *link << "\n"; else std::cerr << link.error().ToString() << "\n";
//
// Calls are synchronous and a Client is not thread-safe: use one per thread. The connection is kept
// open between calls and reopened when the server has closed it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tginvite/types.h"

namespace tginvite {

struct ClientOptions {
  // Scheme, host, optional port and optional path prefix; "/bot<token>/<method>" is appended.
  std::string api_url = "https://api.telegram.org";
  std::chrono::milliseconds connect_timeout{10'000};  // DNS + TCP + TLS handshake
  std::chrono::milliseconds request_timeout{30'000};  // writing the request and reading the answer
  // On 429 the call waits parameters.retry_after seconds and is sent again, at most this many
  // times; a retry_after above max_retry_wait is not waited for: the 429 is returned.
  int max_429_retries = 3;
  std::chrono::seconds max_retry_wait{60};
  // When a method is refused with parameters.migrate_to_chat_id (a basic group that became a
  // supergroup), send it once more to the new chat id.
  bool follow_migration = false;
  // Called before each wait for a 429 retry (the error, then the wait). For logging or tests.
  std::function<void(const Error&, std::chrono::seconds)> on_retry;
  // Certificate authorities for https: a PEM file, or empty for the system's default store.
  std::string ca_file;
};

// createChatInviteLink's optional parameters (unset ones are not sent).
struct CreateLinkParams {
  std::optional<std::string> name;
  std::optional<std::int64_t> expire_date;  // Unix time; 0 = never
  std::optional<std::int32_t> member_limit;
  std::optional<bool> creates_join_request;
};
// editChatInviteLink sends the same parameters; the Bot API replaces all four with what is sent.
using EditLinkParams = CreateLinkParams;

class Client {
 public:
  explicit Client(std::string token, ClientOptions options = {});
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Result<User> GetMe();
  Result<ChatFullInfo> GetChat(const ChatId& chat);
  // The new primary link; the bot's previous primary link is revoked.
  Result<std::string> ExportChatInviteLink(const ChatId& chat);
  Result<ChatInviteLink> CreateChatInviteLink(const ChatId& chat,
                                              const CreateLinkParams& params = {});
  Result<ChatInviteLink> EditChatInviteLink(const ChatId& chat, std::string_view invite_link,
                                            const EditLinkParams& params = {});
  Result<ChatInviteLink> RevokeChatInviteLink(const ChatId& chat, std::string_view invite_link);
  Result<bool> ApproveChatJoinRequest(const ChatId& chat, std::int64_t user_id);
  Result<bool> DeclineChatJoinRequest(const ChatId& chat, std::int64_t user_id);

  // Any method: `params_json` is a JSON object's text, the answer is the JSON text of `result`.
  // 429 retries apply; migration is followed when the params have a "chat_id".
  Result<std::string> Call(std::string_view method, std::string_view params_json = "{}");

  const ClientOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tginvite
