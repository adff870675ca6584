// setWebhook's URL check (spec 5.5), as the reference makes it: TDLib's parse_url
// (tdutils/td/utils/HttpUrl.cpp) with HTTPS as the protocol of a URL that names none.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tgi::botapi {

// What setWebhook needs of an accepted URL.
struct WebhookUrl {
  bool https = true;  // "https://", or no protocol at all
  int port = 443;     // the URL's port (1...65535), else 443 (https) or 80 (http)
};

// nullopt when the reference refuses the URL ("invalid webhook URL specified"): a protocol other
// than http or https (any case), a port that is not 1...65535 (leading zeros are allowed), an
// empty host or ".", a host or user:password with a character outside RFC 3986's unreserved and
// sub-delims (bytes above 127 and %XX pass), a bracketed host that is not an IPv6 address.
// The path, query and fragment are not checked. Named decision: a URL taken here that the
// delivery's HTTP client cannot take apart (e.g. a space in the path, which the reference
// percent-encodes) is still set; each delivery then fails with "Bad webhook URL".
std::optional<WebhookUrl> ParseWebhookUrl(std::string_view url);

// `url` as an absolute URL: "https://" put in front when it names no protocol (delivery and
// getWebhookInfo take it apart with an ordinary URL parser).
std::string WebhookUrlWithProtocol(std::string_view url);

}  // namespace tgi::botapi
