// The webhook sender's connections and one delivery attempt (WebhookSender, webhook_sender.h):
// the TLS client context (MakeWebhookTls), idle keep-alive connections taken, kept and
// discarded, connecting (with the TLS handshake and the certificate's host check), and the
// exchange of one request and its answer as a coroutine (Exchange), with what an answer or a
// failure means for getWebhookInfo's last_error_message. The scheduling around it is in
// webhook_sender.cc; the state both use in webhook_sender_state.h.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "botapi/errors.h"
#include "delivery/webhook_sender.h"
#include "delivery/webhook_sender_state.h"
#include "delivery/webhook_wire.h"

namespace tgi::delivery {

namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseAwaitable = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMaxReplyHeaderBytes = 64 * 1024;
constexpr int kMaxInformational = 10;  // 1xx answers skipped before the final one

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
// TLS

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

}  // namespace tgi::delivery
