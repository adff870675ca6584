// The plain functions of webhook delivery (spec 5.5), kept apart from the sockets so that each can
// be tested on its own: where a webhook URL points, the bytes of one request, what a reply asks
// the server to do, and how long to wait before the next attempt.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/params.h"

namespace tgi::delivery {

// Where a webhook URL points, taken apart once when the URL is set.
struct WebhookTarget {
  bool https = false;
  std::string host;            // to connect to: a name or an IP address, without brackets
  uint16_t port = 80;          // the URL's port, else 80 (http) or 443 (https)
  std::string host_header;     // the Host header: the URL's host as written, without the port, as
                               // the reference server sends it
  std::string path_and_query;  // the request target: "/" when the URL has no path; no fragment
  std::string authorization;   // "Basic ..." when the URL holds user:password; else empty
};

// Parses an absolute http(s) URL (setWebhook already checked it). Fails on anything else.
Result<WebhookTarget> ParseWebhookUrl(std::string_view url);

// The whole request that delivers one update: "POST <path and query> HTTP/1.1" with Host,
// Authorization (only with user:password), X-Telegram-Bot-Api-Secret-Token (only with a secret),
// Content-Type: application/json, Content-Length, Connection: keep-alive and Accept-Encoding, in
// the reference server's order; the body is the update object and a newline.
std::string BuildWebhookRequest(const WebhookTarget& target, std::string_view secret_token,
                                std::string_view update_json);

// A Bot API call found in a 2xx answer (spec 5.5, "Making requests when getting updates").
struct ReplyCall {
  std::string method;  // as the reply wrote it
  http::ParamList params;
};

// Reads the call in a 2xx answer's body, parsed per its Content-Type (application/json,
// application/x-www-form-urlencoded or multipart/form-data) after undoing its Content-Encoding.
// Returns nullopt when there is none, when the body cannot be read, and for the methods the
// reference server ignores there: names starting with "get" (any case), setWebhook,
// deleteWebhook, close and logOut.
std::optional<ReplyCall> ParseReplyCall(std::string_view content_type,
                                        std::string_view content_encoding, std::string body,
                                        size_t body_limit);

// True for the methods a webhook reply may not call. `method` in any case.
bool IsIgnoredReplyMethod(std::string_view method);

// The value of a Retry-After header in seconds, clamped to 0..max; nullopt when it is not a
// number of seconds.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::seconds max);

// Retry timing of one update, as the reference's WebhookActor does it: the first retry is
// immediate; then the wait doubles from `base` up to a cap drawn at random in [cap_min, cap_max]
// each time; a Retry-After from the webhook replaces the wait (and does not advance the
// doubling).
struct RetryPolicy {
  std::chrono::milliseconds base{2000};
  std::chrono::milliseconds cap_min{60000};
  std::chrono::milliseconds cap_max{120000};
};
struct RetryState {
  int failures = 0;                   // failed attempts so far
  std::chrono::milliseconds delay{};  // the last doubled wait; 0 before the first
};
// Records one more failure in `state` and returns how long to wait before the next attempt.
// `retry_after`: the webhook's Retry-After, already clamped; 0 counts as absent, as in the
// reference.
std::chrono::milliseconds NextRetryWait(const RetryPolicy& policy, RetryState& state,
                                        std::optional<std::chrono::seconds> retry_after,
                                        std::mt19937_64& random);

// Standard base64 with padding (RFC 4648 section 4), for the Authorization header.
std::string Base64(std::string_view bytes);

}  // namespace tgi::delivery
