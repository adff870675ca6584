// Layout: the state kept per bot (BotState, Pending, Connection), the entry points that post to
// the sender's thread, loading updates from the world, the scheduler (Pump), one delivery
// attempt as a coroutine (Exchange), and what follows an attempt (OnOutcome, Confirm).
#include "delivery/webhook_sender.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <variant>

#include "botapi/errors.h"
#include "botapi/webhook_url.h"
#include "common/log.h"
#include "delivery/webhook_wire.h"
#include "domain/world.h"

namespace tgi::delivery {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kComponent = "webhook";
constexpr auto kUseAwaitable = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMaxReplyHeaderBytes = 64 * 1024;
constexpr int kMaxInformational = 10;  // 1xx answers skipped before the final one

std::string BotName(UserId bot) { return "bot " + std::to_string(bot.value); }

// What getWebhookInfo's last_error_message says for a failed exchange, in the reference server's
// words where it has them.
std::string ErrorText(const error_code& ec) {
  static const boost::system::error_category& http_category =
      bhttp::make_error_code(bhttp::error::end_of_stream).category();
  if (ec == beast::error::timeout) return std::string(botapi::kWebhookTimeout);
  // OpenSSL's error, as TDLib shows it; the code asio keeps is the one ERR_get_error gave.
  if (ec.category() == asio::error::get_ssl_category()) {
    char text[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), text, sizeof text);
    return botapi::WebhookSslError(text);
  }
  if (ec == asio::error::connection_refused) return std::string(botapi::kWebhookConnectionRefused);
  if (ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::connection_aborted || ec == asio::error::broken_pipe ||
      ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == asio::error::operation_aborted || ec == ssl::error::stream_truncated)
    return std::string(botapi::kWebhookConnectionClosed);
  if (ec.category() == http_category) return botapi::WebhookWrongResponse(ec.message());
  return ec.message();
}

// A connection reused after a quiet spell may have been closed by the webhook meanwhile; such a
// failure before any byte of an answer is not the webhook's fault and is tried again at once.
bool ClosedBeforeAnswer(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == bhttp::error::end_of_stream ||
         ec == ssl::error::stream_truncated;
}

// A file's readability, in the system's words ("" when it can be read).
std::string Unreadable(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return std::strerror(errno);
  std::fclose(f);
  return "";
}

std::string ReasonOf(const bhttp::response<bhttp::string_body>& res) {
  std::string reason(res.reason());
  if (reason.empty()) {
    std::string_view standard = bhttp::obsolete_reason(res.result());
    if (!standard.empty() && standard.front() != '<') reason = standard;
  }
  return reason;
}

}  // namespace

struct AttemptOutcome {
  bool ok = false;    // a 2xx answer
  int status = 0;     // the answer's HTTP status; 0: no answer (a network error, a timeout)
  std::string error;  // else why not, for last_error_message
  std::optional<std::chrono::seconds> retry_after;
  std::optional<ReplyCall> call;  // a method call found in a 2xx answer
};

namespace {

// What a complete answer means (spec 5.5): any 2xx is success and may carry a method call;
// anything else is an error, maybe with a Retry-After.
AttemptOutcome ReadAnswer(bhttp::response<bhttp::string_body>& res, const WebhookOptions& options) {
  AttemptOutcome out;
  int status = res.result_int();
  out.status = status;
  if (status >= 200 && status <= 299) {
    out.ok = true;
    out.call = ParseReplyCall(res[bhttp::field::content_type], res[bhttp::field::content_encoding],
                              std::move(res.body()), options.max_reply_bytes);
  } else {
    out.error = botapi::WebhookWrongResponse(std::to_string(status) + " " + ReasonOf(res));
    if (auto it = res.find(bhttp::field::retry_after); it != res.end())
      out.retry_after = ParseRetryAfter(it->value(), options.max_retry_after);
  }
  return out;
}

}  // namespace

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

// ---------------------------------------------------------------------------------------------
// Entry points

WebhookSender::WebhookSender(app::Engine& engine, WebhookOptions options)
    : engine_(engine),
      options_(std::move(options)),
      io_(std::make_unique<Io>()),
      gate_(std::make_shared<Gate>()),
      random_(std::random_device{}()) {
  gate_->io = &io_->context;
  if (!options_.tls) {
    // The system's CAs only: nothing to read that could fail but the system's own files, and
    // a verification that fails for want of them is recorded like any other error.
    auto tls = MakeWebhookTls("");
    if (tls) options_.tls = std::move(*tls);
  }
}

