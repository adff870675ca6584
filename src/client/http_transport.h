// One HTTP/1.1 connection to the API host, over TCP or TLS, kept open between requests.
// Synchronous to its caller: each operation runs on the transport's own io_context until it
// completes, with Beast's stream timeouts as the deadlines. Not thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api_url.h"
#include "tginvite/types.h"

namespace tginvite::client_internal {

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{10'000};  // resolve + TCP connect + TLS handshake
  std::chrono::milliseconds request_timeout{30'000};  // write the request + read the answer
  std::string ca_file;                                // PEM; empty: the system's default store
};

class HttpTransport {
 public:
  HttpTransport(ApiUrl url, TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // POSTs `body` (JSON) to `target` (the path). Any HTTP answer is a reply, whatever its status;
  // errors are kTransport. Reuses the open connection; when a reused one turns out closed before
  // any byte of the answer came, connects once more and sends again. `target` never appears in
  // an error. Exceptions other than std::bad_alloc do not escape.
  Result<HttpReply> Post(const std::string& target, const std::string& body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tginvite::client_internal
