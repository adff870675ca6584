// The only file that includes Beast. Layout: Session (one connection, one coroutine, over TCP or
// TLS), Worker (one thread: io_context, acceptor, its sessions), Server (the threads,
// Start/Run/Stop).
#include "http/server.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cassert>
#include <cstdio>
#include <exception>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>
#include <variant>

#include "common/ascii.h"
#include "common/log.h"
#include "common/thread_name.h"
#include "http/request_decoder.h"

namespace tgi::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::string_view kComponent = "http";
constexpr size_t kReadChunk = 16 * 1024;
constexpr std::chrono::seconds kLingerTimeout{1};  // Draining input before a close.
constexpr size_t kLingerBytes = 1 << 20;
// The kernel's send buffer of a streamed response: a reader that stops reading holds at most
// this much in the kernel (and its stream's own bounded queue above), and a slow one shows up as
// back-pressure on its stream soon.
constexpr int kStreamSendBuffer = 32 * 1024;
constexpr auto kUseAwaitable = asio::as_tuple(asio::use_awaitable);

void LogDebug(std::string_view message) { log::Write(log::Level::kDebug, kComponent, message); }

// At debug level, one line per answered request: the verb, the percent-decoded path as
// RedactTarget shows it (so "%3A" cannot hide a token's ':' from it; the query string and the body
// are never looked at), the status and the time from the handler's call to its answer. Never a
// parameter value or a token.
void LogRequest(std::string_view method, std::string_view path, int status,
                std::chrono::steady_clock::time_point started) {
  if (!log::Enabled(log::Level::kDebug)) return;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  std::string line = "request ";
  line += method.substr(0, 16);
  line += ' ';
  line += log::RedactTarget(path);
  line += " -> ";
  line += std::to_string(status);
  char ms[32];
  std::snprintf(ms, sizeof ms, " in %lld.%03lld ms", static_cast<long long>(us / 1000),
                static_cast<long long>(us % 1000));
  line += ms;
  LogDebug(line);
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::string ReasonPhrase(int status) {
  std::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  if (reason.empty() || reason.front() == '<') return "Unknown";
  return std::string(reason);
}

// The status line and headers of a response, in the order of spec 1.6.
std::string ResponseHead(const Response& response, bool keep_alive) {
  int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  std::string head;
  head.reserve(128);
  head += "HTTP/1.1 ";
  head += std::to_string(status);
  head += ' ';
  head += ReasonPhrase(status);
  head += keep_alive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n";
  if (!response.content_type.empty() && !HasLineBreak(response.content_type)) {
    head += "Content-Type: ";
    head += response.content_type;
    head += "\r\n";
  }
  for (const Header& h : response.extra_headers) {
    if (h.name.empty() || HasLineBreak(h.name) || HasLineBreak(h.value)) continue;
    head += h.name;
    head += ": ";
    head += h.value;
    head += "\r\n";
  }
  if (!response.stream) {  // a stream's body runs to the close
    head += "Content-Length: ";
    head += std::to_string(BodySize(response));
    head += "\r\n";
  }
  head += "\r\n";
  return head;
}

Response InternalError() {
  Response r;
  r.status = 500;
  r.body = R"({"ok":false,"error_code":500,"description":"Internal Server Error"})";
  return r;
}

Response EmptyResponse(int status) {
  Response r;
  r.status = status;
  r.content_type.clear();
  return r;
}

// Like beast's string_body, but reserves at most 64 KiB up front whatever the Content-Length
// says, so a header claiming 60 MiB costs no memory until the bytes arrive. Reading only.
struct RequestBody {
  using value_type = std::string;

  class reader {
   public:
    template <bool kIsRequest, class Fields>
    reader(bhttp::header<kIsRequest, Fields>&, std::string& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, error_code& ec) {
      if (length) body_.reserve(static_cast<size_t>(std::min<std::uint64_t>(*length, 64 * 1024)));
      ec = {};
    }

    template <class ConstBufferSequence>
    size_t put(const ConstBufferSequence& buffers, error_code& ec) {
      size_t added = 0;
      for (asio::const_buffer b : beast::buffers_range_ref(buffers)) {
        body_.append(static_cast<const char*>(b.data()), b.size());
        added += b.size();
      }
      ec = {};
      return added;
    }

    void finish(error_code& ec) { ec = {}; }

   private:
    std::string& body_;
  };
};

// What a read error means for the client: an HTTP status to send (then close), or 0 to close
// without a word (the peer went away, a timeout, a shutdown).
int StatusForReadError(const error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::end_of_stream).category()) return 0;
  switch (static_cast<bhttp::error>(ec.value())) {
    case bhttp::error::end_of_stream:
    case bhttp::error::partial_message:
    case bhttp::error::need_more:
    case bhttp::error::need_buffer:
    case bhttp::error::unexpected_body:
    case bhttp::error::buffer_overflow:
      return 0;
    case bhttp::error::header_limit:
      return 431;
    case bhttp::error::body_limit:
      return 413;
    case bhttp::error::bad_transfer_encoding:
      return 501;
    default:
      return 400;
  }
}

}  // namespace

