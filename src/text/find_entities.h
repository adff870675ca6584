// The entities Telegram finds in plain text by itself (spec 4): bot_command, mention, hashtag,
// cashtag, url, email, and bank_card_number (found, never shown to bots). TDLib's find_entities,
// which the spec takes as the model of the server, for users' messages and the bot's own.
//
// Named decision: phone numbers are not detected (TDLib has no detector, "TODO
// find_phone_numbers"), and media timestamps are not either (the Bot API skips them for bots).
#pragma once

#include <string_view>
#include <vector>

#include "text/formatted_text.h"

namespace tgi::text {

struct FindOptions {
  bool skip_bot_commands = false;
};

// The entities found in `text`, with UTF-16 offsets, sorted (spec 1.4), none intersecting
// another (of two that would, the first in sort order stays). REQUIRES: `text` is well-formed
// UTF-8 (as it is after FixFormattedText).
std::vector<Entity> FindEntities(std::string_view text, const FindOptions& options = {});

// TDLib's is_email_address: user@host.tld in the shape
// ([a-z0-9_-]{0,26}[.+]){0,10}[a-z0-9_-]{1,35}@(([a-z0-9][a-z0-9_-]{0,28})?[a-z0-9][.]){1,6}[a-z]{2,8}
// (case-insensitive).
bool IsEmailAddress(std::string_view text);

// True if `tld` is in TDLib's list of common top-level domains (compared lowercased; a TLD of
// which only the first letter is uppercase is refused).
bool IsCommonTld(std::string_view tld);

}  // namespace tgi::text