Result<std::shared_ptr<ssl::context>> MakeWebhookTls(const std::string& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(ssl::verify_peer);
  error_code ec;
  context->set_default_verify_paths(ec);  // a system without CAs simply trusts fewer
  if (!ca_file.empty()) {
    if (std::string why = Unreadable(ca_file); !why.empty())
      return Fail("cannot read the webhook CA file " + ca_file + ": " + why);
    context->load_verify_file(ca_file, ec);
    if (ec) {
      ERR_clear_error();
      return Fail("the webhook CA file " + ca_file +
                  " holds no usable PEM certificate: " + ec.message());
    }
  }
  ERR_clear_error();
  return context;
}

WebhookSender::~WebhookSender() { Stop(); }

void WebhookSender::Start(botapi::BotApi* api) {
  {
    std::lock_guard lock(gate_->mu);
    if (started_ || !gate_->io) return;  // started already, or stopped
  }
  started_ = true;
  api_ = api;
  thread_ = std::thread([this] {
    for (;;) {
      try {
        io_->context.run();
        return;
      } catch (const std::exception& e) {
        log::Error(kComponent, std::string("unexpected error: ") + e.what());
      }
    }
  });
  gate_->Post([this] { ScanAll(); });
}

void WebhookSender::Notify(const std::vector<UserId>& bots) {
  gate_->Post([this, bots] {
    for (UserId bot : bots) {
      auto it = bots_.find(bot);
      // A bot whose last load stopped at max_loaded_updates loads more as deliveries free room:
      // new updates come after those anyway.
      if (it != bots_.end() && !it->second->more) Load(it->second);
    }
  });
}

void WebhookSender::WebhookChanged(UserId bot) {
  // Whatever changed (URL, secret, max_connections, or the queue with drop_pending_updates), the
  // bot starts afresh from what the world holds, as the reference starts a new WebhookActor; a
  // load that finds no URL removes the bot.
  gate_->Post([this, bot] { Replace(bot); });
}

void WebhookSender::SetDelivering(bool on) {
  gate_->Post([this, on] {
    if (paused_ == !on) return;
    paused_ = !on;
    if (paused_) {
      for (auto& [bot, st] : bots_) Abort(*st);
      bots_.clear();
    } else if (started_) {
      ScanAll();
    }
  });
}

void WebhookSender::Stop() {
  bool first = false;
  {
    std::lock_guard lock(gate_->mu);
    first = gate_->io != nullptr;
    gate_->io = nullptr;
  }
  if (first) {
    asio::post(io_->context, [this] {
      stopping_ = true;
      for (auto& [bot, st] : bots_) Abort(*st);
      bots_.clear();
      io_->work.reset();
    });
  }
  if (thread_.joinable()) thread_.join();
}

// ---------------------------------------------------------------------------------------------
// Loading from the world

void WebhookSender::ScanAll() {
  auto bots = std::make_shared<std::vector<UserId>>();
  engine_.Run(
      [bots](domain::World& w, domain::Mutation&, UnixTime) { *bots = w.BotsWithWebhook(); },
      [this, gate = gate_, bots](Status st) {
        if (!st.ok()) return;
        gate->Post([this, bots] {
          if (paused_) return;
          for (UserId bot : *bots)
            if (!bots_.contains(bot)) Load(Ensure(bot));
        });
      });
}

const std::shared_ptr<WebhookSender::BotState>& WebhookSender::Ensure(UserId bot) {
  auto& slot = bots_[bot];
  if (!slot) slot = std::make_shared<BotState>(bot, ++epochs_, io_->context);
  return slot;
}

