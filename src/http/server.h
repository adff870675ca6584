// An HTTP/1.1 server (spec 1.2, 1.7, 1.9): one io_context and one SO_REUSEPORT acceptor per
// thread, keep-alive, bounded requests, graceful stop, over plain TCP or TLS. It knows nothing of
// bots: it hands each parsed request to the Handler and sends back the Response it is given.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "http/request.h"

namespace boost::asio::ssl {
class context;
}

namespace tgi::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8081;              // 0: pick a free one (see Server::port()).
  int threads = 2;                   // One io_context and one SO_REUSEPORT acceptor per thread.
  size_t header_limit = 256 * 1024;  // Request headers + multipart part headers → 431, close.
  size_t param_limit = 1 << 20;      // Total parameter text → 413, close.
  size_t body_limit = 64 << 20;      // Raw (and decoded) body → 413, close.
  std::chrono::seconds idle_timeout{500};   // Keep-alive wait for a request's first byte.
  std::chrono::seconds header_timeout{30};  // First byte to end of headers.
  std::chrono::seconds body_timeout{60};    // Reading the body.
  std::chrono::seconds write_timeout{60};   // Writing one response; then reset the connection.
  // Bytes of responses being written (to clients that may not read), over all connections; each
  // I/O thread keeps to its share (limit / threads) by resetting the connections whose responses
  // have waited longest.
  size_t unsent_limit = size_t{128} << 20;
  // SO_SNDBUF of each connection (the kernel doubles it); 0 leaves the kernel's autotuning, which
  // lets a client that does not read hold up to tcp_wmem's maximum (4 MiB) of kernel memory.
  size_t send_buffer = 256 * 1024;
  std::chrono::seconds stop_grace{10};  // Stop(): then force-close what is left.
  // Beyond: the connection waiting longest for a request is closed to make room, or with none
  // waiting the new one. Start() lowers it below the fd limit (RLIMIT_NOFILE).
  size_t max_connections = 20000;
  // With a context (made by http/tls.h's LoadServerTls), every connection speaks TLS from its
  // first byte (HTTPS only); null: plain HTTP only. The TLS handshake counts as part of the
  // first request's header time (header_timeout); everything above works the same either way.
  std::shared_ptr<boost::asio::ssl::context> tls;
  bool handle_signals = true;  // SIGINT/SIGTERM → Stop().
  // Verbs other than GET and POST (which the Bot API's reference answers 501) accepted for
  // targets starting with a prefix, e.g. {"PUT", "/control/"}.
  struct ExtraVerb {
    std::string verb;
    std::string target_prefix;
  };
  std::vector<ExtraVerb> extra_verbs;
  // Called once when Stop() begins (from any thread), so that the layer above can answer what
  // it holds (e.g. waiting long polls) within the grace period.
  std::function<void()> on_stop;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens on every thread's acceptor and raises RLIMIT_NOFILE to its hard limit.
  // Call once, before Run().
  Status Start();
  // The bound port. REQUIRES: Start() succeeded.
  uint16_t port() const { return port_; }
  // Runs the I/O threads (the caller's thread is one of them). Returns after Stop(), once
  // in-flight requests are answered (or the grace period ran out) and every connection closed.
  void Run();
  // Thread-safe and idempotent, callable from anywhere (a handler too). Stops accepting, closes
  // idle keep-alive connections at once; a connection busy with a request finishes it (the
  // response goes out with "Connection: close") and closes. After stop_grace the rest are
  // force-closed; their pending Respond calls are then dropped.
  void Stop();
  // Connections open now (accepted, not yet closed). Thread-safe.
  size_t open_connections() const { return connections_.load(std::memory_order_relaxed); }

  struct Worker;  // One per thread; defined in server.cc.

 private:
  ServerOptions options_;
  Handler handler_;
  std::vector<std::unique_ptr<Worker>> workers_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_{0};
  size_t max_connections_ = 0;  // options_.max_connections, lowered by Start() to the fd limit
};

}  // namespace tgi::http
