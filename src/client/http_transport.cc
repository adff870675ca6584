// How the synchronous API gets timeouts: every step (resolve, connect, handshake, write, read) is
// started as an asynchronous operation on the transport's own io_context, and the io_context is run
// one handler at a time until that step's completion handler has run. Connect, handshake, write and
// read use beast::tcp_stream, whose expiry completes them with beast::error::timeout. Resolving has
// no expiry of its own: a timer marks it timed out and cancels it; the resolver's late completion,
// if any, only touches state it shares (a shared_ptr), so it is harmless when it runs later.
//
// If anything throws while operations are in flight, the streams and the io_context are destroyed
// together (Reset), so no completion handler that refers to a finished call's locals ever runs.
#include "http_transport.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "errors.h"

namespace tginvite::client_internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Transport = Error::Transport;

namespace {

// Bot API answers are small; getUpdates with many updates is the largest.
constexpr std::uint64_t kMaxBody = std::uint64_t{64} << 20;

std::string Millis(std::chrono::milliseconds d) { return Cat({std::to_string(d.count()), " ms"}); }

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::end_of_stream).category();
}

// The peer closed or reset the connection.
bool IsClosedLike(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
         ec == asio::error::not_connected || ec == ssl::error::stream_truncated;
}

bool IsTlsError(const beast::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category() ||
         ec.category() == ssl::error::get_stream_category();
}

struct ResolveState {
  bool done = false;
  bool timed_out = false;
  beast::error_code ec;
  tcp::resolver::results_type results;
};

}  // namespace

struct HttpTransport::Impl {
  Impl(ApiUrl u, TransportOptions o)
      : url(std::move(u)), options(std::move(o)), ioc(std::make_unique<asio::io_context>(1)) {}
  // Members go in reverse order: the streams before the io_context they use.

  ApiUrl url;
  TransportOptions options;
  std::unique_ptr<asio::io_context> ioc;
  std::optional<ssl::context> tls_context;
  // At most one of the two is set: the open connection.
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;  // bytes read past the last answer

  bool open() const { return plain.has_value() || secure.has_value(); }
  beast::tcp_stream& Lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  // Runs handlers until `done` is set by one of them.
  void RunUntil(const bool& done) {
    if (ioc->stopped()) ioc->restart();
    while (!done) {
      if (ioc->run_one() == 0) {
        ioc->restart();
        if (!done) throw std::logic_error("event loop ran out of work");
      }
    }
  }

  void Close() {
    if (!open()) return;
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().socket().close(ignored);
    plain.reset();
    secure.reset();
    buffer.clear();
  }

  // After an exception: drop the connection and every pending handler with the io_context.
  void Reset() {
    plain.reset();
    secure.reset();
    buffer.clear();
    ioc.reset();
    ioc = std::make_unique<asio::io_context>(1);
  }

  std::string HostPort() const { return Cat({url.host, ":", url.port}); }

  std::optional<Error> MakeTlsContext() {
    try {
      ssl::context ctx(ssl::context::tls_client);
      SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
      ctx.set_verify_mode(ssl::verify_peer);
      beast::error_code ec;
      if (options.ca_file.empty()) {
        ctx.set_default_verify_paths(ec);
      } else {
        ctx.load_verify_file(options.ca_file, ec);
      }
      if (ec) {
        return TransportError(Transport::kTls, Cat({"loading CA certificates",
                                                    options.ca_file.empty() ? "" : " from ",
                                                    options.ca_file, ": ", ec.message()}));
      }
      tls_context.emplace(std::move(ctx));
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      return TransportError(Transport::kTls, Cat({"TLS setup: ", e.what()}));
    }
    return std::nullopt;
  }

