// Webhook delivery (spec 5.5): for every bot with a webhook URL, POSTs its pending updates to that
// URL, one update per request, and forgets each update once the webhook answered 2xx.
//
// One thread runs one io_context; every request is an asynchronous Beast HTTP/1.1 exchange on it
// (no thread per request or per bot). Per bot:
//   - at most max_connections requests are in flight, each on its own keep-alive connection;
//     idle connections are reused;
//   - a chat's updates go out one at a time, in id order: the next only after the previous one
//     succeeded (or was given up on);
//   - a failure (non-2xx, network error, timeout) is retried: at once, then after 2, 4, 8, ... s
//     up to a random 60-120 s (WebhookOptions), or after the webhook's Retry-After; an update
//     that would be past its 24 h lifetime by then is dropped. The error is recorded for
//     getWebhookInfo (World::SetWebhookError);
//   - delivered updates are dropped from the world (World::DropUpdatesBelow) below the smallest
//     id not yet delivered, so deliveries finishing out of order never lose one. Delivery is
//     at least once: after a restart an update delivered but not yet dropped is sent again;
//   - a webhook answering only 410 Gone for more than 23 hours is removed (its updates stay);
//   - a 2xx answer may carry a Bot API call, which runs as the bot (BotApi::RunAsBot), its result
//     ignored; get* methods, setWebhook, deleteWebhook, close and logOut are ignored.
// https:// URLs are delivered over TLS (1.2 or later) with the webhook's certificate verified:
// its chain must end in a CA that options.tls trusts and it must be for the URL's host (its IP
// address when the host is one; the name is sent as SNI otherwise). A failed verification is an
// error like any other, recorded as TDLib words OpenSSL's ("SSL error {error:0A000086:SSL
// routines::certificate verify failed}") and retried.
//
// Thread safety: Notify and WebhookChanged may be called from any thread and never block (they
// post to the sender's thread); Stop from any thread but the sender's own. Nothing here is ever
// logged with the webhook's URL or secret token.
//
// Named decisions: updates are kept in order per chat (Update::chat), where the reference keys
// some types by user; the Host header is the URL's host without the port, as the reference sends
// it; a reused keep-alive connection that turns out closed before any answer is replaced at once
// without counting as a failure.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/engine.h"
#include "botapi/bot_api.h"
#include "common/ids.h"
#include "common/metrics.h"
#include "common/result.h"

namespace boost::asio::ssl {
class context;
}

namespace tgi::delivery {

struct AttemptOutcome;  // what one delivery attempt came to; in webhook_sender_state.h

struct WebhookOptions {
  // The wait before the second retry (the first is immediate); each later wait doubles.
  // Default: 2 s.
  std::chrono::milliseconds retry_base{2000};
  // The doubling stops at a cap drawn at random in [retry_cap_min, retry_cap_max] for each
  // wait. Default: 60-120 s.
  std::chrono::milliseconds retry_cap_min{60000};
  std::chrono::milliseconds retry_cap_max{120000};
  // A webhook's Retry-After header is honoured, clamped to 0..this. Default: 3600 s.
  std::chrono::seconds max_retry_after{3600};
  // Connecting, sending one update and reading the whole answer. Default: 60 s.
  std::chrono::milliseconds request_timeout{60000};
  // A keep-alive connection idle this long is closed. Default: 60 s.
  std::chrono::milliseconds idle_timeout{60000};
  // Updates per bot held in memory at once; more are loaded as these are delivered.
  // Default: 1000.
  size_t max_loaded_updates = 1000;
  // The largest answer body read (it may hold a method call). Default: 8 MiB.
  size_t max_reply_bytes = size_t{8} << 20;
  // How https:// webhooks are verified (MakeWebhookTls). Default (null): the system's CAs.
  std::shared_ptr<boost::asio::ssl::context> tls;
};

// A TLS client context for webhook delivery: TLS 1.2 or later, the peer's certificate verified
// against the system's CAs (OpenSSL's default paths, which SSL_CERT_FILE and SSL_CERT_DIR
// change) and, when `ca_file` is not empty, the CA certificates of that PEM file too. Fails with
// a message naming the file when it cannot be read or holds no certificate.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeWebhookTls(const std::string& ca_file);

class WebhookSender {
 public:
  // `engine` must outlive the sender. Nothing is sent before Start().
  WebhookSender(app::Engine& engine, WebhookOptions options = {});
  // Stops (see Stop) if still running.
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Starts the sender's thread and begins delivering what is pending for every bot that has a
  // webhook (e.g. after a restart). `api` runs the method calls found in webhook answers; it must
  // outlive the sender; null ignores such calls. Call once.
  void Start(botapi::BotApi* api);

