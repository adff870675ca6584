// Reading the world file and the control plane's JSON bodies into domain records, with the JSON
// path of the first problem in every error ("$.chats[0].members[1].status: ...").
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "domain/world.h"

namespace tgi::control {

// A whole world file (docs/control-api.md).
Result<domain::WorldFile, Error> ParseWorldFile(std::string_view json);

// One entry each, as the PUT endpoints take them. `id` comes from the URL when the body has none;
// `path` prefixes error messages.
Result<domain::WorldFile::BotEntry, Error> ParseBot(const boost::json::value& v,
                                                    std::optional<int64_t> id,
                                                    const std::string& path);
Result<domain::User, Error> ParseUser(const boost::json::value& v, std::optional<int64_t> id,
                                      const std::string& path);
Result<domain::Chat, Error> ParseChat(const boost::json::value& v, std::optional<int64_t> id,
                                      const std::string& path);
Result<domain::Member, Error> ParseMember(const boost::json::value& v, ChatId chat,
                                          std::optional<int64_t> user_id, const std::string& path);

// Parses `json` as a JSON document; the error names what is wrong.
Result<boost::json::value, Error> ParseJson(std::string_view json);

}  // namespace tgi::control
