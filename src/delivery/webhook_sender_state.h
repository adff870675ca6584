// The webhook sender's private state (the structs webhook_sender.h only declares), shared by the
// two files that implement WebhookSender: webhook_sender.cc (the entry points, loading from the
// world, the scheduler and what follows an attempt) and webhook_connection.cc (the connections,
// TLS, and one delivery attempt as a coroutine). Include it from those only.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "delivery/webhook_sender.h"
#include "delivery/webhook_wire.h"

namespace tgi::delivery {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

struct AttemptOutcome {
  bool ok = false;    // a 2xx answer
  int status = 0;     // the answer's HTTP status; 0: no answer (a network error, a timeout)
  std::string error;  // else why not, for last_error_message
  std::optional<std::chrono::seconds> retry_after;
  std::optional<ReplyCall> call;  // a method call found in a 2xx answer
};

// ---------------------------------------------------------------------------------------------
// State

struct WebhookSender::Io {
  asio::io_context context{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{context.get_executor()};
};

// Lets callbacks from other threads (the store's, the engine's) reach the sender's thread, and
// only while the sender runs: after Stop() what they post is dropped on their own thread.
struct WebhookSender::Gate {
  std::mutex mu;
  asio::io_context* io = nullptr;  // null once stopped

  void Post(std::function<void()> f) {
    std::lock_guard lock(mu);
    if (io) asio::post(*io, std::move(f));
  }
};

// One connection to a webhook: plain TCP for http://, TLS over TCP for https://. Reads and writes
// go through Io(); deadlines and the socket are the TCP layer's (Tcp()).
struct WebhookSender::Connection {
  using Plain = beast::tcp_stream;
  using Tls = beast::ssl_stream<beast::tcp_stream>;
  using Stream = std::variant<Plain, Tls>;

  Connection(asio::io_context& io, ssl::context* tls) : stream(MakeStream(io, tls)) {}

  static Stream MakeStream(asio::io_context& io, ssl::context* tls) {
    if (tls == nullptr) return Stream(std::in_place_type<Plain>, io);
    return Stream(std::in_place_type<Tls>, io, *tls);
  }
  beast::tcp_stream& Tcp() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); },
                      stream);
  }
  // Calls `op` with the stream as its own type; `op` returns the same awaitable for both.
  template <typename Op>
  auto Io(Op&& op) {
    return std::visit(std::forward<Op>(op), stream);
  }

  Stream stream;
  beast::flat_buffer buffer;
  SteadyClock::time_point idle_since;
};

// One update loaded from the world and not yet delivered.
struct WebhookSender::Pending {
  int64_t id = 0;
  UnixTime expires = 0;  // its date plus its kind's lifetime (domain::UpdateLifetimeSeconds)
  ChatId chat;
  SharedText json;  // shared with the queue, not copied
  RetryState retry;
  SteadyClock::time_point wake_at;  // not sent before this
  bool in_flight = false;
};

// One bot's webhook as the sender knows it. A changed URL gets a new BotState (a new epoch), so
// whatever still refers to the old one (a callback, a request in flight) finds it dead.
struct WebhookSender::BotState {
  BotState(UserId b, uint64_t e, asio::io_context& io) : bot(b), epoch(e), wake(io) {}

  UserId bot;
  uint64_t epoch;
  bool dead = false;

  // The webhook, from the world; url is empty until the first load.
  std::string url;
  std::string secret;
  int max_connections = 1;
  WebhookTarget target;
  bool target_ok = false;

  std::map<int64_t, Pending> pending;  // by id: loaded, not yet delivered
  int active = 0;                      // requests in flight
  int64_t next_load_id = 0;            // updates below this were loaded
  bool more = false;                   // the last load stopped at max_loaded_updates
  bool loading = false;
  bool reload = false;
  int64_t confirmed_below = 0;  // DropUpdatesBelow done for ids below this
  bool confirming = false;
  bool reconfirm = false;
  bool failing = false;  // for logging only the first error of a run of errors
  // When the first of the latest run of 410 Gone answers came (server's clock); 0: none.
  UnixTime first_gone = 0;

  std::unordered_set<std::shared_ptr<Connection>> conns;  // every open connection
  std::vector<std::shared_ptr<Connection>> idle;          // keep-alive ones ready for reuse
  asio::steady_timer wake;
  SteadyClock::time_point wake_at = SteadyClock::time_point::max();
};

struct WebhookSender::Loaded {
  std::string url;
  std::string secret;
  int max_connections = 40;
  std::vector<Pending> updates;
  bool more = false;
};

}  // namespace tgi::delivery