class Session;

struct Server::Worker {
  Server* server = nullptr;
  std::unique_ptr<asio::io_context> ioc;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> grace;
  std::optional<asio::signal_set> signals;
  // Everything below is touched only on this worker's thread.
  std::unordered_set<Session*> sessions;
  bool stopping = false;
  // Responses being written, by the time their write began, and the bytes they hold: what
  // BeginWrite cuts when those bytes pass this worker's share of options.unsent_limit.
  std::set<std::pair<std::chrono::steady_clock::time_point, Session*>> writers;
  size_t unsent = 0;
  // Sessions waiting for a request's first byte, longest waiting first: at max_connections the
  // first one makes room for a new connection.
  std::list<Session*> idle;

  ~Worker() {
    // I/O objects first, then the io_context (whose destruction may destroy sessions, which
    // still use `sessions`).
    signals.reset();
    grace.reset();
    acceptor.reset();
    ioc.reset();
  }

  asio::awaitable<void> AcceptLoop();
  void BeginStop();
  void OnSessionGone(Session* session);
  // A session starts writing a response of `bytes`; resets the connections whose responses have
  // waited longest (never `session`) while the worker's unsent bytes are over its share.
  void BeginWrite(Session* session, std::chrono::steady_clock::time_point began, size_t bytes);
  void EndWrite(Session* session, std::chrono::steady_clock::time_point began, size_t bytes);
};