  std::optional<Error> Resolve(std::chrono::steady_clock::time_point deadline,
                               tcp::resolver::results_type& out) {
    auto state = std::make_shared<ResolveState>();
    {
      tcp::resolver resolver(*ioc);
      asio::steady_timer timer(*ioc, deadline);
      resolver.async_resolve(url.host, url.port,
                             [state](const beast::error_code& ec, tcp::resolver::results_type r) {
                               if (state->done) return;
                               state->done = true;
                               state->ec = ec;
                               state->results = std::move(r);
                             });
      timer.async_wait([state, &resolver](const beast::error_code& ec) {
        // Runs at the latest when `timer` is destroyed below; after that `state->done` is set.
        if (ec || state->done) return;
        state->done = true;
        state->timed_out = true;
        resolver.cancel();
      });
      RunUntil(state->done);
    }
    if (state->timed_out) {
      return TransportError(Transport::kTimeout,
                            Cat({"resolving ", url.host, ": no answer within ",
                                 Millis(options.connect_timeout), " (connect_timeout)"}));
    }
    if (state->ec || state->results.empty()) {
      return TransportError(Transport::kDns,
                            Cat({"cannot resolve ", url.host, ": ",
                                 state->ec ? state->ec.message() : std::string("no address")}));
    }
    out = std::move(state->results);
    return std::nullopt;
  }

