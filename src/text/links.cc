#include "text/links.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>
#include <vector>

#include "common/ascii.h"
#include "common/utf8.h"
#include "text/numbers.h"

namespace tgi::text {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// TDLib's is_space: no '\f'.
bool IsTdSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0' || c == '\v';
}

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii::EqualsIgnoringCase(s.substr(0, prefix.size()), prefix);
}

struct ParsedUrl {
  bool https = false;
  std::string userinfo;
  std::string host;
  bool is_ipv6 = false;
  int specified_port = 0;
  std::string query;  // begins with '/'

  std::string ToString() const {
    std::string result = https ? "https://" : "http://";
    if (!userinfo.empty()) result.append(userinfo).push_back('@');
    result += host;
    if (specified_port > 0) result.append(":").append(std::to_string(specified_port));
    result += query;
    return result;
  }
};

// A set of bytes as a table, for scans over long links.
struct ByteSet {
  bool has[256] = {};
  constexpr explicit ByteSet(std::string_view bytes) {
    for (char c : bytes) has[static_cast<unsigned char>(c)] = true;
  }
  constexpr bool operator()(char c) const { return has[static_cast<unsigned char>(c)]; }
};

constexpr ByteSet kUrlPartBytes(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_!$,~*'();&+=");

// The first byte of `s` from `from` on that is in `set`, or s.size().
size_t FindFirstOf(std::string_view s, const ByteSet& set, size_t from = 0) {
  while (from < s.size() && !set(s[from])) ++from;
  return from;
}

// Checks a host or userinfo: the characters RFC 3986 allows, %XX, and bytes >= 0x80.
Status CheckUrlPart(std::string_view part, std::string_view name, bool allow_colon) {
  for (size_t i = 0; i < part.size(); ++i) {
    char c = part[i];
    if (kUrlPartBytes(c) || (allow_colon && c == ':')) continue;
    if (c == '%') {
      // The bytes after the text count as not hex digits.
      if (i + 2 < part.size() && IsHexDigit(part[i + 1]) && IsHexDigit(part[i + 2])) {
        i += 2;
        continue;
      }
      return Fail("Wrong percent-encoded symbol in URL " + std::string(name));
    }
    if (static_cast<unsigned char>(c) >= 128) continue;
    return Fail("Disallowed character in URL " + std::string(name));
  }
  return {};
}

// TDLib's parse_url with the default protocol http.
Result<ParsedUrl, std::string> ParseUrl(std::string_view url) {
  static constexpr ByteSet kProtocolEnd(":/?#@[]");
  static constexpr ByteSet kAuthorityEnd("/?#");
  ParsedUrl result;
  size_t pos = FindFirstOf(url, kProtocolEnd);
  if (url.substr(pos).starts_with("://")) {
    std::string protocol = ascii::Lower(url.substr(0, pos));
    if (protocol == "http") {
      result.https = false;
    } else if (protocol == "https") {
      result.https = true;
    } else {
      return Unexpected(std::string("Unsupported URL protocol"));
    }
    pos += 3;
  } else {
    pos = 0;
  }
  size_t authority_end = FindFirstOf(url, kAuthorityEnd, pos);
  std::string_view userinfo_host_port = url.substr(pos, authority_end - pos);

  int port = 0;
  std::string_view userinfo_host = userinfo_host_port;
  if (!userinfo_host_port.empty()) {
    size_t colon = userinfo_host_port.size() - 1;
    while (colon > 0 && userinfo_host_port[colon] != ':' && userinfo_host_port[colon] != ']' &&
           userinfo_host_port[colon] != '@') {
      --colon;
    }
    if (colon > 0 && userinfo_host_port[colon] == ':') {
      std::string_view port_text = userinfo_host_port.substr(colon + 1);
      while (port_text.size() > 1 && port_text[0] == '0') port_text.remove_prefix(1);
      auto value = StrictInteger<int>(port_text);
      port = (!value || *value == 0) ? -1 : *value;
      userinfo_host = userinfo_host_port.substr(0, colon);
    }
  }
  if (port < 0 || port > 65535) {
    return Unexpected(std::string("Wrong port number specified in the URL"));
  }

  size_t at = userinfo_host.rfind('@');
  std::string_view userinfo =
      at == std::string_view::npos ? std::string_view() : userinfo_host.substr(0, at);
  std::string_view host =
      at == std::string_view::npos ? userinfo_host : userinfo_host.substr(at + 1);

  if (!host.empty() && host.front() == '[' && host.back() == ']') {
    std::string plain(host);
    if (plain.size() > 2) plain = plain.substr(1, plain.size() - 2);
    in6_addr address;
    if (inet_pton(AF_INET6, plain.c_str(), &address) != 1) {
      return Unexpected(std::string("Wrong IPv6 address specified in the URL"));
    }
    result.is_ipv6 = true;
  }
  if (host.empty()) return Unexpected(std::string("URL host is empty"));
  if (host == ".") return Unexpected(std::string("Host is invalid"));
  result.specified_port = port;

  std::string_view query = url.substr(authority_end);
  while (!query.empty() && IsTdSpace(query.back())) query.remove_suffix(1);
  if (query.empty()) query = "/";
  result.query.reserve(query.size() + 1);
  if (query[0] != '/') result.query.push_back('/');
  for (char c : query) {
    auto uc = static_cast<unsigned char>(c);
    if (uc <= 0x20) {
      result.query.push_back('%');
      result.query.push_back("0123456789ABCDEF"[uc / 16]);
      result.query.push_back("0123456789ABCDEF"[uc % 16]);
    } else {
      result.query.push_back(c);
    }
  }

  result.host = ascii::Lower(host);
  if (result.is_ipv6) {
    for (size_t i = 1; i + 1 < result.host.size(); ++i) {
      char c = result.host[i];
      if (c == ':' || IsDigit(c) || (c >= 'a' && c <= 'f') || c == '.') continue;
      return Unexpected(std::string("Wrong IPv6 URL host"));
    }
  } else {
    if (auto status = CheckUrlPart(result.host, "host", false); !status) {
      return Unexpected(status.error().message);
    }
    if (auto status = CheckUrlPart(userinfo, "userinfo", true); !status) {
      return Unexpected(status.error().message);
    }
  }
  result.userinfo = std::string(userinfo);
  return result;
}

// TDLib's full_split: "" gives no parts.
std::vector<std::string_view> SplitAll(std::string_view s, char delimiter) {
  std::vector<std::string_view> parts;
  if (s.empty()) return parts;
  while (true) {
    size_t pos = s.find(delimiter);
    if (pos == std::string_view::npos) break;
    parts.push_back(s.substr(0, pos));
    s.remove_prefix(pos + 1);
  }
  parts.push_back(s);
  return parts;
}

// Key and value of "key=value" (value empty without '=').
std::pair<std::string_view, std::string_view> SplitParameter(std::string_view parameter) {
  size_t pos = parameter.find('=');
  if (pos == std::string_view::npos) return {parameter, {}};
  return {parameter.substr(0, pos), parameter.substr(pos + 1)};
}

// The query of "tg:[//]<host>[/]?<query>[#...]" (TDLib's check_tg_url_host), or an error text.
Result<std::string_view, std::string> TgUrlQuery(std::string_view url, std::string_view host) {
  if (!StartsWithIgnoringCase(url, "tg:")) {
    return Unexpected(std::string("URL must have scheme tg"));
  }
  url.remove_prefix(3);
  if (url.starts_with("//")) url.remove_prefix(2);
  if (!StartsWithIgnoringCase(url, host) ||
      (url.size() > host.size() &&
       std::string_view("/?#").find(url[host.size()]) == std::string_view::npos)) {
    return Unexpected("URL must have host \"" + std::string(host) + '"');
  }
  url.remove_prefix(host.size());
  if (url.starts_with('/')) url.remove_prefix(1);
  if (!url.starts_with('?')) return Unexpected(std::string("URL must have parameters"));
  url.remove_prefix(1);
  return url.substr(0, url.find('#'));
}

}  // namespace

