// Links in formatted text and in keyboard buttons: TDLib's LinkManager::check_link (URL
// normalisation, spec 3.7), the tg://user?id= links that make a text_mention, and the
// tg://emoji and tg://time links of MarkdownV2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tgi::text {

// Which links a place accepts (check_link's http_only and https_only).
enum class LinkScope {
  kAny,        // http(s) and tg://, ton://, tonsite:// (text_link, URL buttons)
  kHttpOnly,   // http(s) only
  kHttpsOnly,  // https only (Web App and login URL buttons outside the test DC)
};

// The normalised form of `link` (TDLib's check_link_impl), or the reason it is refused:
// - no scheme means http://; a scheme other than http or https: "Unsupported URL protocol";
// - the host is lowercased; a host without a dot (and not IPv6): "Wrong HTTP URL"; an empty
//   host: "URL host is empty"; "." alone: "Host is invalid"; a character other than letters,
//   digits, "-._~!$&'()*+,;=", %XX and bytes >= 0x80: "Disallowed character in URL host" (or
//   "Wrong percent-encoded symbol in URL host"), likewise "... in URL userinfo";
// - a bad port: "Wrong port number specified in the URL"; a bad [IPv6]: "Wrong IPv6 address
//   specified in the URL" or "Wrong IPv6 URL host";
// - the path gets a leading "/" ("https://a.b" -> "https://a.b/", "a.b?x" -> "http://a.b/?x"),
//   trailing whitespace is cut, bytes <= 0x20 in it are percent-encoded;
// - tg:, ton: and tonsite: links (with or without "//") become "tg://host/path?query" with
//   "Wrong tg URL", "Wrong ton URL" or "Unallowed characters in URL host" when malformed, and
//   "Only HTTP links are allowed" under kHttpOnly; kHttpsOnly refuses everything but https with
//   "Only HTTPS links are allowed".
Result<std::string, std::string> NormalizeLink(std::string_view link,
                                               LinkScope scope = LinkScope::kAny);

// NormalizeLink with TDLib's full error text (check_link): "URL '<link>' is invalid: <reason>",
// or "URL is invalid: <reason>" when `link` is not well-formed UTF-8. Callers add their prefix:
// "Entity " for a text_link, "Inline keyboard button " for a URL button.
Result<std::string, std::string> CheckLink(std::string_view link,
                                           LinkScope scope = LinkScope::kAny);

// The user of a "tg://user?id=N" link (scheme and host case-insensitive, "//" optional, "id" the
// first parameter named so), or nullopt. Only valid user ids (1 to 2^40 - 1) are returned: any
// other link is an ordinary link (TDLib's get_link_user_id + UserId::is_valid).
std::optional<int64_t> LinkUserId(std::string_view url);

// The custom emoji of "tg://emoji?id=N" (N a non-zero int64), else an error text.
Result<int64_t, std::string> LinkCustomEmojiId(std::string_view url);

struct LinkDate {
  int32_t unix_time = 0;
  std::string format;  // canonical, see CanonicalDateTimeFormat
};
// The date of "tg://time?unix=N&format=F" (N > 0), else an error text.
Result<LinkDate, std::string> LinkFormattedDate(std::string_view url);

// The date_time_format of markup (HTML tg-time, MarkdownV2 tg://time) in the Bot API's canonical
// spelling, or nullopt ("Invalid date format used"): "r" or "R" alone is relative ("r");
// otherwise each letter of "tTdDwW" sets a flag (a short and a long of the same part may both be
// given; the short one wins) and the result is "w" if any, then "d" or "D", then "t" or "T". ""
// stays "". (TDLib's FormattedDate::get_date_flags and the Bot API's JsonEntity.)
std::optional<std::string> CanonicalDateTimeFormat(std::string_view format);

// The same for the date_time_format field of the Bot API's `entities` parameter
// (Client::get_text_entity_type): the last of t/T and of d/D wins, and a bad format means
// "Invalid date-time format specified".
std::optional<std::string> CanonicalEntityDateTimeFormat(std::string_view format);

}  // namespace tgi::text
