// From an HTTP answer to the Bot API's values: the envelope, then the typed results. Tolerant of
// what a newer server may add (unknown fields are ignored, missing optional ones stay unset),
// strict about what cannot be a Bot API answer (kBadReply, error_code = the HTTP status).
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

#include "http_transport.h"
#include "tginvite/types.h"

namespace tginvite::client_internal {

// {"ok":true,"result":X} gives X; {"ok":false,...} gives a kApi error with error_code, description
// and parameters; anything else (not JSON, an HTML page, JSON without the envelope) is kBadReply.
Result<boost::json::value> DecodeEnvelope(const HttpReply& reply);

// Each takes the `result` of `method` (named in errors); a value of the wrong JSON type, or a
// known field of the wrong type, is kBadReply with error_code `http_status`.
Result<User> DecodeUser(const boost::json::value& v, std::string_view method, int http_status);
Result<ChatFullInfo> DecodeChatFullInfo(const boost::json::value& v, std::string_view method,
                                        int http_status);
Result<ChatInviteLink> DecodeChatInviteLink(const boost::json::value& v, std::string_view method,
                                            int http_status);
Result<std::string> DecodeString(const boost::json::value& v, std::string_view method,
                                 int http_status);
Result<bool> DecodeBool(const boost::json::value& v, std::string_view method, int http_status);

}  // namespace tginvite::client_internal