Result<std::string, std::string> NormalizeLink(std::string_view link, LinkScope scope) {
  enum class Scheme { kNone, kTg, kTon, kTonsite } scheme = Scheme::kNone;
  if (StartsWithIgnoringCase(link, "tg:")) {
    link.remove_prefix(3);
    scheme = Scheme::kTg;
  } else if (StartsWithIgnoringCase(link, "ton:")) {
    link.remove_prefix(4);
    scheme = Scheme::kTon;
  } else if (StartsWithIgnoringCase(link, "tonsite:")) {
    link.remove_prefix(8);
    scheme = Scheme::kTonsite;
  }
  if (scheme != Scheme::kNone && link.starts_with("//")) link.remove_prefix(2);
  auto parsed = ParseUrl(link);
  if (!parsed) return Unexpected(std::move(parsed.error()));
  const ParsedUrl& url = *parsed;
  if (scope == LinkScope::kHttpsOnly && (!url.https || scheme != Scheme::kNone)) {
    return Unexpected(std::string("Only HTTPS links are allowed"));
  }
  if (scheme != Scheme::kNone) {
    if (scope == LinkScope::kHttpOnly)
      return Unexpected(std::string("Only HTTP links are allowed"));
    if (StartsWithIgnoringCase(link, "http://") || url.https || !url.userinfo.empty() ||
        url.specified_port != 0 || url.is_ipv6) {
      return Unexpected(std::string(scheme == Scheme::kTg ? "Wrong tg URL" : "Wrong ton URL"));
    }
    std::string_view query = url.query;
    if (query.size() > 1 && query[1] == '?') query.remove_prefix(1);
    for (char c : url.host) {
      if (!IsAlnum(c) && c != '-' && c != '_' && !(scheme == Scheme::kTonsite && c == '.')) {
        return Unexpected(std::string("Unallowed characters in URL host"));
      }
    }
    const char* name = scheme == Scheme::kTg ? "tg" : scheme == Scheme::kTon ? "ton" : "tonsite";
    return std::string(name) + "://" + url.host + std::string(query);
  }
  if (url.host.find('.') == std::string::npos && !url.is_ipv6) {
    return Unexpected(std::string("Wrong HTTP URL"));
  }
  return url.ToString();
}