void WebhookSender::Load(const std::shared_ptr<BotState>& st) {
  if (st->dead || stopping_ || paused_) return;
  if (st->loading) {
    st->reload = true;
    return;
  }
  st->loading = true;
  size_t room = options_.max_loaded_updates > st->pending.size()
                    ? options_.max_loaded_updates - st->pending.size()
                    : 0;
  auto loaded = std::make_shared<Loaded>();
  UserId bot = st->bot;
  int64_t from = st->next_load_id;
  engine_.Run(
      [bot, from, room, loaded](domain::World& w, domain::Mutation&, UnixTime now) {
        domain::BotUpdateSettings s = w.UpdateSettings(bot);
        loaded->url = s.webhook_url;
        if (loaded->url.empty()) return;
        loaded->secret = s.webhook_secret;
        loaded->max_connections = std::max<int>(1, s.max_connections);
        for (const domain::Update* u : w.PendingUpdates(bot, now)) {
          if (u->id < from) continue;
          if (loaded->updates.size() >= room) {
            loaded->more = true;
            break;
          }
          loaded->updates.push_back(
              Pending{.id = u->id,
                      .expires = u->date + domain::UpdateLifetimeSeconds(u->type),
                      .chat = u->chat,
                      .json = u->json});
        }
      },
      [this, gate = gate_, bot, epoch = st->epoch, loaded](Status status) {
        bool ok = status.ok();
        gate->Post([this, bot, epoch, loaded, ok] {
          auto it = bots_.find(bot);
          if (it == bots_.end() || it->second->epoch != epoch) return;
          std::shared_ptr<BotState> st = it->second;  // a copy: OnLoaded may erase the entry
          OnLoaded(st, *loaded, ok);
        });
      });
}

void WebhookSender::OnLoaded(const std::shared_ptr<BotState>& st, const Loaded& loaded, bool ok) {
  st->loading = false;
  if (!ok) return;  // the store failed: the server is stopping
  if (loaded.url.empty()) return Remove(st->bot);
  if (st->url.empty()) {
    st->url = loaded.url;
    // A URL without a protocol is an https:// one, as setWebhook took it.
    auto target = ParseWebhookUrl(botapi::WebhookUrlWithProtocol(st->url));
    st->target_ok = target.ok();
    if (target.ok()) st->target = std::move(*target);
  } else if (loaded.url != st->url) {
    return Replace(st->bot);
  }
  st->secret = loaded.secret;
  st->max_connections = loaded.max_connections;
  SteadyClock::time_point now = SteadyClock::now();
  for (const Pending& p : loaded.updates) {
    if (p.id < st->next_load_id) continue;
    st->next_load_id = p.id + 1;
    Pending& added = st->pending[p.id];
    added = p;
    added.wake_at = now;
  }
  st->more = loaded.more;
  if (st->reload) {
    st->reload = false;
    Load(st);
  }
  Pump(st);
}

void WebhookSender::Replace(UserId bot) {
  if (auto it = bots_.find(bot); it != bots_.end()) {
    Abort(*it->second);
    bots_.erase(it);
  }
  if (!paused_) Load(Ensure(bot));  // paused: SetDelivering(true) loads every bot afresh
}

void WebhookSender::Remove(UserId bot) {
  auto it = bots_.find(bot);
  if (it == bots_.end()) return;
  Abort(*it->second);
  bots_.erase(it);
}

void WebhookSender::Abort(BotState& st) {
  st.dead = true;
  st.wake.cancel();
  for (const auto& conn : st.conns) {
    error_code ignored;
    conn->Tcp().socket().close(ignored);
  }
  st.conns.clear();
  st.idle.clear();
}

// ---------------------------------------------------------------------------------------------
// Scheduling

void WebhookSender::Pump(const std::shared_ptr<BotState>& st) {
  if (st->dead || stopping_ || st->url.empty()) return;
  SteadyClock::time_point now = SteadyClock::now();
  SteadyClock::time_point next = SteadyClock::time_point::max();

  // Idle keep-alive connections are closed after idle_timeout.
  for (size_t i = 0; i < st->idle.size();) {
    auto conn = st->idle[i];
    if (now - conn->idle_since >= options_.idle_timeout) {
      Discard(*st, conn);
    } else {
      next = std::min(next, conn->idle_since + options_.idle_timeout);
      ++i;
    }
  }

  // An update that waited past its lifetime (behind another of its chat, say, or a callback_query
  // after its 150 s) is dropped, never sent (spec 5.3, bot-api-messages.md 6.2).
  const UnixTime world_now = engine_.Now();
  bool dropped = false;
  for (auto it = st->pending.begin(); it != st->pending.end();) {
    if (it->second.in_flight || it->second.expires > world_now) {
      ++it;
      continue;
    }
    log::Warn(kComponent, BotName(st->bot) + ": update " + std::to_string(it->first) +
                              " dropped: it expired before it could be delivered");
    expired_.Add();
    it = st->pending.erase(it);
    dropped = true;
  }
  if (dropped) Confirm(st);

  // Only the oldest undelivered update of each chat may go; it waits if in flight or backing off.
  std::unordered_set<ChatId> seen;
  for (auto& [id, p] : st->pending) {
    if (st->active >= st->max_connections) break;
    if (!seen.insert(p.chat).second || p.in_flight) continue;
    if (p.wake_at > now) {
      next = std::min(next, p.wake_at);
      continue;
    }
    StartAttempt(st, p);
  }
  if (next != SteadyClock::time_point::max()) ArmWake(st, next);
}

