// Encoders for the Bot API objects this server returns, field by field in the reference server's
// order (spec 3.1, 4.1-4.3). Optional fields are left out rather than sent as null.
#pragma once

#include "botapi/json_writer.h"
#include "domain/model.h"
#include "domain/world.h"

namespace tginvite::botapi {

// User as it appears inside other objects (creator, member.user, ...).
void WriteUser(JsonWriter& w, const domain::User& user);
// The getMe result: the User plus the bot-only flags, all present.
void WriteGetMe(JsonWriter& w, const domain::User& user, const domain::Bot& bot);
// ChatFullInfo, the getChat result.
void WriteChatFullInfo(JsonWriter& w, const domain::ChatView& view);
// ChatMember; `chat` decides which rights a ChatMemberAdministrator shows (null: private chat).
void WriteChatMember(JsonWriter& w, const domain::MemberView& view, const domain::Chat* chat);

const char* ChatTypeName(domain::ChatType type);
const char* MemberStatusName(domain::MemberStatus status);

}  // namespace tginvite::botapi