Result<std::string, std::string> CheckLink(std::string_view link, LinkScope scope) {
  auto result = NormalizeLink(link, scope);
  if (result) return result;
  if (utf8::IsValid(link)) {
    return Unexpected("URL '" + std::string(link) + "' is invalid: " + result.error());
  }
  return Unexpected("URL is invalid: " + result.error());
}

std::optional<int64_t> LinkUserId(std::string_view url) {
  if (!StartsWithIgnoringCase(url, "tg:")) return std::nullopt;
  url.remove_prefix(3);
  if (url.starts_with("//")) url.remove_prefix(2);
  if (!StartsWithIgnoringCase(url, "user") ||
      (url.size() > 4 && std::string_view("/?#").find(url[4]) == std::string_view::npos)) {
    return std::nullopt;
  }
  url.remove_prefix(4);
  if (url.starts_with('/')) url.remove_prefix(1);
  if (!url.starts_with('?')) return std::nullopt;
  url.remove_prefix(1);
  url = url.substr(0, url.find('#'));
  // TDLib lowercases the whole link first, so parameter names match in any case.
  for (std::string_view parameter : SplitAll(url, '&')) {
    auto [key, value] = SplitParameter(parameter);
    if (!ascii::EqualsIgnoringCase(key, "id")) continue;
    auto id = StrictInteger<int64_t>(value);
    constexpr int64_t kMaxUserId = (int64_t{1} << 40) - 1;
    if (!id || *id <= 0 || *id > kMaxUserId) return std::nullopt;
    return *id;
  }
  return std::nullopt;
}

Result<int64_t, std::string> LinkCustomEmojiId(std::string_view url) {
  auto query = TgUrlQuery(url, "emoji");
  if (!query) return Unexpected(std::move(query.error()));
  for (std::string_view parameter : SplitAll(*query, '&')) {
    auto [key, value] = SplitParameter(parameter);
    if (key != "id") continue;
    auto id = StrictInteger<int64_t>(value);
    if (!id || *id == 0)
      return Unexpected(std::string("Invalid custom emoji identifier specified"));
    return *id;
  }
  return Unexpected(std::string("Custom emoji URL must have an emoji identifier"));
}

Result<LinkDate, std::string> LinkFormattedDate(std::string_view url) {
  auto query = TgUrlQuery(url, "time");
  if (!query) return Unexpected(std::move(query.error()));
  int32_t date = 0;
  std::string_view format;
  for (std::string_view parameter : SplitAll(*query, '&')) {
    auto [key, value] = SplitParameter(parameter);
    if (key == "unix") {
      auto parsed = StrictInteger<int32_t>(value);
      if (!parsed || *parsed <= 0) return Unexpected(std::string("Invalid Unix time specified"));
      date = *parsed;
    }
    if (key == "format") format = value;
  }
  if (date == 0) return Unexpected(std::string("URL must have the corresponding Unix time"));
  auto canonical = CanonicalDateTimeFormat(format);
  if (!canonical) return Unexpected(std::string("Invalid date format used"));
  return LinkDate{date, std::move(*canonical)};
}

namespace {

enum DateFlag : unsigned {
  kRelative = 1,
  kShortTime = 2,
  kLongTime = 4,
  kShortDate = 8,
  kLongDate = 16,
  kDayOfWeek = 32,
};

std::string FormatFromFlags(unsigned flags) {
  if (flags & kRelative) return "r";
  std::string format;
  if (flags & kDayOfWeek) format += 'w';
  if (flags & kShortDate) {
    format += 'd';
  } else if (flags & kLongDate) {
    format += 'D';
  }
  if (flags & kShortTime) {
    format += 't';
  } else if (flags & kLongTime) {
    format += 'T';
  }
  return format;
}

}  // namespace

std::optional<std::string> CanonicalDateTimeFormat(std::string_view format) {
  if (format == "r" || format == "R") return std::string("r");
  unsigned flags = 0;
  for (char c : format) {
    switch (c) {
      case 't':
        flags |= kShortTime;
        break;
      case 'T':
        flags |= kLongTime;
        break;
      case 'd':
        flags |= kShortDate;
        break;
      case 'D':
        flags |= kLongDate;
        break;
      case 'w':
      case 'W':
        flags |= kDayOfWeek;
        break;
      default:
        return std::nullopt;
    }
  }
  return FormatFromFlags(flags);
}

std::optional<std::string> CanonicalEntityDateTimeFormat(std::string_view format) {
  if (format.empty()) return std::string();
  if (format == "r" || format == "R") return std::string("r");
  unsigned time = 0, date = 0, day_of_week = 0;
  for (char c : format) {
    switch (c) {
      case 't':
        time = kShortTime;
        break;
      case 'T':
        time = kLongTime;
        break;
      case 'd':
        date = kShortDate;
        break;
      case 'D':
        date = kLongDate;
        break;
      case 'w':
      case 'W':
        day_of_week = kDayOfWeek;
        break;
      default:
        return std::nullopt;
    }
  }
  return FormatFromFlags(time | date | day_of_week);
}

}  // namespace tgi::text
