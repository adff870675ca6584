#include "botapi/webhook_url.h"

#include <arpa/inet.h>

#include <cstdint>

#include "common/ascii.h"

namespace tgi::botapi {
namespace {

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A host or user:password part: RFC 3986's unreserved characters and sub-delims, %XX, and any
// byte above 127 (plain UTF-8), as TDLib's check_url_part allows.
bool UrlPartOk(std::string_view part, bool allow_colon) {
  for (size_t i = 0; i < part.size(); ++i) {
    char c = part[i];
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alnum || std::string_view(".-_!$,~*'();&+=").find(c) != std::string_view::npos ||
        (allow_colon && c == ':'))
      continue;
    if (c == '%') {
      if (i + 2 < part.size() && IsHexDigit(part[i + 1]) && IsHexDigit(part[i + 2])) {
        i += 2;
        continue;
      }
      return false;
    }
    if (static_cast<unsigned char>(c) >= 128) continue;
    return false;
  }
  return true;
}

// Where the authority starts: after "<protocol>://" when the text up to the first of ":/?#@[]"
// is followed by "://"; else at 0 (no protocol). `protocol` gets that text, lowercased.
size_t AuthorityStart(std::string_view url, std::string* protocol) {
  size_t end = url.find_first_of(":/?#@[]");
  if (end == std::string_view::npos) end = url.size();
  if (url.substr(end).starts_with("://")) {
    *protocol = ascii::Lower(url.substr(0, end));
    return end + 3;
  }
  protocol->clear();
  return 0;
}

}  // namespace

std::optional<WebhookUrl> ParseWebhookUrl(std::string_view url) {
  std::string protocol;
  size_t start = AuthorityStart(url, &protocol);
  WebhookUrl result;
  if (start > 0) {
    if (protocol == "http") {
      result.https = false;
    } else if (protocol != "https") {
      return std::nullopt;
    }
  }
  std::string_view rest = url.substr(start);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));

  // The port: after the last ':' that comes after any ']' or '@' (not at the very start).
  std::string_view userinfo_host = authority;
  int port = 0;
  size_t colon = authority.size();
  for (size_t i = authority.size(); i-- > 1;) {
    char c = authority[i];
    if (c == ':') colon = i;
    if (c == ':' || c == ']' || c == '@') break;
  }
  if (colon < authority.size()) {
    std::string_view digits = authority.substr(colon + 1);
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 5) return std::nullopt;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    userinfo_host = authority.substr(0, colon);
  }

  size_t at = userinfo_host.rfind('@');
  std::string_view userinfo =
      at == std::string_view::npos ? std::string_view() : userinfo_host.substr(0, at);
  std::string host =
      ascii::Lower(at == std::string_view::npos ? userinfo_host : userinfo_host.substr(at + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    std::string inner = host.substr(1, host.size() - 2);
    unsigned char address[16];
    if (inet_pton(AF_INET6, inner.c_str(), address) != 1) return std::nullopt;
  } else {
    if (host.empty() || host == ".") return std::nullopt;
    if (!UrlPartOk(host, false) || !UrlPartOk(userinfo, true)) return std::nullopt;
  }
  result.port = port > 0 ? port : (result.https ? 443 : 80);
  return result;
}

std::string WebhookUrlWithProtocol(std::string_view url) {
  std::string protocol;
  if (AuthorityStart(url, &protocol) > 0) return std::string(url);
  std::string out = "https://";
  out += url;
  return out;
}

}  // namespace tgi::botapi
