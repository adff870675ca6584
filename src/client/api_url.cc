#include "api_url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <string>
#include <string_view>

#include "errors.h"

namespace tginvite::client_internal {

namespace {

Error BadUrl(std::string_view why) {
  std::string text = "API URL: ";
  text.append(why);
  return TransportError(Error::Transport::kBadUrl, std::move(text));
}

}  // namespace

Result<ApiUrl> ParseApiUrl(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return BadUrl("not an absolute URL (scheme://host[:port][/prefix])");
  const boost::urls::url_view& url = *parsed;

  ApiUrl out;
  if (url.scheme_id() == boost::urls::scheme::https) {
    out.tls = true;
  } else if (url.scheme_id() != boost::urls::scheme::http) {
    std::string why = "unsupported scheme \"";
    why.append(url.scheme());
    why.append("\" (http or https)");
    return BadUrl(why);
  }
  if (!url.has_authority() || url.encoded_host().empty()) return BadUrl("no host");
  if (url.has_userinfo()) return BadUrl("user info is not supported");
  if (url.has_query() || url.has_fragment()) return BadUrl("a query or fragment is not allowed");

  switch (url.host_type()) {
    case boost::urls::host_type::name:
      out.host = url.host_name();
      out.host_is_name = true;
      break;
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
      out.host = url.host_address();
      out.host_is_name = false;
      break;
    default:
      return BadUrl("unsupported host");
  }
  if (out.host.empty()) return BadUrl("no host");

  if (url.has_port()) {
    const std::string_view port = url.port();
    unsigned number = 0;
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) {
      if (c < '0' || c > '9') digits = false;
      if (digits) number = number * 10 + static_cast<unsigned>(c - '0');
    }
    if (!digits || number == 0 || number > 65535) {
      return BadUrl("bad port (1 to 65535)");
    }
    out.port = std::to_string(number);
  } else {
    out.port = out.tls ? "443" : "80";
  }
  out.host_header = std::string(url.encoded_host_and_port());

  std::string_view path = url.encoded_path();
  // Boost.URL 1.81 reads "http://h:80x/" as port 80 and path "x/"; after an authority a path must
  // start with '/' (RFC 3986 path-abempty).
  if (!path.empty() && path.front() != '/') return BadUrl("bad port or path");
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out.path_prefix = std::string(path);
  return out;
}

std::string EncodePathSegment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~' || c == ':';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace tginvite::client_internal