void WebhookSender::ArmWake(const std::shared_ptr<BotState>& st, SteadyClock::time_point at) {
  if (at == st->wake_at) return;
  st->wake_at = at;
  st->wake.expires_at(at);
  st->wake.async_wait([this, weak = std::weak_ptr<BotState>(st)](const error_code& ec) {
    auto st = weak.lock();
    if (ec || !st || st->dead || stopping_) return;
    st->wake_at = SteadyClock::time_point::max();
    Pump(st);
  });
}

void WebhookSender::StartAttempt(const std::shared_ptr<BotState>& st, Pending& p) {
  p.in_flight = true;
  ++st->active;
  if (!st->target_ok || (st->target.https && !options_.tls)) {
    // Nothing to connect to: fails like a request would, on the next turn of the loop.
    Outcome failed{.error = std::string(st->target_ok ? botapi::kWebhookNoTlsContext
                                                      : botapi::kWebhookBadUrl)};
    asio::post(io_->context, [this, st, id = p.id, failed]() { OnOutcome(st, id, failed); });
    return;
  }
  std::string request = BuildWebhookRequest(st->target, st->secret, p.json);
  asio::co_spawn(io_->context, Exchange(st, std::move(request)),
                 [this, st, id = p.id](std::exception_ptr e, Outcome outcome) {
                   if (e) outcome = Outcome{.error = std::string(botapi::kWebhookConnectionClosed)};
                   OnOutcome(st, id, std::move(outcome));
                 });
}

// ---------------------------------------------------------------------------------------------
// Connections

