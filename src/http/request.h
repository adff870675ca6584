// What the HTTP layer hands to the layer above, and what it gets back.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/shared_text.h"
#include "http/params.h"

namespace tgi::http {

struct Header {
  std::string name;  // Lowercased for request headers; sent as given for response headers.
  std::string value;
};

struct Request {
  std::string method;         // "GET" or "POST", or a verb of ServerOptions::extra_verbs.
  std::string target;         // Raw request-target. Holds bot tokens: log only via RedactTarget().
  std::string path;           // Percent-decoded path without the query; '+' is NOT a space.
  bool absolute_uri = false;  // The request line held "http://host/..." (path is its path part).
  std::vector<Header> headers;
  ParamList params;    // Query string first, then the body per its Content-Type (spec 1.4).
  std::string body;    // The decoded (decompressed) body bytes.
  std::string remote;  // "ip:port" of the peer.
  // This request's id in the log (log::NewRequestId); the server's log lines of the request
  // carry it, and a handler may log with it (log::RequestScope).
  std::string request_id;

  // Value of the first header with that name, or nullptr. REQUIRES: the name is lowercase.
  const std::string* GetHeader(std::string_view lowercase_name) const;
};

// A response body made while it is sent (server-sent events): the server asks for each piece
// once the previous one is written, so a reader that does not read holds up only its own stream.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Asks for the next piece. `give` is called once, from any thread, now or later: with the next
  // bytes, or with "" to end the body (the connection then closes). One Pull at a time.
  virtual void Pull(std::function<void(std::string)> give) = 0;
  // The connection closes before the end (the peer went away, a write failed or timed out, the
  // server force-closed it): a pending `give` may be dropped. Called at most once.
  virtual void Cancel() = 0;
};

struct Response {
  int status = 200;
  std::string body;
  // Sent after `body`, in order, without being copied: text shared with others, e.g. the update
  // objects of a getUpdates answer, which the bot's queue holds anyway. Content-Length counts
  // them; the limit on unsent answers (ServerOptions::unsent_limit) does not.
  std::vector<SharedText> body_parts;
  std::string content_type = "application/json";  // Empty: no Content-Type header.
  std::vector<Header> extra_headers;  // Sent after Content-Type, e.g. {"Retry-After", "17"}.
  // When set, `body` is ignored: the head goes out without Content-Length and with "Connection:
  // close", then the pieces `stream` gives, each written as it comes. While the stream gives
  // nothing for `keepalive_interval`, `keepalive` is written (an event-stream comment), so a peer
  // that went away is noticed.
  std::shared_ptr<BodyStream> stream;
  std::chrono::seconds keepalive_interval{15};
  std::string keepalive;
};

// The length of a response's body: `body`, then `body_parts` (its Content-Length).
size_t BodySize(const Response& response);

// Sends the response. Call it exactly once, from any thread, now or later; later calls are
// ignored. It is safe to call after the client went away or the server stopped (the response
// is then dropped). If every copy is destroyed without a call, the client gets a 500.
using Respond = std::function<void(Response)>;
// Called on an I/O thread for each request. Must not block; may throw (the client gets a 500).
using Handler = std::function<void(Request&&, Respond)>;

}  // namespace tgi::http
