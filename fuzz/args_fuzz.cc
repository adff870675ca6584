// The Bot API's reading of single parameters: the lenient and exact number rules and booleans
// (botapi/args.h), chat_id with @username, the canonical integers of JSON (json_reader.h),
// invite links and link names as requests give them (domain::LinkHashFromString, CleanLinkName),
// setWebhook's URL (webhook_url.h), the `entities` JSON parameter (message_args.h), and JSON
// strings written by json_writer.h, which must read back as written.
//
// Input: a selector byte, then the parameter's value.

#include <boost/json.hpp>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "botapi/args.h"
#include "botapi/json_reader.h"
#include "botapi/json_writer.h"
#include "botapi/message_args.h"
#include "botapi/webhook_url.h"
#include "common/utf8.h"
#include "domain/world.h"
#include "fuzz_check.h"
#include "text/fix.h"
#include "text/utf16.h"

namespace {

namespace botapi = tgi::botapi;

// The lenient rule written again, the obvious way: '-'? digits, wrapping.
int64_t LenientOracle(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  uint64_t v = 0;
  for (size_t i = negative ? 1 : 0; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
    v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  return static_cast<int64_t>(negative ? 0 - v : v);
}

void Numbers(std::string_view s) {
  const int64_t lenient = botapi::ParseLenientInt64(s);
  FUZZ_CHECK(lenient == LenientOracle(s), "ParseLenientInt64 is td::to_integer");
  FUZZ_CHECK(botapi::ParseLenientInt32(s) == static_cast<int32_t>(static_cast<uint32_t>(lenient)),
             "ParseLenientInt32 wraps ParseLenientInt64");

  int64_t exact = 0;
  const bool ok = botapi::ParseExactInt64(s, &exact);
  int64_t std_value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), std_value);
  const bool std_ok = ec == std::errc() && end == s.data() + s.size();
  FUZZ_CHECK(ok == std_ok, "ParseExactInt64 accepts what std::from_chars reads whole");
  if (ok) {
    FUZZ_CHECK(exact == std_value, "ParseExactInt64 agrees with std::from_chars");
    FUZZ_CHECK(exact == lenient, "an exact int64 reads the same leniently");
  }

  if (auto canonical = botapi::ParseCanonicalInt64(s))
    FUZZ_CHECK(std::to_string(*canonical) == s, "a canonical int64 prints back as given");
  if (auto canonical = botapi::ParseCanonicalInt32(s))
    FUZZ_CHECK(std::to_string(*canonical) == s, "a canonical int32 prints back as given");

  if (botapi::ParseLenientBool(s)) FUZZ_CHECK(s.size() >= 1, "true is never empty");
}

void ChatId(std::string_view s) {
  tgi::http::ParamList params;
  params.Add("chat_id", std::string(s));
  auto ref = botapi::Args(params).ChatRef();
  FUZZ_CHECK(ref.ok() == !s.empty(), "only an empty chat_id is an error");
  if (!ref) return;
  if (s[0] == '@') {
    FUZZ_CHECK(!ref->id && ref->username == s.substr(1), "@name is a username");
  } else {
    FUZZ_CHECK(ref->id && *ref->id == botapi::ParseLenientInt64(s) && ref->username.empty(),
               "anything else is a lenient id");
  }
}

void InviteLink(std::string_view s) {
  std::string hash = tgi::domain::LinkHashFromString(s);
  if (!hash.empty()) {
    FUZZ_CHECK(s.ends_with(hash), "the hash is the end of the link");
    FUZZ_CHECK(tgi::domain::LinkHashFromString(hash) == hash, "a bare hash is its own hash");
    FUZZ_CHECK(tgi::domain::LinkHashFromString("https://t.me/+" + hash) == hash,
               "the hash read back from its link");
  }
  std::optional<std::string> name = tgi::domain::CleanLinkName(s);
  FUZZ_CHECK(name.has_value() == tgi::utf8::IsValid(s), "a link name is refused only if not UTF-8");
  if (!name) return;
  FUZZ_CHECK(tgi::utf8::IsValid(*name), "a link name is UTF-8");
  FUZZ_CHECK(tgi::utf8::CodePointCount(*name) <= 32, "a link name has at most 32 code points");
}

void WebhookUrl(std::string_view s) {
  auto url = botapi::ParseWebhookUrl(s);
  if (!url) return;
  FUZZ_CHECK(url->port >= 1 && url->port <= 65535, "the port is a port");
  std::string absolute = botapi::WebhookUrlWithProtocol(s);
  auto again = botapi::ParseWebhookUrl(absolute);
  FUZZ_CHECK(again && again->https == url->https && again->port == url->port,
             "the URL with its protocol reads the same");
}

void Entities(std::string_view s) {
  auto entities = botapi::ParseEntities(s);
  if (entities) (void)tgi::text::PrepareInputEntities(std::move(*entities));
  (void)botapi::DecodeJson(s);
}

void JsonString(std::string_view s) {
  std::string out;
  botapi::AppendJsonString(out, s);
  auto decoded = botapi::DecodeJson(out);
  FUZZ_CHECK(decoded && decoded->type() == botapi::JsonType::kString,
             "a written string reads back as a string");
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(out, ec);
  FUZZ_CHECK(!ec && parsed.is_string(), "a written string is JSON to Boost too");
  if (tgi::utf8::IsValid(s)) {
    FUZZ_CHECK(decoded->text() == s, "valid UTF-8 reads back unchanged");
    FUZZ_CHECK(parsed.as_string() == s, "valid UTF-8 reads back unchanged in Boost");
  } else {
    FUZZ_CHECK(tgi::utf8::IsValid(decoded->text()), "invalid UTF-8 is written as UTF-8");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgi::fuzz::Input in(data, size);
  const uint8_t selector = in.Byte();
  const std::string_view value = in.Rest();
  switch (selector % 6) {
    case 0:
      Numbers(value);
      break;
    case 1:
      ChatId(value);
      break;
    case 2:
      InviteLink(value);
      break;
    case 3:
      WebhookUrl(value);
      break;
    case 4:
      Entities(value);
      break;
    default:
      JsonString(value);
      break;
  }
  return 0;
}