namespace {

// Links a Respond callback to the session waiting for it. The session clears `session` when it
// stops waiting (request done, connection gone); a Respond call after that is dropped.
struct ReplySlot {
  std::mutex mu;
  Session* session = nullptr;
  bool used = false;
};

void Deliver(const std::shared_ptr<ReplySlot>& slot, Response response);

// Owned by every copy of one Respond: if the last copy dies unused, the client gets a 500.
struct ReplyGuard {
  explicit ReplyGuard(std::shared_ptr<ReplySlot> s) : slot(std::move(s)) {}
  ~ReplyGuard() {
    {
      std::lock_guard<std::mutex> lock(slot->mu);
      if (slot->used) return;  // the common case: no 500 to build (Deliver checks again)
    }
    Deliver(slot, InternalError());
  }
  std::shared_ptr<ReplySlot> slot;
};

// Links a BodyStream's `give` to the session waiting for the piece, as ReplySlot does for a
// response.
struct PieceSlot {
  std::mutex mu;
  Session* session = nullptr;
  std::optional<std::string> piece;
};

void DeliverPiece(const std::shared_ptr<PieceSlot>& slot, std::string piece);

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Worker* worker, tcp::socket socket, const ServerOptions& options,
          const Handler& handler, std::atomic<size_t>& connections)
      : worker_(worker),
        options_(options),
        handler_(handler),
        connections_(connections),
        stream_(MakeStream(std::move(socket), options.tls.get())),
        reply_timer_(worker->ioc->get_executor()),
        write_timer_(worker->ioc->get_executor()) {
    error_code ec;
    tcp::endpoint peer = Tcp().socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }

  ~Session() {
    LeaveIdle();
    EndWrite();
    DetachSlot();
    DetachPieceSlot();
    worker_->OnSessionGone(this);
    connections_.fetch_sub(1, std::memory_order_relaxed);
  }

  static asio::awaitable<void> Run(std::shared_ptr<Session> self) {
    try {
      co_await self->Loop();
    } catch (const std::exception& e) {
      LogDebug(std::string("connection error: ") + e.what());
    } catch (...) {
      LogDebug("connection error: unknown exception");
    }
    self->Close();
  }

  bool RunningHere() const { return worker_->ioc->get_executor().running_in_this_thread(); }
  bool in_handler() const { return in_handler_; }
  asio::io_context& ioc() { return *worker_->ioc; }

  // Stop(), or a new connection at max_connections: closes the connection if it waits for the
  // first byte of a request.
  void CloseIfIdle() {
    if (!idle_) return;
    LeaveIdle();
    Close();
  }

  // End of the grace period: closes the connection whatever it is doing.
  void ForceClose() {
    Close();
    reply_timer_.cancel();
  }

  // On this session's thread: the handler's answer.
  void OnReply(Response response) {
    reply_ = std::move(response);
    reply_timer_.cancel();
  }

  void StoreReply(Response response) { reply_ = std::move(response); }

  // On this session's thread: a streamed piece arrived (DeliverPiece).
  void WakeStream() { reply_timer_.cancel(); }

  // The worker cuts this connection to free what its response holds: see BeginWrite.
  void Evict() {
    EndWrite();
    Abort();
  }

 private:
  // Closes with a reset (SO_LINGER 0): for a client that does not read, so that the kernel
  // drops the unsent bytes at once instead of keeping them for a FIN that cannot get through.
  void Abort() {
    if (closed_) return;
    error_code ec;
    Tcp().socket().set_option(asio::socket_base::linger(true, 0), ec);
    Tcp().socket().close(ec);
    closed_ = true;
  }

  void EnterIdle() {
    idle_ = true;
    idle_pos_ = worker_->idle.insert(worker_->idle.end(), this);
  }

  void LeaveIdle() {
    if (!idle_) return;
    idle_ = false;
    worker_->idle.erase(idle_pos_);
  }

  void EndWrite() {
    if (writing_bytes_ == 0) return;
    worker_->EndWrite(this, write_began_, writing_bytes_);
    writing_bytes_ = 0;
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    Tcp().socket().close(ec);
  }

  // The connection's byte stream: plain TCP, or TLS over it when the server has a TLS context.
  // Every read and write goes through Io(); timeouts and the socket are the TCP layer's (Tcp()).
  using PlainStream = beast::tcp_stream;
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;
  using Stream = std::variant<PlainStream, TlsStream>;

  static Stream MakeStream(tcp::socket socket, ssl::context* tls) {
    if (tls == nullptr) return Stream(std::in_place_type<PlainStream>, std::move(socket));
    return Stream(std::in_place_type<TlsStream>, std::move(socket), *tls);
  }

  beast::tcp_stream& Tcp() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); },
                      stream_);
  }

  // Calls `op` with the stream as its own type; `op` returns the same awaitable for both.
  template <typename Op>
  auto Io(Op&& op) {
    return std::visit(std::forward<Op>(op), stream_);
  }

  // TLS only: the handshake, within the time allowed for a request's headers. The connection
  // counts as idle meanwhile (no request has begun): it is in the worker's idle list, so a stop,
  // or a new connection at max_connections, closes it at once. (Setting idle_ without entering
  // the list made CloseIfIdle erase an iterator that was never in it: a crash at Stop().)
  asio::awaitable<bool> Handshake() {
    auto* tls = std::get_if<TlsStream>(&stream_);
    if (tls == nullptr) co_return true;
    EnterIdle();
    Tcp().expires_after(options_.header_timeout);
    auto [ec] = co_await tls->async_handshake(ssl::stream_base::server, kUseAwaitable);
    LeaveIdle();
    if (ec) {
      LogDebug("TLS handshake failed: " + ec.message());
      co_return false;
    }
    co_return !closed_;
  }

  void DetachSlot() {
    if (!slot_) return;
    std::lock_guard<std::mutex> lock(slot_->mu);
    slot_->session = nullptr;
    slot_.reset();
  }

  void DetachPieceSlot() {
    if (!piece_slot_) return;
    std::lock_guard<std::mutex> lock(piece_slot_->mu);
    piece_slot_->session = nullptr;
    piece_slot_.reset();
  }

  asio::awaitable<bool> Write(std::string_view bytes) {
    Tcp().expires_after(options_.write_timeout);
    auto [ec, n] = co_await Io(
        [&](auto& s) { return asio::async_write(s, asio::buffer(bytes), kUseAwaitable); });
    if (ec) LogDebug("write failed: " + ec.message());
    co_return !ec;
  }

  // While a response streams, the peer sends nothing we want; reading anyway notices at once
  // when it closes the connection (a write would notice only when one is due), and closes ours,
  // which ends the stream and cancels its source. It reads the TCP layer even under TLS: the
  // connection ends with the stream, so the TLS layer never needs those bytes.
  static asio::awaitable<void> WatchPeer(std::shared_ptr<Session> self) {
    std::array<char, 1024> scratch;
    while (!self->closed_) {
      auto [ec, n] =
          co_await self->Tcp().socket().async_read_some(asio::buffer(scratch), kUseAwaitable);
      if (ec) break;
    }
    self->Close();
    self->reply_timer_.cancel();
  }

  // Sends a streamed response: the head, then each piece its BodyStream gives, until the stream
  // ends, a write fails or the connection is closed. The connection never stays open after it.
  asio::awaitable<bool> SendStream(const Response& response) {
    const std::shared_ptr<BodyStream> source = response.stream;
    error_code ignored;
    Tcp().socket().set_option(asio::socket_base::send_buffer_size(kStreamSendBuffer), ignored);
    bool ended = false;
    if (co_await Write(ResponseHead(response, false))) {
      asio::co_spawn(Tcp().get_executor(), WatchPeer(shared_from_this()), asio::detached);
      const auto interval = std::max(response.keepalive_interval, std::chrono::seconds(1));
      while (!closed_ && !ended) {
        auto slot = std::make_shared<PieceSlot>();
        slot->session = this;
        piece_slot_ = slot;
        source->Pull([slot](std::string piece) { DeliverPiece(slot, std::move(piece)); });
        auto keepalive_at = std::chrono::steady_clock::now() + interval;
        std::optional<std::string> piece;
        bool ok = true;
        while (ok && !closed_) {
          {
            std::lock_guard<std::mutex> lock(slot->mu);
            piece = std::move(slot->piece);
          }
          if (piece) break;
          reply_timer_.expires_at(keepalive_at);
          auto [ec] = co_await reply_timer_.async_wait(kUseAwaitable);
          if (ec || closed_) continue;  // woken by DeliverPiece (or a close)
          if (!response.keepalive.empty()) ok = co_await Write(response.keepalive);
          keepalive_at = std::chrono::steady_clock::now() + interval;
        }
        DetachPieceSlot();
        if (!ok || !piece || closed_) break;
        if (piece->empty()) {
          ended = true;
        } else if (!co_await Write(*piece)) {
          break;
        }
      }
    }
    if (!ended) source->Cancel();
    Close();
    co_return false;
  }

  asio::awaitable<void> Loop() {
    if (!co_await Handshake()) co_return;
    while (!closed_) {
      if (buffer_.size() == 0) {
        if (worker_->stopping) co_return;
        EnterIdle();
        Tcp().expires_after(options_.idle_timeout);
        auto [ec, n] = co_await Io(
            [&](auto& s) { return s.async_read_some(buffer_.prepare(kReadChunk), kUseAwaitable); });
        LeaveIdle();
        if (ec || closed_) co_return;
        buffer_.commit(n);
      }
      if (!co_await HandleOne()) co_return;
    }
  }

  // Sends a response; returns whether the connection stays open.
  asio::awaitable<bool> Send(const Response& response, bool keep_alive) {
    keep_alive = keep_alive && !worker_->stopping && !closed_;
    std::string head = ResponseHead(response, keep_alive);
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(2 + response.body_parts.size());
    buffers.push_back(asio::buffer(head));
    if (!response.body.empty()) buffers.push_back(asio::buffer(response.body));
    for (const SharedText& part : response.body_parts) {
      if (!part.empty()) buffers.push_back(asio::buffer(part.data(), part.size()));
    }
    // A timer of our own rather than the stream's, whose timeout closes the socket gracefully:
    // a client that does not read within write_timeout is reset (Abort).
    Tcp().expires_never();
    write_timer_.expires_after(options_.write_timeout);
    write_timer_.async_wait([weak = weak_from_this()](error_code wait_ec) {
      if (wait_ec) return;
      // Still writing: the write may have ended just as the timer expired.
      if (auto self = weak.lock(); self && self->writing_bytes_ > 0) {
        LogDebug("write timed out: resetting the connection");
        self->Abort();
      }
    });
    write_began_ = std::chrono::steady_clock::now();
    // Named decision: body_parts are not counted against unsent_limit. They are shared with
    // what holds them anyway (a getUpdates answer's updates, in the bot's queue), so an answer
    // that is not read holds only its own bytes; counting the shared ones made readers of one
    // big getUpdates answer reset each other again and again, every reset costing a rebuilt
    // answer, for memory that was never theirs (bench/slow_clients.sh). A part held only by a
    // stalled answer (its update confirmed meanwhile) lives at most write_timeout longer.
    writing_bytes_ = head.size() + response.body.size();
    worker_->BeginWrite(this, write_began_, writing_bytes_);
    auto [ec, n] =
        co_await Io([&](auto& s) { return asio::async_write(s, buffers, kUseAwaitable); });
    EndWrite();
    write_timer_.cancel();
    if (ec) {
      LogDebug("write failed: " + ec.message());
      co_return false;
    }
    if (!keep_alive) {
      co_await Linger();
      co_return false;
    }
    co_return true;
  }

  // Half-closes, then reads and drops what the client still sends for a short while, so it
  // sees our response rather than a reset. Over TLS the close_notify alert goes first (the
  // client then knows the response was not cut short), and the wait for the client's own alert
  // counts in the same short while; what follows it is read as raw bytes.
  asio::awaitable<void> Linger() {
    Tcp().expires_after(kLingerTimeout);
    if (auto* tls = std::get_if<TlsStream>(&stream_)) {
      // Whatever the client does with its alert (answers it, closes, nothing), the raw drain
      // below follows.
      co_await tls->async_shutdown(kUseAwaitable);
      if (closed_) co_return;
    }
    error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    size_t drained = 0;
    std::array<char, 4096> scratch;
    while (drained < kLingerBytes && !closed_) {
      auto [rec, n] = co_await Tcp().async_read_some(asio::buffer(scratch), kUseAwaitable);
      if (rec) break;
      drained += n;
    }
  }

  asio::awaitable<bool> SendError(int status) {
    co_await Send(EmptyResponse(status), false);
    co_return false;
  }

  // Reads, handles and answers one request: reads the head, asks DecideHead what to do, reads the
  // body, has DecodeRequest make the Request and calls the handler. Returns whether the
  // connection stays open.
  asio::awaitable<bool> HandleOne() {
    bhttp::request_parser<RequestBody> parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<size_t>(options_.header_limit, std::numeric_limits<std::uint32_t>::max())));
    parser.body_limit(options_.body_limit);

    Tcp().expires_after(options_.header_timeout);
    auto [ec, n] = co_await Io(
        [&](auto& s) { return bhttp::async_read_header(s, buffer_, parser, kUseAwaitable); });
    if (ec) {
      int status = StatusForReadError(ec);
      if (ec == bhttp::error::bad_version) status = StatusForRefusedVersion(BufferedText());
      if (status == 0) {
        LogDebug("reading request header: " + ec.message());
        co_return false;
      }
      co_return co_await SendError(status);
    }
    auto& req = parser.get();
    RequestHead head;
    head.method = req.method_string();
    head.target = req.target();
    head.version = req.version();
    head.headers.reserve(std::distance(req.begin(), req.end()));
    for (const auto& field : req) {
      head.headers.push_back(Header{ascii::Lower(field.name_string()), std::string(field.value())});
    }
    if (parser.content_length()) head.content_length = *parser.content_length();
    head.chunked = parser.chunked();

    const HeadDecision decision = DecideHead(head, options_);
    if (decision.status != 0) co_return co_await SendError(decision.status);
    // read_body restates Beast's framing from the same Content-Length and chunked flag.
    assert(decision.read_body == !parser.is_done());
    if (decision.read_body) {
      if (decision.send_continue) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        Tcp().expires_after(options_.write_timeout);
        auto [wec, wn] = co_await Io(
            [&](auto& s) { return asio::async_write(s, asio::buffer(kContinue), kUseAwaitable); });
        if (wec) co_return false;
      }
      Tcp().expires_after(options_.body_timeout);
      auto [bec, bn] = co_await Io(
          [&](auto& s) { return bhttp::async_read(s, buffer_, parser, kUseAwaitable); });
      if (bec) {
        int status = StatusForReadError(bec);
        if (status == 0) {
          LogDebug("reading request body: " + bec.message());
          co_return false;
        }
        co_return co_await SendError(status);
      }
    }
    Tcp().expires_never();
    const bool keep_alive = req.keep_alive();

    DecodedRequest decoded = DecodeRequest(std::move(head), std::move(req.body()), options_);
    if (decoded.status != 0) co_return co_await SendError(decoded.status);
    decoded.request.remote = remote_;
    co_return co_await CallHandler(std::move(decoded.request), keep_alive);
  }

  // What the read buffer holds, as text: after a refused head, the request from its first byte.
  std::string_view BufferedText() const {
    auto data = buffer_.data();
    return std::string_view(static_cast<const char*>(data.data()), data.size());
  }

  asio::awaitable<bool> CallHandler(Request request, bool keep_alive) {
    auto slot = std::make_shared<ReplySlot>();
    slot->session = this;
    slot_ = slot;
    reply_.reset();
    // For the log lines: the request line, and the one if the handler throws (both from the
    // percent-decoded path, so that an encoded "/b%6Ft" cannot hide a token from RedactTarget).
    const std::string method = request.method;
    const std::string path = request.path;
    const auto started = std::chrono::steady_clock::now();
    request.request_id = log::NewRequestId();
    const std::string request_id = request.request_id;
    in_handler_ = true;
    try {
      // What the handler logs before it returns carries the request's id.
      log::RequestScope scope(request_id);
      auto guard = std::make_shared<ReplyGuard>(slot);
      handler_(std::move(request),
               [guard](Response response) { Deliver(guard->slot, std::move(response)); });
    } catch (const std::exception& e) {
      log::RequestScope scope(request_id);
      log::Error(kComponent, "handler threw for " + log::RedactTarget(path) + ": " + e.what());
      Deliver(slot, InternalError());
    } catch (...) {
      log::RequestScope scope(request_id);
      log::Error(kComponent, "handler threw for " + log::RedactTarget(path));
      Deliver(slot, InternalError());
    }
    in_handler_ = false;

    while (!reply_ && !closed_) {
      reply_timer_.expires_at(asio::steady_timer::time_point::max());
      co_await reply_timer_.async_wait(kUseAwaitable);
    }
    DetachSlot();
    if (!reply_ || closed_) co_return false;
    Response response = std::move(*reply_);
    reply_.reset();
    {
      log::RequestScope scope(request_id);
      LogRequest(method, path, response.status, started);
    }
    if (response.stream) co_return co_await SendStream(response);
    co_return co_await Send(response, keep_alive);
  }

  Server::Worker* worker_;
  const ServerOptions& options_;
  const Handler& handler_;
  std::atomic<size_t>& connections_;
  Stream stream_;
  beast::flat_buffer buffer_;
  asio::steady_timer reply_timer_;
  asio::steady_timer write_timer_;
  std::chrono::steady_clock::time_point write_began_;
  size_t writing_bytes_ = 0;  // Not 0 while a response is written and counted in `unsent`.
  std::string remote_;
  std::shared_ptr<ReplySlot> slot_;
  std::shared_ptr<PieceSlot> piece_slot_;
  std::optional<Response> reply_;
  bool idle_ = false;  // In worker_->idle, at idle_pos_.
  std::list<Session*>::iterator idle_pos_;
  bool in_handler_ = false;
  bool closed_ = false;
};

