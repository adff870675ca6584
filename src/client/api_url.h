// The API base URL of ClientOptions, taken apart once.
#pragma once

#include <string>
#include <string_view>

#include "tginvite/types.h"

namespace tginvite::client_internal {

struct ApiUrl {
  bool tls = false;          // https
  std::string host;          // a name or an IP address (IPv6 without brackets)
  bool host_is_name = true;  // false for an IP address (no SNI then)
  std::string port;          // decimal
  std::string host_header;   // what the Host header says: host, and ":port" when one was given
  std::string path_prefix;   // "" or "/some/prefix", never ending in '/'
};

// kBadUrl errors for what cannot be parsed or used: other schemes than http and https, no host,
// user info, a query or a fragment, a bad port.
Result<ApiUrl> ParseApiUrl(std::string_view text);

// Percent-encodes everything but unreserved characters and ':', for a path segment.
std::string EncodePathSegment(std::string_view text);

}  // namespace tginvite::client_internal
