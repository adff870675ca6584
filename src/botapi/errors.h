// The Bot API's errors: the catalogue of every description this server sends, and the rules
// (spec 1.10) by which the reference server turns an internal (code, message) pair into the
// `error_code` and `description` a client sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/errors.h"
#include "http/request.h"

namespace tgi::botapi {

struct ApiError {
  int code = 400;  // also the HTTP status
  std::string description;
  std::optional<int64_t> migrate_to_chat_id;
  std::optional<int64_t> retry_after;  // seconds, >= 1
};

// Spec 1.10: maps TDLib's (code, message) to the wire error. `message` is in TDLib's sentence
// case ("Not enough rights to ...") or a raw MTProto code ("CHAT_ADMIN_REQUIRED").
ApiError FromTdlib(int code, std::string_view message);

// A 400 from a message, e.g. BadRequest("chat_id is empty") -> "Bad Request: chat_id is empty".
ApiError BadRequest(std::string_view message);

// The wire error for a rule the domain refused.
ApiError FromDomain(const domain::DomainError& e);

// "Too Many Requests: retry after N", with parameters.retry_after and a Retry-After header.
ApiError TooManyRequests(int64_t retry_after);

// Errors answered before a method runs (spec 1.1, 1.3, 1.8). These texts bypass FromTdlib.
ApiError NotFound();                 // 404 Not Found
ApiError MethodNotFound();           // 404 Not Found: method not found
ApiError AbsoluteUriNotFound();      // 404 Not Found: absolute URI is specified in the Request-Line
ApiError InvalidTokenSpecified();    // 401 Unauthorized: invalid token specified
ApiError UnallowedTokenSpecified();  // 421 Misdirected Request: unallowed token specified
ApiError Unauthorized();             // 401 Unauthorized
ApiError LoggedOut();                // 400 Logged out
ApiError InternalError(std::string_view message);  // 500 Internal Server Error: <message>

// Encodes the error envelope: {"ok":false,"error_code":N,"description":"...","parameters":{...}},
// with Retry-After on 429.
http::Response ErrorResponse(const ApiError& e);

// Encodes {"ok":true,"result":<result_json>}.
http::Response OkResponse(std::string_view result_json);

}  // namespace tgi::botapi