namespace {

void Deliver(const std::shared_ptr<ReplySlot>& slot, Response response) {
  std::lock_guard<std::mutex> lock(slot->mu);
  if (slot->used) return;
  slot->used = true;
  Session* session = slot->session;
  if (session == nullptr) return;  // The connection is gone; drop the response.
  if (session->RunningHere() && session->in_handler()) {
    session->StoreReply(std::move(response));
    return;
  }
  // The session (hence its io_context) is alive while slot->session is set and we hold the lock.
  asio::post(session->ioc(), [slot, response = std::move(response)]() mutable {
    Session* s;
    {
      std::lock_guard<std::mutex> inner(slot->mu);
      s = slot->session;
    }
    if (s != nullptr) s->OnReply(std::move(response));
  });
}

void DeliverPiece(const std::shared_ptr<PieceSlot>& slot, std::string piece) {
  std::lock_guard<std::mutex> lock(slot->mu);
  if (slot->piece) return;  // `give` is called once
  slot->piece = std::move(piece);
  Session* session = slot->session;
  if (session == nullptr) return;  // the connection is gone
  if (session->RunningHere()) {
    session->WakeStream();
    return;
  }
  asio::post(session->ioc(), [slot] {
    Session* s;
    {
      std::lock_guard<std::mutex> inner(slot->mu);
      s = slot->session;
    }
    if (s != nullptr) s->WakeStream();
  });
}

}  // namespace

