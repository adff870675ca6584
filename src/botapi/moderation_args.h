// The parameters of restrictChatMember and setChatPermissions (spec bot-api-moderation.md 1.1,
// 4.3, 4.4, 6.1), read as the reference reads them (Client::get_chat_permissions and the
// until_date rule of TDLib's get_dialog_participant_status). Pure functions of the parameters.
#pragma once

#include "botapi/args.h"
#include "botapi/errors.h"
#include "common/result.h"
#include "domain/model.h"

namespace tgi::botapi {

// Whether the four legacy flat parameters of restrictChatMember (4.4) are read when
// `permissions` is absent: restrictChatMember yes, setChatPermissions no.
enum class LegacyPermissions { kAllowed, kRefused };

struct ParsedPermissions {
  domain::Permissions permissions;
  // They came from the legacy flat parameters and were not all four true (4.2 step 5).
  bool legacy_partial = false;
};

// `permissions` (a ChatPermissions JSON object) with `use_independent_chat_permissions`, and
// their derived defaults (4.3). Absent or empty: the legacy parameters when allowed, else every
// permission false. Errors, in the reference's texts: not JSON -> "can't parse permissions JSON
// object"; not an object -> "object expected as permissions"; a field that is not a JSON boolean
// -> "can't parse chat permissions: Field "x" must be of type Boolean". Unknown fields are ignored.
Result<ParsedPermissions, ApiError> ParseChatPermissions(const Args& args,
                                                         LegacyPermissions legacy);

// banChatSenderChat's and unbanChatSenderChat's sender_chat_id (spec 6.3), read strictly as
// td::to_integer_safe reads it: the value must be exactly the decimal an int64 prints as (no
// '+', no leading zeros, no "-0"). Empty -> "sender_chat_id is empty"; anything else ->
// "sender_chat_id is not a valid Integer".
Result<int64_t, ApiError> ParseSenderChatId(const Args& args);

// TDLib's fix_until_date (1.1): 0 stays 0; before now + 30 s or after now + 366 days is 0,
// forever; anything else is kept.
UnixTime NormalizeUntilDate(int64_t until_date, UnixTime now);

}  // namespace tgi::botapi
