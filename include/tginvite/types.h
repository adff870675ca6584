// The values the tginvite client library hands back: the Bot API objects it decodes, the chat id a
// method takes, and errors as values (no exceptions cross this API).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tginvite {

// A chat as the Bot API's `chat_id` parameter names it: an integer id, or "@username" of a public
// supergroup or channel. A string that is not "@..." is sent as it is (the server decides).
class ChatId {
 public:
  ChatId(std::int64_t id) : value_(id) {}       // NOLINT(google-explicit-constructor)
  ChatId(int id) : value_(std::int64_t{id}) {}  // NOLINT(google-explicit-constructor)
  ChatId(std::string username) : value_(std::move(username)) {}    // NOLINT
  ChatId(const char* username) : value_(std::string(username)) {}  // NOLINT

  bool is_id() const { return std::holds_alternative<std::int64_t>(value_); }
  std::int64_t id() const { return std::get<std::int64_t>(value_); }
  const std::string& username() const { return std::get<std::string>(value_); }
  // The parameter's text: the decimal id or the username as given.
  std::string ToString() const;

 private:
  std::variant<std::int64_t, std::string> value_;
};

// https://core.telegram.org/bots/api#user (the fields this project serves).
struct User {
  std::int64_t id = 0;
  bool is_bot = false;
  std::string first_name;
  std::string last_name;  // empty when absent
  std::string username;   // empty when absent
  std::string language_code;
  bool is_premium = false;
  // Only in getMe's answer.
  bool can_join_groups = false;
  bool can_read_all_group_messages = false;
  bool supports_inline_queries = false;
};

// https://core.telegram.org/bots/api#chatinvitelink
struct ChatInviteLink {
  std::string invite_link;  // links of other administrators end in "..."
  User creator;
  bool creates_join_request = false;
  bool is_primary = false;
  bool is_revoked = false;
  std::string name;                         // empty when absent
  std::optional<std::int64_t> expire_date;  // Unix time
  std::optional<std::int32_t> member_limit;
  std::optional<std::int32_t> pending_join_request_count;
  std::optional<std::int32_t> subscription_period;
  std::optional<std::int32_t> subscription_price;
};

// https://core.telegram.org/bots/api#chatfullinfo (the fields this project serves).
struct ChatFullInfo {
  std::int64_t id = 0;
  std::string type;  // "private", "group", "supergroup" or "channel"
  std::string title;
  std::string username;
  std::string first_name;
  std::string last_name;
  std::vector<std::string> active_usernames;
  std::string description;
  std::string invite_link;  // the calling bot's primary link, when it may invite
  int accent_color_id = 0;
  int max_reaction_count = 0;
};

// What went wrong with a call. Two kinds: the Bot API answered with an error (kApi: error_code,
// description and the response parameters), or no Bot API answer was had (kTransport: why in
// `transport`, a readable `description`). Texts never contain the bot token.
struct Error {
  enum class Kind { kApi, kTransport };
  enum class Transport {
    kNone,      // a kApi error
    kBadUrl,    // the API base URL cannot be used
    kDns,       // the host name did not resolve
    kConnect,   // no TCP connection (refused, unreachable)
    kTls,       // TLS handshake or certificate verification failed
    kTimeout,   // connect or request timeout passed
    kClosed,    // the connection broke before a whole answer came
    kBadReply,  // an answer came, but it is not the Bot API's JSON envelope
  };

  Kind kind = Kind::kTransport;
  Transport transport = Transport::kNone;
  int error_code = 0;  // the Bot API's error_code; for kBadReply the HTTP status, else 0
  std::string description;
  std::optional<int> retry_after;                  // parameters.retry_after (seconds)
  std::optional<std::int64_t> migrate_to_chat_id;  // parameters.migrate_to_chat_id

  bool is_api() const { return kind == Kind::kApi; }
  bool is_transport() const { return kind == Kind::kTransport; }
  // One line: "Bad Request: chat not found (400)" or "transport (timeout): ...".
  std::string ToString() const;
};

// The name of a transport kind: "bad-url", "dns", "connect", "tls", "timeout", "closed",
// "bad-reply" ("none" for kNone).
const char* TransportName(Error::Transport t);

// A value or an Error.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace tginvite