asio::awaitable<void> Server::Worker::AcceptLoop() {
  while (true) {
    auto [ec, socket] = co_await acceptor->async_accept(kUseAwaitable);
    if (stopping || !acceptor->is_open()) co_return;
    if (ec) {
      LogDebug("accept failed: " + ec.message());
      if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
          ec.value() == ENFILE || ec == asio::error::no_memory) {
        asio::steady_timer pause(*ioc, std::chrono::milliseconds(50));
        co_await pause.async_wait(kUseAwaitable);
      }
      continue;
    }
    if (server->connections_.load(std::memory_order_relaxed) >= server->max_connections_) {
      // Named decision: at the limit, the connection that has waited longest for a request makes
      // room (as nginx reuses idle keep-alive connections), so that connections that never send
      // cannot lock new clients out for the idle timeout; with none idle the new one is closed.
      if (idle.empty()) {
        error_code ignored;
        socket.close(ignored);
        continue;
      }
      LogDebug("at the connection limit: closing the connection idle longest");
      idle.front()->CloseIfIdle();
    }
    error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    if (server->options_.send_buffer > 0) {
      socket.set_option(
          asio::socket_base::send_buffer_size(static_cast<int>(server->options_.send_buffer)),
          opt_ec);
    }
    server->connections_.fetch_add(1, std::memory_order_relaxed);
    auto session = std::make_shared<Session>(this, std::move(socket), server->options_,
                                             server->handler_, server->connections_);
    sessions.insert(session.get());
    asio::co_spawn(*ioc, Session::Run(std::move(session)), asio::detached);
  }
}