  // These bots have new durable updates (the Engine's updates hook). Bots without a webhook are
  // ignored. Thread-safe, non-blocking.
  void Notify(const std::vector<UserId>& bots);

  // The bot's webhook was set, changed or deleted (UpdateHooks::webhook_changed), and that is
  // durable. The bot starts afresh from the world: requests in flight are aborted (their updates
  // are sent again, to the new URL, with the new secret); a deleted webhook stops delivery.
  // Thread-safe, non-blocking.
  void WebhookChanged(UserId bot);

  // Whether this sender delivers (default: it does). In cluster mode only the holder of the
  // delivery lease does (app::Engine::ClusterHooks::delivery): turned off, the requests in flight
  // are aborted (their updates stay pending, for whoever delivers next) and nothing is sent;
  // turned on, it starts afresh from the world, as Start does. Thread-safe, non-blocking.
  void SetDelivering(bool on);

  // Aborts the requests in flight (their updates stay pending in the world) and joins the
  // thread. Later calls of Notify, WebhookChanged and Start do nothing. Idempotent; not to be
  // called from two threads at once.
  void Stop();

  // Updates a webhook accepted (2xx); failed delivery attempts; updates given up on (expired
  // before they could be delivered). Thread-safe.
  uint64_t delivered() const { return delivered_.value(); }
  uint64_t failures() const { return failures_.value(); }
  uint64_t expired() const { return expired_.value(); }

 private:
  struct Gate;
  struct Connection;
  struct Pending;
  struct BotState;
  struct Loaded;
  using Outcome = AttemptOutcome;

  // All below run on the sender's thread.
  void ScanAll();
  // The bot's state, made empty (no URL yet: the next load adopts the world's) if it has none.
  const std::shared_ptr<BotState>& Ensure(UserId bot);
  void Load(const std::shared_ptr<BotState>& st);
  void OnLoaded(const std::shared_ptr<BotState>& st, const Loaded& loaded, bool ok);
  void Replace(UserId bot);
  void Remove(UserId bot);
  void Abort(BotState& st);
  void Pump(const std::shared_ptr<BotState>& st);
  void ArmWake(const std::shared_ptr<BotState>& st, std::chrono::steady_clock::time_point at);
  void StartAttempt(const std::shared_ptr<BotState>& st, Pending& p);
  // One attempt: connect (or reuse an idle connection), send `request`, read the answer.
  boost::asio::awaitable<Outcome> Exchange(std::shared_ptr<BotState> st, std::string request);
  // Connects a new connection; returns the error text, empty on success.
  boost::asio::awaitable<std::string> Connect(std::shared_ptr<BotState> st,
                                              std::shared_ptr<Connection> conn);
  void OnOutcome(const std::shared_ptr<BotState>& st, int64_t id, Outcome outcome);
  // A webhook that has answered only 410 Gone for more than 23 hours (the reference's
  // WEBHOOK_DROP_TIMEOUT) is removed, as the reference's WebhookActor closes it. Named decision:
  // the 23 hours are measured on the server's clock, so a test can advance it: from the first
  // 410's Engine::Now to the `now` of a Work run for a later one (under the engine: on several
  // instances, the cluster's latest clock, whichever instance moved it).
  static constexpr int64_t kGoneDropSeconds = 23 * 60 * 60;
  // Notes a 410 in st's run of them; true when it is not the run's first (time to check).
  bool ContinuesGoneRun(BotState& st, const Outcome& outcome);
  // Removes st's webhook if its run of 410s began more than kGoneDropSeconds ago.
  void RemoveIfGoneTooLong(const std::shared_ptr<BotState>& st);
  void Confirm(const std::shared_ptr<BotState>& st);
  void RecordError(const BotState& st, const std::string& message);
  std::shared_ptr<Connection> TakeIdle(BotState& st);
  void PutIdle(BotState& st, std::shared_ptr<Connection> conn);
  void Discard(BotState& st, const std::shared_ptr<Connection>& conn);

  app::Engine& engine_;
  WebhookOptions options_;
  botapi::BotApi* api_ = nullptr;

  struct Io;
  std::unique_ptr<Io> io_;  // the io_context and its work guard; declared before the bots
  std::shared_ptr<Gate> gate_;
  std::thread thread_;
  bool started_ = false;

  // The sender's thread only.
  bool stopping_ = false;
  bool paused_ = false;  // SetDelivering(false)
  std::unordered_map<UserId, std::shared_ptr<BotState>> bots_;
  uint64_t epochs_ = 0;
  std::mt19937_64 random_;

  metrics::Counter delivered_;
  metrics::Counter failures_;
  metrics::Counter expired_;
};

}  // namespace tgi::delivery
