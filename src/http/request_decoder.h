// What a request means, decided apart from reading it. server.cc reads the bytes (with Beast) and
// asks these functions what to do at each step; they do no I/O, keep no state and know nothing of
// Beast, so they can be unit-tested and fuzzed without sockets. An error is an HTTP status, which
// the server answers with an empty body before it closes the connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/server.h"

namespace tgi::http {

// A request head as the framing layer (Beast's parser, in server.cc) read it. That layer has
// already refused what it cannot frame, with its own statuses: a malformed request line or header
// (400), headers over ServerOptions::header_limit (431), a Content-Length over body_limit (413),
// invalid or conflicting Content-Length and Transfer-Encoding headers (400 or 501: see
// StatusForReadError in server.cc), a version other than 1.0 and 1.1 (StatusForRefusedVersion).
struct RequestHead {
  std::string_view method;  // The verb as sent: case matters ("get" is not GET).
  std::string_view target;  // The raw request-target.
  unsigned version = 11;    // 10 * major + minor: 10 is HTTP/1.0, 11 is HTTP/1.1.
  // Lowercased names, in the parser's order (which puts a repeated name's fields together).
  // Owned, because DecodeRequest moves them into the Request.
  std::vector<Header> headers;
  std::optional<uint64_t> content_length;  // The Content-Length, if the head has one.
  bool chunked = false;  // The framing found Transfer-Encoding ending in "chunked".
};

// What to do once the head is read.
struct HeadDecision {
  int status = 0;              // Not 0: answer this status at once, read nothing more, close.
  bool send_continue = false;  // Send "HTTP/1.1 100 Continue" before reading the body.
  bool read_body = false;      // A body follows: Content-Length (> 0) bytes, or chunks.
};

// Decides from the head alone. The first rule that applies gives the status:
//   501  the method is neither "GET" nor "POST" (case-sensitive), nor an options.extra_verbs
//        verb whose target_prefix starts the target;
//   505  the version is neither 10 nor 11;
//   501  the first Transfer-Encoding header is not "chunked" (ignoring case, and spaces and tabs
//        around it);
//   413  the Content-Length is 0xFFFFFFFF or more.
// Otherwise status is 0, read_body is true if the content length is above 0 or the body is
// chunked, and send_continue if read_body and the first Expect header is "100-continue" (ignoring
// case, and spaces and tabs around it). Reads only options.extra_verbs.
HeadDecision DecideHead(const RequestHead& head, const ServerOptions& options);

// The status for a request the framing layer refused for its version. `received` is what was read
// of the request, from its first byte; its request line ends at the first CRLF (or with it). 505
// if that line has at least two spaces and what follows the last one is "HTTP/" and at least one
// more byte: another HTTP version ("HTTP/2.0", "HTTP/1.2"). Else 400: not HTTP ("HTTX/1.1",
// "HTTP/", no version).
int StatusForRefusedVersion(std::string_view received);

// What DecodeRequest made of a request.
struct DecodedRequest {
  int status = 0;   // 0: `request` is for the Handler. Else answer this status and close.
  Request request;  // Meaningless when status is not 0.
};

// Turns a head that DecideHead let through, and its body as received (still compressed), into the
// Request the Handler gets, or an error status. In order:
//   - method, target and headers come from `head`; remote is left empty for the caller;
//   - a target starting with "http://" or "https://" (in any case) is an absolute URI:
//     absolute_uri is set and what follows is read from the first '/' or '?' after the scheme
//     (none: an empty path);
//   - path is the part before the first '?', percent-decoded ('+' stays '+'); the query after
//     it gives the first params (ParseUrlEncoded);
//   - the body is decoded per the first Content-Encoding header (DecodeContentEncoding, with
//     options.body_limit): 415 unknown encoding, 413 too large, 400 corrupt;
//   - the first Content-Type header, lowercased, chooses the body's parser by what it contains,
//     first match: "multipart/form-data" (ParseMultipart: 400, 413, or 431 once the part headers
//     exceed what the request's own head left of options.header_limit; the head counts as
//     method + target + 13 bytes, plus name + value + 4 bytes per header),
//     "application/x-www-form-urlencoded", "application/json" (ParseJsonParams); any other type,
//     or none, gives no params from the body, and no error;
//   - 413 if the params' text (names and values, query included) exceeds options.param_limit.
// The Request's body is the decoded body. Reads only options.header_limit, body_limit and
// param_limit.
DecodedRequest DecodeRequest(RequestHead&& head, std::string body, const ServerOptions& options);

}  // namespace tgi::http