void Server::Worker::BeginStop() {
  if (stopping) return;
  stopping = true;
  error_code ec;
  if (acceptor) acceptor->close(ec);
  if (signals) signals->cancel(ec);
  std::vector<Session*> current(sessions.begin(), sessions.end());
  for (Session* s : current) s->CloseIfIdle();
  if (sessions.empty()) return;
  grace->expires_after(server->options_.stop_grace);
  grace->async_wait([this](error_code wait_ec) {
    if (wait_ec) return;
    std::vector<Session*> left(sessions.begin(), sessions.end());
    for (Session* s : left) s->ForceClose();
  });
}

void Server::Worker::BeginWrite(Session* session, std::chrono::steady_clock::time_point began,
                                size_t bytes) {
  writers.emplace(began, session);
  unsent += bytes;
  const size_t share = server->options_.unsent_limit / std::max<size_t>(1, server->workers_.size());
  // Named decision: past the limit, the responses that have waited longest go first (their
  // clients are the likeliest not to read at all), as Redis's maxmemory-clients evicts clients.
  // A response over the whole share alone is still sent.
  while (unsent > share) {
    auto oldest = writers.begin();
    if (oldest->second == session) {
      if (writers.size() == 1) break;
      ++oldest;
    }
    LogDebug("unsent responses over the limit: resetting the connection waiting longest");
    oldest->second->Evict();
  }
}