std::shared_ptr<WebhookSender::Connection> WebhookSender::TakeIdle(BotState& st) {
  SteadyClock::time_point now = SteadyClock::now();
  while (!st.idle.empty()) {
    std::shared_ptr<Connection> conn = std::move(st.idle.back());
    st.idle.pop_back();
    bool fresh = now - conn->idle_since < options_.idle_timeout && conn->buffer.size() == 0;
    if (fresh) {
      // A peek tells whether the webhook closed it meanwhile (0: end of stream) or sent
      // something unasked (> 0); either way it cannot carry a request.
      char byte;
      ssize_t n = ::recv(conn->Tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return conn;
    }
    Discard(st, conn);
  }
  return nullptr;
}

void WebhookSender::PutIdle(BotState& st, std::shared_ptr<Connection> conn) {
  conn->Tcp().expires_never();
  conn->idle_since = SteadyClock::now();
  st.idle.push_back(std::move(conn));
}

void WebhookSender::Discard(BotState& st, const std::shared_ptr<Connection>& conn) {
  error_code ignored;
  conn->Tcp().socket().close(ignored);
  st.idle.erase(std::remove(st.idle.begin(), st.idle.end(), conn), st.idle.end());
  st.conns.erase(conn);
}

// ---------------------------------------------------------------------------------------------
// One attempt

asio::awaitable<std::string> WebhookSender::Connect(std::shared_ptr<BotState> st,
                                                    std::shared_ptr<Connection> conn) {
  error_code ec;
  asio::ip::address address = asio::ip::make_address(st->target.host, ec);
  const bool host_is_ip = !ec;
  if (host_is_ip) {
    auto [connected] =
        co_await conn->Tcp().async_connect(tcp::endpoint(address, st->target.port), kUseAwaitable);
    if (connected) co_return ErrorText(connected);
  } else {
    tcp::resolver resolver(io_->context);
    auto [resolved, endpoints] = co_await resolver.async_resolve(
        st->target.host, std::to_string(st->target.port), kUseAwaitable);
    if (resolved) co_return botapi::WebhookFailedToResolve(resolved.message());
    if (st->dead) co_return std::string(botapi::kWebhookConnectionClosed);
    auto [connected, endpoint] = co_await conn->Tcp().async_connect(endpoints, kUseAwaitable);
    if (connected) co_return ErrorText(connected);
  }
  auto* tls = std::get_if<Connection::Tls>(&conn->stream);
  if (tls == nullptr || st->dead) co_return std::string();
  // As TDLib's SslStream: the certificate must be for the URL's host, an IP address checked as
  // one; a name is also sent as SNI (an IP address must not be).
  SSL* handle = tls->native_handle();
  X509_VERIFY_PARAM* param = SSL_get0_param(handle);
  X509_VERIFY_PARAM_set_hostflags(param, 0);
  const bool named = host_is_ip
                         ? X509_VERIFY_PARAM_set1_ip_asc(param, st->target.host.c_str()) == 1
                         : X509_VERIFY_PARAM_set1_host(param, st->target.host.c_str(), 0) == 1 &&
                               SSL_set_tlsext_host_name(handle, st->target.host.c_str()) == 1;
  if (!named) {
    ERR_clear_error();
    co_return std::string(botapi::kWebhookBadUrl);
  }
  auto [shaken] = co_await tls->async_handshake(ssl::stream_base::client, kUseAwaitable);
  co_return shaken ? ErrorText(shaken) : std::string();
}

asio::awaitable<WebhookSender::Outcome> WebhookSender::Exchange(std::shared_ptr<BotState> st,
                                                                std::string request) {
  Outcome out;
  for (;;) {
    std::shared_ptr<Connection> conn = TakeIdle(*st);
    bool reused = conn != nullptr;
    if (!reused) {
      conn = std::make_shared<Connection>(io_->context,
                                          st->target.https ? options_.tls.get() : nullptr);
      st->conns.insert(conn);
    }
    // One deadline for connecting, the TLS handshake, sending and reading the whole answer.
    conn->Tcp().expires_after(options_.request_timeout);
    if (!reused) out.error = co_await Connect(st, conn);
    if (st->dead || !out.error.empty()) {
      Discard(*st, conn);
      co_return out;
    }

    auto [written, n] = co_await conn->Io(
        [&](auto& s) { return asio::async_write(s, asio::buffer(request), kUseAwaitable); });
    error_code ec = written;
    // Informational (1xx) answers are skipped: the final answer follows on the connection.
    std::optional<bhttp::response_parser<bhttp::string_body>> parser;
    bool answered = false;  // some byte of an answer came
    for (int informational = 0; !ec; ++informational) {
      parser.emplace();
      parser->header_limit(kMaxReplyHeaderBytes);
      parser->body_limit(options_.max_reply_bytes);
      auto [read, m] = co_await conn->Io(
          [&](auto& s) { return bhttp::async_read(s, conn->buffer, *parser, kUseAwaitable); });
      ec = read;
      answered = answered || parser->got_some();
      if (ec || parser->get().result_int() >= 200 || informational >= kMaxInformational) break;
    }
    if (ec) {
      Discard(*st, conn);
      if (st->dead) co_return out;
      if (reused && !answered && ClosedBeforeAnswer(ec)) continue;
      out.error = ErrorText(ec);
      co_return out;
    }
    out = ReadAnswer(parser->get(), options_);
    if (parser->get().keep_alive() && conn->buffer.size() == 0 && !st->dead) {
      PutIdle(*st, conn);
    } else {
      Discard(*st, conn);
    }
    co_return out;
  }
}

// ---------------------------------------------------------------------------------------------
// After an attempt

void WebhookSender::OnOutcome(const std::shared_ptr<BotState>& st, int64_t id, Outcome outcome) {
  if (stopping_ || st->dead) return;
  auto it = st->pending.find(id);
  if (it == st->pending.end()) return;
  Pending& p = it->second;
  p.in_flight = false;
  --st->active;
  if (ContinuesGoneRun(*st, outcome)) RemoveIfGoneTooLong(st);
  if (outcome.ok) {
    delivered_.Add();
    if (st->failing) {
      st->failing = false;
      log::Info(kComponent, BotName(st->bot) + ": the webhook accepts updates again");
    }
    // The answer's method call runs as the bot; its result is thrown away (spec 5.5).
    if (outcome.call && api_)
      api_->RunAsBot(st->bot, outcome.call->method, std::move(outcome.call->params),
                     [](http::Response) {});
    st->pending.erase(it);
    Confirm(st);
  } else {
    RetryPolicy policy{.base = options_.retry_base,
                       .cap_min = options_.retry_cap_min,
                       .cap_max = options_.retry_cap_max};
    std::chrono::milliseconds wait = NextRetryWait(policy, p.retry, outcome.retry_after, random_);
    UnixTime now = engine_.Now();
    auto wait_seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
    if (!st->failing) {
      st->failing = true;
      log::Warn(kComponent, BotName(st->bot) + ": webhook delivery failed: " + outcome.error);
    }
    failures_.Add();
    RecordError(*st, outcome.error);
    if (p.expires <= now + wait_seconds) {
      // It would be past its lifetime before the next attempt (spec 5.5).
      log::Warn(kComponent, BotName(st->bot) + ": update " + std::to_string(id) +
                                " dropped: it expires before the next attempt");
      expired_.Add();
      st->pending.erase(it);
      Confirm(st);
    } else {
      p.wake_at = SteadyClock::now() + wait;
    }
  }
  // Room for more: load what the last load left in the world.
  if (st->more && st->pending.size() <= options_.max_loaded_updates / 2) Load(st);
  Pump(st);
}

bool WebhookSender::ContinuesGoneRun(BotState& st, const Outcome& outcome) {
  // As the reference's WebhookActor: a 2xx or another status ends a run of 410s, an attempt
  // without an answer does not.
  if (outcome.status == 0) return false;
  if (outcome.status != 410) {
    st.first_gone = 0;
    return false;
  }
  if (st.first_gone == 0) {
    st.first_gone = engine_.Now();
    return false;
  }
  return true;
}

void WebhookSender::RemoveIfGoneTooLong(const std::shared_ptr<BotState>& st) {
  // As the reference's Client::on_webhook_closed: the webhook and its last error go, the pending
  // updates stay for getUpdates. Only if the bot still has that URL (so of several checks in
  // flight, one removes it).
  auto removed = std::make_shared<bool>(false);
  engine_.Run(
      [bot = st->bot, url = st->url, first = st->first_gone, removed](
          domain::World& w, domain::Mutation& m, UnixTime now) {
        if (now <= first + kGoneDropSeconds || w.UpdateSettings(bot).webhook_url != url) return;
        w.DeleteWebhook(bot, domain::QueuedUpdates::kKeep, m);
        *removed = true;
      },
      [this, gate = gate_, bot = st->bot, removed](Status status) {
        if (!status.ok() || !*removed) return;
        log::Warn(kComponent, BotName(bot) + ": webhook removed after 23 hours of 410 Gone");
        gate->Post([this, bot] { Replace(bot); });
      });
}

void WebhookSender::Confirm(const std::shared_ptr<BotState>& st) {
  if (st->confirming) {
    st->reconfirm = true;
    return;
  }
  // Every loaded update below the oldest one still pending was delivered (or given up on), and
  // nothing below next_load_id is left unloaded.
  int64_t below = st->pending.empty() ? st->next_load_id : st->pending.begin()->first;
  if (below <= st->confirmed_below) return;
  st->confirming = true;
  UserId bot = st->bot;
  engine_.Run([bot, below](domain::World& w, domain::Mutation& m,
                           UnixTime) { w.DropUpdatesBelow(bot, below, m); },
              [this, gate = gate_, bot, epoch = st->epoch, below](Status status) {
                bool ok = status.ok();
                gate->Post([this, bot, epoch, below, ok] {
                  auto it = bots_.find(bot);
                  if (it == bots_.end() || it->second->epoch != epoch) return;
                  std::shared_ptr<BotState> st = it->second;
                  st->confirming = false;
                  if (ok) st->confirmed_below = std::max(st->confirmed_below, below);
                  if (st->reconfirm) {
                    st->reconfirm = false;
                    Confirm(st);
                  }
                });
              });
}

void WebhookSender::RecordError(const BotState& st, const std::string& message) {
  engine_.Run(
      [bot = st.bot, url = st.url, message](domain::World& w, domain::Mutation& m, UnixTime now) {
        // Only while that URL is still the bot's webhook: a new URL starts with no error.
        if (w.UpdateSettings(bot).webhook_url == url) w.SetWebhookError(bot, now, message, m);
      },
      [](Status) {});
}

}  // namespace tgi::delivery
