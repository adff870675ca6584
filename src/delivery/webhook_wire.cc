#include "delivery/webhook_wire.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "common/ascii.h"

namespace tgi::delivery {
namespace {}  // namespace

Result<WebhookTarget> ParseWebhookUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Fail("not an absolute URL");
  const boost::urls::url_view& u = *parsed;
  WebhookTarget t;
  std::string scheme = ascii::Lower(u.scheme());
  if (scheme == "https") {
    t.https = true;
  } else if (scheme != "http") {
    return Fail("not an http(s) URL");
  }
  t.host = u.host_address();
  if (t.host.empty()) return Fail("the URL has no host");
  t.host_header = u.encoded_host();
  if (u.has_port()) {
    if (u.port_number() == 0) return Fail("the URL's port is not valid");
    t.port = u.port_number();
  } else {
    t.port = t.https ? 443 : 80;
  }
  t.path_and_query = u.encoded_path();
  // (assign/push_back/append rather than "=" and "+" with literals: GCC 12 at -O3 reports false
  // -Wrestrict overlaps on those.)
  if (t.path_and_query.empty()) t.path_and_query.assign(1, '/');
  if (u.has_query()) {
    t.path_and_query += '?';
    t.path_and_query += u.encoded_query();
  }
  if (u.has_userinfo()) {
    std::string userinfo = u.user();
    if (u.has_password()) {
      userinfo.push_back(':');
      userinfo.append(u.password());
    }
    t.authorization = "Basic " + Base64(userinfo);
  }
  return t;
}

std::string BuildWebhookRequest(const WebhookTarget& target, std::string_view secret_token,
                                std::string_view update_json) {
  std::string out;
  out.reserve(256 + update_json.size());
  out += "POST ";
  out += target.path_and_query;
  out += " HTTP/1.1\r\nHost: ";
  out += target.host_header;
  out += "\r\n";
  if (!target.authorization.empty()) {
    out += "Authorization: ";
    out += target.authorization;
    out += "\r\n";
  }
  if (!secret_token.empty()) {
    out += "X-Telegram-Bot-Api-Secret-Token: ";
    out += secret_token;
    out += "\r\n";
  }
  out += "Content-Type: application/json\r\nContent-Length: ";
  out += std::to_string(update_json.size() + 1);
  out += "\r\nConnection: keep-alive\r\nAccept-Encoding: gzip, deflate\r\n\r\n";
  out += update_json;
  out += '\n';
  return out;
}

bool IsIgnoredReplyMethod(std::string_view method) {
  std::string m = ascii::Lower(method);
  return m.rfind("get", 0) == 0 || m == "setwebhook" || m == "deletewebhook" || m == "close" ||
         m == "logout";
}

std::optional<ReplyCall> ParseReplyCall(std::string_view content_type,
                                        std::string_view content_encoding, std::string body,
                                        size_t body_limit) {
  if (body.empty()) return std::nullopt;
  std::string decoded;
  int status = 0;
  if (!http::DecodeContentEncoding(content_encoding, std::move(body), body_limit, &decoded,
                                   &status))
    return std::nullopt;
  ReplyCall call;
  // The Content-Type decides, as for a request to the Bot API itself (spec 1.4).
  std::string type = ascii::Lower(content_type);
  if (type.find("multipart/form-data") != std::string::npos) {
    if (!http::ParseMultipart(decoded, content_type, call.params, &status)) return std::nullopt;
  } else if (type.find("application/x-www-form-urlencoded") != std::string::npos) {
    http::ParseUrlEncoded(decoded, call.params);
  } else if (type.find("application/json") != std::string::npos) {
    http::ParseJsonParams(decoded, call.params);
  } else {
    return std::nullopt;
  }
  const std::string* method = call.params.Find("method");
  if (!method || method->empty() || IsIgnoredReplyMethod(*method)) return std::nullopt;
  call.method = *method;
  return call;
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::seconds max) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  bool negative = value.front() == '-';
  if (negative || value.front() == '+') value.remove_prefix(1);
  if (value.empty()) return std::nullopt;
  int64_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    if (n < 1'000'000'000) n = n * 10 + (c - '0');
  }
  if (negative) return std::chrono::seconds(0);
  return std::chrono::seconds(std::min<int64_t>(n, max.count()));
}

std::chrono::milliseconds NextRetryWait(const RetryPolicy& policy, RetryState& state,
                                        std::optional<std::chrono::seconds> retry_after,
                                        std::mt19937_64& random) {
  using std::chrono::milliseconds;
  milliseconds wait{0};
  if (retry_after && retry_after->count() > 0) {
    wait = *retry_after;
  } else if (state.failures > 0) {
    milliseconds cap = policy.cap_min;
    if (policy.cap_max > policy.cap_min) {
      std::uniform_int_distribution<int64_t> pick(policy.cap_min.count(), policy.cap_max.count());
      cap = milliseconds(pick(random));
    }
    milliseconds doubled = state.delay.count() == 0 ? policy.base : state.delay * 2;
    state.delay = std::min(cap, doubled);
    wait = state.delay;
  }
  ++state.failures;
  return wait;
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                 (uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                 uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace tgi::delivery