void Server::Worker::EndWrite(Session* session, std::chrono::steady_clock::time_point began,
                              size_t bytes) {
  writers.erase({began, session});
  unsent -= bytes;
}

void Server::Worker::OnSessionGone(Session* session) {
  sessions.erase(session);
  if (stopping && sessions.empty() && grace) grace->cancel();
}

Server::Server(ServerOptions options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

Server::~Server() {
  // Sessions destroyed with the io_contexts still use the other members.
  workers_.clear();
}

Status Server::Start() {
  if (!workers_.empty()) return Fail("http server already started");
  rlimit limit{};
  max_connections_ = options_.max_connections;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    if (limit.rlim_cur < limit.rlim_max) {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
    }
    // Below the fd limit, with room for the store and webhook deliveries: out of fds, accept()
    // fails and new clients wait in the backlog, while at max_connections an idle one makes room.
    if (limit.rlim_cur != RLIM_INFINITY) {
      const size_t fds = static_cast<size_t>(limit.rlim_cur);
      const size_t usable = fds - std::min<size_t>(fds / 2, 1024);
      if (usable < max_connections_) {
        max_connections_ = std::max<size_t>(1, usable);
        log::Info(kComponent, "at most " + std::to_string(max_connections_) +
                                  " connections: the fd limit is " + std::to_string(fds));
      }
    }
  }

  error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    asio::io_context resolve_ctx;
    tcp::resolver resolver(resolve_ctx);
    auto results = resolver.resolve(options_.host, "", ec);
    if (ec || results.empty()) return Fail("cannot resolve host " + options_.host);
    address = results.begin()->endpoint().address();
  }
  const int threads = std::max(1, options_.threads);
  uint16_t port = options_.port;
  if (port != 0 && threads > 1) {
    // SO_REUSEPORT would let us share a port another process (of the same user) listens on
    // with SO_REUSEPORT too. A plain bind first makes "port in use" an error in every case.
    asio::io_context probe_ctx;
    tcp::acceptor probe(probe_ctx);
    tcp::endpoint endpoint(address, port);
    if (probe.open(endpoint.protocol(), ec) ||
        probe.set_option(asio::socket_base::reuse_address(true), ec) || probe.bind(endpoint, ec)) {
      return Fail("cannot listen on " + options_.host + ":" + std::to_string(port) + ": " +
                  ec.message());
    }
  }
  for (int i = 0; i < threads; ++i) {
    auto worker = std::make_unique<Worker>();
    worker->server = this;
    worker->ioc = std::make_unique<asio::io_context>(1);
    worker->grace.emplace(*worker->ioc);
    tcp::acceptor& acceptor = worker->acceptor.emplace(*worker->ioc);
    tcp::endpoint endpoint(address, port);
    auto fail = [&](std::string_view what) {
      workers_.clear();
      return Fail("cannot listen on " + options_.host + ":" + std::to_string(port) + ": " +
                  std::string(what) + ": " + ec.message());
    };
    if (acceptor.open(endpoint.protocol(), ec)) return fail("open");
    if (acceptor.set_option(asio::socket_base::reuse_address(true), ec))
      return fail("SO_REUSEADDR");
    using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
    if (threads > 1 && acceptor.set_option(ReusePort(true), ec)) return fail("SO_REUSEPORT");
    if (acceptor.bind(endpoint, ec)) return fail("bind");
    if (acceptor.listen(asio::socket_base::max_listen_connections, ec)) return fail("listen");
    port = acceptor.local_endpoint(ec).port();
    if (ec) return fail("local_endpoint");
    workers_.push_back(std::move(worker));
  }
  port_ = port;
  for (auto& worker : workers_) {
    asio::co_spawn(*worker->ioc, worker->AcceptLoop(), asio::detached);
  }
  if (options_.handle_signals) {
    Worker& first = *workers_.front();
    first.signals.emplace(*first.ioc, SIGINT, SIGTERM);
    first.signals->async_wait([this](error_code sig_ec, int) {
      if (!sig_ec) Stop();
    });
  }
  if (stopping_.load()) {
    for (auto& worker : workers_) asio::post(*worker->ioc, [w = worker.get()] { w->BeginStop(); });
  }
  return {};
}

void Server::Run() {
  auto run = [](Worker* worker) {
    while (true) {
      try {
        worker->ioc->run();
        return;
      } catch (const std::exception& e) {
        log::Error(kComponent, std::string("I/O thread caught: ") + e.what());
      } catch (...) {
        log::Error(kComponent, "I/O thread caught an unknown exception");
      }
    }
  };
  if (workers_.empty()) return;
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers_.size(); ++i) {
    threads.emplace_back([&run, w = workers_[i].get()] {
      SetThreadName("tgi-io");  // not the calling thread: its name is the process's
      run(w);
    });
  }
  run(workers_[0].get());
  for (std::thread& t : threads) t.join();
}

void Server::Stop() {
  if (stopping_.exchange(true)) return;
  if (options_.on_stop) options_.on_stop();
  for (auto& worker : workers_) {
    asio::post(*worker->ioc, [w = worker.get()] { w->BeginStop(); });
  }
}

}  // namespace tgi::http