  std::optional<Error> Connect() {
    Close();
    const auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
    if (url.tls && !tls_context) {
      if (auto e = MakeTlsContext()) return e;
    }
    tcp::resolver::results_type endpoints;
    if (auto e = Resolve(deadline, endpoints)) return e;

    if (url.tls) {
      secure.emplace(*ioc, *tls_context);
    } else {
      plain.emplace(*ioc);
    }
    beast::tcp_stream& stream = Lowest();
    bool done = false;
    beast::error_code ec;
    stream.expires_at(deadline);
    stream.async_connect(endpoints, [&](const beast::error_code& e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    RunUntil(done);
    if (ec) {
      Close();
      if (ec == beast::error::timeout) {
        return TransportError(Transport::kTimeout,
                              Cat({"connecting to ", HostPort(), ": no connection within ",
                                   Millis(options.connect_timeout), " (connect_timeout)"}));
      }
      return TransportError(Transport::kConnect,
                            Cat({"connecting to ", HostPort(), ": ", ec.message()}));
    }
    beast::error_code ignored;
    stream.socket().set_option(tcp::no_delay(true), ignored);

    if (url.tls) {
      if (auto e = Handshake(deadline)) {
        Close();
        return e;
      }
    }
    stream.expires_never();
    return std::nullopt;
  }

  std::optional<Error> Handshake(std::chrono::steady_clock::time_point deadline) {
    SSL* ssl_handle = secure->native_handle();
    // SNI only for names: RFC 6066 does not allow IP addresses there.
    if (url.host_is_name && SSL_set_tlsext_host_name(ssl_handle, url.host.c_str()) != 1) {
      return TransportError(Transport::kTls, Cat({"cannot set the TLS server name ", url.host}));
    }
    secure->set_verify_mode(ssl::verify_peer);
    secure->set_verify_callback([host = url.host](bool preverified, ssl::verify_context& vc) {
      if (ssl::host_name_verification(host)(preverified, vc)) return true;
      // Say why, when the chain itself was fine: the name did not match.
      X509_STORE_CTX* ctx = vc.native_handle();
      if (preverified && X509_STORE_CTX_get_error_depth(ctx) == 0) {
        X509_STORE_CTX_set_error(ctx, X509_V_ERR_HOSTNAME_MISMATCH);
      }
      return false;
    });
    bool done = false;
    beast::error_code ec;
    Lowest().expires_at(deadline);
    secure->async_handshake(ssl::stream_base::client, [&](const beast::error_code& e) {
      ec = e;
      done = true;
    });
    RunUntil(done);
    if (!ec) return std::nullopt;
    if (ec == beast::error::timeout) {
      return TransportError(Transport::kTimeout,
                            Cat({"TLS handshake with ", HostPort(), ": not done within ",
                                 Millis(options.connect_timeout), " (connect_timeout)"}));
    }
    std::string text = Cat({"TLS handshake with ", HostPort(), ": ", ec.message()});
    const long verify = SSL_get_verify_result(ssl_handle);
    if (verify != X509_V_OK) {
      text.append(" (");
      text.append(X509_verify_cert_error_string(verify));
      text.append(")");
    }
    return TransportError(Transport::kTls, std::move(text));
  }

  Error Failure(const beast::error_code& ec, const char* stage) {
    std::string text = stage;
    text.append(": ");
    if (ec == beast::error::timeout) {
      text.append(
          Cat({"no answer within ", Millis(options.request_timeout), " (request_timeout)"}));
      return TransportError(Transport::kTimeout, std::move(text));
    }
    if (IsClosedLike(ec)) {
      text.append(
          Cat({"the connection was closed before a whole answer came (", ec.message(), ")"}));
      return TransportError(Transport::kClosed, std::move(text));
    }
    if (IsHttpParseError(ec)) {
      if (ec == http::error::body_limit || ec == http::error::header_limit ||
          ec == http::error::buffer_overflow) {
        text.append(Cat({"the answer is too large (", ec.message(), ")"}));
      } else {
        text.append(Cat({"not an HTTP answer (", ec.message(), ")"}));
      }
      return TransportError(Transport::kBadReply, std::move(text));
    }
    text.append(ec.message());
    return TransportError(IsTlsError(ec) ? Transport::kTls : Transport::kClosed, std::move(text));
  }

  // One request and its answer on the open connection. `retryable` is set when the connection
  // turned out closed before any byte of the answer came.
  Result<HttpReply> Exchange(const std::string& target, const std::string& body, bool& retryable) {
    retryable = false;
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, url.host_header);
    req.set(http::field::user_agent, "tginvite-client/0.1");
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "application/json");
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();

    bool done = false;
    beast::error_code ec;
    auto on_done = [&](const beast::error_code& e, std::size_t) {
      ec = e;
      done = true;
    };
    // One deadline for writing and reading: the stream's expiry stays until it is changed.
    Lowest().expires_after(options.request_timeout);
    if (secure) {
      http::async_write(*secure, req, on_done);
    } else {
      http::async_write(*plain, req, on_done);
    }
    RunUntil(done);
    if (ec) {
      retryable = IsClosedLike(ec);
      Close();
      return Failure(ec, "sending the request");
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    done = false;
    if (secure) {
      http::async_read(*secure, buffer, parser, on_done);
    } else {
      http::async_read(*plain, buffer, parser, on_done);
    }
    RunUntil(done);
    if (ec) {
      retryable = !parser.got_some() && IsClosedLike(ec);
      Close();
      return Failure(ec, "reading the answer");
    }
    Lowest().expires_never();

    auto& res = parser.get();
    HttpReply reply;
    reply.status = static_cast<int>(res.result_int());
    reply.content_type = std::string(res[http::field::content_type]);
    reply.body = std::move(res.body());
    // "Connection: close", HTTP/1.0 without keep-alive, or a body that ended with the connection.
    if (!res.keep_alive() || parser.need_eof()) Close();
    return reply;
  }
};

HttpTransport::HttpTransport(ApiUrl url, TransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(url), std::move(options))) {}

HttpTransport::~HttpTransport() = default;

Result<HttpReply> HttpTransport::Post(const std::string& target, const std::string& body) {
  try {
    const bool reused = impl_->open();
    if (!reused) {
      if (auto e = impl_->Connect()) return *e;
    }
    bool retryable = false;
    Result<HttpReply> reply = impl_->Exchange(target, body, retryable);
    if (!reply.ok() && reused && retryable) {
      // The server had closed the idle connection: one more try on a new one.
      if (auto e = impl_->Connect()) return *e;
      reply = impl_->Exchange(target, body, retryable);
    }
    return reply;
  } catch (const std::bad_alloc&) {
    impl_->Reset();
    throw;
  } catch (const std::exception& e) {
    impl_->Reset();
    return TransportError(Transport::kClosed, Cat({"internal error: ", e.what()}));
  }
}

}  // namespace tginvite::client_internal
